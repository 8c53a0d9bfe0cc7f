//! `GET /dashboard?token=…[&period=week][&lang=en]`: the six reports read-only on one page for a
//! larger screen, charts inline as `data:` URIs. The token is the owner's short-lived signed link
//! (`core::reports::web_login`); a missing, forged or expired one gets a localized 401 page and
//! no data. Nothing on the page links elsewhere (the token stays in this address).

use crate::core::reports::{self, web_login, ReportKind};
use crate::core::Core;
use crate::domain::period::Period;
use crate::i18n::{Lang, Tr};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

#[derive(Debug, serde::Deserialize)]
pub struct DashboardQuery {
    token: Option<String>,
    period: Option<String>,
    lang: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title><style>body{{font-family:sans-serif;max-width:1700px;margin:1em auto;padding:0 1em}}\
         section{{display:inline-block;vertical-align:top;width:820px;margin:0 1em 2em 0}}pre{{white-space:pre-wrap;font-size:15px}}\
         img{{width:100%;max-width:800px}}</style></head><body><h1>{}</h1>{}</body></html>",
        lang.code(),
        escape(title),
        escape(title),
        body
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html)
        .into_response()
}

pub async fn get(State(core): State<Core>, Query(q): Query<DashboardQuery>) -> Response {
    let lang = q.lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::Uk);
    let tr = Tr { i18n: core.i18n(), lang };
    let now = crate::store::now();
    let token = q.token.as_deref().unwrap_or("");
    match web_login::verify(&core, token, now).await {
        Ok(Ok(())) => {}
        Ok(Err(why)) => {
            tracing::info!(?why, "dashboard refused");
            return page(
                StatusCode::UNAUTHORIZED,
                lang,
                &tr.t("dashboard-title"),
                &format!("<p>{}</p>", escape(&tr.t("dashboard-denied"))),
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "dashboard token check failed");
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                &tr.t("dashboard-title"),
                &escape(&tr.t("err-internal")),
            );
        }
    }
    let today = reports::today(&core);
    let period = match Period::parse(q.period.as_deref().unwrap_or(""), today) {
        Ok(p) => p,
        Err(_) => {
            return page(
                StatusCode::BAD_REQUEST,
                lang,
                &tr.t("dashboard-title"),
                &format!("<p>{}</p>", escape(&tr.t("report-err-period"))),
            )
        }
    };
    let mut body = String::new();
    for kind in ReportKind::ALL {
        match reports::build(&core, kind, period, lang).await {
            Ok(view) => {
                let png = base64::engine::general_purpose::STANDARD.encode(&view.chart_png);
                body.push_str(&format!(
                    "<section><img alt=\"{}\" src=\"data:image/png;base64,{png}\"><pre>{}</pre></section>",
                    escape(&tr.t(kind.title_key())),
                    escape(&view.text)
                ));
            }
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), ?kind, "dashboard report failed");
                body.push_str(&format!("<section><p>{}</p></section>", escape(&tr.t("err-internal"))));
            }
        }
    }
    page(StatusCode::OK, lang, &tr.t("dashboard-title"), &body)
}
