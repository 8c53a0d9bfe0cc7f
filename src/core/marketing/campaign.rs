//! `/campaign`: one message, three parts on their own lines: the segment (`#tag`, `visit<DATE`,
//! `visit>DATE`, `age>=MONTHS`, `age<=MONTHS`, `all`; `domain::segment`), the subject, the text
//! (`{name}` becomes her name). The answer is the preview: how many clients with consent match,
//! and the first e-mail as she would read it; then 🧪 a test to the owner's address
//! (`REPORT_EMAIL`), and ✉️ send, which asks once more before it goes.
//!
//! Sending writes one `CampaignEmail` job per recipient in one transaction (multi-row inserts),
//! each due at its place in the SMTP server's rate (`SMTP_RATE_PER_MIN`): the worker never sends
//! faster, and a second campaign queues after the first. A campaign is sent once (a second tap
//! says so); consent is checked again when each e-mail goes.

use super::{mail, MarketingCb};
use crate::core::{Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::segment::Segment;
use crate::domain::when::resolve_local;
use crate::store::campaigns::SegmentQuery;
use crate::store::marketing::Mailable;
use crate::work::{JobSpec, NewJob};
use chrono::{DateTime, Months, NaiveTime, Utc};

/// The longest subject and text accepted.
const MAX_SUBJECT: usize = 200;
const MAX_TEXT: usize = 5000;

/// The segment as instants in business time.
pub fn query(core: &Core, seg: &Segment, now: DateTime<Utc>) -> SegmentQuery {
    let tz = core.config().tz;
    let day = |d| resolve_local(tz, d, NaiveTime::MIN);
    let ago = |m: u32| now.checked_sub_months(Months::new(m)).unwrap_or(now);
    SegmentQuery {
        tag: seg.tag.clone(),
        visit_before: seg.visit_before.map(day),
        visit_after: seg.visit_after.map(day),
        issued_before: seg.age_min_months.map(ago),
        issued_after: seg.age_max_months.map(ago),
    }
}

async fn recipients(core: &Core, segment: &str) -> anyhow::Result<Vec<Mailable>> {
    let seg = Segment::parse(segment).map_err(|w| anyhow::anyhow!("stored segment no longer parses: {}", w.0))?;
    Ok(core.store().segment(&query(core, &seg, Utc::now())).await?)
}

pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let mut lines = args.splitn(3, '\n');
    let (Some(segment), Some(subject), Some(text)) = (lines.next(), lines.next(), lines.next()) else {
        return Ok(Output::one(Reply::text(ctx.t("campaign-help"))));
    };
    let (segment, subject, text) = (segment.trim(), subject.trim(), text.trim());
    if subject.is_empty() || text.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("campaign-help"))));
    }
    if subject.chars().count() > MAX_SUBJECT || text.chars().count() > MAX_TEXT {
        return Err(CoreError::user_with(
            "err-too-long",
            vec![("len", text.chars().count().into()), ("max", MAX_TEXT.into())],
        ));
    }
    if let Err(w) = Segment::parse(segment) {
        return Err(CoreError::user_with("campaign-bad-word", vec![("word", w.0.into())]));
    }
    let id = ctx.store().create_campaign(segment, subject, text).await?;
    preview(ctx, id).await
}

/// The count, the first e-mail, and the buttons.
async fn preview(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().campaign(id).await?.ok_or(CoreError::NotFound)?;
    let to = recipients(ctx.core, &c.segment).await?;
    let mut text = ctx.t_args("campaign-preview", &[("id", id.into()), ("count", to.len().into())]);
    if let Some(first) = to.first() {
        let url = super::unsubscribe::url(ctx.core, first.id).await?.unwrap_or_else(|| "/unsubscribe/…".into());
        let (plain, _) = mail::bodies(&ctx.tr, &mail::fill(&c.body, first), &url);
        text.push_str(&format!(
            "\n\n{} <{}>\n{}\n\n{plain}",
            first.full_name,
            first.email,
            ctx.t_args("campaign-subject", &[("subject", mail::fill(&c.subject, first).into())])
        ));
    }
    let mut rows = vec![vec![Button::new(ctx.t("campaign-btn-test"), MarketingCb::Test(id))]];
    if !to.is_empty() {
        rows.push(vec![Button::new(
            ctx.t_args("campaign-btn-send", &[("count", to.len().into())]),
            MarketingCb::Send(id),
        )]);
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows)))
}

/// 🧪: the first recipient's e-mail to the owner's address, marked as a test.
pub async fn test_send(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let Some(owner) = ctx.core.config().reports.email.clone() else {
        return Ok(Output::one(Reply::text(ctx.t("campaign-no-owner-email"))));
    };
    let c = ctx.store().campaign(id).await?.ok_or(CoreError::NotFound)?;
    let sample = recipients(ctx.core, &c.segment).await?.into_iter().next().unwrap_or(Mailable {
        id: 0,
        full_name: ctx.t("campaign-sample-name"),
        email: owner.clone(),
        telegram_id: None,
    });
    let url = match sample.id {
        0 => None,
        id => super::unsubscribe::url(ctx.core, id).await?,
    };
    let (plain, _) = mail::bodies(&ctx.tr, &mail::fill(&c.body, &sample), url.as_deref().unwrap_or("—"));
    let subject = format!("[{}] {}", ctx.t("campaign-test-mark"), mail::fill(&c.subject, &sample));
    let now = Utc::now();
    let job = JobSpec::SendEmail { to: owner.clone(), subject, body: plain }
        .job(now, format!("campaign:{id}:test:{}", now.timestamp_millis()));
    ctx.store().enqueue(&job).await?;
    Ok(Output::one(Reply::text(ctx.t_args("campaign-test-sent", &[("address", owner.into())]))))
}

/// ✉️: asks once more, naming the count.
pub async fn confirm(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().campaign(id).await?.ok_or(CoreError::NotFound)?;
    if c.sent_at.is_some() {
        return Ok(Output::one(Reply::text(ctx.t("campaign-sent-before"))));
    }
    let n = recipients(ctx.core, &c.segment).await?.len();
    let text = ctx.t_args("campaign-confirm", &[("id", id.into()), ("count", n.into())]);
    let rows = vec![vec![Button::new(ctx.t("campaign-btn-confirm"), MarketingCb::Confirm(id))]];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

/// The jobs of `to`, spaced to `rate_per_min` from `start`.
pub fn jobs(id: i64, to: &[Mailable], start: DateTime<Utc>, rate_per_min: u32) -> Vec<NewJob> {
    let gap_ms = 60_000 / i64::from(rate_per_min.max(1));
    to.iter()
        .enumerate()
        .map(|(i, c)| {
            let due = start + chrono::Duration::milliseconds(gap_ms * i as i64);
            JobSpec::CampaignEmail { campaign: id, client: c.id }.job(due, format!("campaign:{id}:{}", c.id))
        })
        .collect()
}

/// Enqueues campaign `id` to its segment now: (how many, when the last one goes); `None` when it
/// was sent before.
pub async fn enqueue(core: &Core, id: i64) -> anyhow::Result<Option<(usize, DateTime<Utc>)>> {
    let store = core.store();
    let c = store.campaign(id).await?.ok_or_else(|| anyhow::anyhow!("no campaign {id}"))?;
    if c.sent_at.is_some() {
        return Ok(None);
    }
    let to = recipients(core, &c.segment).await?;
    let rate = core.config().marketing.rate_per_min;
    let gap = chrono::Duration::milliseconds(60_000 / i64::from(rate.max(1)));
    let kind = JobSpec::CampaignEmail { campaign: 0, client: 0 }.kind();
    let now = Utc::now();
    let start = match store.last_pending_due(&[kind]).await? {
        Some(last) if last + gap > now => last + gap,
        _ => now,
    };
    let jobs = jobs(id, &to, start, rate);
    let last = jobs.last().map(|j| j.due_at).unwrap_or(start);
    Ok(store.send_campaign(id, &jobs).await?.map(|n| (n, last)))
}

/// After downtime the campaign e-mails that fell due meanwhile would all be due at once: spaced
/// again from `now` at the rate (a later one keeps its own time when that is later), so a
/// restart never sends faster than the SMTP server takes. How many were moved.
pub async fn respace(core: &Core, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let store = core.store();
    let kind = JobSpec::CampaignEmail { campaign: 0, client: 0 }.kind();
    let gap = chrono::Duration::milliseconds(60_000 / i64::from(core.config().marketing.rate_per_min.max(1)));
    let pending = store.pending_of_kind(kind).await?;
    if pending.first().is_none_or(|(_, due)| *due >= now - gap) {
        return Ok(0);
    }
    let mut next = now;
    let mut moved = vec![];
    for (id, due) in pending {
        let at = due.max(next);
        if at != due {
            moved.push((id, at));
        }
        next = at + gap;
    }
    store.set_due_many(&moved).await?;
    Ok(moved.len())
}

/// The confirmation tap.
pub async fn send(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    if ctx.core.config().notify.email.is_none() || ctx.core.config().public_url.is_none() {
        return Ok(Output::one(Reply::text(ctx.t("campaign-no-smtp"))));
    }
    let text = match enqueue(ctx.core, id).await? {
        None => ctx.t("campaign-sent-before"),
        Some((n, last)) => {
            let tz = ctx.core.config().tz;
            ctx.t_args(
                "campaign-queued",
                &[
                    ("count", n.into()),
                    ("rate", i64::from(ctx.core.config().marketing.rate_per_min).into()),
                    ("last", last.with_timezone(&tz).format("%d.%m %H:%M").to_string().into()),
                ],
            )
        }
    };
    Ok(Output::one(Reply::text(text).editing(true)))
}
