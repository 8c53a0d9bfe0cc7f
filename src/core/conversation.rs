//! One path for a client's message on any channel (Instagram Direct, the Telegram bot): the
//! assistant answers what it safely can (order status from the CRM, booking offered), the rest
//! goes to the owner with the reason, the next best action and a draft she sends with one tap,
//! edits, or ignores. Her final answer can be saved so the same question is answered next time.
//! A conversation (or the whole assistant) can be paused: then every message is the owner's.

use super::booking::to_owners;
use super::Core;
use crate::assistant::{Analysis, Intent, NextAction};
use crate::core::card::ClientCb;
use crate::core::drafts::DraftCb;
use crate::i18n::Tr;
use crate::store::interactions::{Direction, Kind};
use crate::work::JobSpec;
use crate::work::NewJob;

/// Where the client writes from.
#[derive(Debug, Clone)]
pub enum Via {
    Instagram(String),
    Telegram(i64),
    /// A Discord DM (issue 17): answered by the adapter like Telegram; the owner's card goes to
    /// her Telegram chats as for any channel.
    Discord(u64),
}

impl Via {
    pub fn channel(&self) -> &'static str {
        match self {
            Via::Instagram(_) => "instagram",
            Via::Telegram(_) => "telegram",
            Via::Discord(_) => "discord",
        }
    }
}

/// What became of a client's message.
#[derive(Debug, Default)]
pub struct Handled {
    /// What the client is told now (Instagram: already enqueued in `jobs`; Telegram: the
    /// adapter's reply). None when the owner answers herself (paused).
    pub reply: Option<String>,
    /// Offer the booking flow (a button in Telegram).
    pub offer_booking: bool,
    pub escalated: bool,
    pub jobs: Vec<NewJob>,
}

/// The client's message `text` (already in her timeline). `key` is unique per incoming message.
pub async fn handle(
    core: &Core,
    tr: &Tr<'_>,
    client: i64,
    via: &Via,
    text: &str,
    has_text: bool,
    key: &str,
) -> anyhow::Result<Handled> {
    let store = core.store();
    let chat_paused = store.conversation_paused(client).await?;
    let paused = chat_paused || store.switch_on(super::instagram::PAUSE_SWITCH).await?;
    let can_answer = match via {
        Via::Instagram(_) => core.config().notify.instagram.is_some(),
        Via::Telegram(_) | Via::Discord(_) => true,
    };
    let analysis = match (core.assistant(), paused || !can_answer) {
        (Some(a), false) if has_text => {
            let previous = store.previous_message(client, via.channel(), chrono::Duration::minutes(30)).await?;
            Some(a.analyse_in(text, previous.as_deref()).await)
        }
        (Some(_), false) => Some(attachment_analysis()),
        _ => None,
    };
    let mut out = Handled::default();
    if let Some(a) = &analysis {
        core.metrics().assistant(a.escalate);
        let (intent, sentiment) = (serde_plain(a.intent), serde_plain(a.sentiment));
        store.record_ai_decision(client, via.channel(), &intent, &sentiment, a.escalate, &a.reason).await?;
    }
    let Some(a) = analysis else {
        // Paused (or nothing configured to answer with): the owner answers; a draft without
        // text gives her the Edit button all the same.
        let draft = store.create_draft(client, via.channel(), text, "").await?;
        out.jobs =
            owner_card(core, key, client, via, text, None, draft, Pause { any: paused, chat: chat_paused }).await?;
        out.escalated = true;
        return Ok(out);
    };
    let reply = if a.escalate {
        a.holding.clone().unwrap_or_default()
    } else {
        let base = a.answer.clone().unwrap_or_default();
        match a.intent {
            Intent::OrderStatus => order_status(core, tr, client).await?.unwrap_or(base),
            Intent::Booking => {
                out.offer_booking = matches!(via, Via::Telegram(_));
                match (&core.config().public_url, via) {
                    // Discord and Instagram have no booking buttons tied to her identity: the page.
                    (Some(url), Via::Instagram(_) | Via::Discord(_)) => {
                        format!("{base}\n\n{}", tr.t_args("conv-book-link", &[("url", format!("{url}/book").into())]))
                    }
                    _ => base,
                }
            }
            _ => base,
        }
    };
    if !reply.is_empty() {
        if let Via::Instagram(igsid) = via {
            out.jobs.extend(instagram_jobs(igsid, &reply, false, &format!("{key}:answer")));
        }
        store.add_interaction(client, via.channel(), Direction::Out, Kind::Message, &reply).await?;
        out.reply = Some(reply);
    }
    if a.escalate {
        let draft = store.create_draft(client, via.channel(), text, a.suggestion.as_deref().unwrap_or("")).await?;
        out.jobs.extend(owner_card(core, key, client, via, text, Some(&a), draft, Pause::default()).await?);
        out.escalated = true;
    }
    Ok(out)
}

/// Her open orders and their statuses, from the CRM (only this client's, never anyone else's).
pub(crate) async fn order_status(core: &Core, tr: &Tr<'_>, client: i64) -> anyhow::Result<Option<String>> {
    let orders = core.store().open_orders_for_client(client).await?;
    if orders.is_empty() {
        return Ok(None);
    }
    let lines: Vec<String> = orders
        .iter()
        .take(3)
        .map(|o| {
            tr.t_args(
                "conv-order-status",
                &[("product", o.product.as_str().into()), ("status", tr.t(super::card::status_key(o.status)).into())],
            )
        })
        .collect();
    Ok(Some(lines.join("\n")))
}

/// A photo or a voice message: acknowledged, and a person looks at it.
fn attachment_analysis() -> Analysis {
    Analysis {
        intent: Intent::Other,
        sentiment: crate::assistant::Sentiment::Neutral,
        topics: vec![],
        escalate: true,
        reason: "photo, voice or other attachment".into(),
        answer: None,
        holding: Some(crate::assistant::offline::HOLDING.to_string()),
        suggestion: None,
        next_action: NextAction::ReviewAttachment,
    }
}

pub fn instagram_jobs(igsid: &str, text: &str, human_agent: bool, key: &str) -> Vec<NewJob> {
    crate::domain::text::split_bytes(text, super::instagram::MAX_IG_BYTES)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            JobSpec::SendInstagram { to: igsid.to_string(), text: piece, human_agent }
                .job(chrono::Utc::now() + chrono::Duration::milliseconds(i as i64), format!("{key}:{i}"))
        })
        .collect()
}

fn action_key(a: NextAction) -> &'static str {
    match a {
        NextAction::None => "next-none",
        NextAction::OfferBooking => "next-offer-booking",
        NextAction::CheckOrder => "next-check-order",
        NextAction::ContactPersonally => "next-contact",
        NextAction::Answer => "next-answer",
        NextAction::ReviewAttachment => "next-attachment",
    }
}

/// Whether automatic answers are paused for this message (for everyone or this chat) and
/// whether this chat is (its card offers to resume it).
#[derive(Debug, Default, Clone, Copy)]
struct Pause {
    any: bool,
    chat: bool,
}

#[allow(clippy::too_many_arguments)]
async fn owner_card(
    core: &Core,
    key: &str,
    client: i64,
    via: &Via,
    text: &str,
    a: Option<&Analysis>,
    draft: i64,
    pause: Pause,
) -> anyhow::Result<Vec<NewJob>> {
    let name = core.store().client(client).await.map(|c| c.full_name).unwrap_or_default();
    Ok(to_owners(core, key, |tr| {
        let relay = match via {
            Via::Instagram(_) => "ig-owner-relay",
            Via::Telegram(_) => "tg-owner-relay",
            Via::Discord(_) => "dc-owner-relay",
        };
        let mut body = tr.t_args(relay, &[("name", name.as_str().into()), ("text", text.into())]);
        if let Some(a) = a {
            body.push('\n');
            body.push_str(&tr.t_args(
                "ig-escalation",
                &[
                    ("intent", serde_plain(a.intent).into()),
                    ("sentiment", serde_plain(a.sentiment).into()),
                    ("reason", a.reason.as_str().into()),
                ],
            ));
            body.push('\n');
            body.push_str(&tr.t_args("conv-next", &[("action", tr.t(action_key(a.next_action)).into())]));
        }
        if pause.any {
            body.push('\n');
            body.push_str(&tr.t("conv-paused-note"));
        }
        let suggestion = a.and_then(|a| a.suggestion.as_deref()).filter(|s| !s.is_empty());
        let mut first = vec![];
        if let Some(s) = suggestion {
            body.push_str(&format!("\n\n{}\n{s}", tr.t("conv-draft")));
            first.push((tr.t("btn-draft-send"), DraftCb::Send(draft).encode()));
        }
        first.push((tr.t("btn-draft-edit"), DraftCb::Edit(draft).encode()));
        first.push((tr.t("btn-draft-ignore"), DraftCb::Ignore(draft).encode()));
        let pause_label = if pause.chat { "btn-chat-resume" } else { "btn-chat-pause" };
        let rows = vec![
            first,
            vec![
                (tr.t("btn-open-card"), ClientCb::Card(client).encode()),
                (tr.t(pause_label), DraftCb::ChatPause(client).encode()),
            ],
        ];
        (body, rows)
    })
    .await)
}

fn serde_plain(v: impl serde::Serialize) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
