//! Runs an [`Action`] through the use cases that already exist: reads answer with their data
//! (`/finance`, `/report` with its chart, `/orders`, the client search, `/tasks`, `/summary`,
//! `/advice`, the visits of a period from the bookings), writes call the one use case each
//! (`booking::client::place`, `booking::owner::cancel_with_reason`, `tasks::new_task`,
//! `clients::new_client`, the cash book's `/expense` and `/income`, `orders::set_status`,
//! `/dayoff`, `/goal`). Nothing here writes SQL; writes only run from a confirmed card (`mod.rs`).

use super::action::{Action, Goal, OrderFilter};
use crate::core::booking::{self, fmt_when};
use crate::core::card::ClientCb;
use crate::core::orders::OrderCb;
use crate::core::{Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::cash::PayMethod;
use crate::domain::period::Period;
use crate::domain::text::ellipsize;
use crate::domain::{BookingStatus, OrderStatus};
use chrono::Duration;

/// The client a name means: exactly one card, or a refusal that says why.
pub async fn one_client(ctx: &Ctx<'_>, name: &str) -> CoreResult<(i64, String)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    // The whole name first, then fewer words (a word the grammar kept that is not in the card).
    for take in (1..=words.len()).rev() {
        let q = words[..take].join(" ");
        let found = ctx.store().search_clients(&q, 3).await?;
        match found.len() {
            0 => continue,
            1 => return Ok((found[0].id, found[0].full_name.clone())),
            _ => return Err(CoreError::user_with("ask-many-clients", vec![("query", q.into())])),
        }
    }
    Err(CoreError::user_with("order-no-client", vec![("query", name.to_string().into())]))
}

fn period_line(ctx: &Ctx<'_>, p: &Period) -> String {
    if p.from == p.to {
        p.from.format("%d.%m.%Y").to_string()
    } else {
        let _ = ctx;
        format!("{} – {}", p.from.format("%d.%m"), p.to.format("%d.%m.%Y"))
    }
}

async fn visits(ctx: &Ctx<'_>, p: Period, no_shows: bool) -> CoreResult {
    let tz = ctx.tz();
    let from = crate::domain::when::resolve_local(tz, p.from, chrono::NaiveTime::MIN);
    let to = crate::domain::when::resolve_local(tz, p.to + Duration::days(1), chrono::NaiveTime::MIN);
    let list: Vec<_> = ctx
        .store()
        .bookings_between(from, to)
        .await?
        .into_iter()
        .filter(|b| !no_shows || b.status == BookingStatus::NoShow)
        .collect();
    let key = if no_shows { "ask-no-shows" } else { "ask-visits" };
    let mut text = ctx.t_args(key, &[("period", period_line(ctx, &p).into()), ("count", list.len().into())]);
    let mut rows = vec![];
    for b in &list {
        let mark = match b.status {
            BookingStatus::Came => "✅ ",
            BookingStatus::NoShow => "🚫 ",
            _ => "",
        };
        text.push_str(&format!("\n{mark}{} — {}", b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"), b.client_name));
        if rows.len() < 20 {
            rows.push(vec![Button::new(
                format!("{} {}", b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"), ellipsize(&b.client_name, 30)),
                ClientCb::Card(b.client_id),
            )]);
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

async fn orders(ctx: &Ctx<'_>, status: OrderFilter) -> CoreResult {
    if status == OrderFilter::Open {
        return crate::core::orders::list(ctx, false).await;
    }
    let all = ctx.store().open_orders(300).await?;
    let list: Vec<_> = all
        .into_iter()
        .filter(|o| match status {
            OrderFilter::Ready => o.status == OrderStatus::Ready,
            _ => crate::core::payments::due(o) > crate::domain::Money::ZERO,
        })
        .collect();
    let key = if status == OrderFilter::Ready { "ask-orders-ready" } else { "ask-orders-unpaid" };
    let mut text = ctx.t_args(key, &[("count", list.len().into())]);
    let mut rows = vec![];
    for o in &list {
        let due = crate::core::payments::due(o);
        text.push_str(&format!(
            "\n#{} {} — {} — {}",
            o.id,
            ellipsize(&o.client_name, 30),
            ellipsize(&o.product, 30),
            due
        ));
        if rows.len() < 20 {
            rows.push(vec![Button::new(format!("#{} {}", o.id, ellipsize(&o.client_name, 24)), OrderCb::Show(o.id))]);
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// A read: the data. `None` for a write (see [`write`]).
pub async fn read(ctx: &Ctx<'_>, a: &Action) -> Option<CoreResult> {
    Some(match a {
        Action::Visits { period } => visits(ctx, *period, false).await,
        Action::NoShows { period } => visits(ctx, *period, true).await,
        Action::Revenue { period } | Action::Expenses { period } => {
            crate::core::payments::finance::show(ctx, *period).await
        }
        Action::Report { kind, period } => crate::core::reports::show(ctx, *kind, *period).await,
        Action::FindClient { client } => crate::core::clients::find(ctx, client).await,
        Action::Orders { status } => orders(ctx, *status).await,
        Action::Order { number } => crate::core::order_edit::by_number(ctx, &number.to_string()).await,
        Action::Tasks => crate::core::agenda::list(ctx, false).await,
        Action::Summary => crate::core::summary::command(ctx, "").await,
        Action::Advice => crate::core::summary::advice_list(ctx).await,
        _ => return None,
    })
}

/// What a write will do, in one line for its confirmation card (names resolved to cards first,
/// so the card says who exactly). An error here refuses the action before any card.
pub async fn describe(ctx: &Ctx<'_>, a: &Action) -> CoreResult<String> {
    let tz = ctx.tz();
    Ok(match a {
        Action::Book { client, date, time } => {
            let (_, name) = one_client(ctx, client).await?;
            let at = crate::domain::when::resolve_local(tz, *date, *time);
            ctx.t_args("ask-do-book", &[("client", name.into()), ("when", fmt_when(ctx.core, &ctx.tr, at).into())])
        }
        Action::CancelVisit { client, date } => {
            let (id, name) = one_client(ctx, client).await?;
            let b = visit_to_cancel(ctx, id, *date).await?;
            ctx.t_args(
                "ask-do-cancel",
                &[("client", name.into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
            )
        }
        Action::Task { text, date, time } => {
            let when = match (date, time) {
                (Some(d), Some(t)) => format!("{} {}", d.format("%d.%m.%Y"), t.format("%H:%M")),
                (Some(d), None) => d.format("%d.%m.%Y").to_string(),
                (None, Some(t)) => t.format("%H:%M").to_string(),
                (None, None) => ctx.t("task-no-due"),
            };
            ctx.t_args("ask-do-task", &[("task", text.as_str().into()), ("when", when.into())])
        }
        Action::NewClient { name, phone } => {
            ctx.t_args("ask-do-new-client", &[("name", name.as_str().into()), ("phone", phone.display().into())])
        }
        Action::Expense { amount, category, date } => ctx.t_args(
            "ask-do-expense",
            &[
                ("amount", amount.to_string().into()),
                ("category", category.as_str().into()),
                ("day", date.unwrap_or_else(|| booking::today(ctx.core)).format("%d.%m.%Y").to_string().into()),
            ],
        ),
        Action::Income { order, amount, method } => {
            // Typed Monobank money is booked as terminal money, as `/income` does (only Monobank's
            // own report books a Monobank payment).
            let method = if *method == PayMethod::Monobank { PayMethod::Terminal } else { *method };
            let args = [
                ("id", (*order).into()),
                ("amount", amount.to_string().into()),
                ("method", ctx.t(method.label_key()).into()),
            ];
            ctx.t_args("ask-do-income", &args)
        }
        Action::OrderReady { number } => {
            let o = ctx
                .store()
                .order(*number)
                .await
                .map_err(|_| CoreError::user_with("order-not-found", vec![("id", (*number).into())]))?;
            ctx.t_args("ask-do-ready", &[("id", (*number).into()), ("client", o.client_name.into())])
        }
        Action::DayOff { date } => ctx.t_args("ask-do-dayoff", &[("day", date.format("%d.%m.%Y").to_string().into())]),
        Action::Goal(Goal::Orders(n)) => ctx.t_args("ask-do-goal-orders", &[("count", (*n).into())]),
        Action::Goal(Goal::Amount(m)) => ctx.t_args("ask-do-goal-amount", &[("amount", m.to_string().into())]),
        _ => return Err(CoreError::NotFound),
    })
}

/// Her next visit (on `date` when said) that can still be cancelled.
async fn visit_to_cancel(
    ctx: &Ctx<'_>,
    client: i64,
    date: Option<chrono::NaiveDate>,
) -> CoreResult<crate::store::bookings::Booking> {
    let tz = ctx.tz();
    let list = ctx.store().upcoming_bookings(client, crate::store::now()).await?;
    list.into_iter()
        .find(|b| {
            b.status == BookingStatus::Booked && date.is_none_or(|d| b.starts_at.with_timezone(&tz).date_naive() == d)
        })
        .ok_or(CoreError::user("ask-no-visit"))
}

/// A confirmed write, through its use case.
pub async fn write(ctx: &Ctx<'_>, a: &Action) -> CoreResult {
    match a {
        Action::Book { client, date, time } => {
            let (id, _) = one_client(ctx, client).await?;
            let at = crate::domain::when::resolve_local(ctx.tz(), *date, *time);
            let chat = ctx.store().client(id).await?.telegram_id;
            match booking::client::place(ctx, id, 0, at, chat).await? {
                Ok(b) => Ok(Output::one(
                    Reply::text(ctx.t_args(
                        "owner-booked",
                        &[
                            ("client", b.client_name.as_str().into()),
                            ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into()),
                        ],
                    ))
                    .with_buttons(vec![vec![Button::new(ctx.t("btn-open-card"), ClientCb::Card(id))]]),
                )),
                Err(out) => Ok(out),
            }
        }
        Action::CancelVisit { client, date } => {
            let (id, _) = one_client(ctx, client).await?;
            let b = visit_to_cancel(ctx, id, *date).await?;
            booking::owner::cancel_with_reason(ctx, b.id, None).await
        }
        Action::Task { text, date, time } => {
            let mut args = text.clone();
            match (date, time) {
                (Some(d), Some(t)) => args.push_str(&format!(" {} {}", d.format("%d.%m.%Y"), t.format("%H:%M"))),
                (Some(d), None) => args.push_str(&format!(" {}", d.format("%d.%m.%Y"))),
                (None, Some(t)) => args.push_str(&format!(" {}", t.format("%H:%M"))),
                (None, None) => {}
            }
            crate::core::tasks::new_task(ctx, None, &args).await
        }
        Action::NewClient { name, phone } => {
            crate::core::clients::new_client(ctx, &format!("{name}, {}", phone.as_str())).await
        }
        Action::Expense { amount, category, date } => {
            let day = date.unwrap_or_else(|| booking::today(ctx.core)).format("%d.%m.%Y");
            let category = category.split_whitespace().collect::<Vec<_>>().join("_");
            crate::core::payments::record::expense_command(ctx, &format!("{} {category} {day}", plain(*amount))).await
        }
        Action::Income { order, amount, method } => {
            let how = method.code();
            crate::core::payments::record::income_command(ctx, &format!("{order} {} {how}", plain(*amount))).await
        }
        Action::OrderReady { number } => {
            // "Made" from a new order: through production first, each step in its history.
            let o = ctx.store().order(*number).await?;
            if o.status == OrderStatus::New {
                crate::core::orders::set_status(ctx, *number, OrderStatus::InProduction).await?;
            }
            crate::core::orders::set_status(ctx, *number, OrderStatus::Ready).await
        }
        Action::DayOff { date } => booking::hours::days_off(ctx, &date.format("%d.%m.%Y").to_string(), false).await,
        Action::Goal(Goal::Orders(n)) => crate::core::reports::goal::command(ctx, &format!("{n} orders")).await,
        Action::Goal(Goal::Amount(m)) => crate::core::reports::goal::command(ctx, &format!("{} грн", plain(*m))).await,
        _ => Err(CoreError::NotFound),
    }
}

/// Money as the command lines take it: `1300`, `1300.50`.
fn plain(m: crate::domain::Money) -> String {
    let k = m.kopecks();
    if k % 100 == 0 {
        (k / 100).to_string()
    } else {
        format!("{}.{:02}", k / 100, k % 100)
    }
}
