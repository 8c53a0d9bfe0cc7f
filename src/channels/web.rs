//! The HTTP side of the process (axum): health, readiness, Prometheus metrics and the Telegram
//! webhook. Later issues add booking pages and provider webhooks to the same router.
//!
//! Every response carries anti-framing and no-sniffing headers (the booking form must not be
//! framed by another site and clicked through). `/metrics` wants a bearer token when
//! `METRICS_TOKEN` is set: the process may listen on 0.0.0.0 in a container.

use crate::channels::telegram::WebhookState;
use crate::core::Core;
use crate::metrics::Metrics;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

#[derive(Clone)]
pub struct WebState {
    pub core: Core,
    pub metrics: Arc<Metrics>,
}

/// Secrets and access rules of the HTTP routes (each webhook route refuses everything while its
/// secret is unset; `/metrics` is open while `metrics_token` is unset).
#[derive(Clone, Default)]
pub struct RouteSecrets {
    pub calcom: Option<crate::config::Secret>,
    pub calendar: Option<crate::config::Secret>,
    pub instagram_verify_token: Option<crate::config::Secret>,
    pub instagram_app_secret: Option<crate::config::Secret>,
    pub metrics_token: Option<crate::config::Secret>,
    /// Proxies whose `X-Forwarded-For` the booking page's per-IP limit believes.
    pub trusted_proxies: crate::channels::client_ip::TrustedProxies,
}

#[derive(Clone)]
struct MetricsState {
    web: WebState,
    token: Option<crate::config::Secret>,
}

pub fn router(state: WebState, telegram: Option<WebhookState>, secrets: RouteSecrets) -> Router {
    let calcom = crate::calendar::calcom_webhook::CalcomState { core: state.core.clone(), secret: secrets.calcom };
    let calendar = crate::calendar::feed::CalendarState { core: state.core.clone(), secret: secrets.calendar };
    let book = crate::channels::book_page::BookPage::new(state.core.clone()).trusting(secrets.trusted_proxies);
    let metrics_state = MetricsState { web: state.clone(), token: secrets.metrics_token };
    let instagram = crate::channels::instagram_webhook::InstagramState {
        core: state.core.clone(),
        verify_token: secrets.instagram_verify_token,
        app_secret: secrets.instagram_app_secret,
    };
    let monobank = state.core.clone();
    let dashboard = state.core.clone();
    let nps = state.core.clone();
    let unsubscribe = state.core.clone();
    let mut app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(Router::new().route("/metrics", get(metrics)).with_state(metrics_state))
        .merge(
            Router::new().route("/webhooks/calcom", post(crate::calendar::calcom_webhook::webhook)).with_state(calcom),
        )
        .merge(Router::new().route("/calendar/{file}", get(crate::calendar::feed::feed)).with_state(calendar))
        .merge(
            Router::new()
                .route(
                    "/webhooks/instagram",
                    get(crate::channels::instagram_webhook::verify).post(crate::channels::instagram_webhook::receive),
                )
                .with_state(instagram),
        )
        .merge(
            Router::new()
                .route("/book", get(crate::channels::book_page::get_page).post(crate::channels::book_page::post_form))
                .with_state(book),
        )
        .merge(
            Router::new()
                .route("/webhooks/monobank", post(crate::channels::monobank_webhook::receive))
                .with_state(monobank),
        )
        .merge(Router::new().route("/dashboard", get(crate::channels::dashboard::get)).with_state(dashboard))
        .merge(
            Router::new()
                .route(
                    "/nps/{token}",
                    get(crate::channels::nps_page::get_page).post(crate::channels::nps_page::post_form),
                )
                .with_state(nps),
        )
        .merge(
            Router::new()
                .route(
                    "/unsubscribe/{token}",
                    get(crate::channels::unsubscribe_page::get_page).post(crate::channels::unsubscribe_page::post),
                )
                .with_state(unsubscribe),
        );
    if let Some(tg) = telegram {
        app = app
            .merge(Router::new().route("/webhooks/telegram", post(crate::channels::telegram::webhook)).with_state(tg));
    }
    app.layer(axum::extract::DefaultBodyLimit::max(1024 * 1024)).layer(axum::middleware::map_response(security_headers))
}

/// No framing by other sites (clickjacking the booking form), no MIME sniffing, and no page
/// addresses (with their `ref`/`utm_*` parameters) leaked to other sites. A handler's own
/// value wins.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    for (name, value) in [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
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

/// `Authorization: Bearer <token>`, compared in constant time (over digests, so the length of
/// the token does not leak either).
fn bearer_ok(headers: &HeaderMap, token: &crate::config::Secret) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(given) = given else { return false };
    bool::from(Sha256::digest(given.as_bytes()).ct_eq(&Sha256::digest(token.expose().as_bytes())))
}

async fn metrics(State(m): State<MetricsState>, headers: HeaderMap) -> Response {
    if let Some(token) = &m.token {
        if !bearer_ok(&headers, token) {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "unauthorized\n")
                .into_response();
        }
    }
    let s = m.web;
    let mut gauges = match s.core.store().gauges().await {
        Ok(g) => g,
        Err(e) => {
            tracing::warn!(error = %e, "metrics gauges unavailable");
            Default::default()
        }
    };
    match crate::core::reports::business_gauges(&s.core).await {
        Ok(b) => gauges.business = b,
        Err(e) => tracing::warn!(error = format!("{e:#}"), "business gauges unavailable"),
    }
    if let Some(llm) = s.core.assistant().as_ref().and_then(|a| a.llm.as_ref()) {
        gauges.llm_calls = llm.calls.load(std::sync::atomic::Ordering::Relaxed) as i64;
        gauges.llm_fallbacks = llm.fallbacks.load(std::sync::atomic::Ordering::Relaxed) as i64;
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], s.metrics.render(gauges)).into_response()
}
