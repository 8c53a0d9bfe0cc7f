//! Sending in Instagram Direct through the Graph API (`POST {INSTAGRAM_API_URL}/me/messages`).
//! Transient errors (HTTP 5xx, codes 1, 2, 4, 17, 32, 613, 1200) retry through the jobs table;
//! everything else (outside the window, blocked, bad token) fails and is recorded.

use super::InstagramConfig;
use crate::work::{retry, Outcome};
use serde_json::{json, Value};
use std::time::Duration;

pub async fn send(cfg: &InstagramConfig, to: &str, text: &str, human_agent: bool, attempt: i64) -> Outcome {
    let mut body = json!({ "recipient": { "id": to }, "message": { "text": text } });
    if human_agent {
        body["messaging_type"] = json!("MESSAGE_TAG");
        body["tag"] = json!("HUMAN_AGENT");
    }
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(15)).build() {
        Ok(c) => c,
        Err(e) => return Outcome::Fail { error: e.to_string() },
    };
    let response =
        client.post(format!("{}/me/messages", cfg.api_url)).bearer_auth(cfg.token.expose()).json(&body).send().await;
    let (status, answer) = match response {
        Ok(r) => (r.status(), r.json::<Value>().await.unwrap_or(Value::Null)),
        Err(e) => return retry(attempt, format!("instagram: {e}")),
    };
    if status.is_success() {
        if let Some(mid) = answer.get("message_id").and_then(Value::as_str) {
            return Outcome::done(json!({ "message_id": mid }).to_string());
        }
    }
    let code = answer.pointer("/error/code").and_then(Value::as_i64).unwrap_or(0);
    let message = answer.pointer("/error/message").and_then(Value::as_str).unwrap_or("").to_string();
    if status.is_server_error() || [1, 2, 4, 17, 32, 613, 1200].contains(&code) {
        retry(attempt, format!("instagram: {status} {code} {message}"))
    } else {
        Outcome::Fail { error: format!("instagram: {status} {code} {message}") }
    }
}
