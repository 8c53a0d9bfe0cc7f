//! The HTTP side of the process (axum): health, readiness, Prometheus metrics and the Telegram
//! webhook. Later issues add booking pages and provider webhooks to the same router.

use crate::channels::telegram::WebhookState;
use crate::core::Core;
use crate::metrics::Metrics;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

#[derive(Clone)]
pub struct WebState {
    pub core: Core,
    pub metrics: Arc<Metrics>,
}

/// Secrets of the HTTP routes (each route refuses everything while its secret is unset).
#[derive(Clone, Default)]
pub struct RouteSecrets {
    pub calcom: Option<crate::config::Secret>,
    pub calendar: Option<crate::config::Secret>,
    pub instagram_verify_token: Option<crate::config::Secret>,
    pub instagram_app_secret: Option<crate::config::Secret>,
}

pub fn router(state: WebState, telegram: Option<WebhookState>, secrets: RouteSecrets) -> Router {
    let calcom = crate::channels::calcom::CalcomState { core: state.core.clone(), secret: secrets.calcom };
    let calendar = crate::channels::calendar::CalendarState { core: state.core.clone(), secret: secrets.calendar };
    let book = crate::channels::book_page::BookPage::new(state.core.clone());
    let instagram = crate::channels::instagram::InstagramState {
        core: state.core.clone(),
        verify_token: secrets.instagram_verify_token,
        app_secret: secrets.instagram_app_secret,
    };
    let mut app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
        .merge(Router::new().route("/webhooks/calcom", post(crate::channels::calcom::webhook)).with_state(calcom))
        .merge(Router::new().route("/calendar/{file}", get(crate::channels::calendar::feed)).with_state(calendar))
        .merge(
            Router::new()
                .route(
                    "/webhooks/instagram",
                    get(crate::channels::instagram::verify).post(crate::channels::instagram::receive),
                )
                .with_state(instagram),
        )
        .merge(
            Router::new()
                .route("/book", get(crate::channels::book_page::get_page).post(crate::channels::book_page::post_form))
                .with_state(book),
        );
    if let Some(tg) = telegram {
        app = app
            .merge(Router::new().route("/webhooks/telegram", post(crate::channels::telegram::webhook)).with_state(tg));
    }
    app.layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(s): State<WebState>) -> impl IntoResponse {
    match s.core.store().ready().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn metrics(State(s): State<WebState>) -> impl IntoResponse {
    let mut gauges = match s.core.store().gauges().await {
        Ok(g) => g,
        Err(e) => {
            tracing::warn!(error = %e, "metrics gauges unavailable");
            Default::default()
        }
    };
    if let Some(llm) = s.core.assistant().and_then(|a| a.llm.as_ref()) {
        gauges.llm_calls = llm.calls.load(std::sync::atomic::Ordering::Relaxed) as i64;
        gauges.llm_fallbacks = llm.fallbacks.load(std::sync::atomic::Ordering::Relaxed) as i64;
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], s.metrics.render(gauges))
}
