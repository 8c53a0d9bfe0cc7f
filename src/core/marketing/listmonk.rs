//! The optional Listmonk sync (issue 16): for owners who run Listmonk, the CRM keeps one list
//! there in step with consent. Level-triggered, so no path that records consent can be missed:
//! [`due_jobs`] compares every client's consent with what Listmonk was last told
//! (`store::listmonk`) and makes one `ListmonkPush` job per difference, keyed by the change
//! (the same change is never pushed twice; a push that failed for good waits for the next one).
//! The jobs are enqueued at once after the owner's switch, the unsubscribe page and `/forget`
//! ([`nudge`]), and by every `ListmonkSync` (every `sync_minutes`), which covers imports, merges
//! and the booking page.
//!
//! A push makes Listmonk hold her as the CRM does now: with consent, a subscriber confirmed on
//! the list (`preconfirm_subscriptions` only because consent is recorded; a 409 is her address
//! there already: found and added to the list); without, unsubscribed from the list (she stays on
//! the owner's other lists); forgotten, **deleted** (not blocklisted: a blocklist would keep her
//! address in Listmonk, and forgetting means no copy of it stays anywhere; with no address left in
//! the CRM nothing can re-add her without a new consent). Attributes are minimal: `crm_id` and
//! `language` (her Telegram chat's, else `uk`; her name is the subscriber's name); no phone, nothing medical.
//!
//! The sync first reads the list's unsubscribed subscribers (an unsubscribe there, a blocklist,
//! which a hard bounce or a complaint leads to under Listmonk's default bounce actions) and
//! records each of ours as her unsubscribe in the CRM (`via` = `listmonk`), so sequences and
//! campaigns stop. A record of an unknown shape or one that cannot be applied is logged and
//! skipped. HTTP errors: 429, 5xx and no answer retry with the house backoff; other 4xx fail the
//! job with Listmonk's message (never the token).

use crate::config::ListmonkSettings;
use crate::core::{Core, CoreResult, Ctx, Output, Reply};
use crate::notify::listmonk::{ApiError, Listmonk, Subscriber, PER_PAGE};
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{DateTime, Utc};
use serde_json::json;

/// When the last sync read Listmonk back (RFC 3339), for `/listmonk`.
pub const LAST_SYNC: &str = "listmonk.last_sync";
/// Pages of unsubscribed subscribers read per sync (100 each).
const MAX_PAGES: usize = 50;

fn failed(job: &Job, what: &str, e: ApiError) -> Outcome {
    if e.transient() {
        retry(job.attempts, format!("{what}: {e}"))
    } else {
        Outcome::Fail { error: format!("{what}: {e}") }
    }
}

fn is(e: &ApiError, status: u16) -> bool {
    e.status == Some(status)
}

/// The list's id: configured, or the one named `list_name` (found or created once, then kept).
async fn list_id(core: &Core, api: &Listmonk<'_>, cfg: &ListmonkSettings, job: &Job) -> Result<i64, Outcome> {
    if let Some(id) = cfg.list_id {
        return Ok(id);
    }
    let key = format!("listmonk.list:{}", cfg.list_name);
    // One lookup at a time: two jobs finding no list must not create it twice.
    static LOOKUP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = LOOKUP.lock().await;
    match core.store().setting(&key).await {
        Ok(v) => {
            if let Some(id) = v.and_then(|v| v.parse::<i64>().ok()) {
                return Ok(id);
            }
        }
        Err(e) => return Err(retry(job.attempts, e)),
    }
    let id = api.list_named(&cfg.list_name).await.map_err(|e| failed(job, "listmonk list", e))?;
    core.store().set_setting(&key, &id.to_string()).await.map_err(|e| retry(job.attempts, e))?;
    Ok(id)
}

/// The push jobs for every client whose consent Listmonk does not reflect yet.
pub async fn due_jobs(core: &Core) -> anyhow::Result<Vec<NewJob>> {
    let now = Utc::now();
    Ok(core
        .store()
        .listmonk_due()
        .await?
        .into_iter()
        .map(|(client, due, at)| {
            JobSpec::ListmonkPush { client }
                .job(now, format!("listmonk:{}:{client}:{}", due.code(), at.timestamp_micros()))
        })
        .collect())
}

/// After a consent change: its push enqueued now, not at the next sync (nothing without Listmonk).
pub async fn nudge(core: &Core) {
    if core.config().listmonk.is_none() {
        return;
    }
    let enqueued = match due_jobs(core).await {
        Ok(jobs) => core.store().enqueue_many(&jobs).await.map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    if let Err(e) = enqueued {
        tracing::warn!(error = format!("{e:#}"), "listmonk: could not enqueue a push; the next sync will");
    }
}

/// The recurring sync's job for the fire at `fire`.
pub fn sync_job(fire: DateTime<Utc>) -> NewJob {
    JobSpec::ListmonkSync.job(fire, format!("cron:listmonk:{}", fire.timestamp()))
}

/// Makes Listmonk hold client `client` as the CRM does now.
pub async fn push(core: &Core, job: &Job, client: i64) -> Outcome {
    let Some(cfg) = &core.config().listmonk else { return Outcome::done("listmonk not configured") };
    let api = match Listmonk::new(cfg) {
        Ok(a) => a,
        Err(e) => return failed(job, "listmonk", e),
    };
    let store = core.store();
    let (mapped, forgotten, mailable) =
        match tokio::try_join!(store.listmonk_mapped(client), store.is_forgotten(client), store.mailable(client)) {
            Ok(v) => v,
            Err(e) => return retry(job.attempts, e),
        };
    if forgotten {
        let Some(m) = mapped else { return Outcome::done("forgotten; Listmonk held nothing") };
        return match api.delete(m.subscriber_id).await {
            Ok(()) => match store.drop_listmonk(client).await {
                Ok(()) => Outcome::done(format!("deleted subscriber {}", m.subscriber_id)),
                Err(e) => retry(job.attempts, e),
            },
            Err(e) if is(&e, 404) => match store.drop_listmonk(client).await {
                Ok(()) => Outcome::done("forgotten; gone from Listmonk already"),
                Err(e) => retry(job.attempts, e),
            },
            Err(e) => failed(job, "listmonk delete", e),
        };
    }
    let list = match list_id(core, &api, cfg, job).await {
        Ok(l) => l,
        Err(out) => return out,
    };
    let Some(to) = mailable else {
        let Some(m) = mapped.filter(|m| m.state == "subscribed") else {
            return Outcome::done("no consent; nothing held");
        };
        return match api.unsubscribe(m.subscriber_id, list).await {
            Ok(()) => match store.set_listmonk(client, m.subscriber_id, "unsubscribed").await {
                Ok(()) => Outcome::done(format!("unsubscribed subscriber {} from list {list}", m.subscriber_id)),
                Err(e) => retry(job.attempts, e),
            },
            Err(e) if is(&e, 404) => match store.drop_listmonk(client).await {
                Ok(()) => Outcome::done("no consent; gone from Listmonk already"),
                Err(e) => retry(job.attempts, e),
            },
            Err(e) => failed(job, "listmonk unsubscribe", e),
        };
    };
    let lang = super::mail::lang(core, &to).await;
    let id = match mapped {
        Some(m) => match api.add(m.subscriber_id, list).await {
            Ok(()) => Ok(m.subscriber_id),
            Err(e) if is(&e, 404) => create(&api, &to, list, lang).await,
            Err(e) => Err(e),
        },
        None => create(&api, &to, list, lang).await,
    };
    match id {
        Ok(id) => match store.set_listmonk(client, id, "subscribed").await {
            Ok(()) => Outcome::done(format!("subscriber {id} on list {list}")),
            Err(e) => retry(job.attempts, e),
        },
        Err(e) => failed(job, "listmonk subscribe", e),
    }
}

/// Creates her on the list; when her address is there already (409), finds her and adds her.
async fn create(
    api: &Listmonk<'_>,
    to: &crate::store::marketing::Mailable,
    list: i64,
    lang: crate::i18n::Lang,
) -> Result<i64, ApiError> {
    let attribs = json!({ "crm_id": to.id, "language": lang.code() });
    match api.create(to.email.trim(), &to.full_name, list, attribs).await {
        Err(e) if is(&e, 409) => {
            let Some(found) = api.find(&to.email).await? else {
                return Err(ApiError { status: Some(409), message: "exists, yet not found by its address".into() });
            };
            api.add(found.id, list).await?;
            Ok(found.id)
        }
        other => other,
    }
}

/// One unsubscribed record from Listmonk: her unsubscribe in the CRM when she is ours and it is
/// news (true when consent was withdrawn now, on any of her cards).
async fn record(core: &Core, s: &Subscriber) -> anyhow::Result<bool> {
    let store = core.store();
    let mut changed = false;
    for client in store.clients_for_subscriber(s.id, s.crm_id, &s.email).await? {
        if store.listmonk_mapped(client).await?.is_some_and(|m| m.state == "unsubscribed" && m.subscriber_id == s.id) {
            continue;
        }
        changed |= store.unsubscribe(client, "listmonk").await?;
        store.set_listmonk(client, s.id, "unsubscribed").await?;
    }
    Ok(changed)
}

/// The recurring sync: Listmonk's unsubscribes into the CRM, then the pushes still due.
pub async fn sync(core: &Core, job: &Job) -> Outcome {
    let Some(cfg) = &core.config().listmonk else { return Outcome::done("listmonk not configured") };
    let api = match Listmonk::new(cfg) {
        Ok(a) => a,
        Err(e) => return failed(job, "listmonk", e),
    };
    let list = match list_id(core, &api, cfg, job).await {
        Ok(l) => l,
        Err(out) => return out,
    };
    let (mut read, mut marked, mut skipped) = (0, 0, 0);
    for page in 1..=MAX_PAGES {
        let (records, total) = match api.unsubscribed(list, page).await {
            Ok(r) => r,
            Err(e) => return failed(job, "listmonk read", e),
        };
        for r in &records {
            read += 1;
            let Some(s) = Subscriber::parse(r) else {
                tracing::warn!(page, "listmonk: a subscriber of an unknown shape; skipped");
                skipped += 1;
                continue;
            };
            match record(core, &s).await {
                Ok(true) => marked += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(
                        subscriber = s.id,
                        error = format!("{e:#}"),
                        "listmonk: an unsubscribe not applied; skipped"
                    );
                    skipped += 1;
                }
            }
        }
        if records.len() < PER_PAGE || page * PER_PAGE >= total {
            break;
        }
    }
    if let Err(e) = core.store().set_setting(LAST_SYNC, &Utc::now().to_rfc3339()).await {
        return retry(job.attempts, e);
    }
    match due_jobs(core).await {
        Ok(follow_ups) => Outcome::Done {
            result: format!("read {read}, unsubscribed {marked}, skipped {skipped}, pushes {}", follow_ups.len()),
            follow_ups,
        },
        Err(e) => retry(job.attempts, format!("{e:#}")),
    }
}

/// `/listmonk`: configured?, the list, the last sync, subscribed, pending and failed pushes.
pub async fn command(ctx: &Ctx<'_>) -> CoreResult {
    let Some(cfg) = &ctx.core.config().listmonk else { return Ok(Output::one(Reply::text(ctx.t("listmonk-off")))) };
    let store = ctx.store();
    let last = match store.setting(LAST_SYNC).await? {
        Some(at) => DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&ctx.core.config().tz).format("%d.%m.%Y %H:%M").to_string())
            .unwrap_or(at),
        None => ctx.t("listmonk-never"),
    };
    let list = match cfg.list_id {
        Some(id) => format!("#{id}"),
        None => format!("«{}»", cfg.list_name),
    };
    let (subscribed, pending, failed) = store.listmonk_counts().await?;
    let text = ctx.t_args(
        "listmonk-status",
        &[
            ("url", cfg.url.as_str().into()),
            ("list", list.as_str().into()),
            ("last", last.as_str().into()),
            ("subscribed", subscribed.into()),
            ("pending", pending.into()),
            ("failed", failed.into()),
        ],
    );
    Ok(Output::one(Reply::text(text)))
}
