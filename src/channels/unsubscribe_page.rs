//! `/unsubscribe/<token>` (issue 16): `GET` a page that asks to confirm (a link scanner that
//! follows links must not unsubscribe anyone), `POST` unsubscribes: the page's button, and
//! RFC 8058 one-click (`List-Unsubscribe=One-Click` from a mail provider: no login, no
//! confirmation, 200). The token (`core::marketing::unsubscribe`) is checked before anything is read
//! or written; a forged one gets a short localized page with 400 and changes nothing.

use crate::core::marketing::unsubscribe;
use crate::core::Core;
use crate::i18n::{Lang, Tr};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page(tr: &Tr<'_>, status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}</style>\
         </head><body>{body}</body></html>",
        esc(&tr.t("unsub-page-title"))
    );
    (status, Html(html)).into_response()
}

fn message(tr: &Tr<'_>, status: StatusCode, key: &str) -> Response {
    page(tr, status, &format!("<p>{}</p>", esc(&tr.t(key))))
}

/// The client of a valid token, or the page that says why not.
async fn client_of(core: &Core, tr: &Tr<'_>, token: &str) -> Result<i64, Response> {
    match unsubscribe::verify(core, token).await {
        Ok(Some(client)) => Ok(client),
        Ok(None) => Err(message(tr, StatusCode::BAD_REQUEST, "unsub-page-forged")),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "no unsubscribe key");
            Err(message(tr, StatusCode::INTERNAL_SERVER_ERROR, "err-internal"))
        }
    }
}

pub async fn get_page(State(core): State<Core>, Path(token): Path<String>) -> Response {
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    if let Err(r) = client_of(&core, &tr, &token).await {
        return r;
    }
    let body = format!(
        "<h1>{}</h1><form method=\"post\" action=\"/unsubscribe/{}\">\
         <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">{}</button></form>",
        esc(&tr.t("unsub-page-question")),
        esc(&token),
        esc(&tr.t("unsub-page-button")),
    );
    page(&tr, StatusCode::OK, &body)
}

/// One-click or the page's button: the body is not needed (RFC 8058 sends
/// `List-Unsubscribe=One-Click`; the token alone decides), so it is not read.
pub async fn post(State(core): State<Core>, Path(token): Path<String>) -> Response {
    let tr = Tr { i18n: core.i18n(), lang: Lang::Uk };
    let client = match client_of(&core, &tr, &token).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match core.store().unsubscribe(client, "link").await {
        Ok(_) => {
            crate::core::marketing::listmonk::nudge(&core).await;
            message(&tr, StatusCode::OK, "unsub-page-done")
        }
        Err(e) => {
            tracing::error!(error = %e, "recording an unsubscribe");
            message(&tr, StatusCode::INTERNAL_SERVER_ERROR, "err-internal")
        }
    }
}
