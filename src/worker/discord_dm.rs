//! Sending one outbox message to a Discord user: her DM channel (created or found by Discord),
//! then the text in pieces under 2,000 characters (a report's chart as a file on the first), the buttons (an owner's notice) as components
//! on the last (5 per row, 5 rows per message, more rows in messages of their own). Transient errors (network, 5xx, 429) retry;
//! a refusal (she left, blocks DMs, a bad request) fails.

use crate::domain::text::{escape_markdown, split_chars};
use crate::work::{retry, Outcome};
use serenity::all::{ButtonStyle, CreateActionRow, CreateAttachment, CreateButton, CreateMessage, Http, UserId};

/// Buttons as component rows, in groups of at most 5 rows (Discord's limits; a custom id over
/// 100 characters is left out).
fn groups(buttons: &[Vec<(String, String)>]) -> Vec<Vec<CreateActionRow>> {
    let rows: Vec<CreateActionRow> = buttons
        .iter()
        .flat_map(|row| row.chunks(5))
        .map(|chunk| {
            chunk
                .iter()
                .filter(|(_, id)| !id.is_empty() && id.chars().count() <= 100)
                .map(|(label, id)| {
                    let label = crate::domain::text::ellipsize(label, 80);
                    CreateButton::new(id.clone()).label(label).style(ButtonStyle::Secondary)
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .map(CreateActionRow::Buttons)
        .collect();
    rows.chunks(5).map(<[_]>::to_vec).collect()
}

/// Sends `text` (split under 2,000 characters) to `user`'s DM, the buttons on the last piece and
/// `file` (a report's chart) on the first.
pub async fn send(
    http: &Http,
    user: u64,
    text: &str,
    buttons: &[Vec<(String, String)>],
    file: Option<(String, Vec<u8>)>,
    attempt: i64,
) -> Outcome {
    if user == 0 {
        return Outcome::Fail { error: "no Discord user id".into() };
    }
    let channel = match UserId::new(user).create_dm_channel(http).await {
        Ok(c) => c,
        Err(e) => return classify(e, attempt),
    };
    let mut last = 0;
    let pieces = split_chars(&escape_markdown(text), 2000);
    let mut rows = groups(buttons).into_iter();
    let n = pieces.len();
    let mut messages: Vec<CreateMessage> = pieces
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let m = CreateMessage::new().content(p);
            if i + 1 == n {
                m.components(rows.next().unwrap_or_default())
            } else {
                m
            }
        })
        .collect();
    messages.extend(rows.map(|r| CreateMessage::new().components(r)));
    if let Some((name, bytes)) = file {
        let first = messages.is_empty().then(CreateMessage::new).unwrap_or_else(|| messages.remove(0));
        messages.insert(0, first.add_file(CreateAttachment::bytes(bytes, name)));
    }
    for m in messages {
        match channel.id.send_message(http, m).await {
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
