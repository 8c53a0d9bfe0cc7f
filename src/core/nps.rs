//! Client satisfaction (NPS, issue 15): with the follow-up of an issued order, the client is asked
//! "how likely are you to recommend us, 0–10": eleven buttons in Telegram; in Instagram, SMS or
//! e-mail a link `PUBLIC_URL/nps/<token>` to a one-question page (`channels::nps_page`). Then
//! "what could be better?": her next message in the bot (or the page's field) is the comment.
//! A score of 6 or less becomes a task for the owner at once (the comment is added to it); 9 or
//! 10 gets the studio's review link (`REVIEW_URL`) when set.
//!
//! Trust: a button counts only from the chat of the order's own client, and only for an issued
//! order; a link's token is `<order>.<expiry>.<HMAC-SHA256>` under a key kept in the database,
//! compared in constant time. Each order is answered once (`nps_answers` is keyed by order).

use super::booking::steps::{client_messages, Recipient};
use super::callback::callbacks;
use super::{Core, CoreResult, Ctx, Output, Reply};
use crate::domain::OrderStatus;
use crate::i18n::Tr;
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, Outcome};
use chrono::{DateTime, Duration, Utc};

callbacks! {
    /// The client's answer buttons.
    pub enum NpsCb {
        /// Order `order` scored `score` (0–10).
        Score(order: i64, score: u8) => "ns",
    }
}

/// How long a link can be answered.
pub const LINK_DAYS: i64 = 30;

/// The key that signs links (made once, kept in the database with the answers it protects).
pub async fn key(core: &Core) -> anyhow::Result<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("no entropy for the NPS key: {e}"))?;
    Ok(core.store().nps_key(&crate::secret::hex(&b)).await?)
}

/// `<order>.<expiry unix>.<hmac>`.
pub fn token(key: &str, order: i64, expires: DateTime<Utc>) -> String {
    let exp = expires.timestamp();
    format!("{order}.{exp}.{}", crate::secret::hmac_sha256_hex(key, format!("nps:{order}:{exp}").as_bytes()))
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Forged,
    Expired,
}

/// The order a token is for, when it is ours and not expired at `now`.
pub fn verify(key: &str, token: &str, now: DateTime<Utc>) -> Result<i64, TokenError> {
    if token.len() > 120 {
        return Err(TokenError::Forged);
    }
    let mut parts = token.split('.');
    let (Some(order), Some(exp), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Forged);
    };
    let (Ok(order), Ok(exp)) = (order.parse::<i64>(), exp.parse::<i64>()) else { return Err(TokenError::Forged) };
    if !crate::secret::hmac_sha256_matches(key, format!("nps:{order}:{exp}").as_bytes(), sig) || sig.len() != 64 {
        return Err(TokenError::Forged);
    }
    if now.timestamp() > exp {
        return Err(TokenError::Expired);
    }
    Ok(order)
}

/// The link to the page of `order`, when `PUBLIC_URL` is set.
pub async fn link(core: &Core, order: i64) -> anyhow::Result<Option<String>> {
    let Some(base) = core.config().public_url.as_deref() else { return Ok(None) };
    let t = token(&key(core).await?, order, crate::store::now() + Duration::days(LINK_DAYS));
    Ok(Some(format!("{}/nps/{t}", base.trim_end_matches('/'))))
}

/// The eleven buttons, in two rows.
pub fn buttons(order: i64) -> Vec<Vec<(String, String)>> {
    let row = |r: std::ops::RangeInclusive<u8>| r.map(|n| (n.to_string(), NpsCb::Score(order, n).encode())).collect();
    vec![row(0..=5), row(6..=10)]
}

/// The job: ask the client of `order_id`, in her channel.
pub async fn ask(core: &Core, job: &Job, order_id: i64) -> Outcome {
    let store = core.store();
    let order = match store.order(order_id).await {
        Ok(o) => o,
        Err(crate::store::StorageError::NotFound) => return Outcome::done("skipped: no such order"),
        Err(e) => return retry(job.attempts, e),
    };
    if order.status != OrderStatus::Issued {
        return Outcome::done("skipped: order no longer issued");
    }
    match store.nps_answer(order_id).await {
        Ok(Some(_)) => return Outcome::done("skipped: answered"),
        Ok(None) => {}
        Err(e) => return retry(job.attempts, e),
    }
    let client = match store.client(order.client_id).await {
        Ok(c) if c.source.as_deref() != Some(crate::store::forget::DELETED) => c,
        Ok(_) => return Outcome::done("skipped: client forgotten"),
        Err(e) => return retry(job.attempts, e),
    };
    let chat = client.telegram_id.filter(|_| core.config().telegram_enabled);
    let link = if chat.is_none() {
        match link(core, order_id).await {
            Ok(l) => l,
            Err(e) => return retry(job.attempts, e),
        }
    } else {
        None
    };
    let question = |tr: &Tr<'_>| tr.t_args("nps-question", &[("product", order.product.as_str().into())]);
    let mut sends = vec![];
    if let Some(url) = &link {
        let plain_text = |tr: &Tr<'_>| format!("{}\n{url}", question(tr));
        // Instagram only inside its 24-hour window after her last message (no human-agent tag:
        // this text is not the owner's).
        let recent = store.last_inbound(client.id, "instagram").await.ok().flatten();
        let in_window = recent.is_some_and(|t| crate::store::now() - t <= Duration::hours(24));
        let ig = if core.config().notify.instagram.is_some() && in_window {
            store.instagram_id_of(client.id).await.ok().flatten()
        } else {
            None
        };
        if let Some(ig) = ig {
            let tr = Tr { i18n: core.i18n(), lang: crate::i18n::Lang::Uk };
            let spec = JobSpec::SendInstagram { to: ig, text: plain_text(&tr), human_agent: false };
            sends.push(spec.job(Utc::now(), format!("{}:ig", job.idempotency_key)));
        }
        let to = Recipient { chat: None, phone: client.phone.clone(), client_id: client.id };
        let plain = |tr: &Tr<'_>| (tr.t("nps-subject"), plain_text(tr));
        sends.extend(client_messages(core, &job.idempotency_key, to, |_| (String::new(), vec![]), plain).await);
    } else if chat.is_some() {
        let to = Recipient { chat, phone: None, client_id: client.id };
        let telegram = |tr: &Tr<'_>| (question(tr), buttons(order_id));
        sends.extend(
            client_messages(core, &job.idempotency_key, to, telegram, |_| (String::new(), String::new())).await,
        );
    }
    if sends.is_empty() {
        return Outcome::done("skipped: no channel to the client");
    }
    Outcome::Done { result: format!("{} NPS question(s) queued", sends.len()), follow_ups: sends }
}

/// Records a score and does what follows it: the owner's task for a low one. Returns the text
/// for the client (thanks, "what could be better?", the review link for a high one), or `None`
/// when the order was answered already.
pub async fn answer(core: &Core, tr: &Tr<'_>, order: i64, score: u8, channel: &str) -> anyhow::Result<Option<String>> {
    let store = core.store();
    if !store.record_nps(order, score, channel, channel == "telegram").await? {
        return Ok(None);
    }
    let o = store.order(order).await?;
    if score <= 6 {
        let now = crate::store::now();
        let owner = Tr { i18n: core.i18n(), lang: super::booking::lang_of(core, "console:owner").await };
        let body = owner.t_args(
            "nps-task",
            &[("score", (score as i64).into()), ("id", o.id.into()), ("product", o.product.as_str().into())],
        );
        let task =
            store.create_task(Some(o.client_id), &body, Some(now), crate::work::spec::task_jobs(Some(now))).await?;
        store.set_nps_task(order, task).await?;
    }
    let mut text = tr.t("nps-thanks");
    if score >= 9 {
        if let Some(url) = &core.config().review_url {
            text.push_str("\n\n");
            text.push_str(&tr.t_args("nps-review", &[("url", url.as_str().into())]));
        }
    }
    text.push_str("\n\n");
    text.push_str(&tr.t("nps-better"));
    Ok(Some(text))
}

/// A client's button: hers and for an issued order, or refused.
pub async fn on_visitor_button(ctx: &Ctx<'_>, cb: NpsCb) -> CoreResult {
    let NpsCb::Score(order, score) = cb;
    let own = super::product_life::own_client(ctx, order).await?;
    let issued = ctx.store().order(order).await.map(|o| o.status == OrderStatus::Issued).unwrap_or(false);
    if score > 10 || own.is_none() || !issued {
        return Ok(Output::default().toast(ctx.t("visitor-no-access")));
    }
    match answer(ctx.core, &ctx.tr, order, score, "telegram").await? {
        Some(text) => Ok(Output::one(Reply::text(text).editing(true))),
        None => Ok(Output::default().toast(ctx.t("nps-already"))),
    }
}

/// Her next message after a score is the comment: stored, and the dialog ends.
pub async fn comment(ctx: &Ctx<'_>, client: i64, text: &str) -> CoreResult<Option<Output>> {
    if !ctx.store().nps_awaiting(client).await? {
        return Ok(None);
    }
    let comment: String = text.chars().take(1000).collect();
    Ok(ctx
        .store()
        .record_nps_comment(Some(client), None, &comment)
        .await?
        .map(|_| Output::one(Reply::text(ctx.t("nps-comment-thanks")))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_unchanged_and_in_time() {
        let now = Utc::now();
        let t = token("k1", 42, now + Duration::days(1));
        assert_eq!(verify("k1", &t, now), Ok(42));
        assert_eq!(verify("k2", &t, now), Err(TokenError::Forged));
        assert_eq!(verify("k1", &t.replacen("42.", "43.", 1), now), Err(TokenError::Forged));
        assert_eq!(verify("k1", &t, now + Duration::days(2)), Err(TokenError::Expired));
        assert_eq!(verify("k1", "42.1.abc", now), Err(TokenError::Forged));
        assert_eq!(verify("k1", "", now), Err(TokenError::Forged));
    }
}
