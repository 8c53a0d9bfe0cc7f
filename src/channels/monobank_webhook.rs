//! `POST /webhooks/monobank`: a Monobank report of a payment link. The raw body (at most
//! [`MAX_BODY`]) is verified against `X-Sign` with the merchant key (fetched and cached; fetched
//! again once when a signature fails, as Monobank may rotate it) before anything is read; a
//! missing, malformed or forged signature is refused with 401, logged, and nothing is stored.
//! A verified report is applied in one transaction (`core::payments::status`) before the 200,
//! so a report we failed to store is sent again by Monobank (503); a signed body we cannot read,
//! or a link we do not know, is logged and acknowledged (sending it again would not help).

use crate::core::Core;
use crate::payments::monobank::{Status, Verdict};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

/// The largest report accepted (a real one is about 1 KiB).
pub const MAX_BODY: usize = 64 * 1024;

pub async fn receive(State(core): State<Core>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(mono) = core.monobank() else {
        tracing::warn!("monobank webhook: MONOBANK_TOKEN is not set; rejected");
        return StatusCode::UNAUTHORIZED;
    };
    if body.len() > MAX_BODY {
        tracing::warn!(bytes = body.len(), "monobank webhook: body too large; rejected");
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let Some(sign) = headers.get("x-sign").and_then(|v| v.to_str().ok()) else {
        tracing::warn!("monobank webhook: no X-Sign; rejected, nothing stored");
        return StatusCode::UNAUTHORIZED;
    };
    match mono.verify(&body, sign).await {
        Verdict::Valid => {}
        Verdict::Invalid => {
            tracing::warn!(bytes = body.len(), "monobank webhook: bad signature; rejected, nothing stored");
            return StatusCode::UNAUTHORIZED;
        }
        Verdict::KeyUnavailable => return StatusCode::SERVICE_UNAVAILABLE,
    }
    let report: Status = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "monobank webhook: signed but unreadable; acknowledged");
            return StatusCode::OK;
        }
    };
    match crate::core::payments::status::apply(&core, &report).await {
        Ok(_) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, invoice = %report.invoice_id, "monobank webhook: could not apply; Monobank will retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
