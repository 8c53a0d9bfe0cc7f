//! `POST /webhooks/telegram`: the secret header is compared in constant time (teloxide's own
//! listener compares with `!=`), the body is parsed as an `Update`, and the update is queued.

use super::UpdateRouter;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use subtle::ConstantTimeEq;
use teloxide::types::Update;

#[derive(Clone)]
pub struct WebhookState {
    pub secret: crate::config::Secret,
    pub router: UpdateRouter,
}

pub async fn webhook(State(s): State<WebhookState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers.get("X-Telegram-Bot-Api-Secret-Token").map(|v| v.as_bytes()).unwrap_or_default();
    let expected = s.secret.expose().as_bytes();
    if !bool::from(given.ct_eq(expected)) {
        tracing::warn!("telegram webhook: wrong or missing secret token; rejected");
        return StatusCode::UNAUTHORIZED;
    }
    match serde_json::from_slice::<Update>(&body) {
        Ok(update) => {
            s.router.route(update).await;
            StatusCode::OK
        }
        Err(e) => {
            tracing::warn!(error = %e, "telegram webhook: body is not an Update");
            StatusCode::BAD_REQUEST
        }
    }
}
