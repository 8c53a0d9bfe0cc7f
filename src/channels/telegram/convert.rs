//! Telegram update → core `Input`. Only private chats are served: a bot added to a group never
//! answers there, so nothing about clients can leak into a group chat.

use crate::core::{Actor, Channel, Input, InputKind};
use teloxide::types::{CallbackQueryId, ChatId, MessageId, Update, UpdateKind, User};

/// Where to answer: the chat, and for a button press the query to acknowledge and the message
/// that carried the button (to edit in place).
#[derive(Debug, Clone)]
pub struct Origin {
    pub chat: ChatId,
    pub callback: Option<CallbackQueryId>,
    pub message: Option<MessageId>,
}

pub struct Incoming {
    pub input: Input,
    pub origin: Origin,
    /// A document to download before the core sees the input (its size is already checked).
    pub download: Option<teloxide::types::FileId>,
}

fn actor(user: &User) -> Actor {
    let name = match &user.last_name {
        Some(last) => format!("{} {last}", user.first_name),
        None => user.first_name.clone(),
    };
    Actor {
        channel: Channel::Telegram,
        id: user.id.0.to_string(),
        display_name: Some(name),
        lang_hint: user.language_code.clone(),
    }
}

pub fn from_update(update: &Update) -> Option<Incoming> {
    match &update.kind {
        UpdateKind::Message(m) => {
            if !m.chat.is_private() {
                return None;
            }
            let user = m.from.as_ref()?;
            let mut download = None;
            let kind = if let Some(doc) = m.document() {
                let size = doc.file.size as u64;
                if size <= crate::spreadsheet::MAX_BYTES as u64 {
                    download = Some(doc.file.id.clone());
                }
                InputKind::File { name: doc.file_name.clone().unwrap_or_else(|| "file".into()), size, bytes: None }
            } else if let Some(text) = m.text() {
                let to: Vec<String> = m
                    .reply_to_message()
                    .and_then(|r| r.reply_markup())
                    .map(|k| {
                        k.inline_keyboard
                            .iter()
                            .flatten()
                            .filter_map(|b| match &b.kind {
                                teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => Some(d.clone()),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if to.is_empty() {
                    InputKind::Text(text.to_string())
                } else {
                    InputKind::ReplyText { text: text.to_string(), to }
                }
            } else if let Some(c) = m.contact() {
                let name = match &c.last_name {
                    Some(l) => format!("{} {l}", c.first_name),
                    None => c.first_name.clone(),
                };
                InputKind::Contact { phone: c.phone_number.clone(), name: Some(name), own: c.user_id == Some(user.id) }
            } else {
                InputKind::Unsupported
            };
            Some(Incoming {
                input: Input { actor: actor(user), kind },
                origin: Origin { chat: m.chat.id, callback: None, message: None },
                download,
            })
        }
        UpdateKind::CallbackQuery(q) => {
            let msg = q.message.as_ref()?;
            if !msg.chat().is_private() {
                return None;
            }
            Some(Incoming {
                input: Input { actor: actor(&q.from), kind: InputKind::Callback(q.data.clone().unwrap_or_default()) },
                origin: Origin { chat: msg.chat().id, callback: Some(q.id.clone()), message: Some(msg.id()) },
                download: None,
            })
        }
        _ => None,
    }
}
