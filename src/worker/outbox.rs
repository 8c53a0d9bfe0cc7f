//! Sending one outbox message through the Bot API, and classifying the answer: transient errors
//! (network, 5xx, 429) retry, permanent ones (blocked, chat not found, bad request) fail.

use crate::domain::text::ellipsize;
use crate::work::{retry, Outcome};
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, RequestError};

/// Bots may upload documents up to 50 MB.
const MAX_DOCUMENT: u64 = 50 * 1024 * 1024;

/// One file from disk as a document. The file is read when the job runs (a backup pruned
/// meanwhile fails for good: a newer one exists).
pub async fn send_document(bot: &Bot, chat_id: i64, path: &str, caption: &str, attempt: i64) -> Outcome {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_DOCUMENT => {
            return Outcome::Fail { error: format!("{path}: {} bytes, above Telegram's 50 MB for bots", m.len()) }
        }
        Ok(_) => {}
        Err(e) => return Outcome::Fail { error: format!("{path}: {e}") },
    }
    let name = std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let file = teloxide::types::InputFile::file(path).file_name(name);
    classify(bot.send_document(ChatId(chat_id), file).caption(caption.to_string()).await, attempt)
}

/// One chart (PNG) with its caption (at most 1024 characters: the caller's to keep).
pub async fn send_photo(bot: &Bot, chat_id: i64, png: Vec<u8>, caption: &str, attempt: i64) -> Outcome {
    let photo = teloxide::types::InputFile::memory(png).file_name("report.png");
    classify(bot.send_photo(ChatId(chat_id), photo).caption(caption.to_string()).await, attempt)
}

pub async fn send(bot: &Bot, chat_id: i64, text: &str, buttons: &[Vec<(String, String)>], attempt: i64) -> Outcome {
    let mut req = bot.send_message(ChatId(chat_id), text.to_string());
    if !buttons.is_empty() {
        req = req.reply_markup(InlineKeyboardMarkup::new(buttons.iter().map(|row| {
            row.iter()
                .map(|(label, data)| InlineKeyboardButton::callback(ellipsize(label, 60), data.clone()))
                .collect::<Vec<_>>()
        })));
    }
    classify(req.await, attempt)
}

fn classify(answer: Result<teloxide::types::Message, RequestError>, attempt: i64) -> Outcome {
    match answer {
        Ok(msg) => Outcome::done(format!("{{\"message_id\":{}}}", msg.id.0)),
        Err(RequestError::RetryAfter(secs)) => {
            Outcome::Retry { after: secs.duration().max(Duration::from_secs(1)), error: "429 retry after".into() }
        }
        Err(e @ (RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. })) => {
            retry(attempt, e.to_string())
        }
        // Descriptions teloxide does not know (a 5xx "Internal Server Error", say) may pass;
        // known ones (blocked, chat not found, bad request) will not.
        Err(e @ RequestError::Api(ApiError::Unknown(_))) => retry(attempt, e.to_string()),
        Err(e) => Outcome::Fail { error: e.to_string() },
    }
}
