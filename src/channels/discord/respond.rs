//! Core `Output` → Discord: the interaction response (an in-place update of the message for a
//! button whose reply edits, as Telegram edits), follow-ups for the rest, plain messages in a
//! DM. Text is escaped (Discord reads Markdown; our texts are plain) and split under Discord's
//! 2,000 characters; buttons become components (5 per row, 5 rows per message, the rest in a
//! message of their own) whose `custom_id` is the callback data; charts and exports are files.

use crate::core::{Core, Output, Reply};
use crate::domain::text::ellipsize;
use serenity::all::{
    ButtonStyle, ChannelId, CommandInteraction, ComponentInteraction, CreateActionRow, CreateAttachment, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse, Http,
};
use std::time::Duration;

/// Discord's limits: message content, a button's label and custom id, buttons per row, rows.
pub const MAX_CONTENT: usize = 2000;
pub const MAX_LABEL: usize = 80;
pub const MAX_CUSTOM_ID: usize = 100;
const ROW: usize = 5;
const ROWS: usize = 5;

/// The interaction being answered.
#[derive(Clone, Copy)]
pub enum Pressed<'a> {
    Command(&'a CommandInteraction),
    Button(&'a ComponentInteraction),
}

impl Pressed<'_> {
    async fn respond(self, http: &Http, r: CreateInteractionResponse) -> serenity::Result<()> {
        match self {
            Pressed::Command(c) => c.create_response(http, r).await,
            Pressed::Button(c) => c.create_response(http, r).await,
        }
    }

    /// Edits the interaction's response: the "thinking…" of a deferred command, or the message
    /// whose button was pressed.
    async fn edit(self, http: &Http, e: EditInteractionResponse) -> serenity::Result<()> {
        match self {
            Pressed::Command(c) => c.edit_response(http, e).await.map(drop),
            Pressed::Button(c) => c.edit_response(http, e).await.map(drop),
        }
    }

    async fn follow(self, http: &Http, f: CreateInteractionResponseFollowup) -> serenity::Result<()> {
        match self {
            Pressed::Command(c) => c.create_followup(http, f).await.map(drop),
            Pressed::Button(c) => c.create_followup(http, f).await.map(drop),
        }
    }
}

/// One Discord message to send: text, component rows (label, custom id), files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub rows: Vec<Vec<(String, String)>>,
    pub files: Vec<(String, Vec<u8>)>,
    /// Replaces the message whose button was pressed.
    pub edit: bool,
}

/// The output as Discord messages, in order.
pub fn pieces(output: Output) -> Vec<Piece> {
    let mut out = vec![];
    for reply in output.replies {
        out.extend(reply_pieces(reply));
    }
    out
}

fn reply_pieces(reply: Reply) -> Vec<Piece> {
    let mut files = vec![];
    if let Some(png) = reply.photo {
        files.push(("report.png".to_string(), png));
    }
    if let Some(a) = reply.attachment {
        files.push((a.name, a.bytes));
    }
    let mut texts = split(&escape(&reply.text), MAX_CONTENT);
    if texts.is_empty() {
        texts.push(String::new());
    }
    let mut groups = row_groups(&reply.buttons).into_iter();
    let last = texts.len() - 1;
    let edit = reply.edit && files.is_empty() && texts.len() == 1;
    let mut out: Vec<Piece> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Piece {
            text,
            rows: if i == last { groups.next().unwrap_or_default() } else { vec![] },
            files: if i == 0 { std::mem::take(&mut files) } else { vec![] },
            edit: edit && i == 0,
        })
        .collect();
    out.extend(groups.map(|rows| Piece { rows, ..Default::default() }));
    out
}

/// Buttons in rows of at most 5, groups of at most 5 rows; a custom id Discord would refuse
/// (over 100 characters, or twice in one message) is left out and logged.
pub fn row_groups(buttons: &[Vec<crate::core::Button>]) -> Vec<Vec<Vec<(String, String)>>> {
    let mut rows = vec![];
    for row in buttons {
        for chunk in row.chunks(ROW) {
            rows.push(chunk.iter().map(|b| (ellipsize(&b.label, MAX_LABEL), b.data.clone())).collect::<Vec<_>>());
        }
    }
    let mut groups: Vec<Vec<Vec<(String, String)>>> = vec![];
    for group in rows.chunks(ROWS) {
        let mut seen = std::collections::HashSet::new();
        let group: Vec<Vec<(String, String)>> = group
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|(_, id)| {
                        let ok = !id.is_empty() && id.chars().count() <= MAX_CUSTOM_ID && seen.insert(id.clone());
                        if !ok {
                            tracing::warn!(custom_id = %id, "discord: a button Discord would refuse is left out");
                        }
                        ok
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .filter(|row| !row.is_empty())
            .collect();
        if !group.is_empty() {
            groups.push(group);
        }
    }
    groups
}

fn components(rows: &[Vec<(String, String)>]) -> Vec<CreateActionRow> {
    rows.iter()
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|(label, id)| CreateButton::new(id.clone()).label(label.clone()).style(ButtonStyle::Secondary))
                    .collect(),
            )
        })
        .collect()
}

fn attachments(files: &[(String, Vec<u8>)]) -> Vec<CreateAttachment> {
    files.iter().map(|(name, bytes)| CreateAttachment::bytes(bytes.clone(), name.clone())).collect()
}

fn response_message(p: &Piece) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(p.text.clone())
        .components(components(&p.rows))
        .files(attachments(&p.files))
}

fn followup(p: &Piece) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(p.text.clone())
        .components(components(&p.rows))
        .files(attachments(&p.files))
}

fn edit_message(p: &Piece) -> EditInteractionResponse {
    let mut e = EditInteractionResponse::new().content(p.text.clone()).components(components(&p.rows));
    for a in attachments(&p.files) {
        e = e.new_attachment(a);
    }
    e
}

/// Runs `work`; when it is not done after `after`, first defers the interaction (a command shows
/// "thinking…", a button is acknowledged silently), because Discord drops an interaction not
/// answered within 3 s. Returns the output and whether it was deferred.
pub async fn within_window<F>(
    http: &Http,
    pressed: Pressed<'_>,
    after: Duration,
    work: F,
) -> anyhow::Result<(Output, bool)>
where
    F: std::future::Future<Output = Output>,
{
    let mut work = std::pin::pin!(work);
    if !after.is_zero() {
        if let Ok(out) = tokio::time::timeout(after, &mut work).await {
            return Ok((out, false));
        }
    }
    let defer = match pressed {
        Pressed::Command(_) => CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new()),
        Pressed::Button(_) => CreateInteractionResponse::Acknowledge,
    };
    pressed.respond(http, defer).await?;
    Ok((work.await, true))
}

/// Answers an interaction: the first message is the interaction's response (for a button whose
/// reply edits, an in-place update of that message), the others follow-ups. Nothing to show
/// acknowledges a button silently; a notice (Telegram's toast) only its presser sees. After a
/// deferral the response exists already: the first message edits it (a command's "thinking…",
/// or the pressed button's message when the reply edits) or follows it.
pub async fn to_interaction(
    http: &Http,
    core: &Core,
    pressed: Pressed<'_>,
    output: Output,
    deferred: bool,
) -> anyhow::Result<()> {
    let toast = output.toast.clone();
    let lang = output.lang;
    let mut answered = false;
    for p in pieces(output) {
        match (answered, deferred, pressed, p.edit) {
            (true, ..) | (false, true, Pressed::Button(_), false) => pressed.follow(http, followup(&p)).await?,
            (false, true, ..) => pressed.edit(http, edit_message(&p)).await?,
            (false, false, Pressed::Button(_), true) => {
                pressed.respond(http, CreateInteractionResponse::UpdateMessage(response_message(&p))).await?
            }
            (false, false, ..) => {
                pressed.respond(http, CreateInteractionResponse::Message(response_message(&p))).await?
            }
        }
        answered = true;
    }
    if deferred && !answered {
        // The deferral answered already: a command's "thinking…" becomes the notice or "done".
        match (toast, pressed) {
            (Some(t), Pressed::Button(_)) => {
                pressed
                    .follow(http, CreateInteractionResponseFollowup::new().content(escape(&t)).ephemeral(true))
                    .await?
            }
            (Some(t), Pressed::Command(_)) => {
                pressed.edit(http, EditInteractionResponse::new().content(escape(&t))).await?
            }
            (None, Pressed::Command(_)) => {
                let done = core.i18n().format(lang, "dc-done", &[]);
                pressed.edit(http, EditInteractionResponse::new().content(done)).await?
            }
            (None, Pressed::Button(_)) => {}
        }
        return Ok(());
    }
    match (answered, toast, pressed) {
        (false, Some(t), _) => {
            let m = CreateInteractionResponseMessage::new().content(escape(&t)).ephemeral(true);
            pressed.respond(http, CreateInteractionResponse::Message(m)).await?;
        }
        (false, None, Pressed::Button(_)) => pressed.respond(http, CreateInteractionResponse::Acknowledge).await?,
        (false, None, Pressed::Command(_)) => {
            let m = CreateInteractionResponseMessage::new().content(core.i18n().format(lang, "dc-done", &[]));
            pressed.respond(http, CreateInteractionResponse::Message(m.ephemeral(true))).await?;
        }
        (true, Some(t), _) => {
            pressed.follow(http, CreateInteractionResponseFollowup::new().content(escape(&t)).ephemeral(true)).await?
        }
        (true, None, _) => {}
    }
    Ok(())
}

/// Refuses a slash command with a notice only its sender sees.
pub async fn refuse(http: &Http, c: &CommandInteraction, text: String) -> anyhow::Result<()> {
    let m = CreateInteractionResponseMessage::new().content(escape(&text)).ephemeral(true);
    Pressed::Command(c).respond(http, CreateInteractionResponse::Message(m)).await?;
    Ok(())
}

/// Renders an output as messages in a (DM) channel.
pub async fn to_channel(http: &Http, core: &Core, channel: ChannelId, output: Output) -> anyhow::Result<()> {
    let toast = output.toast.clone();
    let all = pieces(output);
    if all.is_empty() {
        if let Some(t) = toast {
            say(http, core, channel, t).await;
        }
        return Ok(());
    }
    for p in all {
        let m = CreateMessage::new().content(p.text.clone()).components(components(&p.rows));
        channel.send_files(http, attachments(&p.files), m).await?;
    }
    Ok(())
}

/// A plain notice in a channel (best effort: a failure is only logged).
pub async fn say(http: &Http, core: &Core, channel: ChannelId, text: String) {
    if let Err(e) = channel.send_message(http, CreateMessage::new().content(escape(&text))).await {
        core.metrics().send_failure();
        tracing::warn!(error = %e, "discord: could not send a notice");
    }
}

/// Our texts are plain: Discord's Markdown characters are shown as they are.
pub fn escape(text: &str) -> String {
    crate::domain::text::escape_markdown(text)
}

/// Splits at line breaks into pieces of at most `max` characters.
pub fn split(text: &str, max: usize) -> Vec<String> {
    crate::domain::text::split_chars(text, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Button;

    #[test]
    fn long_text_splits_under_discords_limit() {
        let text = "рядок\n".repeat(700);
        let parts = split(&text, MAX_CONTENT);
        assert!(parts.len() > 1 && parts.iter().all(|p| p.chars().count() <= MAX_CONTENT));
        assert_eq!(parts.concat(), text);
        assert!(split(&"я".repeat(4500), MAX_CONTENT).iter().all(|p| p.chars().count() <= MAX_CONTENT));
    }

    #[test]
    fn markdown_is_shown_as_typed() {
        assert_eq!(escape("*Ольга* 5_000\n# 1"), "\\*Ольга\\* 5\\_000\n\\# 1");
    }

    #[test]
    fn buttons_fit_discords_rows_and_ids() {
        let b = |i: usize| Button { label: format!("b{i}"), data: format!("x:{i}") };
        let rows: Vec<Vec<Button>> = (0..8).map(|r| (0..7).map(|i| b(r * 10 + i)).collect()).collect();
        let groups = row_groups(&rows);
        assert!(groups.iter().all(|g| g.len() <= ROWS && g.iter().all(|r| r.len() <= ROW)));
        assert_eq!(groups.iter().flatten().flatten().count(), 56, "no button lost");
        let long = vec![vec![Button { label: "x".into(), data: "y".repeat(101) }, b(1), b(1)]];
        assert_eq!(row_groups(&long), vec![vec![vec![("b1".to_string(), "x:1".to_string())]]]);
    }

    #[test]
    fn an_editing_reply_with_many_buttons_edits_once_and_sends_the_rest() {
        let rows: Vec<Vec<Button>> =
            (0..7).map(|i| vec![Button { label: "b".into(), data: format!("d{i}") }]).collect();
        let out = Output::one(Reply::text("card").with_buttons(rows).editing(true));
        let p = pieces(out);
        assert_eq!(p.len(), 2);
        assert!(p[0].edit && p[0].rows.len() == 5 && !p[1].edit && p[1].rows.len() == 2);
    }
}
