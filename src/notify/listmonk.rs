//! Listmonk's HTTP API, only what the consent sync needs (notes: `shared/reference/listmonk.md`):
//! the list (found by name or created), a subscriber created (`POST /api/subscribers`), found by
//! e-mail (anchored `search`, compared exactly here), added to or unsubscribed from the list
//! (`PUT /api/subscribers/lists`), deleted, and the list's unsubscribed subscribers read back.
//!
//! Auth is `Authorization: token <user>:<token>` (Listmonk ≥ 4) on a client with no cookie store
//! (a `session=` cookie would make Listmonk ignore the header). Hostile answers: the body is
//! size-checked before it is parsed, pages are capped, and a record of an unknown shape is
//! skipped by the caller. Error texts never carry the token (it is scrubbed from them).

use crate::config::ListmonkSettings;
use serde_json::{json, Value};
use std::time::Duration;

/// The largest answer read (bytes).
const MAX_BODY: usize = 2 * 1024 * 1024;
/// Subscribers per page read back.
pub const PER_PAGE: usize = 100;

/// A failed call: the HTTP status when there was an answer, and what Listmonk said.
#[derive(Debug)]
pub struct ApiError {
    pub status: Option<u16>,
    pub message: String,
}

impl ApiError {
    /// Worth a retry: no answer (network), a rate limit, or a server error.
    pub fn transient(&self) -> bool {
        self.status.is_none_or(|s| s == 429 || s >= 500)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(s) => write!(f, "listmonk: HTTP {s}: {}", self.message),
            None => write!(f, "listmonk: {}", self.message),
        }
    }
}

/// A subscriber as Listmonk lists it (the fields the sync reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    /// `enabled`, `disabled` or `blocklisted`.
    pub status: String,
    /// `attribs.crm_id`, when the CRM created her.
    pub crm_id: Option<i64>,
}

impl Subscriber {
    pub fn parse(v: &Value) -> Option<Subscriber> {
        Some(Subscriber {
            id: v.get("id").and_then(Value::as_i64).filter(|id| *id > 0)?,
            email: v.get("email").and_then(Value::as_str).filter(|e| e.contains('@') && e.len() <= 1000)?.to_string(),
            status: v.get("status").and_then(Value::as_str).unwrap_or("").chars().take(32).collect(),
            crm_id: v.pointer("/attribs/crm_id").and_then(Value::as_i64),
        })
    }
}

pub struct Listmonk<'a> {
    cfg: &'a ListmonkSettings,
    http: reqwest::Client,
}

/// `^<e-mail>$` as a POSIX regex (Listmonk's `search` is `email ~* $1`).
pub fn anchored(email: &str) -> String {
    let mut out = String::from("^");
    for c in email.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('$');
    out
}

impl<'a> Listmonk<'a> {
    pub fn new(cfg: &'a ListmonkSettings) -> Result<Self, ApiError> {
        // No cookie store (reqwest has none without its `cookies` feature, and none is added).
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| ApiError { status: None, message: e.to_string() })?;
        Ok(Listmonk { cfg, http })
    }

    fn scrub(&self, text: &str) -> String {
        let token = self.cfg.token.expose();
        if token.is_empty() {
            text.to_string()
        } else {
            text.replace(token, "[REDACTED]")
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<Value>,
    ) -> Result<Value, ApiError> {
        let auth = format!("token {}:{}", self.cfg.user, self.cfg.token.expose());
        let mut req = self.http.request(method, format!("{}{path}", self.cfg.url)).header("Authorization", auth);
        if !query.is_empty() {
            req = req.query(query);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let fail = |status: Option<u16>, message: String| ApiError { status, message: self.scrub(&message) };
        let r = req.send().await.map_err(|e| fail(None, e.without_url().to_string()))?;
        let status = r.status().as_u16();
        if r.content_length().is_some_and(|n| n as usize > MAX_BODY) {
            return Err(fail(Some(status), "answer too large".into()));
        }
        let bytes = r.bytes().await.map_err(|e| fail(None, e.without_url().to_string()))?;
        if bytes.len() > MAX_BODY {
            return Err(fail(Some(status), "answer too large".into()));
        }
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !(200..300).contains(&status) {
            let said = answer.get("message").and_then(Value::as_str).unwrap_or("").chars().take(300).collect();
            return Err(fail(Some(status), said));
        }
        Ok(answer.get("data").cloned().unwrap_or(Value::Null))
    }

    /// The id of the list named `name`, created (private, single opt-in) when there is none.
    pub async fn list_named(&self, name: &str) -> Result<i64, ApiError> {
        let q = [("query", name.to_string()), ("per_page", "all".to_string())];
        let found = self.call(reqwest::Method::GET, "/api/lists", &q, None).await?;
        let hit = found
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|l| l.get("name").and_then(Value::as_str) == Some(name))
            .and_then(|l| l.get("id").and_then(Value::as_i64));
        if let Some(id) = hit {
            return Ok(id);
        }
        let body = json!({ "name": name, "type": "private", "optin": "single", "tags": ["insoles-crm"] });
        let made = self.call(reqwest::Method::POST, "/api/lists", &[], Some(body)).await?;
        made.get("id")
            .and_then(Value::as_i64)
            .ok_or(ApiError { status: None, message: "no list id in the answer".into() })
    }

    /// Creates her, subscribed to `list` and confirmed (her consent is recorded in the CRM, so no
    /// opt-in e-mail); her id. A duplicate e-mail is an error with status 409.
    pub async fn create(&self, email: &str, name: &str, list: i64, attribs: Value) -> Result<i64, ApiError> {
        let body = json!({
            "email": email, "name": name, "status": "enabled", "lists": [list],
            "preconfirm_subscriptions": true, "attribs": attribs,
        });
        let made = self.call(reqwest::Method::POST, "/api/subscribers", &[], Some(body)).await?;
        made.get("id")
            .and_then(Value::as_i64)
            .ok_or(ApiError { status: None, message: "no subscriber id in the answer".into() })
    }

    /// The subscriber with exactly this e-mail (Listmonk lower-cases addresses).
    pub async fn find(&self, email: &str) -> Result<Option<Subscriber>, ApiError> {
        let q = [("search", anchored(email)), ("per_page", "20".to_string())];
        let found = self.call(reqwest::Method::GET, "/api/subscribers", &q, None).await?;
        Ok(found
            .get("results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Subscriber::parse)
            .find(|s| s.email.eq_ignore_ascii_case(email.trim())))
    }

    async fn lists(&self, id: i64, list: i64, action: &str) -> Result<(), ApiError> {
        let mut body = json!({ "ids": [id], "action": action, "target_list_ids": [list] });
        if action == "add" {
            body["status"] = json!("confirmed");
        }
        self.call(reqwest::Method::PUT, "/api/subscribers/lists", &[], Some(body)).await.map(|_| ())
    }

    /// Subscribes her to `list`, confirmed.
    pub async fn add(&self, id: i64, list: i64) -> Result<(), ApiError> {
        self.lists(id, list, "add").await
    }

    /// Unsubscribes her from `list` (she stays a subscriber of the owner's other lists).
    pub async fn unsubscribe(&self, id: i64, list: i64) -> Result<(), ApiError> {
        self.lists(id, list, "unsubscribe").await
    }

    /// Deletes her from Listmonk altogether.
    pub async fn delete(&self, id: i64) -> Result<(), ApiError> {
        self.call(reqwest::Method::DELETE, &format!("/api/subscribers/{id}"), &[], None).await.map(|_| ())
    }

    /// Page `page` (from 1) of the list's unsubscribed subscribers (a blocklisted one is
    /// unsubscribed from every list, so hard bounces and complaints come this way too): the
    /// records as they came, and the total.
    pub async fn unsubscribed(&self, list: i64, page: usize) -> Result<(Vec<Value>, usize), ApiError> {
        let q = [
            ("list_id", list.to_string()),
            ("subscription_status", "unsubscribed".to_string()),
            ("page", page.to_string()),
            ("per_page", PER_PAGE.to_string()),
        ];
        let found = self.call(reqwest::Method::GET, "/api/subscribers", &q, None).await?;
        let records: Vec<Value> =
            found.get("results").and_then(Value::as_array).into_iter().flatten().take(PER_PAGE).cloned().collect();
        let total = found.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
        Ok((records, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_is_anchored_and_escaped_and_odd_records_are_refused() {
        assert_eq!(anchored("o.k+1@x.ua"), "^o\\.k\\+1@x\\.ua$");
        let ok = json!({ "id": 5, "email": "a@b.ua", "status": "blocklisted", "attribs": { "crm_id": 9 } });
        assert_eq!(
            Subscriber::parse(&ok),
            Some(Subscriber { id: 5, email: "a@b.ua".into(), status: "blocklisted".into(), crm_id: Some(9) })
        );
        assert_eq!(Subscriber::parse(&json!({ "id": "5", "email": "a@b.ua" })), None);
        assert_eq!(Subscriber::parse(&json!({ "id": 5, "email": "nobody" })), None);
        let e = ApiError { status: Some(403), message: "invalid API credentials".into() };
        assert!(!e.transient());
        assert!(ApiError { status: Some(429), message: String::new() }.transient());
        assert!(ApiError { status: None, message: String::new() }.transient());
    }
}
