//! Instagram Direct webhooks. `GET /webhooks/instagram` answers Meta's verification handshake
//! (`hub.verify_token` against `INSTAGRAM_VERIFY_TOKEN`, constant time; the challenge is echoed
//! only when it is a plain token). `POST` verifies `X-Hub-Signature-256` (HMAC-SHA256 of the raw
//! body with `INSTAGRAM_APP_SECRET`), refuses forged or stale deliveries with 401, and turns each
//! messaging event into a job keyed by its message id, so a redelivery is processed once; it answers
//! 200 as soon as the jobs are stored.

use crate::config::Secret;
use crate::core::Core;
use crate::work::JobSpec;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// Deliveries older than this (by `entry.time`) are refused as stale or replayed.
const MAX_AGE_MS: i64 = 24 * 3600 * 1000;

#[derive(Clone)]
pub struct InstagramState {
    pub core: Core,
    pub verify_token: Option<Secret>,
    pub app_secret: Option<Secret>,
}

pub async fn verify(State(s): State<InstagramState>, Query(q): Query<HashMap<String, String>>) -> Response {
    let (Some(token), Some(mode), Some(given), Some(challenge)) =
        (&s.verify_token, q.get("hub.mode"), q.get("hub.verify_token"), q.get("hub.challenge"))
    else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let plain = !challenge.is_empty()
        && challenge.len() <= 128
        && challenge.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if mode != "subscribe" || !bool::from(given.as_bytes().ct_eq(token.expose().as_bytes())) || !plain {
        tracing::warn!("instagram: verification refused");
        return StatusCode::FORBIDDEN.into_response();
    }
    ([(header::CONTENT_TYPE, "text/plain")], challenge.clone()).into_response()
}

/// A key for one messaging event: its message id, else what uniquely names it.
fn event_key(account: &str, ev: &Value) -> Option<String> {
    if let Some(mid) = ev.pointer("/message/mid").and_then(Value::as_str) {
        let tag = if ev.pointer("/message/is_deleted").and_then(Value::as_bool) == Some(true) {
            "deleted"
        } else {
            "message"
        };
        return Some(format!("ig:{tag}:{mid}"));
    }
    if let Some(mid) = ev.pointer("/postback/mid").and_then(Value::as_str) {
        return Some(format!("ig:postback:{mid}"));
    }
    // Reactions and read receipts change nothing in the CRM: not stored at all.
    let _ = account;
    None
}

pub async fn receive(State(s): State<InstagramState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(secret) = &s.app_secret else {
        tracing::warn!("instagram webhook: INSTAGRAM_APP_SECRET is not set; rejected");
        return StatusCode::UNAUTHORIZED;
    };
    let signature = headers.get("X-Hub-Signature-256").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !signature.starts_with("sha256=") || !crate::secret::hmac_sha256_matches(secret.expose(), &body, signature) {
        tracing::warn!("instagram webhook: bad signature; rejected, nothing stored");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else { return StatusCode::BAD_REQUEST };
    if v.get("object").and_then(Value::as_str) != Some("instagram") {
        return StatusCode::OK;
    }
    let now = crate::store::now().timestamp_millis();
    let entries = v.get("entry").and_then(Value::as_array).cloned().unwrap_or_default();
    let fresh = |e: &Value| {
        e.get("time").and_then(Value::as_i64).is_some_and(|t| now - t <= MAX_AGE_MS && t - now <= 5 * 60 * 1000)
    };
    if entries.is_empty() || !entries.iter().all(fresh) {
        tracing::warn!("instagram webhook: stale or undated delivery; rejected");
        return StatusCode::UNAUTHORIZED;
    }
    let mut jobs = vec![];
    for entry in &entries {
        let account = entry.get("id").and_then(Value::as_str).unwrap_or("").to_string();
        for ev in entry.get("messaging").and_then(Value::as_array).into_iter().flatten() {
            if let Some(key) = event_key(&account, ev) {
                jobs.push(
                    JobSpec::InstagramEvent { account: account.clone(), event: ev.clone() }
                        .job(chrono::Utc::now(), key),
                );
            }
        }
    }
    match s.core.store().enqueue_many(&jobs).await {
        Ok(_) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, "instagram webhook: could not store events");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
