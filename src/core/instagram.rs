//! Instagram Direct messages into the CRM: every sender becomes (or is linked to) a client/lead,
//! every message lands in her timeline, and the owner sees it in Telegram with the card one tap
//! away. Echoes of the studio's own messages are logged as outgoing and never treated as a client's.
//! What to answer is `conversation`'s job, the same for every channel.

use super::Core;
use crate::domain::ClientName;
use crate::store::interactions::{Direction, Kind};
use crate::store::jobs::Job;
use crate::work::{retry, Outcome};
use serde_json::Value;

/// What the message carries, for the timeline.
fn describe(tr: &crate::i18n::Tr<'_>, msg: &Value) -> String {
    let mut parts = vec![];
    if let Some(t) = msg.get("text").and_then(Value::as_str) {
        parts.push(t.chars().take(2000).collect::<String>());
    }
    if msg.pointer("/reply_to/story").is_some() {
        parts.push(tr.t("ig-story-reply"));
    }
    for a in msg.get("attachments").and_then(Value::as_array).into_iter().flatten() {
        parts.push(match a.get("type").and_then(Value::as_str).unwrap_or("") {
            "image" => tr.t("ig-photo"),
            "audio" => tr.t("ig-voice"),
            "video" | "ig_reel" | "reel" => tr.t("ig-video"),
            "story_mention" => tr.t("ig-story-mention"),
            _ => tr.t("ig-attachment"),
        });
    }
    if parts.is_empty() {
        parts.push(tr.t("ig-attachment"));
    }
    parts.join(" ")
}

pub async fn process(core: &Core, job: &Job, account: &str, ev: &Value) -> Outcome {
    let store = core.store();
    let tr = crate::i18n::Tr { i18n: core.i18n(), lang: crate::i18n::Lang::Uk };
    let sender = ev.pointer("/sender/id").and_then(Value::as_str).unwrap_or("");
    let recipient = ev.pointer("/recipient/id").and_then(Value::as_str).unwrap_or("");
    let msg = ev.get("message").cloned().unwrap_or(Value::Null);
    let echo = msg.get("is_echo").and_then(Value::as_bool) == Some(true) || (!account.is_empty() && sender == account);
    // The client is the other side of the conversation.
    let contact = if echo { recipient } else { sender };
    if contact.is_empty() {
        return Outcome::done("skipped: no sender");
    }
    let who = super::clients::Known::Instagram(contact);
    let existing = match super::clients::find::find(store, who).await {
        Ok(c) => c,
        Err(e) => return retry(job.attempts, e.to_string()),
    };
    if echo {
        // What the owner typed in the Instagram app: keep it in the timeline of a known client.
        return match existing {
            Some(id) => {
                match store.add_interaction(id, "instagram", Direction::Out, Kind::Message, &describe(&tr, &msg)).await
                {
                    Ok(_) => Outcome::done("echo logged"),
                    Err(e) => retry(job.attempts, e.to_string()),
                }
            }
            None => Outcome::done("echo of an unknown conversation: ignored"),
        };
    }
    let text = if msg.get("is_deleted").and_then(Value::as_bool) == Some(true) {
        tr.t("ig-deleted")
    } else if let Some(p) = ev.pointer("/postback/title").and_then(Value::as_str) {
        format!("▶️ {p}")
    } else {
        describe(&tr, &msg)
    };
    let client = match existing {
        Some(id) => id,
        None => {
            let tail: String = contact.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            let name = ClientName::parse(&tr.t_args("ig-lead-name", &[("id", tail.into())]))
                .unwrap_or_else(|_| ClientName::parse("Instagram").expect("valid name"));
            match super::clients::find_or_create(store, who, &name, "instagram").await {
                Ok(id) => id,
                Err(e) => return retry(job.attempts, e.to_string()),
            }
        }
    };
    if let Err(e) = store.add_interaction(client, "instagram", Direction::In, Kind::Message, &text).await {
        return retry(job.attempts, e.to_string());
    }
    if super::product_life::is_stop_word(&text) {
        // STOP: no more reminders over her products' life; she is told, in her window.
        if let Err(e) = store.set_aftercare_opt_out(client, true).await {
            return retry(job.attempts, e.to_string());
        }
        let key = format!("{}:stop", job.idempotency_key);
        let follow_ups = super::conversation::instagram_jobs(contact, &tr.t("aftercare-stopped"), false, &key);
        return Outcome::Done { result: format!("client {client}: opted out of reminders"), follow_ups };
    }
    let has_text = msg.get("text").and_then(Value::as_str).is_some_and(|t| !t.trim().is_empty());
    let via = super::conversation::Via::Instagram(contact.to_string());
    match super::conversation::handle(core, &tr, client, &via, &text, has_text, &job.idempotency_key).await {
        Ok(h) => Outcome::Done {
            result: format!("client {client}: {}", if h.escalated { "to the owner" } else { "answered" }),
            follow_ups: h.jobs,
        },
        Err(e) => retry(job.attempts, format!("{e:#}")),
    }
}

/// The owner's switch that pauses automatic answers (`/assistant off`).
pub const PAUSE_SWITCH: &str = "assistant.paused";

/// `/assistant on|off`: automatic answers to clients on or paused.
pub async fn switch(ctx: &super::Ctx<'_>, args: &str) -> super::CoreResult {
    use super::{Output, Reply};
    match args.trim() {
        "off" | "вимк" | "стоп" | "pause" => ctx.store().set_setting(PAUSE_SWITCH, "on").await?,
        "on" | "увімк" | "старт" | "resume" => ctx.store().set_setting(PAUSE_SWITCH, "off").await?,
        _ => {}
    }
    let paused = ctx.store().switch_on(PAUSE_SWITCH).await?;
    let key = match (ctx.core.assistant().is_some(), paused) {
        (false, _) => "assistant-missing",
        (true, true) => "assistant-paused",
        (true, false) => "assistant-on",
    };
    let mut text = ctx.t(key);
    let mut rows = vec![];
    if let Some(a) = ctx.core.assistant() {
        text.push('\n');
        text.push_str(&match &ctx.core.config().llm {
            Some(l) => ctx.t_args("assistant-engine-llm", &[("model", l.model.as_str().into())]),
            None => ctx.t("assistant-engine-offline"),
        });
        let (pending, oldest) = ctx.store().pending_drafts(5).await?;
        text.push('\n');
        text.push_str(
            &ctx.t_args(
                "assistant-stats",
                &[("pending", pending.into()), ("learned", (a.learned.len() as i64).into())],
            ),
        );
        for (id, name, question) in oldest {
            let short: String = question.chars().take(40).collect();
            rows.push(vec![super::Button::new(format!("✏️ {name}: {short}"), super::drafts::DraftCb::Edit(id))]);
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

super::callback::callbacks! {
    /// The Instagram conversation's button on the owner's notice.
    pub enum InstagramCb {
        /// Answer this client's Instagram conversation.
        Reply(client: i64) => "ir",
    }
}

/// The owner pressed an Instagram button.
pub async fn on_button(ctx: &super::Ctx<'_>, cb: InstagramCb) -> super::CoreResult {
    match cb {
        InstagramCb::Reply(id) => {
            let name = ctx.store().client(id).await?.full_name;
            let text = ctx.t_args("ig-ask-reply", &[("name", name.into())]);
            super::dialog::prompt(ctx, InstagramDialog::IgReply { client: id }, text).await
        }
    }
}

/// The owner's answer to an Instagram conversation (stored as `{"step":"ig_reply","client":3}`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum InstagramDialog {
    IgReply { client: i64 },
}

pub async fn answer(ctx: &super::Ctx<'_>, d: InstagramDialog, text: &str) -> super::CoreResult {
    match d {
        InstagramDialog::IgReply { client } => owner_reply(ctx, client, text).await,
    }
}

/// Bytes per Instagram message.
pub const MAX_IG_BYTES: usize = 1000;

/// The owner answers an Instagram conversation from Telegram: within 24 hours of the client's
/// last message as a normal reply, up to 7 days with the HUMAN_AGENT tag (she typed it), later not
/// at all (the owner is told to call or text instead). Long text goes out in several messages.
pub async fn owner_reply(ctx: &super::Ctx<'_>, client: i64, text: &str) -> super::CoreResult {
    use super::{parse_error, Output, Reply};
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| parse_error(e, "note"))?;
    super::dialog::clear(ctx).await?;
    let stamp = crate::store::now().timestamp_millis();
    let count = send_as_owner(ctx, client, &text, &format!("igout:{client}:{stamp}")).await?;
    Ok(Output::one(Reply::text(ctx.t_args("ig-sent", &[("count", count.into())]))))
}

/// Sends the owner's text to the client's Instagram conversation (see `owner_reply` for the
/// 24-hour and 7-day windows); how many messages went out.
pub async fn send_as_owner(
    ctx: &super::Ctx<'_>,
    client: i64,
    text: &str,
    key: &str,
) -> Result<usize, super::CoreError> {
    use super::CoreError;
    let store = ctx.store();
    let Some(to) = store.instagram_id_of(client).await? else { return Err(CoreError::user("ig-no-conversation")) };
    if ctx.core.config().notify.instagram.is_none() {
        return Err(CoreError::user("ig-not-configured"));
    }
    let since = store.last_inbound(client, "instagram").await?.map(|t| crate::store::now() - t);
    let human_agent = match since {
        Some(d) if d <= chrono::Duration::hours(24) => false,
        Some(d) if d <= chrono::Duration::days(7) => true,
        _ => return Err(CoreError::user("ig-window-closed")),
    };
    let jobs = super::conversation::instagram_jobs(&to, text, human_agent, key);
    store.enqueue_many(&jobs).await?;
    store.add_interaction(client, "instagram", Direction::Out, Kind::Message, text).await?;
    Ok(jobs.len())
}
