//! `POST /webhooks/calcom`: `X-Cal-Signature-256` (hex HMAC-SHA256 of the raw body with
//! `CALCOM_WEBHOOK_SECRET`) checked in constant time before anything is parsed; a forged request,
//! or a replay of a body already received, gets 401 and stores nothing. A genuine one becomes a
//! job (keyed by the body's hash) and is answered 200 at once.

use crate::config::Secret;
use crate::core::Core;
use crate::work::JobSpec;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct CalcomState {
    pub core: Core,
    pub secret: Option<Secret>,
}

pub async fn webhook(State(s): State<CalcomState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(secret) = &s.secret else {
        tracing::warn!("calcom webhook: CALCOM_WEBHOOK_SECRET is not set; rejected");
        return StatusCode::UNAUTHORIZED;
    };
    let signature = headers.get("X-Cal-Signature-256").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !crate::secret::hmac_sha256_matches(secret.expose(), &body, signature) {
        tracing::warn!("calcom webhook: bad signature; rejected, nothing stored");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(text) = std::str::from_utf8(&body) else { return StatusCode::BAD_REQUEST };
    if serde_json::from_str::<serde_json::Value>(text).is_err() {
        return StatusCode::BAD_REQUEST;
    }
    let key = format!("calcom:{}", crate::secret::hex(&Sha256::digest(&body)));
    match s.core.store().enqueue(&JobSpec::CalcomEvent { body: text.to_string() }.job(chrono::Utc::now(), key)).await {
        Ok(true) => StatusCode::OK,
        Ok(false) => {
            tracing::warn!("calcom webhook: replay of a body already received; rejected");
            StatusCode::UNAUTHORIZED
        }
        Err(e) => {
            tracing::error!(error = %e, "calcom webhook: could not store the event");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
