//! Sending one outbox message through the Bot API, and classifying the answer: transient errors
//! (network, 5xx, 429) retry, permanent ones (blocked, chat not found, bad request) fail.

use super::{backoff, Outcome};
use crate::domain::text::ellipsize;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::{ApiError, RequestError};

pub async fn send(bot: &Bot, chat_id: i64, text: &str, buttons: &[Vec<(String, String)>], attempt: i64) -> Outcome {
    let mut req = bot.send_message(ChatId(chat_id), text.to_string());
    if !buttons.is_empty() {
        req = req.reply_markup(InlineKeyboardMarkup::new(buttons.iter().map(|row| {
            row.iter()
                .map(|(label, data)| InlineKeyboardButton::callback(ellipsize(label, 60), data.clone()))
                .collect::<Vec<_>>()
        })));
    }
    match req.await {
        Ok(msg) => Outcome::done(format!("{{\"message_id\":{}}}", msg.id.0)),
        Err(RequestError::RetryAfter(secs)) => {
            Outcome::Retry { after: secs.duration().max(Duration::from_secs(1)), error: "429 retry after".into() }
        }
        Err(e @ (RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. })) => {
            Outcome::Retry { after: backoff(attempt), error: e.to_string() }
        }
        // Descriptions teloxide does not know (a 5xx "Internal Server Error", say) may pass;
        // known ones (blocked, chat not found, bad request) will not.
        Err(e @ RequestError::Api(ApiError::Unknown(_))) => {
            Outcome::Retry { after: backoff(attempt), error: e.to_string() }
        }
        Err(e) => Outcome::Fail { error: e.to_string() },
    }
}
