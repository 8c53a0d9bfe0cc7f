//! Cal.com bookings (for an owner who keeps using Cal.com) landing in the same bookings table:
//! created, rescheduled, cancelled and no-show events, idempotent on the Cal.com booking uid. A
//! new booking is the use case `booking::place` (who it is for: `clients::find`); this file parses
//! the webhook's payload.

use crate::core::booking::place::{For, Notice, Request, Slot};
use crate::core::booking::{owner_notice, place, to_owners, visit_jobs, visits};
use crate::core::clients::find::Typed;
use crate::core::Core;
use crate::domain::profile::parse_email;
use crate::domain::{ClientName, Phone};
use crate::store::bookings::{booking_prefix, NewBooking};
use crate::store::jobs::Job;
use crate::work::JobSpec;
use crate::work::{retry, Outcome};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

fn text<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    v.pointer(path).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn time(v: &Value, path: &str) -> Option<DateTime<Utc>> {
    text(v, path).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
}

/// The configured service a Cal.com event type stands for: by slug, else by length.
fn service_for(core: &Core, p: &Value) -> crate::domain::schedule::Service {
    let services = &core.config().booking.services;
    let slug = text(p, "/type").unwrap_or("").to_lowercase();
    let length = p.pointer("/length").and_then(Value::as_i64).unwrap_or(0);
    services
        .iter()
        .find(|s| slug.contains(&s.code[..4.min(s.code.len())]) || (slug.contains("diag") && s.code == "diagnostics"))
        .or_else(|| services.iter().find(|s| s.duration.num_minutes() == length))
        .unwrap_or(&services[0])
        .clone()
}

const DUPLICATE: &str = "duplicate uid: already recorded";

/// A Cal.com booking through `booking::place`: the attendee's phone and e-mail as she typed them
/// (they prove nothing: on an existing card they get her a card of her own and the owner's
/// "same person?"), the time as Cal.com says (recorded even when it overlaps), idempotent on the
/// Cal.com uid.
async fn created(core: &Core, p: &Value, key: &str) -> anyhow::Result<String> {
    let uid = text(p, "/uid").ok_or_else(|| anyhow::anyhow!("no uid"))?;
    // A uid recorded before is a repeat, whatever else this delivery carries (`place` would say
    // so too, but only after the payload below is read and found whole).
    if core.store().booking_by_external(uid).await?.is_some() {
        return Ok(DUPLICATE.into());
    }
    let (start, end) = (
        time(p, "/startTime").ok_or_else(|| anyhow::anyhow!("no startTime"))?,
        time(p, "/endTime").ok_or_else(|| anyhow::anyhow!("no endTime"))?,
    );
    anyhow::ensure!(end > start && end - start <= Duration::hours(12), "implausible times");
    let svc = service_for(core, p);
    let phone = text(p, "/responses/attendeePhoneNumber/value")
        .or_else(|| text(p, "/attendees/0/phoneNumber"))
        .and_then(|s| Phone::parse(s).ok());
    let email =
        text(p, "/responses/email/value").or_else(|| text(p, "/attendees/0/email")).and_then(|s| parse_email(s).ok());
    let name = text(p, "/responses/name/value")
        .or_else(|| text(p, "/attendees/0/name"))
        .and_then(|n| ClientName::parse(n).ok());
    let name = name.unwrap_or_else(|| ClientName::parse("Клієнт Cal.com").expect("valid fallback name"));
    let note = text(p, "/additionalNotes");
    let typed = Typed { name: &name, phone: phone.as_ref(), email: email.as_deref(), note, source: "calcom" };
    let booking = NewBooking {
        client_id: 0,
        service: svc.code.clone(),
        starts_at: start,
        ends_at: end,
        block_until: end + svc.buffer,
        channel: "calcom".into(),
        chat_id: None,
        ref_code: None,
        utm: None,
        note: note.map(str::to_string),
        external_uid: Some(uid.to_string()),
        contact_name: None,
        contact_phone: None,
        form_token: None,
        timeline: None,
    };
    let request =
        Request { who: For::Attendee(typed), booking, slot: Slot::External, notice: Notice::Keyed(key.to_string()) };
    let placed = place(core, request).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if placed.repeat {
        return Ok(DUPLICATE.into());
    }
    let id = placed.booking.id;
    Ok(format!("booking {id}{}", if placed.overlaps { " (overlaps)" } else { "" }))
}

async fn rescheduled(core: &Core, p: &Value, key: &str) -> anyhow::Result<String> {
    let Some(old) = text(p, "/rescheduleUid") else { return created(core, p, key).await };
    let Some(b) = core.store().booking_by_external(old).await? else { return created(core, p, key).await };
    let uid = text(p, "/uid").ok_or_else(|| anyhow::anyhow!("no uid"))?;
    let (start, end) = (
        time(p, "/startTime").ok_or_else(|| anyhow::anyhow!("no startTime"))?,
        time(p, "/endTime").ok_or_else(|| anyhow::anyhow!("no endTime"))?,
    );
    let svc = service_for(core, p);
    let jobs = visit_jobs(core, b.id, start, end);
    let line = visits::moved_line(core, &b, start).await;
    if core.store().reschedule_booking(b.id, start, end, end + svc.buffer, &line, jobs).await?.is_err() {
        // Cal.com moved it onto a busy time: keep the booking where Cal.com says, tell the owner.
        let line = visits::cancelled_line(core, &b, visits::CancelledBy::CalendarMovedOntoBusy).await;
        core.store().cancel_booking(b.id, Some("rescheduled in Cal.com"), &line, vec![]).await?;
        return created(core, p, key).await;
    }
    core.store().set_external_uid(b.id, uid).await?;
    let moved = core.store().booking(b.id).await?;
    let notices = to_owners(core, key, |tr| owner_notice(core, tr, "owner-booking-moved", &moved)).await;
    core.store().enqueue_many(&notices).await?;
    Ok(format!("booking {} moved", b.id))
}

async fn cancelled(core: &Core, p: &Value, key: &str) -> anyhow::Result<String> {
    let uid = text(p, "/uid").ok_or_else(|| anyhow::anyhow!("no uid"))?;
    let Some(b) = core.store().booking_by_external(uid).await? else {
        return Ok("unknown uid: nothing to cancel".into());
    };
    let reason = text(p, "/cancellationReason").unwrap_or("Cal.com");
    let notices = to_owners(core, key, |tr| owner_notice(core, tr, "owner-booking-cancelled", &b)).await;
    let line = visits::cancelled_line(core, &b, visits::CancelledBy::Calendar(reason)).await;
    let done = core.store().cancel_booking(b.id, Some(reason), &line, notices).await?;
    Ok(if done { format!("booking {} cancelled", b.id) } else { "already cancelled".into() })
}

async fn no_show(core: &Core, p: &Value) -> anyhow::Result<String> {
    let uid = text(p, "/bookingUid").ok_or_else(|| anyhow::anyhow!("no bookingUid"))?;
    let Some(b) = core.store().booking_by_external(uid).await? else { return Ok("unknown uid".into()) };
    let noshow = p.pointer("/attendees/0/noShow").and_then(Value::as_bool).unwrap_or(true);
    if !noshow {
        return Ok("no-show unmarked: nothing to do".into());
    }
    let jobs = vec![JobSpec::NoShowTask { booking_id: b.id }
        .job(crate::store::now() + Duration::days(2), format!("{}noshow:task", booking_prefix(b.id)))];
    let line = visits::outcome_line(core, &b, false).await;
    core.store().set_booking_outcome(b.id, crate::domain::BookingStatus::NoShow, &line, jobs).await?;
    Ok(format!("booking {} no-show", b.id))
}

pub async fn process(core: &Core, job: &Job, body: &str) -> Outcome {
    let Ok(v) = serde_json::from_str::<Value>(body) else { return Outcome::Fail { error: "not JSON".into() } };
    let trigger = text(&v, "/triggerEvent").unwrap_or("").to_string();
    let payload = v.get("payload").cloned().unwrap_or(Value::Null);
    let key = job.idempotency_key.as_str();
    let result = match trigger.as_str() {
        "BOOKING_CREATED" | "BOOKING_REQUESTED" => created(core, &payload, key).await,
        "BOOKING_RESCHEDULED" => rescheduled(core, &payload, key).await,
        "BOOKING_CANCELLED" | "BOOKING_REJECTED" => cancelled(core, &payload, key).await,
        "BOOKING_NO_SHOW_UPDATED" => no_show(core, &payload).await,
        other => Ok(format!("ignored trigger {other}")),
    };
    match result {
        Ok(r) => Outcome::done(r),
        Err(e) => retry(job.attempts, format!("{e:#}")),
    }
}
