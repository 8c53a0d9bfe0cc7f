//! Visits on the client: the "Visits" section of her card (upcoming ones with move / cancel
//! buttons, then the last few past ones with came / no-show / cancelled), where each booking came
//! from (channel, UTM, ref or deep link) with her note, and the lines a booking leaves on her
//! timeline when it is made, moved, cancelled, or marked came / no-show.
//!
//! Timeline lines are stored text, written in the same transaction as the change they record
//! (`store::bookings`); they are rendered here in the owner's language, since she reads them.

use super::callback::BookingCb;
use super::{fmt_when, lang_of, service_label};
use crate::core::{Button, Core, Ctx};
use crate::domain::text::ellipsize;
use crate::domain::BookingStatus;
use crate::i18n::Tr;
use crate::store::bookings::{Booking, NewBooking};
use chrono::{DateTime, Utc};

/// Past visits shown on the card.
/// Upcoming visits with their own buttons on the card.
const BUTTONS_FOR: usize = 3;

/// The owner's language (her first Telegram chat's, else the console's).
pub async fn owner_tr(core: &Core) -> Tr<'_> {
    let actor = match core.config().owner_telegram_ids.first() {
        Some(id) if core.config().telegram_enabled => format!("telegram:{id}"),
        _ => "console:owner".to_string(),
    };
    Tr { i18n: core.i18n(), lang: lang_of(core, &actor).await }
}

/// Where a booking came from: the channel, then its UTM and ref (a deep link's code) if any.
pub fn source(tr: &Tr<'_>, channel: &str, utm: Option<&str>, ref_code: Option<&str>) -> String {
    let mut parts = vec![match channel {
        "telegram" => tr.t("visit-source-telegram"),
        "web" => tr.t("visit-source-web"),
        "calcom" => tr.t("visit-source-calcom"),
        "owner" => tr.t("visit-source-owner"),
        other => other.to_string(),
    }];
    if let Some(u) = utm.filter(|u| !u.is_empty()) {
        parts.push(ellipsize(u, 120));
    }
    if let Some(r) = ref_code.filter(|r| !r.is_empty() && Some(*r) != utm) {
        parts.push(format!("ref {}", ellipsize(r, 64)));
    }
    parts.join(" · ")
}

fn with_note(mut line: String, tr: &Tr<'_>, note: Option<&str>) -> String {
    if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty()) {
        line.push('\n');
        line.push_str(&tr.t_args("visit-note", &[("note", ellipsize(n, 300).into())]));
    }
    line
}

/// "Booked: service, when (source)" with her note, for a booking about to be made.
pub async fn booked_line(core: &Core, b: &NewBooking) -> String {
    let tr = owner_tr(core).await;
    let line = tr.t_args(
        "timeline-visit-booked",
        &[
            ("service", service_label(&tr, &b.service).into()),
            ("when", fmt_when(core, &tr, b.starts_at).into()),
            ("source", source(&tr, &b.channel, b.utm.as_deref(), b.ref_code.as_deref()).into()),
        ],
    );
    with_note(line, &tr, b.note.as_deref())
}

pub async fn moved_line(core: &Core, b: &Booking, to: DateTime<Utc>) -> String {
    let tr = owner_tr(core).await;
    tr.t_args(
        "timeline-visit-moved",
        &[("from", fmt_when(core, &tr, b.starts_at).into()), ("when", fmt_when(core, &tr, to).into())],
    )
}

/// Who cancelled a visit.
pub enum CancelledBy<'a> {
    Client,
    /// The owner, with the reason she gave the client.
    Owner(Option<&'a str>),
    /// Cal.com, with its reason.
    Calendar(&'a str),
    /// Cal.com moved it onto a busy time: it is booked again where Cal.com says.
    CalendarMovedOntoBusy,
}

pub async fn cancelled_line(core: &Core, b: &Booking, by: CancelledBy<'_>) -> String {
    let tr = owner_tr(core).await;
    let why = match by {
        CancelledBy::Client => tr.t("timeline-visit-by-client"),
        CancelledBy::Owner(Some(r)) => tr.t_args("timeline-visit-by-owner-reason", &[("reason", r.into())]),
        CancelledBy::Owner(None) => tr.t("timeline-visit-by-owner"),
        CancelledBy::Calendar(r) => format!("Cal.com: {}", ellipsize(r, 200)),
        CancelledBy::CalendarMovedOntoBusy => tr.t("timeline-visit-by-calcom-moved"),
    };
    tr.t_args("timeline-visit-cancelled", &[("when", fmt_when(core, &tr, b.starts_at).into()), ("reason", why.into())])
}

pub async fn outcome_line(core: &Core, b: &Booking, came: bool) -> String {
    let tr = owner_tr(core).await;
    let key = if came { "timeline-visit-came" } else { "timeline-visit-no-show" };
    tr.t_args(key, &[("when", fmt_when(core, &tr, b.starts_at).into())])
}

fn mark(b: &Booking, now: DateTime<Utc>) -> &'static str {
    match b.status {
        BookingStatus::Booked if b.ends_at > now => "🗓",
        BookingStatus::Booked => "⏳",
        BookingStatus::Came => "✅",
        BookingStatus::NoShow => "🚫",
        BookingStatus::Cancelled => "❌",
    }
}

/// The card's "Visits" section (empty when she has none) and its buttons: move and cancel for
/// each of the first upcoming visits.
/// `list` is what the card read with the rest (`store::card`: upcoming, then the last few).
pub fn card_section(ctx: &Ctx<'_>, list: &[Booking]) -> (String, Vec<Vec<Button>>) {
    let now = crate::store::now();
    if list.is_empty() {
        return (String::new(), vec![]);
    }
    let mut text = format!("\n📅 {}\n", ctx.t("card-visits"));
    let mut rows = vec![];
    for b in list {
        let upcoming = b.status == BookingStatus::Booked && b.ends_at > now;
        let src = source(&ctx.tr, &b.channel, b.utm.as_deref(), b.ref_code.as_deref());
        text.push_str(&format!(
            "{} {} — {} · {src}\n",
            mark(b, now),
            fmt_when(ctx.core, &ctx.tr, b.starts_at),
            service_label(&ctx.tr, &b.service)
        ));
        if let Some(n) = b.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            text.push_str(&format!("   {}\n", ctx.t_args("visit-note", &[("note", ellipsize(n, 120).into())])));
        }
        if upcoming && rows.len() < BUTTONS_FOR {
            let when = b.starts_at.with_timezone(&ctx.tz()).format("%d.%m %H:%M").to_string();
            rows.push(vec![
                Button::new(
                    ctx.t_args("btn-visit-move", &[("when", when.clone().into())]),
                    BookingCb::OwnerMove(b.id, 0),
                ),
                Button::new(ctx.t_args("btn-visit-cancel", &[("when", when.into())]), BookingCb::OwnerCancel(b.id)),
            ]);
        }
    }
    (text, rows)
}
