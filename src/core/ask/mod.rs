//! Plain-language owner questions and commands (issue 17): "хто не прийшов цього тижня?",
//! "запиш Марію на пт 15:00", "скільки заробили в листопаді?".
//!
//! A sentence becomes one typed [`action::Action`] (the read-mostly API): through the LLM's tool
//! calling when `LLM_API_KEY` is set (`tools.rs`, one tool per action, its arguments validated by
//! the same `Action::from_json`), else, or when the model fails, through the offline grammar
//! (`grammar.rs`, `sentence.rs`, `tokens.rs`). Reads answer at once with the data of the existing use
//! cases (`run.rs`). **Writes are never run from the sentence**: the owner gets a confirmation
//! card saying exactly what will happen (the client resolved to her card); the action waits
//! server-side in the owner's dialog row with a random key, and only ✅ with that key, within
//! [`TTL_MINUTES`], runs it, once. A forged key, a second tap, a stale card or any other input
//! in between finds nothing to run. Anything not understood gets "I did not understand" with the
//! closest commands as buttons; a bare name or phone still searches clients as before.

pub mod action;
pub mod grammar;
pub mod run;
pub mod sentence;
pub mod tokens;
pub mod tools;

use super::callback::callbacks;
use super::commands::{OwnerCommand, OWNER};
use super::dialog;
use super::{Button, CoreError, CoreResult, Ctx, Output, Reply};
use action::Action;
use serde::{Deserialize, Serialize};

/// How long a confirmation card can be tapped.
pub const TTL_MINUTES: i64 = 30;

callbacks! {
    /// The confirmation card's buttons and the "did you mean" commands.
    pub enum AskCb {
        Confirm(key: i64) => "aky" keeps_dialog,
        Reject(key: i64) => "akn" keeps_dialog,
        Command(index: u8) => "akc",
    }
}

/// A write waiting for its tap: the action's JSON, its key, when it was asked (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum AskDialog {
    AskConfirm { key: i64, action: serde_json::Value, at: i64 },
}

/// The owner's wall clock now.
fn local_now(ctx: &Ctx<'_>) -> chrono::NaiveDateTime {
    crate::store::now().with_timezone(&ctx.tz()).naive_local()
}

/// Maps a sentence to an action: the model when configured (falling back to the grammar when it
/// fails), else the grammar.
pub async fn understand(ctx: &Ctx<'_>, text: &str) -> Action {
    let offline = grammar::parse(text, local_now(ctx));
    if let Some(settings) = &ctx.core.config().llm {
        match tools::understand(ctx.store(), settings, text, local_now(ctx)).await {
            Ok(a) => return a,
            Err(e) => tracing::warn!(error = %e, "owner question: the model failed, the grammar answers"),
        }
    }
    offline
}

/// Free text from the owner outside any flow. A bare name or phone (what the grammar does not
/// read as a request, three words at most) searches clients as it always did.
pub async fn free_text(ctx: &Ctx<'_>, text: &str) -> CoreResult {
    let offline = grammar::parse(text, local_now(ctx));
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if offline == Action::Unknown && (text.split_whitespace().count() <= 3 || letters == 0) {
        return super::clients::free_text(ctx, text).await;
    }
    let action = if ctx.core.config().llm.is_some() { understand(ctx, text).await } else { offline };
    tracing::debug!(action = action.name(), "owner question");
    if action == Action::Unknown {
        return Ok(not_understood(ctx, text));
    }
    if action.is_write() {
        return confirm_card(ctx, &action).await;
    }
    match run::read(ctx, &action).await {
        Some(out) => out,
        None => Ok(not_understood(ctx, text)),
    }
}

fn new_key() -> CoreResult<i64> {
    let mut b = [0u8; 8];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("no entropy for a confirmation key: {e}"))?;
    Ok((i64::from_le_bytes(b) & i64::MAX).max(1))
}

/// The card of a write: what will happen, ✅ / ❌. The action waits in the dialog row.
pub async fn confirm_card(ctx: &Ctx<'_>, a: &Action) -> CoreResult {
    let what = run::describe(ctx, a).await?;
    let key = new_key()?;
    let at = crate::store::now().timestamp();
    dialog::set(ctx, AskDialog::AskConfirm { key, action: a.to_json(), at }).await?;
    let text = format!("{}\n\n{what}", ctx.t("ask-confirm"));
    let rows = vec![vec![
        Button::new(ctx.t("btn-ask-yes"), AskCb::Confirm(key)),
        Button::new(ctx.t("btn-ask-no"), AskCb::Reject(key)),
    ]];
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// The pending action with this key, taken (single use); `None` when forged, used or stale.
async fn take_pending(ctx: &Ctx<'_>, key: i64) -> CoreResult<Option<Action>> {
    let Some(dialog::Dialog::Ask(AskDialog::AskConfirm { key: k, action, at })) = dialog::current(ctx).await? else {
        return Ok(None);
    };
    if k != key {
        return Ok(None);
    }
    dialog::clear(ctx).await?;
    if crate::store::now().timestamp() - at > TTL_MINUTES * 60 {
        return Ok(None);
    }
    Ok(Action::from_value(&action).filter(Action::is_write))
}

pub async fn on_button(ctx: &Ctx<'_>, cb: AskCb) -> CoreResult {
    match cb {
        AskCb::Confirm(key) => match take_pending(ctx, key).await? {
            Some(a) => {
                tracing::info!(action = a.name(), "owner confirmed a plain-language write");
                run::write(ctx, &a).await
            }
            None => Ok(Output::one(Reply::text(ctx.t("ask-expired")).editing(true)).toast(ctx.t("btn-expired"))),
        },
        AskCb::Reject(key) => {
            let _ = take_pending(ctx, key).await?;
            Ok(Output::one(Reply::text(ctx.t("cancelled")).editing(true)))
        }
        AskCb::Command(i) => match OWNER.get(i as usize) {
            Some(c) => super::commands::run_command(ctx, c.name, "").await,
            None => Err(CoreError::NotFound),
        },
    }
}

/// A typed answer while a card waits: the card is dropped and the text read afresh.
pub async fn answer(ctx: &Ctx<'_>, _d: AskDialog, text: &str) -> CoreResult {
    dialog::clear(ctx).await?;
    free_text(ctx, text).await
}

/// The commands whose names or descriptions share the most words with `text` (up to three):
/// words of four letters or more, folded and transliterated like client messages, compared on
/// their first five letters.
pub fn closest(ctx: &Ctx<'_>, text: &str) -> Vec<usize> {
    use crate::assistant::normalize::words as folded;
    let long = |w: &String| w.chars().count() >= 4;
    let said: Vec<String> = folded(text).into_iter().filter(long).collect();
    let same = |a: &str, b: &str| a.chars().take(5).eq(b.chars().take(5));
    let mut scored: Vec<(usize, usize)> = OWNER
        .iter()
        .enumerate()
        .filter(|(_, c)| c.menu.is_some() && !matches!(c.command, OwnerCommand::Cancel | OwnerCommand::Help))
        .map(|(i, c)| {
            let desc = format!("{} {}", c.name.replace('_', " "), c.menu.map(|k| ctx.t(k)).unwrap_or_default());
            let theirs: Vec<String> = folded(&desc).into_iter().chain(folded(c.name)).filter(long).collect();
            (i, said.iter().filter(|w| theirs.iter().any(|t| same(w, t))).count())
        })
        .filter(|(_, s)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.into_iter().take(3).map(|(i, _)| i).collect()
}

/// "I did not understand", with the closest commands as buttons (the main ones when none is close).
pub fn not_understood(ctx: &Ctx<'_>, text: &str) -> Output {
    let near = closest(ctx, text);
    if near.is_empty() {
        return Output::one(Reply::text(ctx.t("ask-not-understood")).with_buttons(super::commands::main_buttons(ctx)));
    }
    let rows = near
        .into_iter()
        .map(|i| {
            let c = &OWNER[i];
            vec![Button::new(
                format!("/{} — {}", c.name, c.menu.map(|k| ctx.t(k)).unwrap_or_default()),
                AskCb::Command(i as u8),
            )]
        })
        .collect();
    Output::one(Reply::text(ctx.t("ask-not-understood-near")).with_buttons(rows))
}
