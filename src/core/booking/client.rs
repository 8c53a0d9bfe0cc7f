//! The client's side: book with buttons (service → day → time → phone → confirm), then see,
//! move or cancel her visits up to the cut-off. Every booking goes through the use case
//! `booking::place` (where the database, not this code, decides who gets a contested slot); which
//! card a phone settles on is `clients::find::chat_phone`. This file parses buttons and renders.

use super::callback::BookingDialog;
use super::place::{BookingError, For, Notice, Request, Slot};
use super::{
    date_code, date_from_code, fmt_when, free, free_except, from_minutes, last_bookable_day, minutes, nearest, service,
    service_label, to_owners, today, visit_jobs, weekday_label,
};
use crate::core::booking::callback::BookingCb;
use crate::core::callback::CommonCb;
use crate::core::clients::find;
use crate::core::dialog;
use crate::core::{parse_error, Button, CoreError, CoreResult, Ctx, Keyboard, Output, Reply};
use crate::domain::{ClientName, Phone};
use crate::store::bookings::{Booking, NewBooking};
use chrono::{DateTime, Utc};

/// Days offered at most.
const DAYS_SHOWN: usize = 8;

/// Her Telegram user id, only when she writes from Telegram (a Discord id is no Telegram chat).
pub(crate) fn telegram_id(ctx: &Ctx<'_>) -> Option<i64> {
    (ctx.actor.channel == crate::core::Channel::Telegram).then(|| ctx.actor.id.parse().ok()).flatten()
}

/// The name for a new card made from this chat: her Telegram name, or a placeholder.
pub(crate) fn actor_name(ctx: &Ctx<'_>) -> ClientName {
    let name = ctx.actor.display_name.as_deref().and_then(|n| ClientName::parse(n).ok());
    name.unwrap_or_else(|| ClientName::parse(&ctx.t("book-unnamed-client")).expect("the fallback name is valid"))
}

/// The client this chat belongs to, if she has booked before.
async fn my_client(ctx: &Ctx<'_>) -> CoreResult<Option<i64>> {
    match telegram_id(ctx) {
        Some(id) if ctx.actor.channel == crate::core::Channel::Telegram => {
            Ok(ctx.store().client_by_telegram(id).await?)
        }
        _ => Ok(None),
    }
}

/// `/start [code]`: welcome, keeping a referral/UTM code from a deep link.
pub async fn start(ctx: &Ctx<'_>, payload: &str) -> CoreResult {
    // Where she came from (a campaign's deep link, a referral code): `core::attribution`.
    let extra = crate::core::attribution::on_start(ctx, payload).await?;
    let mut rows = vec![vec![Button::new(ctx.t("btn-book"), BookingCb::Start)]];
    if my_client(ctx).await?.is_some() {
        rows.push(vec![Button::new(ctx.t("btn-my-bookings"), BookingCb::Mine)]);
    }
    let mut text = ctx.t("visitor-welcome");
    if let Some(line) = extra {
        text = format!("{text}\n\n{line}");
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

pub async fn choose_service(ctx: &Ctx<'_>) -> CoreResult {
    let rows = ctx
        .core
        .config()
        .booking
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = ctx.t_args(
                "book-service-button",
                &[("service", service_label(&ctx.tr, &s.code).into()), ("minutes", s.duration.num_minutes().into())],
            );
            vec![Button::new(label, BookingCb::Service(i as u8))]
        })
        .collect();
    Ok(Output::one(Reply::text(ctx.t("book-choose-service")).with_buttons(rows).editing(ctx.from_button)))
}

/// Day buttons: the next days that have a free slot.
async fn day_buttons(ctx: &Ctx<'_>, svc_idx: u8, make: impl Fn(u32) -> BookingCb) -> CoreResult<Vec<Vec<Button>>> {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?;
    let slots = free(ctx.core, svc, today(ctx.core), last_bookable_day(ctx.core)).await?;
    let tz = ctx.tz();
    let mut days: Vec<chrono::NaiveDate> = slots.iter().map(|t| t.with_timezone(&tz).date_naive()).collect();
    days.dedup();
    Ok(days
        .into_iter()
        .take(DAYS_SHOWN)
        .map(|d| Button::new(format!("{} {}", weekday_label(&ctx.tr, d), d.format("%d.%m")), make(date_code(d))))
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|c| c.to_vec())
        .collect())
}

pub async fn choose_day(ctx: &Ctx<'_>, svc_idx: u8) -> CoreResult {
    let rows = day_buttons(ctx, svc_idx, |d| BookingCb::Day(svc_idx, d)).await?;
    if rows.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("book-no-days")).editing(ctx.from_button)));
    }
    Ok(Output::one(Reply::text(ctx.t("book-choose-day")).with_buttons(rows).editing(ctx.from_button)))
}

async fn time_buttons(
    ctx: &Ctx<'_>,
    svc_idx: u8,
    day: u32,
    moving: Option<i64>,
    make: impl Fn(i64) -> BookingCb,
) -> CoreResult<Vec<Vec<Button>>> {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?;
    let d = date_from_code(day).ok_or(CoreError::NotFound)?;
    let tz = ctx.tz();
    let slots = free_except(ctx.core, svc, d, d, moving).await?;
    Ok(super::time_rows(tz, &slots, make))
}

pub async fn choose_time(ctx: &Ctx<'_>, svc_idx: u8, day: u32) -> CoreResult {
    let mut rows = time_buttons(ctx, svc_idx, day, None, |m| BookingCb::Time(svc_idx, m)).await?;
    if rows.is_empty() {
        return choose_day(ctx, svc_idx).await;
    }
    rows.push(vec![Button::new(ctx.t("btn-other-day"), BookingCb::Service(svc_idx))]);
    Ok(Output::one(Reply::text(ctx.t("book-choose-time")).with_buttons(rows).editing(ctx.from_button)))
}

fn summary(ctx: &Ctx<'_>, svc_idx: u8, start: DateTime<Utc>) -> CoreResult<Reply> {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?;
    let text = ctx.t_args(
        "book-summary",
        &[("service", service_label(&ctx.tr, &svc.code).into()), ("when", fmt_when(ctx.core, &ctx.tr, start).into())],
    );
    let rows = vec![vec![
        Button::new(ctx.t("btn-book-confirm"), BookingCb::Confirm(svc_idx, minutes(start))),
        Button::new(ctx.t("btn-cancel"), CommonCb::Cancel),
    ]];
    Ok(Reply::text(text).with_buttons(rows))
}

/// A time was chosen: confirm, or first ask for the phone.
pub async fn pick_time(ctx: &Ctx<'_>, svc_idx: u8, m: i64) -> CoreResult {
    let start = from_minutes(m).ok_or(CoreError::NotFound)?;
    if my_client(ctx).await?.is_some() {
        return Ok(Output::one(summary(ctx, svc_idx, start)?.editing(ctx.from_button)));
    }
    dialog::set(ctx, BookingDialog::BookingContact { service: svc_idx, minutes: m }).await?;
    let mut reply = Reply::text(ctx.t("book-ask-phone"));
    reply.keyboard = Keyboard::AskContact(ctx.t("btn-share-phone"));
    Ok(Output::one(reply))
}

/// The phone arrived: `proven` when it is her own contact shared by Telegram (the contact's
/// `user_id` is the sender), otherwise typed. Which card it settles on (identity comes from the
/// platform, never from what someone types) is `clients::find::chat_phone`; a claim it opens goes
/// to the owner, who decides with one tap whether it is the same person.
pub async fn phone_given(ctx: &Ctx<'_>, svc_idx: u8, m: i64, phone: &str, proven: bool) -> CoreResult {
    let phone = Phone::parse(phone).map_err(|e| parse_error(e, "phone"))?;
    let tg = telegram_id(ctx).filter(|_| ctx.actor.channel == crate::core::Channel::Telegram);
    let name = actor_name(ctx);
    let settled = find::chat_phone(ctx.store(), tg, &name, &phone, proven, ctx.channel()).await?;
    find::announce_claims(ctx.core, settled.fresh_claim).await?;
    crate::core::attribution::referral::check_phone(ctx.core, settled.client, &phone).await?;
    dialog::clear(ctx).await?;
    let start = from_minutes(m).ok_or(CoreError::NotFound)?;
    let mut thanks = Reply::text(ctx.t_args("book-phone-saved", &[("phone", phone.display().into())]));
    thanks.keyboard = Keyboard::Remove;
    Ok(Output::many(vec![thanks, summary(ctx, svc_idx, start)?]))
}

/// Books for `client` through `booking::place`, or explains that the slot is gone and offers
/// the nearest ones.
pub async fn place(
    ctx: &Ctx<'_>,
    client: i64,
    svc_idx: u8,
    start: DateTime<Utc>,
    chat_id: Option<i64>,
) -> CoreResult<Result<Booking, Output>> {
    let svc = service(ctx.core, svc_idx).ok_or(CoreError::NotFound)?.clone();
    let owner = ctx.core.is_owner(ctx.actor);
    // The owner's own booking has no visitor ref of hers; its source is "the owner".
    let ref_code = if owner { None } else { ctx.store().visitor_ref(&ctx.actor_key).await? };
    let booking = NewBooking {
        chat_id,
        utm: ref_code.as_ref().filter(|r| r.starts_with("utm")).cloned(),
        ref_code,
        ..NewBooking::of(client, &svc, start, if owner { "owner" } else { ctx.channel() })
    };
    // The owner booking on a client's behalf needs no notice of her own booking, and may book
    // inside the minimum notice.
    let (notice, slot) = if owner { (Notice::None, Slot::Owner) } else { (Notice::New, Slot::Free) };
    let request = Request { who: For::Client(client), booking, slot, notice };
    match super::place::place(ctx.core, request).await {
        Ok(placed) => {
            tracing::info!(booking = placed.booking.id, client, "booked");
            Ok(Ok(placed.booking))
        }
        Err(BookingError::Taken) => {
            let rows = nearest(ctx.core, &svc, start, 3)
                .await?
                .iter()
                .map(|t| vec![Button::new(fmt_when(ctx.core, &ctx.tr, *t), BookingCb::Confirm(svc_idx, minutes(*t)))])
                .collect();
            Ok(Err(Output::one(Reply::text(ctx.t("book-taken")).with_buttons(rows))))
        }
        Err(BookingError::Failed(e)) => Err(e),
    }
}

pub async fn confirm(ctx: &Ctx<'_>, svc_idx: u8, m: i64) -> CoreResult {
    let start = from_minutes(m).ok_or(CoreError::NotFound)?;
    let Some(client) = my_client(ctx).await? else { return pick_time(ctx, svc_idx, m).await };
    match place(ctx, client, svc_idx, start, telegram_id(ctx)).await? {
        Ok(b) => {
            let text = ctx.t_args(
                "book-done",
                &[
                    ("service", service_label(&ctx.tr, &b.service).into()),
                    ("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into()),
                ],
            );
            Ok(Output::one(
                Reply::text(text)
                    .with_buttons(vec![vec![Button::new(ctx.t("btn-my-bookings"), BookingCb::Mine)]])
                    .editing(ctx.from_button),
            ))
        }
        Err(out) => Ok(out),
    }
}

/// Her upcoming visits, with move/cancel buttons while the cut-off allows.
pub async fn my_bookings(ctx: &Ctx<'_>) -> CoreResult {
    let Some(client) = my_client(ctx).await? else {
        return Ok(Output::one(
            Reply::text(ctx.t("book-none")).with_buttons(vec![vec![Button::new(ctx.t("btn-book"), BookingCb::Start)]]),
        ));
    };
    let list = ctx.store().upcoming_bookings(client, crate::store::now()).await?;
    if list.is_empty() {
        return Ok(Output::one(
            Reply::text(ctx.t("book-none"))
                .with_buttons(vec![vec![Button::new(ctx.t("btn-book"), BookingCb::Start)]])
                .editing(ctx.from_button),
        ));
    }
    let cutoff = crate::store::now() + ctx.core.config().booking.cancel_cutoff;
    let mut text = ctx.t("book-mine");
    let mut rows = vec![];
    for b in &list {
        text.push_str(&format!(
            "\n• {} — {}",
            fmt_when(ctx.core, &ctx.tr, b.starts_at),
            service_label(&ctx.tr, &b.service)
        ));
        if b.starts_at > cutoff {
            rows.push(vec![
                Button::new(
                    format!("🔁 {}", b.starts_at.with_timezone(&ctx.tz()).format("%d.%m %H:%M")),
                    BookingCb::Move(b.id),
                ),
                Button::new(ctx.t("btn-booking-cancel"), BookingCb::Cancel(b.id)),
            ]);
        }
    }
    if list.iter().any(|b| b.starts_at <= cutoff) {
        text.push_str(&format!(
            "\n\n{}",
            ctx.t_args("book-cutoff", &[("hours", ctx.core.config().booking.cancel_cutoff.num_hours().into())])
        ));
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

/// Her own live booking that may still be changed, or a refusal that reveals nothing.
async fn changeable(ctx: &Ctx<'_>, id: i64) -> CoreResult<Booking> {
    let mine = my_client(ctx).await?;
    let b = ctx.store().booking(id).await.map_err(|_| CoreError::user("book-not-yours"))?;
    if mine != Some(b.client_id) || !b.status.is_live() {
        return Err(CoreError::user("book-not-yours"));
    }
    if b.starts_at <= crate::store::now() + ctx.core.config().booking.cancel_cutoff {
        return Err(CoreError::user_with(
            "book-cutoff",
            vec![("hours", ctx.core.config().booking.cancel_cutoff.num_hours().into())],
        ));
    }
    Ok(b)
}

pub async fn cancel(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let b = changeable(ctx, id).await?;
    let notices = to_owners(ctx.core, &format!("booking:{id}:cancelled"), |tr| {
        super::owner_notice(ctx.core, tr, "owner-booking-cancelled", &b)
    })
    .await;
    let line = super::visits::cancelled_line(ctx.core, &b, super::visits::CancelledBy::Client).await;
    ctx.store().cancel_booking(id, Some("client"), &line, notices).await?;
    Ok(Output::one(
        Reply::text(ctx.t("book-cancelled"))
            .with_buttons(vec![vec![Button::new(ctx.t("btn-book"), BookingCb::Start)]])
            .editing(ctx.from_button),
    ))
}

pub async fn move_start(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let b = changeable(ctx, id).await?;
    let svc_idx = super::service_index(ctx.core, &b.service).ok_or(CoreError::NotFound)?;
    let rows = day_buttons(ctx, svc_idx, |d| BookingCb::MoveDay(id, d)).await?;
    Ok(Output::one(Reply::text(ctx.t("book-choose-day")).with_buttons(rows).editing(ctx.from_button)))
}

pub async fn move_day(ctx: &Ctx<'_>, id: i64, day: u32) -> CoreResult {
    let b = changeable(ctx, id).await?;
    let svc_idx = super::service_index(ctx.core, &b.service).ok_or(CoreError::NotFound)?;
    let rows = time_buttons(ctx, svc_idx, day, Some(id), |m| BookingCb::MoveTime(id, m)).await?;
    Ok(Output::one(Reply::text(ctx.t("book-choose-time")).with_buttons(rows).editing(ctx.from_button)))
}

pub async fn move_time(ctx: &Ctx<'_>, id: i64, m: i64) -> CoreResult {
    let b = changeable(ctx, id).await?;
    let svc =
        ctx.core.config().booking.services.iter().find(|s| s.code == b.service).ok_or(CoreError::NotFound)?.clone();
    let start = from_minutes(m).ok_or(CoreError::NotFound)?;
    let day = start.with_timezone(&ctx.tz()).date_naive();
    if !free_except(ctx.core, &svc, day, day, Some(id)).await?.contains(&start) {
        return Err(CoreError::user("book-taken"));
    }
    let jobs = visit_jobs(ctx.core, id, start, start + svc.duration);
    let line = super::visits::moved_line(ctx.core, &b, start).await;
    if ctx
        .store()
        .reschedule_booking(id, start, start + svc.duration, start + svc.duration + svc.buffer, &line, jobs)
        .await?
        .is_err()
    {
        return Err(CoreError::user("book-taken"));
    }
    let moved = ctx.store().booking(id).await?;
    let notices = to_owners(ctx.core, &format!("booking:{id}:moved:{m}"), |tr| {
        super::owner_notice(ctx.core, tr, "owner-booking-moved", &moved)
    })
    .await;
    ctx.store().enqueue_many(&notices).await?;
    let text = ctx.t_args("book-moved", &[("when", fmt_when(ctx.core, &ctx.tr, start).into())]);
    Ok(Output::one(
        Reply::text(text)
            .with_buttons(vec![vec![Button::new(ctx.t("btn-my-bookings"), BookingCb::Mine)]])
            .editing(ctx.from_button),
    ))
}

pub async fn visit_ok(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let mine = my_client(ctx).await?;
    let b = ctx.store().booking(id).await.map_err(|_| CoreError::user("book-not-yours"))?;
    if mine != Some(b.client_id) {
        return Err(CoreError::user("book-not-yours"));
    }
    Ok(Output::one(
        Reply::text(ctx.t_args("book-see-you", &[("when", fmt_when(ctx.core, &ctx.tr, b.starts_at).into())]))
            .editing(ctx.from_button),
    ))
}
