//! The owner's side of the assistant's cards: send the draft as it is, edit it (or reply to the
//! card), ignore it, save her answer to the knowledge base, pause the assistant for one chat.
//! A draft is claimed before anything is sent, so a second tap or a second owner sends nothing;
//! if sending fails the draft waits for her again.

use super::{CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::DraftStatus;
use crate::store::interactions::{Direction, Kind};
use crate::work::JobSpec;

crate::core::callback::callbacks! {
    /// Buttons of the assistant's cards.
    pub enum DraftCb {
        Send(id: i64) => "ds",
        Edit(id: i64) => "de",
        Ignore(id: i64) => "di",
        Save(id: i64) => "dk",
        /// Pause or resume the assistant for one client's conversation.
        ChatPause(client: i64) => "cp",
    }
}

/// The owner pressed one of the draft buttons.
pub async fn on_button(ctx: &Ctx<'_>, cb: DraftCb) -> CoreResult {
    match cb {
        DraftCb::Send(id) => send_draft(ctx, id).await,
        DraftCb::Edit(id) => edit_draft(ctx, id).await,
        DraftCb::Ignore(id) => ignore_draft(ctx, id).await,
        DraftCb::Save(id) => save_draft(ctx, id).await,
        DraftCb::ChatPause(id) => toggle_pause(ctx, id).await,
    }
}

/// The owner's own text for a draft (stored as `{"step":"draft_edit","draft":9}`, see `dialog`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum DraftDialog {
    DraftEdit { draft: i64 },
}

pub async fn answer(ctx: &Ctx<'_>, d: DraftDialog, text: &str) -> CoreResult {
    match d {
        DraftDialog::DraftEdit { draft } => edited(ctx, draft, text).await,
    }
}

/// Sends `text` to the client as the studio on the draft's channel; how many messages went out.
async fn deliver(ctx: &Ctx<'_>, client: i64, channel: &str, text: &str, key: &str) -> CoreResult<usize> {
    let store = ctx.store();
    match channel {
        "instagram" => super::instagram::send_as_owner(ctx, client, text, key).await,
        "discord" => {
            let user = store.discord_id_of(client).await?.ok_or(CoreError::user("conv-no-discord"))?;
            let job = JobSpec::SendDiscord { user, text: text.to_string(), buttons: vec![] }
                .job(chrono::Utc::now(), key.to_string());
            store.enqueue_many(&[job]).await?;
            store.add_interaction(client, "discord", Direction::Out, Kind::Message, text).await?;
            Ok(1)
        }
        _ => {
            let chat = store.client(client).await?.telegram_id.ok_or(CoreError::user("conv-no-telegram"))?;
            let job = JobSpec::SendTelegram { chat_id: chat, text: text.to_string(), buttons: vec![] }
                .job(chrono::Utc::now(), key.to_string());
            store.enqueue_many(&[job]).await?;
            store.add_interaction(client, "telegram", Direction::Out, Kind::Message, text).await?;
            Ok(1)
        }
    }
}

async fn pending(ctx: &Ctx<'_>, id: i64) -> CoreResult<crate::store::assistant::Draft> {
    let d = ctx.store().draft(id).await?.ok_or(CoreError::NotFound)?;
    if d.status != DraftStatus::Pending {
        return Err(CoreError::user("conv-draft-done"));
    }
    Ok(d)
}

/// "Send": the suggested reply goes out as it is.
pub async fn send_draft(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let d = pending(ctx, id).await?;
    finish(ctx, d, None).await
}

/// The owner's own text for a draft (after "Edit", or a paused conversation).
pub async fn edited(ctx: &Ctx<'_>, id: i64, text: &str) -> CoreResult {
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| super::parse_error(e, "note"))?;
    super::dialog::clear(ctx).await?;
    let d = pending(ctx, id).await?;
    finish(ctx, d, Some(text)).await
}

async fn finish(ctx: &Ctx<'_>, d: crate::store::assistant::Draft, text: Option<String>) -> CoreResult {
    let text = text.unwrap_or_else(|| d.suggestion.clone());
    if text.trim().is_empty() {
        return Err(CoreError::user("conv-draft-empty"));
    }
    // Claim first so a second tap (or a second owner) sends nothing; release if sending fails.
    if !ctx.store().resolve_draft(d.id, DraftStatus::Sent, Some(&text)).await? {
        return Err(CoreError::user("conv-draft-done"));
    }
    let count = match deliver(ctx, d.client_id, &d.channel, &text, &format!("draft:{}", d.id)).await {
        Ok(n) => n,
        Err(e) => {
            ctx.store().reopen_draft(d.id).await?;
            return Err(e);
        }
    };
    let reply = Reply::text(ctx.t_args("conv-sent", &[("count", count.into())]))
        .with_buttons(vec![vec![super::Button::new(ctx.t("btn-draft-save"), DraftCb::Save(d.id))]])
        .editing(false);
    Ok(Output::one(reply))
}

/// The owner replied (Telegram's reply) to a client's card: her text goes to that client, whether
/// or not the card's draft was already handled (then it continues the conversation).
pub async fn reply_to_card(ctx: &Ctx<'_>, id: i64, text: &str) -> CoreResult {
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| super::parse_error(e, "note"))?;
    super::dialog::clear(ctx).await?;
    let d = ctx.store().draft(id).await?.ok_or(CoreError::NotFound)?;
    let d = if d.status == DraftStatus::Pending {
        d
    } else {
        let again = ctx.store().create_draft(d.client_id, &d.channel, &d.question, "").await?;
        ctx.store().draft(again).await?.ok_or(CoreError::NotFound)?
    };
    finish(ctx, d, Some(text)).await
}

pub async fn edit_draft(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let d = pending(ctx, id).await?;
    let name = ctx.store().client(d.client_id).await?.full_name;
    super::dialog::prompt(
        ctx,
        DraftDialog::DraftEdit { draft: id },
        ctx.t_args("conv-ask-edit", &[("name", name.into())]),
    )
    .await
}

pub async fn ignore_draft(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    if !ctx.store().resolve_draft(id, DraftStatus::Ignored, None).await? {
        return Err(CoreError::user("conv-draft-done"));
    }
    Ok(Output::one(Reply::text(ctx.t("conv-ignored"))))
}

/// "Save to knowledge base": the question and her answer; the assistant uses it at once.
pub async fn save_draft(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    match ctx.store().save_draft_to_kb(id).await? {
        Some((q, a)) => {
            if let Some(assistant) = ctx.core.assistant() {
                assistant.learned.add(&q, &a);
            }
            Ok(Output::one(Reply::text(ctx.t("conv-saved")).editing(true)))
        }
        None => Err(CoreError::user("conv-save-done")),
    }
}

/// Pauses or resumes the assistant for one conversation.
pub async fn toggle_pause(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    let now = !ctx.store().conversation_paused(client).await?;
    ctx.store().set_conversation_paused(client, now).await?;
    let name = ctx.store().client(client).await?.full_name;
    let key = if now { "conv-chat-paused" } else { "conv-chat-resumed" };
    Ok(Output::one(Reply::text(ctx.t_args(key, &[("name", name.into())]))))
}
