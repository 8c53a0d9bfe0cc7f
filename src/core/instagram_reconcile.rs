//! Nothing missed in Instagram Direct (issue 16): every 15 minutes a job reads the recent
//! conversations back from the Graph API and hands each inbound message no webhook delivered to
//! the same path a webhook message takes (`core::instagram::process`), as a job with the webhook's
//! own key (`ig:message:{mid}`): whichever comes first is processed, the other is a duplicate key.
//! Then the owner is told once when DMs wait unanswered for more than 2 h; the ids she was told
//! about are remembered in a setting, so the same messages are not announced again.

use super::Core;
use crate::notify::instagram_inbox::{Inbox, InboxMessage};
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The ids of unanswered DMs the owner was already told about (space-separated).
pub const TOLD_SETTING: &str = "instagram.unanswered_told";
/// How long a DM may wait before the owner is told.
pub fn unanswered_after() -> chrono::Duration {
    chrono::Duration::hours(2)
}

/// The recurring job: reads the inbox and reconciles it.
pub async fn run(core: &Core, job: &Job, now: DateTime<Utc>) -> Outcome {
    let Some(cfg) = &core.config().notify.instagram else { return Outcome::done("instagram not configured") };
    match crate::notify::instagram_inbox::read(cfg).await {
        Ok(inbox) => reconcile(core, job, &inbox, now).await,
        Err(e) if e.transient => retry(job.attempts, format!("instagram reconcile: {}", e.message)),
        Err(e) => Outcome::Fail { error: format!("instagram reconcile: {}", e.message) },
    }
}

/// The webhook event a listed message would have been.
fn as_event(account: &str, m: &InboxMessage) -> serde_json::Value {
    let mut message = json!({ "mid": m.mid });
    if let Some(t) = &m.text {
        message["text"] = json!(t);
    }
    json!({
        "sender": { "id": m.from }, "recipient": { "id": account },
        "timestamp": m.created.timestamp_millis(), "message": message,
    })
}

pub async fn reconcile(core: &Core, job: &Job, inbox: &Inbox, now: DateTime<Utc>) -> Outcome {
    let store = core.store();
    let mut follow_ups: Vec<NewJob> = vec![];
    let mut missed = 0;
    let mut unanswered: Vec<&str> = vec![];
    for conv in &inbox.conversations {
        // Messages newer than the studio's last one wait for an answer.
        let last_out = conv.iter().filter(|m| m.from == inbox.account).map(|m| m.created).max();
        for m in conv.iter().filter(|m| m.from != inbox.account) {
            let key = format!("ig:message:{}", m.mid);
            // Older DMs predate this job or were erased on request (`/forget`): not replayed.
            let recent = now - m.created <= chrono::Duration::hours(24);
            match store.job_by_key(&key).await {
                Ok(_) if !recent => {}
                Ok(Some(_)) => {}
                Ok(None) => {
                    missed += 1;
                    follow_ups.push(
                        JobSpec::InstagramEvent { account: inbox.account.clone(), event: as_event(&inbox.account, m) }
                            .job(Utc::now(), key),
                    );
                }
                Err(e) => return retry(job.attempts, e.to_string()),
            }
            // Past 7 days she cannot answer from here anyway (the HUMAN_AGENT window).
            let waiting = now - m.created > unanswered_after() && now - m.created <= chrono::Duration::days(7);
            if last_out.is_none_or(|out| m.created > out) && waiting {
                unanswered.push(&m.mid);
            }
        }
    }
    let told = match store.setting(TOLD_SETTING).await {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => return retry(job.attempts, e.to_string()),
    };
    let told: Vec<&str> = told.split_whitespace().collect();
    let fresh: Vec<&str> = unanswered.iter().copied().filter(|m| !told.contains(m)).collect();
    if !fresh.is_empty() {
        // Remember what is still listed and unanswered, so the setting does not grow for ever.
        let keep = unanswered.join(" ");
        if let Err(e) = store.set_setting(TOLD_SETTING, &keep).await {
            return retry(job.attempts, e.to_string());
        }
        let digest = <sha2::Sha256 as sha2::Digest>::digest(fresh.join(",").as_bytes());
        let key = format!("ig:unanswered:{}", &crate::secret::hex(&digest)[..32]);
        let count = unanswered.len() as i64;
        follow_ups.extend(
            super::booking::to_owners(core, &key, |tr| {
                (tr.t_args("ig-unanswered", &[("count", count.into())]), vec![])
            })
            .await,
        );
    }
    Outcome::Done { result: format!("missed {missed}, unanswered {}", unanswered.len()), follow_ups }
}
