//! `/nps/<token>`: the one-question page a client without Telegram gets in her NPS link
//! (`core::nps`): eleven buttons 0–10 in a form (no JavaScript), then a field for "what could be
//! better?". The token is checked before anything is read or written; a forged or expired one
//! gets a short localized page (400 / 410), an order answered already says so. Ukrainian, the
//! studio's language for these links.

use crate::core::nps::{self, TokenError};
use crate::core::Core;
use crate::i18n::{Lang, Tr};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use std::collections::HashMap;

/// The longest comment kept.
const MAX_COMMENT: usize = 1000;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(tr: &Tr<'_>, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}\
         .s button{{width:2.6rem;height:2.6rem;margin:.15rem;font-size:1.1rem}}textarea{{width:100%}}</style>\
         </head><body>{body}</body></html>",
        esc(&tr.t("nps-page-title"))
    )
}

fn message(tr: &Tr<'_>, status: StatusCode, text: &str) -> Response {
    (status, Html(page(tr, &format!("<p>{}</p>", esc(text))))).into_response()
}

/// The order of a valid token, or the page that says why not.
async fn order_of(core: &Core, tr: &Tr<'_>, token: &str) -> Result<i64, Response> {
    let key = match nps::key(core).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, "no NPS key");
            return Err(message(tr, StatusCode::INTERNAL_SERVER_ERROR, &tr.t("err-internal")));
        }
    };
    match nps::verify(&key, token, crate::store::now()) {
        Ok(order) => Ok(order),
        Err(TokenError::Forged) => Err(message(tr, StatusCode::BAD_REQUEST, &tr.t("nps-page-forged"))),
        Err(TokenError::Expired) => Err(message(tr, StatusCode::GONE, &tr.t("nps-page-expired"))),
    }
}

fn question(tr: &Tr<'_>, token: &str) -> String {
    let buttons: String =
        (0..=10).map(|n| format!("<button type=\"submit\" name=\"score\" value=\"{n}\">{n}</button>")).collect();
    format!(
        "<h1>{}</h1><form method=\"post\" action=\"/nps/{}\" class=\"s\">{buttons}</form><p><small>{} · {}</small></p>",
        esc(&tr.t("nps-page-question")),
        esc(token),
        esc(&tr.t("nps-page-low")),
        esc(&tr.t("nps-page-high")),
    )
}

fn comment_form(tr: &Tr<'_>, token: &str, lead: &str) -> String {
    format!(
        "<p>{}</p><form method=\"post\" action=\"/nps/{}\"><label>{}<br><textarea name=\"comment\" rows=\"4\" \
         maxlength=\"{MAX_COMMENT}\"></textarea></label><br><button type=\"submit\">{}</button></form>",
        esc(lead).replace('\n', "<br>"),
        esc(token),
        esc(&tr.t("nps-page-comment")),
        esc(&tr.t("nps-page-send")),
    )
}

pub async fn get_page(State(core): State<Core>, Path(token): Path<String>) -> Response {
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    let order = match order_of(&core, &tr, &token).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    match core.store().nps_answer(order).await {
        Ok(Some(_)) => message(&tr, StatusCode::OK, &tr.t("nps-page-answered")),
        Ok(None) => Html(page(&tr, &question(&tr, &token))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading an NPS answer");
            message(&tr, StatusCode::INTERNAL_SERVER_ERROR, &tr.t("err-internal"))
        }
    }
}

pub async fn post_form(
    State(core): State<Core>,
    Path(token): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    let order = match order_of(&core, &tr, &token).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    if let Some(c) = form.get("comment") {
        let c: String = c.trim().chars().take(MAX_COMMENT).collect();
        if !c.is_empty() {
            if let Err(e) = core.store().record_nps_comment(None, Some(order), &c).await {
                tracing::error!(error = %e, "storing an NPS comment");
                return message(&tr, StatusCode::INTERNAL_SERVER_ERROR, &tr.t("err-internal"));
            }
        }
        return message(&tr, StatusCode::OK, &tr.t("nps-comment-thanks"));
    }
    let Some(score) = form.get("score").and_then(|s| s.trim().parse::<u8>().ok()).filter(|s| *s <= 10) else {
        return (StatusCode::BAD_REQUEST, Html(page(&tr, &question(&tr, &token)))).into_response();
    };
    match nps::answer(&core, &tr, order, score, "web").await {
        Ok(Some(text)) => Html(page(&tr, &comment_form(&tr, &token, &text))).into_response(),
        Ok(None) => message(&tr, StatusCode::OK, &tr.t("nps-page-answered")),
        Err(e) => {
            tracing::error!(error = %e, "storing an NPS answer");
            message(&tr, StatusCode::INTERNAL_SERVER_ERROR, &tr.t("err-internal"))
        }
    }
}
