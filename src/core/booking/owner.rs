//! The studio's side of booking: came / no-show, cancelling with a reason the client receives,
//! the week ahead, booking on a client's behalf (working hours and days off are `hours`).

use super::callback::{BookingDialog, ReminderChannel};
use super::{client, fmt_when, service_label, weekday_label};
use crate::core::booking::callback::BookingCb;
use crate::core::card::ClientCb;
use crate::core::dialog::{self, Dialog};
use crate::core::{parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::text::parse_free_text;
use crate::domain::BookingStatus;
use crate::store::bookings::booking_prefix;
use crate::work::JobSpec;
use chrono::Duration;

pub async fn outcome(ctx: &Ctx<'_>, id: i64, came: bool) -> CoreResult {
    let b = ctx.store().booking(id).await?;
    let now = crate::store::now();
    let jobs = if came {
        vec![]
    } else {
        let delay = ctx.core.config().booking.no_show_delay;
        vec![
            JobSpec::NoShowOffer { booking_id: id }.job(now + delay, format!("{}noshow:offer", booking_prefix(id))),
            JobSpec::NoShowTask { booking_id: id }
                .job(now + Duration::days(2), format!("{}noshow:task", booking_prefix(id))),
        ]
    };
    let line = super::visits::outcome_line(ctx.core, &b, came).await;
    if !ctx
        .store()
        .set_booking_outcome(id, if came { BookingStatus::Came } else { BookingStatus::NoShow }, &line, jobs)
        .await?
    {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    let key = if came { "visit-came" } else { "visit-no-show" };
    let text = ctx.t_args(
        key,
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
    );
    Ok(Output::one(
        Reply::text(text)
            .with_buttons(vec![vec![Button::new(ctx.t("btn-open-card"), ClientCb::Card(b.client_id))]])
            .editing(ctx.from_button),
    ))
}

/// The owner confirms a new booking; the client hears it in the chat she booked from.
pub async fn confirm(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let b = ctx.store().booking(id).await?;
    if !ctx.store().confirm_booking(id).await? {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    if let Some(chat) = b.chat_id {
        let tr = crate::i18n::Tr {
            i18n: ctx.core.i18n(),
            lang: super::lang_of(ctx.core, &format!("telegram:{chat}")).await,
        };
        let text = tr.t_args(
            "client-booking-confirmed",
            &[
                ("service", service_label(&tr, &b.service).into()),
                ("when", fmt_when(ctx.core, &tr, b.starts_at).into()),
            ],
        );
        let job = JobSpec::SendTelegram { chat_id: chat, text, buttons: vec![] }
            .job(crate::store::now(), format!("{}confirmed:tg", booking_prefix(id)));
        ctx.store().enqueue(&job).await?;
    }
    let text = ctx.t_args(
        "owner-confirmed",
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
    );
    let rows = vec![vec![
        Button::new(ctx.t("btn-open-card"), ClientCb::Card(b.client_id)),
        Button::new(ctx.t("btn-booking-cancel"), BookingCb::OwnerCancel(id)),
    ]];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

pub async fn ask_cancel_reason(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let b = ctx.store().booking(id).await?;
    if !b.status.is_live() {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    let text = ctx.t_args(
        "ask-cancel-reason",
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
    );
    dialog::prompt(ctx, BookingDialog::CancelReason { booking: id }, text).await
}

/// Cancels on the owner's word; the client hears it (with the reason) in the chat she booked from.
pub async fn cancel_with_reason(ctx: &Ctx<'_>, id: i64, reason: Option<&str>) -> CoreResult {
    let reason = match reason {
        Some(r) => Some(parse_free_text(r, 500).map_err(|e| parse_error(e, "note"))?),
        None => None,
    };
    let b = ctx.store().booking(id).await?;
    let mut jobs = vec![];
    if let Some(chat) = b.chat_id {
        let tr = crate::i18n::Tr {
            i18n: ctx.core.i18n(),
            lang: super::lang_of(ctx.core, &format!("telegram:{chat}")).await,
        };
        let mut text = tr.t_args("client-booking-cancelled", &[("when", fmt_when(ctx.core, &tr, b.starts_at).into())]);
        if let Some(r) = &reason {
            text.push_str(&format!("\n{}", tr.t_args("client-cancel-reason", &[("reason", r.as_str().into())])));
        }
        let buttons = vec![vec![(tr.t("btn-book"), BookingCb::Start.encode())]];
        jobs.push(
            JobSpec::SendTelegram { chat_id: chat, text, buttons }
                .job(crate::store::now(), format!("{}owner-cancel:tg", booking_prefix(id))),
        );
    }
    let line = super::visits::cancelled_line(ctx.core, &b, super::visits::CancelledBy::Owner(reason.as_deref())).await;
    let done = ctx.store().cancel_booking(id, Some(reason.as_deref().unwrap_or("owner")), &line, jobs).await?;
    dialog::clear(ctx).await?;
    if !done {
        return Ok(Output::one(Reply::text(ctx.t("btn-expired"))));
    }
    Ok(Output::one(Reply::text(ctx.t_args(
        "owner-cancelled",
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
    ))))
}

/// `/week`: the visits of the next seven days, by day, each with its card, and move / cancel
/// while it is ahead.
pub async fn week(ctx: &Ctx<'_>, edit: bool) -> CoreResult {
    let tz = ctx.tz();
    let today = super::today(ctx.core);
    let start = crate::domain::when::resolve_local(tz, today, chrono::NaiveTime::MIN);
    let list = ctx.store().bookings_between(start, start + Duration::days(7)).await?;
    let mut text = ctx.t_args("week-title", &[("count", list.len().into())]);
    let mut rows = vec![];
    let mut current = None;
    for b in &list {
        let day = b.starts_at.with_timezone(&tz).date_naive();
        if current != Some(day) {
            text.push_str(&format!("\n\n{} {}", weekday_label(&ctx.tr, day), day.format("%d.%m")));
            current = Some(day);
        }
        let mark = match b.status {
            crate::domain::BookingStatus::Came => "✅ ",
            crate::domain::BookingStatus::NoShow => "🚫 ",
            _ => "",
        };
        text.push_str(&format!(
            "\n{mark}{} {} — {}",
            b.starts_at.with_timezone(&tz).format("%H:%M"),
            b.client_name,
            service_label(&ctx.tr, &b.service)
        ));
        if rows.len() < 30 {
            let mut row = vec![Button::new(
                format!("{} {}", b.starts_at.with_timezone(&tz).format("%d.%m %H:%M"), b.client_name),
                ClientCb::Card(b.client_id),
            )];
            // A visit still ahead can be moved or cancelled right here.
            if b.status == BookingStatus::Booked && b.ends_at > crate::store::now() {
                row.push(Button::new("🔁", BookingCb::OwnerMove(b.id, 0)));
                row.push(Button::new("❌", BookingCb::OwnerCancel(b.id)));
            }
            rows.push(row);
        }
    }
    if list.is_empty() {
        text.push_str(&format!("\n{}", ctx.t("week-empty")));
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(edit)))
}

/// `/book <client>`: the owner books on a client's behalf in three taps (service, day, time).
pub async fn book_for(ctx: &Ctx<'_>, query: &str) -> CoreResult {
    if query.trim().is_empty() {
        return Err(CoreError::user("book-for-usage"));
    }
    let found = ctx.store().search_clients(query, 2).await?;
    let client = match (found.first(), found.len()) {
        (Some(c), 1) => c.clone(),
        (None, _) => return Err(CoreError::user_with("order-no-client", vec![("query", query.into())])),
        _ => return Err(CoreError::user("book-for-many")),
    };
    dialog::set(ctx, BookingDialog::OwnerBookFor { client: client.id }).await?;
    let mut out = client::choose_service(ctx).await?;
    if let Some(r) = out.replies.first_mut() {
        r.text = format!("👤 {}\n{}", client.full_name, r.text);
    }
    Ok(out)
}

/// The owner picked a time in the `/book` flow: book at once for the client in the dialog.
pub async fn book_time(ctx: &Ctx<'_>, svc_idx: u8, m: i64) -> CoreResult {
    let Some(Dialog::Booking(BookingDialog::OwnerBookFor { client })) = dialog::current(ctx).await? else {
        return Err(CoreError::user("book-for-usage"));
    };
    let start = super::from_minutes(m).ok_or(CoreError::NotFound)?;
    let chat = ctx.store().client(client).await?.telegram_id;
    match client::place(ctx, client, svc_idx, start, chat).await? {
        Ok(b) => {
            dialog::clear(ctx).await?;
            let text = ctx.t_args(
                "owner-booked",
                &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())],
            );
            Ok(Output::one(
                Reply::text(text)
                    .with_buttons(vec![vec![Button::new(ctx.t("btn-open-card"), ClientCb::Card(client))]])
                    .editing(ctx.from_button),
            ))
        }
        Err(out) => Ok(out),
    }
}

/// `/reminders`: SMS and e-mail reminders on or off (each needs its settings too).
pub async fn reminders(ctx: &Ctx<'_>, toggle: Option<ReminderChannel>) -> CoreResult {
    let notify = &ctx.core.config().notify;
    let channels = [
        (crate::notify::SMS_SWITCH, notify.sms.is_some(), "reminders-sms"),
        (crate::notify::EMAIL_SWITCH, notify.email.is_some(), "reminders-email"),
    ];
    if let Some(c) = toggle {
        let (key, configured, _) = channels[c as usize];
        if !configured {
            return Ok(Output::default().toast(ctx.t("reminders-not-configured")));
        }
        let on = ctx.store().switch_on(key).await?;
        ctx.store().set_setting(key, if on { "off" } else { "on" }).await?;
    }
    let mut text = ctx.t("reminders-title");
    let mut row = vec![];
    for (i, (key, configured, label)) in channels.iter().enumerate() {
        let on = ctx.store().switch_on(key).await?;
        let state = match (configured, on) {
            (false, _) => ctx.t("reminders-state-missing"),
            (true, true) => ctx.t("reminders-state-on"),
            (true, false) => ctx.t("reminders-state-off"),
        };
        text.push_str(&format!("\n{}: {state}", ctx.t(label)));
        row.push(Button::new(
            format!("{} {}", if on && *configured { "✅" } else { "▫️" }, ctx.t(label)),
            BookingCb::ToggleReminder(ReminderChannel::ALL[i]),
        ));
    }
    Ok(Output::one(Reply::text(text).with_buttons(vec![row]).editing(ctx.from_button)))
}
