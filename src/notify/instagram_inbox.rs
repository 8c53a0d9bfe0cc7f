//! Reading Instagram Direct back through the Graph API (`GET {INSTAGRAM_API_URL}/me` and
//! `/me/conversations?platform=instagram` with their messages), for the reconcile job that finds
//! DMs a webhook never delivered. Hostile input: page sizes are capped in the request and again
//! on what comes back, the body is size-checked before it is parsed, and a message of an unknown
//! shape is logged and skipped. Errors are plain strings: the job retries them with its backoff.

use super::InstagramConfig;
use serde_json::Value;
use std::time::Duration;

/// Conversations read per run, and messages per conversation (the newest first).
pub const MAX_CONVERSATIONS: usize = 25;
pub const MAX_MESSAGES: usize = 25;
/// The largest answer read (bytes).
const MAX_BODY: usize = 2 * 1024 * 1024;

/// One message as the Graph API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub mid: String,
    pub from: String,
    pub text: Option<String>,
    pub created: chrono::DateTime<chrono::Utc>,
}

/// The account's own id and its recent conversations (each its messages, newest first).
#[derive(Debug, Default)]
pub struct Inbox {
    pub account: String,
    pub conversations: Vec<Vec<InboxMessage>>,
}

/// Why reading failed: `transient` errors (network, 5xx, rate limits) are worth a retry.
#[derive(Debug)]
pub struct ReadError {
    pub transient: bool,
    pub message: String,
}

async fn get(client: &reqwest::Client, cfg: &InstagramConfig, path: &str) -> Result<Value, ReadError> {
    let url = format!("{}{path}", cfg.api_url);
    let fail = |transient, message: String| ReadError { transient, message };
    let r = client.get(url).bearer_auth(cfg.token.expose()).send().await.map_err(|e| fail(true, e.to_string()))?;
    let status = r.status();
    if r.content_length().is_some_and(|n| n as usize > MAX_BODY) {
        return Err(fail(false, "answer too large".into()));
    }
    let bytes = r.bytes().await.map_err(|e| fail(true, e.to_string()))?;
    if bytes.len() > MAX_BODY {
        return Err(fail(false, "answer too large".into()));
    }
    if !status.is_success() {
        // 4xx may be a rate limit or an expired token the owner renews: the backoff retries both.
        return Err(fail(true, format!("{status}")));
    }
    serde_json::from_slice(&bytes).map_err(|e| fail(false, format!("unreadable answer: {e}")))
}

fn message(v: &Value) -> Option<InboxMessage> {
    let created = v.get("created_time").and_then(Value::as_str)?;
    let created = chrono::DateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(created))
        .ok()?
        .with_timezone(&chrono::Utc);
    Some(InboxMessage {
        mid: v.get("id").and_then(Value::as_str).filter(|s| !s.is_empty() && s.len() <= 512)?.to_string(),
        from: v.pointer("/from/id").and_then(Value::as_str).filter(|s| !s.is_empty() && s.len() <= 64)?.to_string(),
        text: v.get("message").and_then(Value::as_str).map(|t| t.chars().take(2000).collect()),
        created,
    })
}

/// Reads the account and its recent conversations.
pub async fn read(cfg: &InstagramConfig) -> Result<Inbox, ReadError> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| ReadError { transient: true, message: e.to_string() })?;
    let me = get(&client, cfg, "/me?fields=user_id,username").await?;
    let account = me
        .get("user_id")
        .or_else(|| me.get("id"))
        .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
        .ok_or_else(|| ReadError { transient: false, message: "no account id in /me".into() })?;
    let path = format!(
        "/me/conversations?platform=instagram&limit={MAX_CONVERSATIONS}\
         &fields=messages.limit({MAX_MESSAGES}){{id,created_time,from,message}}"
    );
    let list = get(&client, cfg, &path).await?;
    let mut inbox = Inbox { account, conversations: vec![] };
    for conv in list.get("data").and_then(Value::as_array).into_iter().flatten().take(MAX_CONVERSATIONS) {
        let mut messages = vec![];
        for m in conv.pointer("/messages/data").and_then(Value::as_array).into_iter().flatten().take(MAX_MESSAGES) {
            match message(m) {
                Some(m) => messages.push(m),
                None => tracing::warn!("instagram reconcile: a message of an unknown shape; skipped"),
            }
        }
        inbox.conversations.push(messages);
    }
    Ok(inbox)
}
