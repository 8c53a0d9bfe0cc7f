//! Orders: create (one line, guided from the card), the order card with one-tap status changes,
//! and the list of open orders grouped by status. The catalogue picker, edits, undo, reopening and
//! `/order <number>` are in `order_edit` (their buttons are declared here, in `OrderCb`).
//! A referral discount or credit is taken off in the order's own transaction (`store::referrals`),
//! shown on the card, and its client told (`attribution::referral::after_order_created`).

use super::callback::callbacks;
use super::card::{fmt_time, status_label};
use super::dialog;
use super::order_edit::{self, OrderField};
use super::{parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::ClientCb;
use crate::domain::text::{ellipsize, parse_free_text};
use crate::domain::{Money, OrderStatus, Phone};
use crate::store::orders::{Order, Transition};
use crate::work::JobSpec;
use serde::{Deserialize, Serialize};

pub(super) const MAX_PRODUCT: usize = 200;

callbacks! {
    /// Buttons of orders.
    pub enum OrderCb {
        NewOrder(client: i64) => "no",
        /// Pick the client for an order whose details wait in the dialog.
        PickClient(client: i64) => "po" keeps_dialog,
        Show(id: i64) => "o",
        SetStatus(id: i64, status: OrderStatus) => "os",
        List => "ol",
        // Issue 12: the catalogue and order editing (handled in `order_edit`).
        /// A product tapped in the picker; the picker's step is consumed by the first tap, so a
        /// double tap makes one order.
        FromProduct(client: i64, product: i64) => "onp" keeps_dialog,
        OtherProduct(client: i64) => "onx",
        Edit(id: i64, field: OrderField) => "oed",
        SetProduct(id: i64, product: i64) => "oep",
        /// Undo from a card made before the undo named its status (takes back whatever is last).
        Undo(id: i64) => "oun",
        /// Undo the step that led to `from`, the status the card showed: a second press of the
        /// same button (a double tap, two owners) finds the order moved on and changes nothing.
        UndoFrom(id: i64, from: OrderStatus) => "ouf",
        Reopen(id: i64) => "orp",
        ClientOrders(client: i64) => "ocl",
    }
}

/// The owner pressed one of the order buttons.
pub async fn on_button(ctx: &Ctx<'_>, cb: OrderCb) -> CoreResult {
    match cb {
        OrderCb::NewOrder(id) => order_edit::pick_product(ctx, id).await,
        OrderCb::FromProduct(client, p) => order_edit::from_product(ctx, client, p).await,
        OrderCb::OtherProduct(id) => {
            dialog::start(ctx, OrderDialog::OrderProduct { client: id }, "ask-order-product").await
        }
        OrderCb::Edit(id, field) => order_edit::ask(ctx, id, field).await,
        OrderCb::SetProduct(id, p) => order_edit::set_product(ctx, id, p).await,
        OrderCb::Undo(id) => order_edit::undo(ctx, id, None).await,
        OrderCb::UndoFrom(id, from) => order_edit::undo(ctx, id, Some(from)).await,
        OrderCb::Reopen(id) => order_edit::reopen(ctx, id).await,
        OrderCb::ClientOrders(id) => order_edit::client_orders(ctx, id).await,
        OrderCb::PickClient(id) => pick_client(ctx, id).await,
        OrderCb::Show(id) => show(ctx, id).await,
        OrderCb::SetStatus(id, s) => set_status(ctx, id, s).await,
        OrderCb::List => list(ctx, true).await,
    }
}

/// The order feature's typed steps (stored as `{"step":"order_price",..}`, see `dialog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum OrderDialog {
    OrderProduct { client: i64 },
    OrderPrice { client: i64, product: String },
    OrderPrepaid { client: i64, product: String, price: i64 },
    OrderPickClient { product: String, price: i64, prepaid: i64 },
    OrderEditProduct { order: i64 },
    OrderEditPrice { order: i64 },
    OrderEditPrepaid { order: i64 },
}

impl OrderDialog {
    pub fn skip_label(&self) -> Option<&'static str> {
        matches!(self, OrderDialog::OrderPrepaid { .. }).then_some("btn-skip")
    }
}

/// The owner typed `text` while step `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: OrderDialog, text: &str) -> CoreResult {
    match d {
        OrderDialog::OrderProduct { client } => product_step(ctx, client, text).await,
        OrderDialog::OrderPrice { client, product } => price_step(ctx, client, product, text).await,
        OrderDialog::OrderPrepaid { client, product, price } => {
            prepaid_step(ctx, client, product, price, Some(text)).await
        }
        OrderDialog::OrderPickClient { .. } => {
            dialog::clear(ctx).await?;
            super::clients::find(ctx, text).await
        }
        d @ (OrderDialog::OrderEditProduct { .. }
        | OrderDialog::OrderEditPrice { .. }
        | OrderDialog::OrderEditPrepaid { .. }) => order_edit::answer(ctx, d, text).await,
    }
}

/// Skip on step `d`.
pub async fn skip(ctx: &Ctx<'_>, d: OrderDialog) -> CoreResult {
    match d {
        OrderDialog::OrderPrepaid { client, product, price } => prepaid_step(ctx, client, product, price, None).await,
        _ => dialog::expired(ctx),
    }
}

/// `/new_order <client phone or name>, <product>, <price UAH>[, <prepaid UAH>]` (`;` also separates,
/// which lets a price carry a decimal comma). Without a price, the product is looked up in the
/// catalogue (by name or code) and takes its price.
pub async fn new_order(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let sep = if args.contains(';') { ';' } else { ',' };
    let parts: Vec<&str> = args.split(sep).map(str::trim).collect();
    if args.trim().is_empty() || !(2..=4).contains(&parts.len()) {
        return Ok(Output::one(
            Reply::text(ctx.t("order-usage"))
                .with_buttons(vec![vec![Button::new(ctx.t("btn-find-client"), ClientCb::Search)]]),
        ));
    }
    let mut product = parse_free_text(parts[1], MAX_PRODUCT).map_err(|e| parse_error(e, "product"))?;
    let price = match parts.get(2) {
        Some(p) => Money::parse(p).map_err(|e| parse_error(e, "price"))?,
        None => {
            let p = order_edit::catalogue_product(ctx, &product).await?;
            product = p.name;
            p.price
        }
    };
    let prepaid = match parts.get(3) {
        Some(p) => Money::parse(p).map_err(|e| parse_error(e, "prepaid"))?,
        None => Money::ZERO,
    };
    check_prepaid(price, prepaid)?;
    let who = parts[0];
    if who.is_empty() {
        return Err(parse_error(crate::domain::ParseError::Empty, "client"));
    }
    if let Ok(phone) = Phone::parse(who) {
        let client = ctx
            .store()
            .client_by_phone(&phone)
            .await?
            .ok_or_else(|| CoreError::user_with("order-no-client", vec![("query", who.into())]))?;
        return create(ctx, client.id, &product, price, prepaid).await;
    }
    let found = ctx.store().search_clients(who, 11).await?;
    match found.len() {
        0 => Err(CoreError::user_with("order-no-client", vec![("query", who.into())])),
        1 => create(ctx, found[0].id, &product, price, prepaid).await,
        _ => {
            let pending = OrderDialog::OrderPickClient { product, price: price.kopecks(), prepaid: prepaid.kopecks() };
            dialog::set(ctx, pending).await?;
            let rows = found
                .iter()
                .take(10)
                .map(|c| {
                    vec![Button::new(
                        format!("{} {}", c.full_name, c.phone.clone().unwrap_or_default()),
                        OrderCb::PickClient(c.id),
                    )]
                })
                .collect();
            Ok(Output::one(Reply::text(ctx.t_args("order-pick-client", &[("query", who.into())])).with_buttons(rows)))
        }
    }
}

fn check_prepaid(price: Money, prepaid: Money) -> CoreResult<()> {
    if prepaid > price {
        return Err(CoreError::user("err-prepaid-over"));
    }
    Ok(())
}

pub async fn pick_client(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    match dialog::current(ctx).await? {
        Some(dialog::Dialog::Order(OrderDialog::OrderPickClient { product, price, prepaid })) => {
            let out = create(ctx, client, &product, Money::from_kopecks(price), Money::from_kopecks(prepaid)).await?;
            dialog::clear(ctx).await?;
            Ok(out)
        }
        _ => Ok(Output::default().toast(ctx.t("btn-expired"))),
    }
}

pub async fn product_step(ctx: &Ctx<'_>, client: i64, text: &str) -> CoreResult {
    let product = parse_free_text(text, MAX_PRODUCT).map_err(|e| parse_error(e, "product"))?;
    let prompt = ctx.t_args("ask-order-price", &[("product", product.as_str().into())]);
    dialog::prompt(ctx, OrderDialog::OrderPrice { client, product }, prompt).await
}

pub async fn price_step(ctx: &Ctx<'_>, client: i64, product: String, text: &str) -> CoreResult {
    let price = Money::parse(text).map_err(|e| parse_error(e, "price"))?;
    let prompt = ctx.t_args("ask-order-prepaid", &[("price", price.to_string().into())]);
    dialog::prompt(ctx, OrderDialog::OrderPrepaid { client, product, price: price.kopecks() }, prompt).await
}

pub async fn prepaid_step(ctx: &Ctx<'_>, client: i64, product: String, price: i64, text: Option<&str>) -> CoreResult {
    let price = Money::from_kopecks(price);
    let prepaid = match text {
        Some(t) => Money::parse(t).map_err(|e| parse_error(e, "prepaid"))?,
        None => Money::ZERO,
    };
    check_prepaid(price, prepaid)?;
    let out = create(ctx, client, &product, price, prepaid).await?;
    dialog::clear(ctx).await?;
    Ok(out)
}

pub(super) async fn create(ctx: &Ctx<'_>, client: i64, product: &str, price: Money, prepaid: Money) -> CoreResult {
    let timeline = |id: i64| {
        ctx.t_args(
            "timeline-order-created",
            &[("id", id.into()), ("product", product.into()), ("price", price.to_string().into())],
        )
    };
    let id = ctx.store().create_order(client, product, price, prepaid, ctx.channel(), timeline).await?;
    tracing::info!(order = id, client, "order created");
    super::attribution::referral::after_order_created(ctx.core, id).await?;
    let order = ctx.store().order(id).await?;
    Ok(Output::one(render(ctx, &order, Some(ctx.t("order-created"))).await?))
}

pub async fn show(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let order = ctx.store().order(id).await?;
    Ok(Output::one(render(ctx, &order, None).await?.editing(ctx.from_button)))
}

pub(super) async fn render(ctx: &Ctx<'_>, o: &Order, header: Option<String>) -> CoreResult<Reply> {
    let history = ctx.store().order_history(o.id).await?;
    let mut t = header.map(|h| format!("{h}\n\n")).unwrap_or_default();
    t.push_str(&ctx.t_args("order-title", &[("id", o.id.into())]));
    t.push('\n');
    t.push_str(&format!("👤 {}\n", o.client_name));
    t.push_str(&format!("{}: {}\n", ctx.t("order-product"), o.product));
    t.push_str(&format!("{}: {}", ctx.t("order-price"), o.price));
    let (discount, reason) = ctx.store().order_discount(o.id).await?;
    if discount > 0 {
        let why = match reason.as_deref() {
            Some("credit") => ctx.t("order-discount-credit"),
            _ => ctx.t("order-discount-referral"),
        };
        t.push_str(&format!(" ({}: −{} · {why})", ctx.t("order-discount"), Money::from_kopecks(discount)));
    }
    if o.prepaid > Money::ZERO {
        let due = o.price.checked_sub(o.prepaid).unwrap_or(Money::ZERO);
        t.push_str(&format!(" · {}: {} · {}: {}", ctx.t("order-prepaid"), o.prepaid, ctx.t("order-due"), due));
    }
    t.push_str(&format!("\n{}: {}\n", ctx.t("order-status"), status_label(ctx, o.status)));
    if let Some(line) = super::payments::card_line(ctx, o) {
        t.push_str(&format!("{line}\n"));
    }
    t.push_str(&format!("\n{}", ctx.t("order-history")));
    for h in &history {
        let to =
            OrderStatus::from_code(&h.to_status).map(|s| status_label(ctx, s)).unwrap_or_else(|| h.to_status.clone());
        t.push_str(&format!("\n{} — {to}{}", fmt_time(ctx, h.at), order_edit::history_mark(ctx, h)));
    }
    let mut rows: Vec<Vec<Button>> = o
        .status
        .next()
        .iter()
        .map(|s| {
            let label = if *s == OrderStatus::Cancelled {
                status_label(ctx, *s)
            } else {
                format!("➡️ {}", status_label(ctx, *s))
            };
            vec![Button::new(label, OrderCb::SetStatus(o.id, *s))]
        })
        .collect();
    rows.extend(order_edit::buttons(ctx, o, &history));
    rows.extend(super::payments::card_rows(ctx, o));
    rows.push(vec![
        Button::new(ctx.t("btn-open-card"), ClientCb::Card(o.client_id)),
        Button::new(ctx.t("btn-orders"), OrderCb::List),
    ]);
    Ok(Reply::text(t).with_buttons(rows))
}

pub async fn set_status(ctx: &Ctx<'_>, id: i64, to: OrderStatus) -> CoreResult {
    let label = status_label(ctx, to);
    let timeline = |o: &Order| {
        ctx.t_args(
            "timeline-order-status",
            &[("id", o.id.into()), ("product", o.product.as_str().into()), ("status", label.as_str().into())],
        )
    };
    let follow_up = if to == OrderStatus::Issued {
        let order = ctx.store().order(id).await?;
        let days = ctx.core.config().follow_up_days;
        let date = crate::store::now().with_timezone(&ctx.tz()).date_naive() + chrono::Duration::days(days);
        let time = chrono::NaiveTime::from_hms_opt(NOTICE_HOUR, 0, 0).unwrap_or_default();
        let body = ctx.t_args("follow-up-body", &[("product", order.product.as_str().into())]);
        let due_at = crate::domain::when::resolve_local(ctx.tz(), date, time);
        // The NPS question goes to the client with the follow-up (`core::nps`).
        let jobs = Box::new(move |task: i64| {
            let mut jobs = crate::work::spec::task_jobs(Some(due_at))(task);
            jobs.push(super::product_life::nps_job(id, due_at));
            jobs
        });
        let aftercare = super::product_life::for_issue(ctx.core, id).await?;
        let aftercare_job = super::product_life::job;
        Some(crate::store::orders::FollowUp { body, due_at, jobs, aftercare, aftercare_job })
    } else {
        None
    };
    match ctx.store().transition_order_by(id, to, &ctx.actor_key, ctx.channel(), timeline, follow_up).await? {
        Transition::Done(order) => {
            if to == OrderStatus::Ready {
                ctx.store()
                    .enqueue(
                        &JobSpec::OrderReady { order_id: id }.job(ready_notice_time(ctx), format!("order:{id}:ready")),
                    )
                    .await?;
            }
            tracing::info!(order = id, status = %to, "order status changed");
            let header = ctx.t_args("order-status-changed", &[("status", label.as_str().into())]);
            Ok(Output::one(render(ctx, &order, Some(header)).await?.editing(ctx.from_button)))
        }
        Transition::Refused { current } => {
            let order = ctx.store().order(id).await?;
            let header = ctx.t_args(
                "order-status-refused",
                &[("from", status_label(ctx, current).into()), ("to", label.as_str().into())],
            );
            Ok(Output::one(render(ctx, &order, Some(format!("⚠️ {header}"))).await?.editing(ctx.from_button))
                .toast(header))
        }
    }
}

/// `/orders`: open orders grouped by status, each with a button.
pub async fn list(ctx: &Ctx<'_>, edit: bool) -> CoreResult {
    let orders = ctx.store().open_orders(300).await?;
    if orders.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("orders-none")).editing(edit)));
    }
    let mut text = ctx.t_args("orders-title", &[("count", orders.len().into())]);
    let mut rows = vec![];
    for status in [OrderStatus::New, OrderStatus::InProduction, OrderStatus::Ready] {
        let group: Vec<&Order> = orders.iter().filter(|o| o.status == status).collect();
        if group.is_empty() {
            continue;
        }
        text.push_str(&format!("\n\n{} ({})", status_label(ctx, status), group.len()));
        for o in &group {
            text.push_str(&format!(
                "\n#{} {} — {} — {}",
                o.id,
                ellipsize(&o.client_name, 30),
                ellipsize(&o.product, 30),
                o.price
            ));
            if rows.len() < 30 {
                rows.push(vec![Button::new(
                    format!("#{} {} · {}", o.id, ellipsize(&o.client_name, 20), ellipsize(&o.product, 16)),
                    OrderCb::Show(o.id),
                )]);
            }
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(edit)))
}

/// The hour of the morning notices and follow-ups (the studio opens at ten).
const NOTICE_HOUR: u32 = 10;

/// When the "ready to pick up" message goes out: now during the day, else the next morning.
fn ready_notice_time(ctx: &Ctx<'_>) -> chrono::DateTime<chrono::Utc> {
    let now = crate::store::now();
    let local = now.with_timezone(&ctx.tz());
    let hour = chrono::Timelike::hour(&local.time());
    if (9..20).contains(&hour) {
        return now;
    }
    let day = if hour >= 20 { local.date_naive() + chrono::Duration::days(1) } else { local.date_naive() };
    let ten = chrono::NaiveTime::from_hms_opt(NOTICE_HOUR, 0, 0).unwrap_or_default();
    crate::domain::when::resolve_local(ctx.tz(), day, ten)
}

/// The job: tell the client in Telegram (when her chat is known) that the order is ready.
pub async fn ready_notice(
    core: &crate::core::Core,
    job: &crate::store::jobs::Job,
    order_id: i64,
) -> crate::work::Outcome {
    let has_bot = core.config().telegram_enabled;
    use crate::work::Outcome;
    let order = match core.store().order(order_id).await {
        Ok(o) => o,
        Err(e) => return Outcome::Retry { after: crate::work::backoff(job.attempts), error: e.to_string() },
    };
    if order.status != OrderStatus::Ready {
        return Outcome::done("skipped: order no longer ready");
    }
    let client = match core.store().client(order.client_id).await {
        Ok(c) => c,
        Err(e) => return Outcome::Retry { after: crate::work::backoff(job.attempts), error: e.to_string() },
    };
    use crate::core::booking::steps::{client_messages, Recipient};
    let to =
        Recipient { chat: client.telegram_id.filter(|_| has_bot), phone: client.phone.clone(), client_id: client.id };
    let text =
        |tr: &crate::i18n::Tr<'_>| tr.t_args("client-order-ready", &[("product", order.product.as_str().into())]);
    let sends = client_messages(
        core,
        &job.idempotency_key,
        to,
        |tr| (text(tr), vec![]),
        |tr| (tr.t("client-order-ready-subject"), text(tr)),
    )
    .await;
    if sends.is_empty() {
        return Outcome::done("skipped: no channel to the client");
    }
    Outcome::Done { result: format!("{} ready notice(s) queued", sends.len()), follow_ups: sends }
}
