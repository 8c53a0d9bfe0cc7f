//! `POST /webhooks/telegram`: the secret header is compared in constant time (teloxide's own
//! listener compares with `!=`), the body is parsed as an `Update`, and the update is queued.
//! The request then waits (at most [`in_response::WAIT`]) for the update's handling, so that the
//! response carries the handling's last Bot API call (`in_response`); past the wait, or when the
//! handling gives none, it is an empty 200.

use super::in_response::{self, InResponse};
use super::UpdateRouter;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;
use teloxide::types::Update;

#[derive(Clone)]
pub struct WebhookState {
    pub secret: crate::config::Secret,
    pub router: UpdateRouter,
}

pub async fn webhook(State(s): State<WebhookState>, headers: HeaderMap, body: Bytes) -> Response {
    let given = headers.get("X-Telegram-Bot-Api-Secret-Token").map(|v| v.as_bytes()).unwrap_or_default();
    let expected = s.secret.expose().as_bytes();
    if !bool::from(given.ct_eq(expected)) {
        tracing::warn!("telegram webhook: wrong or missing secret token; rejected");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let update = match serde_json::from_slice::<Update>(&body) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!(error = %e, "telegram webhook: body is not an Update");
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let (slot, waiting) = InResponse::for_webhook();
    s.router.route_answering(update, slot).await;
    match waiting.within(in_response::WAIT).await {
        Some(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        None => StatusCode::OK.into_response(),
    }
}
