//! TurboSMS `POST /message/send.json`. It answers HTTP 200 even on errors: the outcome is in
//! `response_code` (800-803 accepted, then per recipient 0 = OK; 507 = a repeat of a request
//! already made, with its first result).

use super::SmsConfig;
use crate::work::{backoff, retry, Outcome};
use serde_json::{json, Value};
use std::time::Duration;

pub async fn send(cfg: &SmsConfig, phone_e164: &str, text: &str, sequence_id: &str, attempt: i64) -> Outcome {
    let digits: String = phone_e164.chars().filter(char::is_ascii_digit).collect();
    let body =
        json!({ "recipients": [digits], "sms": { "sender": cfg.sender, "text": text }, "sequence_id": sequence_id });
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(15)).build() {
        Ok(c) => c,
        Err(e) => return Outcome::Fail { error: e.to_string() },
    };
    let response = client
        .post(format!("{}/message/send.json", cfg.api_url))
        .bearer_auth(cfg.token.expose())
        .json(&body)
        .send()
        .await;
    let answer: Value = match response {
        Ok(r) if r.status().is_success() => match r.json().await {
            Ok(v) => v,
            Err(e) => return retry(attempt, format!("turbosms: unreadable answer: {e}")),
        },
        Ok(r) => return retry(attempt, format!("turbosms: HTTP {}", r.status())),
        Err(e) => return retry(attempt, format!("turbosms: {e}")),
    };
    classify(&answer, attempt)
}

/// Reads the envelope (and the recipient's own code) into an outcome.
pub fn classify(answer: &Value, attempt: i64) -> Outcome {
    let code = answer["response_code"].as_i64().unwrap_or(-1);
    let status = answer["response_status"].as_str().unwrap_or("").to_string();
    match code {
        800..=803 | 507 => {
            let item = &answer["response_result"][0];
            match item["response_code"].as_i64() {
                Some(0) | None if code == 507 => Outcome::done(answer.to_string()),
                Some(0) => Outcome::done(json!({ "message_id": item["message_id"] }).to_string()),
                Some(c) => Outcome::Fail {
                    error: format!(
                        "turbosms: recipient refused ({c} {})",
                        item["response_status"].as_str().unwrap_or("")
                    ),
                },
                None => Outcome::done(answer.to_string()),
            }
        }
        // No balance, server-side failures: worth trying again later.
        203 | 500..=506 => Outcome::Retry {
            after: backoff(attempt).max(Duration::from_secs(60)),
            error: format!("turbosms: {code} {status}"),
        },
        _ => Outcome::Fail { error: format!("turbosms: {code} {status}") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_200_errors_are_read_from_the_envelope() {
        let ok = json!({"response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": [{"phone": "380501234567", "response_code": 0, "message_id": "m-1", "response_status": "OK"}]});
        assert!(matches!(classify(&ok, 1), Outcome::Done { result, .. } if result.contains("m-1")));
        let stoplist = json!({"response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": [{"phone": "380501234567", "response_code": 404, "response_status": "NOT_ALLOWED_NUMBER_STOPLIST"}]});
        assert!(matches!(classify(&stoplist, 1), Outcome::Fail { .. }));
        let balance = json!({"response_code": 203, "response_status": "REQUIRED_BALANCE", "response_result": null});
        assert!(matches!(classify(&balance, 1), Outcome::Retry { .. }));
        let token = json!({"response_code": 301, "response_status": "INVALID_TOKEN", "response_result": null});
        assert!(matches!(classify(&token, 1), Outcome::Fail { .. }));
        let repeat = json!({"response_code": 507, "response_status": "FAILED_DUPLICATE_REQUEST", "response_result": [{"response_code": 0, "message_id": "m-1"}]});
        assert!(matches!(classify(&repeat, 2), Outcome::Done { .. }));
    }
}
