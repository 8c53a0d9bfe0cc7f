//! Sending one outbox message to a Discord user: her DM channel (created or found by Discord),
//! then the text in pieces under 2,000 characters. Transient errors (network, 5xx, 429) retry;
//! a refusal (she left, blocks DMs, a bad request) fails.

use crate::domain::text::{escape_markdown, split_chars};
use crate::work::{retry, Outcome};
use serenity::all::{CreateMessage, Http, UserId};

pub async fn send(http: &Http, user: u64, text: &str, attempt: i64) -> Outcome {
    if user == 0 {
        return Outcome::Fail { error: "no Discord user id".into() };
    }
    let channel = match UserId::new(user).create_dm_channel(http).await {
        Ok(c) => c,
        Err(e) => return classify(e, attempt),
    };
    let mut last = 0;
    for piece in split_chars(&escape_markdown(text), 2000) {
        match channel.id.send_message(http, CreateMessage::new().content(piece)).await {
            Ok(m) => last = m.id.get(),
            Err(e) => return classify(e, attempt),
        }
    }
    Outcome::done(format!("{{\"message_id\":{last}}}"))
}

fn classify(e: serenity::Error, attempt: i64) -> Outcome {
    use serenity::all::HttpError;
    match &e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
            if r.status_code.is_client_error() && r.status_code.as_u16() != 429 =>
        {
            Outcome::Fail { error: e.to_string() }
        }
        _ => retry(attempt, e),
    }
}
