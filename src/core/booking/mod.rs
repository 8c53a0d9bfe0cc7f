//! Booking of visits: free slots from the schedule, one booking per slot (the database decides),
//! reminders, the owner's notices, and what happens after the visit.
//!
//! `place` is the use case that makes a booking, whoever asks (the bot, the owner's `/book`, the
//! booking page, Cal.com); `client` is the visitor's side in the bot (service → day → time →
//! phone → confirm, then see, move or cancel); `owner` is the studio's side (notices, came /
//! no-show, /hours, /dayoff, /vacation, /week); `steps` runs the scheduled steps (reminders, the after-visit question,
//! the no-show follow-up); `identity` the "same person?" claims; `visits` the visits on the
//! client's card and timeline; `owner_visits` the owner moving a visit and her own day pages. Cal.com's webhook is parsed in
//! `crate::calendar::calcom`, the booking page in `crate::channels::book_page`.

pub mod callback;
pub mod client;
pub mod hours;
pub mod identity;
pub mod owner;
pub mod owner_visits;
pub mod place;
pub mod visits;

pub use place::{place, BookingError, Placed};
pub mod steps;

use super::{Core, CoreResult};
use crate::core::booking::callback::BookingCb;
use crate::core::card::ClientCb;
use crate::domain::schedule::{free_slots, merge, Service, Window};
use crate::i18n::{Lang, Tr};
use crate::store::bookings::{booking_prefix, Booking};
use crate::work::JobSpec;
use crate::work::NewJob;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

pub fn service_label(tr: &Tr<'_>, code: &str) -> String {
    match code {
        "diagnostics" => tr.t("service-diagnostics"),
        "fitting" => tr.t("service-fitting"),
        other => other.to_string(),
    }
}

pub fn weekday_label(tr: &Tr<'_>, d: NaiveDate) -> String {
    tr.t(match d.weekday().num_days_from_monday() {
        0 => "wd-mon",
        1 => "wd-tue",
        2 => "wd-wed",
        3 => "wd-thu",
        4 => "wd-fri",
        5 => "wd-sat",
        _ => "wd-sun",
    })
}

/// `пт 28.11 10:00`
pub fn fmt_when(core: &Core, tr: &Tr<'_>, t: DateTime<Utc>) -> String {
    let l = t.with_timezone(&core.config().tz);
    format!("{} {}", weekday_label(tr, l.date_naive()), l.format("%d.%m %H:%M"))
}

pub fn service(core: &Core, idx: u8) -> Option<&Service> {
    core.config().booking.services.get(idx as usize)
}

pub fn service_index(core: &Core, code: &str) -> Option<u8> {
    core.config().booking.services.iter().position(|s| s.code == code).map(|i| i as u8)
}

/// Free starts of a service on the local days `from..=to`.
pub async fn free(core: &Core, svc: &Service, from: NaiveDate, to: NaiveDate) -> CoreResult<Vec<DateTime<Utc>>> {
    free_except(core, svc, from, to, None).await
}

/// Free starts, not counting the busy time of booking `except` (a visit being moved).
pub async fn free_except(
    core: &Core,
    svc: &Service,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
) -> CoreResult<Vec<DateTime<Utc>>> {
    free_for(core, svc, from, to, except, Asker::Client).await
}

/// Whose free time it is: a client's keeps the minimum notice; the owner books and moves inside
/// it (never in the past, never beyond the horizon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    Client,
    Owner,
}

/// Free starts for `asker`, not counting the busy time of booking `except`.
pub async fn free_for(
    core: &Core,
    svc: &Service,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
    asker: Asker,
) -> CoreResult<Vec<DateTime<Utc>>> {
    let tz = core.config().tz;
    let b = &core.config().booking;
    let mut rules = b.rules;
    if asker == Asker::Owner {
        rules.min_notice = Duration::zero();
    }
    let schedule = core.store().schedule(&b.weekly, from).await?;
    let range_start = crate::domain::when::resolve_local(tz, from, chrono::NaiveTime::MIN) - Duration::hours(12);
    let range_end = crate::domain::when::resolve_local(tz, to, chrono::NaiveTime::MIN) + Duration::hours(36);
    let mut busy = core.store().booked_busy(range_start, range_end, except).await?;
    busy.extend(core.store().calendar_busy(range_start, range_end).await?);
    let busy = merge(busy);
    Ok(free_slots(&schedule, svc, &rules, &busy, Window { now: crate::store::now(), tz, from, to }))
}

pub fn today(core: &Core) -> NaiveDate {
    crate::store::now().with_timezone(&core.config().tz).date_naive()
}

pub fn last_bookable_day(core: &Core) -> NaiveDate {
    (crate::store::now() + core.config().booking.rules.horizon).with_timezone(&core.config().tz).date_naive()
}

/// The first free starts at or after `after` (for "that time was just taken").
pub async fn nearest(core: &Core, svc: &Service, after: DateTime<Utc>, n: usize) -> CoreResult<Vec<DateTime<Utc>>> {
    let from = after.with_timezone(&core.config().tz).date_naive();
    let to = last_bookable_day(core);
    if from > to {
        return Ok(vec![]);
    }
    Ok(free(core, svc, from, to).await?.into_iter().filter(|t| *t >= after).take(n).collect())
}

pub fn date_code(d: NaiveDate) -> u32 {
    d.year() as u32 * 10_000 + d.month() * 100 + d.day()
}

pub fn date_from_code(c: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((c / 10_000) as i32, (c / 100) % 100, c % 100)
}

/// Times per row of the time buttons.
const TIMES_PER_ROW: usize = 4;

/// The time buttons of one day (`10:00`, four to a row), each made by `make` from its minute.
pub fn time_rows(
    tz: chrono_tz::Tz,
    slots: &[DateTime<Utc>],
    make: impl Fn(i64) -> callback::BookingCb,
) -> Vec<Vec<crate::core::Button>> {
    slots
        .iter()
        .map(|t| crate::core::Button::new(t.with_timezone(&tz).format("%H:%M").to_string(), make(minutes(*t))))
        .collect::<Vec<_>>()
        .chunks(TIMES_PER_ROW)
        .map(|c| c.to_vec())
        .collect()
}

pub fn minutes(t: DateTime<Utc>) -> i64 {
    t.timestamp() / 60
}

pub fn from_minutes(m: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(m.checked_mul(60)?, 0)
}

/// The language an owner chat is in.
pub async fn lang_of(core: &Core, actor: &str) -> Lang {
    match core.store().lang(actor).await {
        Ok(Some(code)) => Lang::from_code(&code).unwrap_or_default(),
        _ => Lang::Uk,
    }
}

/// One outbox message per owner chat, each in that owner's language (none when Telegram is not
/// connected; then to the owner's Discord DMs when Discord is), and the same line on an open console.
pub async fn to_owners(
    core: &Core,
    key: &str,
    render: impl Fn(&Tr<'_>) -> (String, Vec<Vec<(String, String)>>),
) -> Vec<NewJob> {
    let mut jobs = vec![];
    let owners: &[i64] = if core.config().telegram_enabled { &core.config().owner_telegram_ids } else { &[] };
    for owner in owners {
        let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{owner}")).await };
        let (text, buttons) = render(&tr);
        jobs.push(
            JobSpec::SendTelegram { chat_id: *owner, text, buttons }.job(Utc::now(), format!("{key}:tg:{owner}")),
        );
    }
    // An owner on Discord only gets the same notices there.
    if owners.is_empty() && core.config().discord_enabled {
        for owner in &core.config().owner_discord_ids {
            let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("discord:{owner}")).await };
            let (text, buttons) = render(&tr);
            jobs.push(
                JobSpec::SendDiscord { user: *owner, text, buttons }.job(Utc::now(), format!("{key}:dc:{owner}")),
            );
        }
    }
    let tr = Tr { i18n: core.i18n(), lang: lang_of(core, "console:owner").await };
    let (text, buttons) = render(&tr);
    core.notice(text, buttons);
    jobs
}

/// The scheduled steps of a booking: reminders still ahead (the reminder itself picks the
/// channels: Telegram, SMS, e-mail), and the after-visit question.
pub fn visit_jobs(core: &Core, id: i64, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<NewJob> {
    let now = crate::store::now();
    let mut jobs = vec![];
    for offset in &core.config().booking.reminders {
        let due = start - *offset;
        if due > now {
            let spec = JobSpec::BookingReminder { booking_id: id, starts_at: start, offset_min: offset.num_minutes() };
            jobs.push(
                spec.job(due, format!("{}remind:{}:{}", booking_prefix(id), start.timestamp(), offset.num_minutes())),
            );
        }
    }
    let spec = JobSpec::BookingOutcome { booking_id: id, starts_at: start };
    jobs.push(spec.job(end, format!("{}outcome:{}", booking_prefix(id), start.timestamp())));
    jobs
}

/// The owner's notice of a new, moved or cancelled booking, with buttons.
pub fn owner_notice(core: &Core, tr: &Tr<'_>, key: &str, b: &Booking) -> (String, Vec<Vec<(String, String)>>) {
    let phone = b.client_phone.clone().or_else(|| b.contact_phone.clone()).unwrap_or_default();
    let text = tr.t_args(
        key,
        &[
            ("client", b.client_name.as_str().into()),
            ("phone", phone.into()),
            ("service", service_label(tr, &b.service).into()),
            ("when", fmt_when(core, tr, b.starts_at).into()),
        ],
    );
    let mut rows = vec![vec![(tr.t("btn-open-card"), ClientCb::Card(b.client_id).encode())]];
    // A notice of a cancellation has nothing left to confirm or cancel.
    if b.status.is_live() && key != "owner-booking-cancelled" {
        rows[0].insert(0, (tr.t("btn-booking-confirm"), BookingCb::OwnerConfirm(b.id).encode()));
        rows.push(vec![
            (tr.t("btn-booking-move"), BookingCb::OwnerMove(b.id, 0).encode()),
            (tr.t("btn-booking-cancel"), BookingCb::OwnerCancel(b.id).encode()),
        ]);
    }
    (text, rows)
}
