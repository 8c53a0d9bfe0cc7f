//! The owner's own day and time pickers: moving any live visit (from the card, `/week` or a
//! notice) and booking for a client (`/book`). Unlike the client's, they ignore the minimum notice
//! and the 24 h cut-off (never the past, never beyond the horizon), and the days come in pages of
//! [`DAYS_PER_PAGE`] with "later ▶" up to the horizon. The client hears of a move in the Telegram
//! chat she booked from; a booking with no chat (booking page, Cal.com) has nowhere to send it,
//! and the owner is told so, with the phone to call.

use super::callback::BookingCb;
use super::visits;
use super::{
    date_code, date_from_code, fmt_when, free_for, from_minutes, last_bookable_day, service, service_label, today,
    visit_jobs, weekday_label, Asker,
};
use crate::core::card::ClientCb;
use crate::core::{Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::schedule::Service;
use crate::store::bookings::{booking_prefix, Booking};
use crate::store::StorageError;
use crate::work::JobSpec;
use chrono::NaiveDate;

/// Days per page.
pub const DAYS_PER_PAGE: usize = 8;

/// Days from today to the horizon with a free start for the owner.
async fn days(ctx: &Ctx<'_>, svc: &Service, except: Option<i64>) -> CoreResult<Vec<NaiveDate>> {
    let slots = free_for(ctx.core, svc, today(ctx.core), last_bookable_day(ctx.core), except, Asker::Owner).await?;
    let tz = ctx.tz();
    let mut days: Vec<NaiveDate> = slots.iter().map(|t| t.with_timezone(&tz).date_naive()).collect();
    days.dedup();
    Ok(days)
}

/// Page `page` of `days` as buttons, two a row, with "◀ earlier" / "later ▶" between pages.
fn day_rows(
    ctx: &Ctx<'_>,
    days: &[NaiveDate],
    page: u8,
    day: impl Fn(u32) -> BookingCb,
    turn: impl Fn(u8) -> BookingCb,
) -> Vec<Vec<Button>> {
    let first = usize::from(page) * DAYS_PER_PAGE;
    let shown: Vec<Button> = days
        .iter()
        .skip(first)
        .take(DAYS_PER_PAGE)
        .map(|d| Button::new(format!("{} {}", weekday_label(&ctx.tr, *d), d.format("%d.%m")), day(date_code(*d))))
        .collect();
    let mut rows: Vec<Vec<Button>> = shown.chunks(2).map(|c| c.to_vec()).collect();
    let mut nav = vec![];
    if page > 0 {
        nav.push(Button::new(ctx.t("btn-earlier"), turn(page - 1)));
    }
    if days.len() > first + DAYS_PER_PAGE && page < u8::MAX {
        nav.push(Button::new(ctx.t("btn-later"), turn(page + 1)));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows
}

/// Free starts of `svc` on `day` for the owner, as buttons.
async fn time_rows(
    ctx: &Ctx<'_>,
    svc: &Service,
    day: u32,
    except: Option<i64>,
    make: impl Fn(i64) -> BookingCb,
) -> CoreResult<Vec<Vec<Button>>> {
    let d = date_from_code(day).ok_or(CoreError::NotFound)?;
    let slots = free_for(ctx.core, svc, d, d, except, Asker::Owner).await?;
    Ok(super::time_rows(ctx.tz(), &slots, make))
}

/// `/book`: the days of service `svc_idx`, page `page`.
pub async fn book_days(ctx: &Ctx<'_>, svc_idx: u8, page: u8) -> CoreResult {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?;
    let days = days(ctx, svc, None).await?;
    let rows = day_rows(ctx, &days, page, |d| BookingCb::Day(svc_idx, d), |p| BookingCb::OwnerDays(svc_idx, p));
    if rows.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("book-no-days")).editing(ctx.from_button)));
    }
    Ok(Output::one(Reply::text(ctx.t("book-choose-day")).with_buttons(rows).editing(ctx.from_button)))
}

/// `/book`: the owner's times on `day`.
pub async fn book_times(ctx: &Ctx<'_>, svc_idx: u8, day: u32) -> CoreResult {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?;
    let mut rows = time_rows(ctx, svc, day, None, |m| BookingCb::Time(svc_idx, m)).await?;
    if rows.is_empty() {
        return book_days(ctx, svc_idx, 0).await;
    }
    rows.push(vec![Button::new(ctx.t("btn-other-day"), BookingCb::OwnerDays(svc_idx, 0))]);
    Ok(Output::one(Reply::text(ctx.t("book-choose-time")).with_buttons(rows).editing(ctx.from_button)))
}

/// The service as this booking has it (a Cal.com event may not be one of ours).
fn service_of(b: &Booking) -> Service {
    Service { code: b.service.clone(), duration: b.ends_at - b.starts_at, buffer: b.block_until - b.ends_at }
}

/// A visit that can still be moved, or `None` (cancelled, marked, gone).
async fn live(ctx: &Ctx<'_>, id: i64) -> CoreResult<Option<Booking>> {
    match ctx.store().booking(id).await {
        Ok(b) if b.status.is_live() => Ok(Some(b)),
        Ok(_) | Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn expired(ctx: &Ctx<'_>) -> CoreResult {
    Ok(Output::default().toast(ctx.t("btn-expired")))
}

fn header(ctx: &Ctx<'_>, b: &Booking) -> String {
    ctx.t_args(
        "owner-move-title",
        &[
            ("client", b.client_name.as_str().into()),
            ("service", service_label(&ctx.tr, &b.service).into()),
            ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into()),
        ],
    )
}

/// Moving a visit: its days, page `page`.
pub async fn move_days(ctx: &Ctx<'_>, id: i64, page: u8) -> CoreResult {
    let Some(b) = live(ctx, id).await? else { return expired(ctx) };
    let days = days(ctx, &service_of(&b), Some(id)).await?;
    let mut rows = day_rows(ctx, &days, page, |d| BookingCb::OwnerMoveDay(id, d), |p| BookingCb::OwnerMove(id, p));
    let key = if rows.is_empty() { "book-no-days" } else { "book-choose-day" };
    rows.push(vec![Button::new(ctx.t("btn-open-card"), ClientCb::Card(b.client_id))]);
    let text = format!("{}\n{}", header(ctx, &b), ctx.t(key));
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// Moving a visit: the times on `day`.
pub async fn move_times(ctx: &Ctx<'_>, id: i64, day: u32) -> CoreResult {
    let Some(b) = live(ctx, id).await? else { return expired(ctx) };
    let mut rows = time_rows(ctx, &service_of(&b), day, Some(id), |m| BookingCb::OwnerMoveTime(id, m)).await?;
    if rows.is_empty() {
        return move_days(ctx, id, 0).await;
    }
    rows.push(vec![Button::new(ctx.t("btn-other-day"), BookingCb::OwnerMove(id, 0))]);
    let text = format!("{}\n{}", header(ctx, &b), ctx.t("book-choose-time"));
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// Moves the visit to `m` (minutes since the epoch): a free start for the owner, the client's
/// cut-off does not apply. Its reminders follow, the timeline records it, the client is told.
pub async fn move_to(ctx: &Ctx<'_>, id: i64, m: i64) -> CoreResult {
    let Some(b) = live(ctx, id).await? else { return expired(ctx) };
    let svc = service_of(&b);
    let start = from_minutes(m).ok_or(CoreError::NotFound)?;
    if start == b.starts_at {
        return Ok(Output::default().toast(ctx.t("owner-move-same")));
    }
    let day = start.with_timezone(&ctx.tz()).date_naive();
    if !free_for(ctx.core, &svc, day, day, Some(id), Asker::Owner).await?.contains(&start) {
        return Err(CoreError::user("book-taken"));
    }
    let line = visits::moved_line(ctx.core, &b, start).await;
    let mut jobs = visit_jobs(ctx.core, id, start, start + svc.duration);
    let chat = b.chat_id.filter(|_| ctx.core.config().telegram_enabled);
    if let Some(chat) = chat {
        let tr = crate::i18n::Tr {
            i18n: ctx.core.i18n(),
            lang: super::lang_of(ctx.core, &format!("telegram:{chat}")).await,
        };
        let text = tr.t_args(
            "client-booking-moved",
            &[("service", service_label(&tr, &b.service).into()), ("when", fmt_when(ctx.core, &tr, start).into())],
        );
        let buttons = vec![vec![(tr.t("btn-my-bookings"), BookingCb::Mine.encode())]];
        // A later move back to this time must tell her again: the key names this move.
        let key = format!("{}owner-moved:{m}:{}:tg", booking_prefix(id), crate::store::now().timestamp_millis());
        jobs.push(JobSpec::SendTelegram { chat_id: chat, text, buttons }.job(crate::store::now(), key));
    }
    let end = start + svc.duration;
    match ctx.store().reschedule_booking(id, start, end, end + svc.buffer, &line, jobs).await {
        Ok(Ok(())) => {}
        Ok(Err(_)) => return Err(CoreError::user("book-taken")),
        Err(StorageError::NotFound) => return expired(ctx),
        Err(e) => return Err(e.into()),
    }
    let mut text = ctx.t_args(
        "owner-moved",
        &[("client", b.client_name.as_str().into()), ("when", fmt_when(ctx.core, &ctx.tr, start).into())],
    );
    text.push('\n');
    if chat.is_some() {
        text.push_str(&ctx.t("owner-moved-told"));
    } else {
        let phone = b.client_phone.clone().or_else(|| b.contact_phone.clone()).unwrap_or_else(|| "—".into());
        let source = visits::source(&ctx.tr, &b.channel, b.utm.as_deref(), b.ref_code.as_deref());
        text.push_str(&ctx.t_args("owner-moved-no-chat", &[("source", source.into()), ("phone", phone.into())]));
    }
    let rows = vec![vec![
        Button::new(ctx.t("btn-open-card"), ClientCb::Card(b.client_id)),
        Button::new(ctx.t("btn-booking-move"), BookingCb::OwnerMove(id, 0)),
    ]];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}
