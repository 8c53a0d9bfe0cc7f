//! Instagram Direct messages into the CRM: every sender becomes (or is linked to) a client/lead,
//! every message lands in her timeline, and the owner sees it in Telegram with the card one tap
//! away. Echoes of the studio's own messages are logged as outgoing and never treated as a client's.
//! (The assistant that answers them automatically builds on this.)

use super::booking::to_owners;
use super::callback::Cb;
use super::Core;
use crate::domain::ClientName;
use crate::jobs::{backoff, Outcome};
use crate::store::interactions::{Direction, Kind};
use crate::store::jobs::Job;
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
    let existing = match store.client_by_instagram_id(contact).await {
        Ok(c) => c,
        Err(e) => return Outcome::Retry { after: backoff(job.attempts), error: e.to_string() },
    };
    if echo {
        // What the owner typed in the Instagram app: keep it in the timeline of a known client.
        return match existing {
            Some(id) => {
                match store.add_interaction(id, "instagram", Direction::Out, Kind::Message, &describe(&tr, &msg)).await
                {
                    Ok(_) => Outcome::done("echo logged"),
                    Err(e) => Outcome::Retry { after: backoff(job.attempts), error: e.to_string() },
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
            match store.create_instagram_lead(&name, contact).await {
                Ok(id) => id,
                Err(e) => return Outcome::Retry { after: backoff(job.attempts), error: e.to_string() },
            }
        }
    };
    if let Err(e) = store.add_interaction(client, "instagram", Direction::In, Kind::Message, &text).await {
        return Outcome::Retry { after: backoff(job.attempts), error: e.to_string() };
    }
    let name = store.client(client).await.map(|c| c.full_name).unwrap_or_default();
    let has_text = msg.get("text").and_then(Value::as_str).is_some_and(|t| !t.trim().is_empty());
    let paused = store.switch_on(PAUSE_SWITCH).await.unwrap_or(false);
    let mut follow_ups = vec![];
    // The assistant answers what it safely can; a person gets the rest with the reason.
    let analysis = match (core.assistant(), &core.config().notify.instagram, paused) {
        (Some(engine), Some(_), false) => Some(if has_text { engine.analyse(&text) } else { attachment_analysis() }),
        _ => None,
    };
    if let Some(a) = &analysis {
        let reply = a.answer.clone().or_else(|| a.holding.clone()).unwrap_or_default();
        for (i, piece) in crate::domain::text::split_bytes(&reply, MAX_IG_BYTES).into_iter().enumerate() {
            let spec =
                crate::jobs::spec::JobSpec::SendInstagram { to: contact.to_string(), text: piece, human_agent: false };
            follow_ups.push(spec.job(
                chrono::Utc::now() + chrono::Duration::milliseconds(i as i64),
                format!("{}:answer:{i}", job.idempotency_key),
            ));
        }
        if let Err(e) = store.add_interaction(client, "instagram", Direction::Out, Kind::Message, &reply).await {
            return Outcome::Retry { after: backoff(job.attempts), error: e.to_string() };
        }
        if !a.escalate {
            return Outcome::Done { result: format!("client {client}: answered ({:?})", a.intent), follow_ups };
        }
    }
    follow_ups.extend(
        to_owners(core, &job.idempotency_key, |tr| {
            let mut body =
                tr.t_args("ig-owner-relay", &[("name", name.as_str().into()), ("text", text.as_str().into())]);
            if let Some(a) = &analysis {
                body.push_str(&format!(
                    "\n{}",
                    tr.t_args(
                        "ig-escalation",
                        &[
                            ("intent", format!("{:?}", a.intent).to_lowercase().into()),
                            ("sentiment", format!("{:?}", a.sentiment).to_lowercase().into()),
                            ("reason", a.reason.as_str().into())
                        ]
                    )
                ));
            }
            let rows = vec![vec![
                (tr.t("btn-ig-reply"), Cb::IgReply(client).encode()),
                (tr.t("btn-open-card"), Cb::Card(client).encode()),
            ]];
            (body, rows)
        })
        .await,
    );
    Outcome::Done { result: format!("client {client}"), follow_ups }
}

/// The owner's switch that pauses automatic answers (`/assistant off`).
pub const PAUSE_SWITCH: &str = "assistant.paused";

/// A photo or a voice message: acknowledged, and a person looks at it.
fn attachment_analysis() -> crate::assistant::Analysis {
    crate::assistant::Analysis {
        intent: crate::assistant::Intent::Other,
        sentiment: crate::assistant::Sentiment::Neutral,
        topics: vec![],
        escalate: true,
        reason: "photo, voice or other attachment".into(),
        answer: None,
        holding: Some(crate::assistant::offline::HOLDING.to_string()),
    }
}

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
    Ok(Output::one(Reply::text(ctx.t(key))))
}

/// Bytes per Instagram message.
pub const MAX_IG_BYTES: usize = 1000;

/// The owner answers an Instagram conversation from Telegram: within 24 hours of the client's
/// last message as a normal reply, up to 7 days with the HUMAN_AGENT tag (she typed it), later not
/// at all (the owner is told to call or text instead). Long text goes out in several messages.
pub async fn owner_reply(ctx: &super::Ctx<'_>, client: i64, text: &str) -> super::CoreResult {
    use super::{parse_error, CoreError, Output, Reply};
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| parse_error(e, "note"))?;
    super::dialog::clear(ctx).await?;
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
    let stamp = crate::store::now().timestamp_millis();
    let pieces = crate::domain::text::split_bytes(&text, MAX_IG_BYTES);
    let jobs: Vec<_> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            crate::jobs::spec::JobSpec::SendInstagram { to: to.clone(), text: p.clone(), human_agent }.job(
                chrono::Utc::now() + chrono::Duration::milliseconds(i as i64),
                format!("igout:{client}:{stamp}:{i}"),
            )
        })
        .collect();
    store.enqueue_many(&jobs).await?;
    store.add_interaction(client, "instagram", Direction::Out, Kind::Message, &text).await?;
    Ok(Output::one(Reply::text(ctx.t_args("ig-sent", &[("count", pieces.len().into())]))))
}
