//! E-mail sequences (`config/sequences.toml`): every hour [`enrol_due`] enrols the clients with
//! consent whose event of the last two days starts one (a diagnostics visit she came to; an order
//! handed out), writing one `SequenceStep` job per step, due `day` days after the event, in the
//! enrolment's transaction (one enrolment per client, sequence and event).
//!
//! A step job ([`step`]) first asks whether the sequence is still hers: consent not withdrawn,
//! and nothing since the event that ends it: a message from her on any channel, a booking, an
//! order. Any of those stops the enrolment and cancels its later steps. Otherwise it records the
//! send (one row per enrolment and step) and enqueues the e-mail in one transaction; a step run
//! again after a crash or a restart finds its row and sends nothing.

use crate::config::{Sequence, Trigger};
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::jobs::Job;
use crate::store::marketing::enrolment_prefix;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{DateTime, Duration, Utc};

/// How far back an event still enrols (the sweep runs hourly; a restart catches up).
const WINDOW_DAYS: i64 = 2;

/// The jobs of an enrolment's steps; a step whose day is more than a day past is left out.
fn step_jobs(seq: &Sequence, started: DateTime<Utc>, now: DateTime<Utc>) -> impl FnOnce(i64) -> Vec<NewJob> + '_ {
    move |enrolment| {
        seq.steps
            .iter()
            .enumerate()
            .map(|(i, s)| (i, started + Duration::days(s.day)))
            .filter(|(_, due)| *due >= now - Duration::days(1))
            .map(|(i, due)| {
                JobSpec::SequenceStep { enrolment, step: i as u32 }
                    .job(due, format!("{}{i}", enrolment_prefix(enrolment)))
            })
            .collect()
    }
}

/// Enrols everyone whose event in the last [`WINDOW_DAYS`] starts a configured sequence; how
/// many new enrolments.
pub async fn enrol_due(core: &Core, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let store = core.store();
    let from = now - Duration::days(WINDOW_DAYS);
    let mut added = 0;
    for seq in &core.config().marketing.sequences {
        let events = match seq.trigger {
            Trigger::DiagnosticsNoOrder => store
                .visits_came("diagnostics", from, now)
                .await?
                .into_iter()
                .map(|(client, booking, at)| (client, format!("b{booking}"), at))
                .collect::<Vec<_>>(),
            Trigger::OrderIssued => store
                .orders_issued(from, now)
                .await?
                .into_iter()
                .map(|(client, order, at)| (client, format!("o{order}"), at))
                .collect(),
        };
        for (client, anchor, at) in events {
            if store.enrol(client, &seq.code, &anchor, at, step_jobs(seq, at, now)).await?.is_some() {
                added += 1;
            }
        }
    }
    Ok(added)
}

/// The hourly job.
pub async fn enrol_job(core: &Core, job: &Job, now: DateTime<Utc>) -> Outcome {
    match enrol_due(core, now).await {
        Ok(n) => Outcome::done(format!("{n} enrolled")),
        Err(e) => retry(job.attempts, format!("sequences: {e:#}")),
    }
}

/// The hourly sweep's job for the hour of `fire`.
pub fn sweep_job(fire: DateTime<Utc>) -> NewJob {
    JobSpec::SequencesEnrol.job(fire, format!("cron:sequences:{}", fire.timestamp()))
}

/// One step: stop, skip, or record and enqueue its e-mail.
pub async fn step(core: &Core, job: &Job, enrolment: i64, step: u32) -> Outcome {
    let store = core.store();
    let e = match store.enrolment(enrolment).await {
        Ok(Some(e)) if e.status == "active" => e,
        Ok(_) => return Outcome::done("skipped: enrolment ended"),
        Err(err) => return retry(job.attempts, err),
    };
    let Some(seq) = core.config().marketing.sequence(&e.sequence) else {
        return Outcome::done("skipped: sequence no longer configured");
    };
    if seq.steps.get(step as usize).is_none() {
        return Outcome::done("skipped: no such step");
    }
    let stop = match store.mailable(e.client_id).await {
        Ok(None) => Some("no consent"),
        Ok(Some(_)) => match store.activity_since(e.client_id, e.started_at).await {
            Ok(reason) => reason,
            Err(err) => return retry(job.attempts, err),
        },
        Err(err) => return retry(job.attempts, err),
    };
    if let Some(reason) = stop {
        return match store.end_enrolment(enrolment, "stopped", Some(reason)).await {
            Ok(()) => Outcome::done(format!("stopped: {reason}")),
            Err(err) => retry(job.attempts, err),
        };
    }
    let mail = JobSpec::SequenceEmail { enrolment, step }
        .job(Utc::now(), format!("{}{step}:mail", enrolment_prefix(enrolment)));
    match store.record_sequence_send(enrolment, step as i64, &mail).await {
        Ok(true) if step as usize + 1 == seq.steps.len() => match store.end_enrolment(enrolment, "done", None).await {
            Ok(()) => Outcome::done("sent the last step"),
            Err(err) => retry(job.attempts, err),
        },
        Ok(true) => Outcome::done("step recorded, e-mail queued"),
        Ok(false) => Outcome::done("skipped: step sent before"),
        Err(err) => retry(job.attempts, err),
    }
}

/// The e-mail of a recorded step (consent checked again: she may have unsubscribed meanwhile).
pub async fn email(core: &Core, job: &Job, enrolment: i64, step: u32) -> Outcome {
    let store = core.store();
    let e = match store.enrolment(enrolment).await {
        Ok(Some(e)) if e.status != "stopped" => e,
        Ok(_) => return Outcome::done("skipped: enrolment stopped"),
        Err(err) => return retry(job.attempts, err),
    };
    let Some(s) = core.config().marketing.sequence(&e.sequence).and_then(|q| q.steps.get(step as usize)) else {
        return Outcome::done("skipped: step no longer configured");
    };
    let to = match store.mailable(e.client_id).await {
        Ok(Some(to)) => to,
        Ok(None) => return Outcome::done("skipped: no consent"),
        Err(err) => return retry(job.attempts, err),
    };
    let tr = Tr { i18n: core.i18n(), lang: super::mail::lang(core, &to).await };
    let args = [("name", to.full_name.as_str().into())];
    let subject = tr.t_args(&format!("{}-subject", s.key), &args);
    let body = tr.t_args(&format!("{}-body", s.key), &args);
    super::mail::send(core, job, &to, &subject, &body).await
}
