//! Core `Output` → Bot API calls: edit in place where asked, otherwise send (split below
//! Telegram's 4096-character limit), then acknowledge the button. The last of these calls rides
//! in the webhook's response when it waits (`in_response`). The one place Telegram errors are
//! logged.

use super::convert::Origin;
use crate::core::{Button, Core, Keyboard, Output};
use crate::domain::text::{ellipsize, ellipsize_owned};
use teloxide::payloads::{AnswerCallbackQuery, EditMessageText, SendMessage};
use teloxide::prelude::*;
use teloxide::requests::{HasPayload, JsonRequest, Payload, Request};
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, KeyboardRemove,
    ReplyMarkup,
};
use teloxide::{ApiError, RequestError};

const MAX_MESSAGE: usize = 4096;

/// A Bot API call whose answer is not read: sent as `P` is, with the `Message` Telegram returns
/// skipped instead of built. (teloxide builds a `Message` through several layers of buffered,
/// untagged serde variants: for a card's edit that cost more than the card's own rendering,
/// issue 11.) Errors are read as before.
#[derive(serde::Serialize)]
#[serde(transparent)]
struct Unread<P>(P);

impl<P: Payload> Payload for Unread<P> {
    type Output = serde::de::IgnoredAny;
    const NAME: &'static str = P::NAME;
}

fn unread<P: Payload + serde::Serialize + 'static>(bot: &Bot, payload: P) -> JsonRequest<Unread<P>> {
    JsonRequest::new(bot.clone(), Unread(payload))
}

/// The core's buttons, moved into teloxide's (a label over 60 characters is shortened).
fn keyboard(rows: Vec<Vec<Button>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter()
            .map(|b| InlineKeyboardButton::callback(ellipsize_owned(b.label, 60), b.data))
            .collect::<Vec<_>>()
    }))
}

/// Splits at line breaks so that each piece has at most `max` characters.
pub fn split_message(text: &str, max: usize) -> Vec<String> {
    let mut parts = vec![];
    let mut current = String::new();
    for line in text.split_inclusive('\n') {
        let mut line = line.to_string();
        while line.chars().count() > max {
            let head: String = line.chars().take(max).collect();
            line = line.chars().skip(max).collect();
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            parts.push(head);
        }
        if current.chars().count() + line.chars().count() > max {
            parts.push(std::mem::take(&mut current));
        }
        current.push_str(&line);
    }
    if !current.trim().is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

fn log_failure(core: &Core, what: &str, e: &RequestError) {
    core.metrics().send_failure();
    tracing::warn!(error = %e, what, "telegram request failed");
}

pub async fn deliver(bot: &Bot, core: &Core, origin: &Origin, output: Output, mut slot: super::InResponse) {
    // A button press ends with its acknowledgement; a message with its last piece of text.
    let message = origin.callback.is_none();
    if let (Some(t), true, true) = (&output.toast, message, output.replies.is_empty()) {
        send_last(bot, core, &mut slot, SendMessage::new(origin.chat, t.clone())).await;
    }
    let replies = output.replies.len();
    for (r, mut reply) in output.replies.into_iter().enumerate() {
        if let Some(png) = reply.photo.take() {
            let photo = teloxide::types::InputFile::memory(png).file_name("report.png");
            if let Err(e) = bot.send_photo(origin.chat, photo).await {
                log_failure(core, "sendPhoto", &e);
            }
            // A photo comes before the text: the text is a new message, never an edit.
            reply.edit = false;
        }
        if let Some(file) = reply.attachment.take() {
            let doc = teloxide::types::InputFile::memory(file.bytes).file_name(file.name);
            if let Err(e) = bot.send_document(origin.chat, doc).await {
                log_failure(core, "sendDocument", &e);
            }
        }
        let buttons = std::mem::take(&mut reply.buttons);
        let mut inline = (!buttons.is_empty()).then(|| keyboard(buttons));
        // Only inline buttons can be edited in place; a reply keyboard needs a new message.
        if reply.edit && reply.keyboard == Keyboard::Keep && reply.text.chars().count() <= MAX_MESSAGE {
            if let Some(msg) = origin.message {
                let mut edit = EditMessageText::new(origin.chat, msg, std::mem::take(&mut reply.text));
                edit.reply_markup = inline.take();
                let mut req = unread(bot, edit);
                match req.send_ref().await {
                    Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => continue,
                    Err(e) => log_failure(core, "editMessageText", &e),
                }
                // Not edited: the same text and buttons go out as a new message.
                let edit = &mut req.payload_mut().0;
                reply.text = std::mem::take(&mut edit.text);
                inline = edit.reply_markup.take();
            }
        }
        let mut markup: Option<ReplyMarkup> = match &reply.keyboard {
            Keyboard::Keep => inline.map(ReplyMarkup::InlineKeyboard),
            Keyboard::AskContact(label) => Some(ReplyMarkup::Keyboard(
                KeyboardMarkup::new(vec![vec![KeyboardButton::new(label.clone()).request(ButtonRequest::Contact)]])
                    .resize_keyboard()
                    .one_time_keyboard(),
            )),
            Keyboard::Remove => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
        };
        let pieces = split_message(&reply.text, MAX_MESSAGE);
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut send = SendMessage::new(origin.chat, piece);
            if i == last {
                send.reply_markup = markup.take();
            }
            if message && i == last && r + 1 == replies {
                send_last(bot, core, &mut slot, send).await;
            } else if let Err(e) = unread(bot, send).await {
                log_failure(core, "sendMessage", &e);
                break;
            }
        }
    }
    // Acknowledge the button last: the answer is quick, and the acknowledgement then marks the
    // end of this update's work (tests and the benchmark wait for it).
    if let Some(id) = &origin.callback {
        let mut ack = AnswerCallbackQuery::new(id.clone());
        ack.text = output.toast.as_deref().map(|t| ellipsize(t, 200));
        if !slot.give(&ack) {
            if let Err(e) = unread(bot, ack).await {
                log_failure(core, "answerCallbackQuery", &e);
            }
        }
    }
}

/// The handling's last call: in the webhook's response when it waits, else to the Bot API.
async fn send_last(bot: &Bot, core: &Core, slot: &mut super::InResponse, send: SendMessage) {
    if !slot.give(&send) {
        if let Err(e) = unread(bot, send).await {
            log_failure(core, "sendMessage", &e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_message;

    #[test]
    fn long_text_splits_on_lines_under_the_limit() {
        let text = "рядок\n".repeat(2000);
        let parts = split_message(&text, 4096);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= 4096));
        assert_eq!(parts.concat(), text);
        let one_line = "я".repeat(9000);
        assert!(split_message(&one_line, 4096).iter().all(|p| p.chars().count() <= 4096));
    }
}
