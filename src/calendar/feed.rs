//! `GET /calendar/<secret>.ics`: the bookings feed the owner subscribes to in Google Calendar.
//! The path is a bearer secret (`CALENDAR_FEED_SECRET`, compared in constant time; unset, the
//! feed does not exist); summaries carry a first name and an initial only.

use crate::calendar::ics::{calendar, Event};
use crate::config::Secret;
use crate::core::booking::service_label;
use crate::core::Core;
use crate::i18n::{Lang, Tr};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct CalendarState {
    pub core: Core,
    pub secret: Option<Secret>,
}

/// `Іван Петренко` → `Іван П.`
fn short_name(full: &str) -> String {
    let mut parts = full.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(first), Some(last)) => format!("{first} {}.", last.chars().next().unwrap_or(' ')),
        (Some(first), None) => first.to_string(),
        _ => String::new(),
    }
}

pub async fn feed(State(s): State<CalendarState>, Path(file): Path<String>) -> Response {
    let Some(secret) = &s.secret else { return StatusCode::NOT_FOUND.into_response() };
    let given = file.strip_suffix(".ics").unwrap_or("");
    if !bool::from(given.as_bytes().ct_eq(secret.expose().as_bytes())) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let tz = s.core.config().tz;
    let now = crate::store::now();
    let bookings = match s.core.store().feed_bookings(now - chrono::Duration::days(60)).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let tr = Tr { i18n: s.core.i18n(), lang: Lang::Uk };
    let events: Vec<Event> = bookings
        .iter()
        .map(|b| Event {
            uid: format!("booking-{}@insoles-crm", b.id),
            start: b.starts_at,
            end: b.ends_at,
            summary: format!("{} — {}", service_label(&tr, &b.service), short_name(&b.client_name)),
            sequence: (b.updated_at - b.created_at).num_seconds().max(0),
            cancelled: b.status == crate::domain::BookingStatus::Cancelled,
        })
        .collect();
    let body = calendar(&tr.t("calendar-name"), tz, &events, now);
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_names_keep_privacy() {
        assert_eq!(super::short_name("Іван Петренко"), "Іван П.");
        assert_eq!(super::short_name("Оля"), "Оля");
    }
}
