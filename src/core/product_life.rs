//! Reminders tied to the product's life (issue 15), scheduled when an order is issued, in the
//! same transaction as the issue (`store::orders::FollowUp`): a check-in on day 25, before the
//! 30-day free correction ends; the warranty's end at 6 months; a re-check every 6 months while
//! the client is a child (her birth date on the card says so); a replacement offer after a year.
//!
//! Each is an `aftercare` row with a job due at 10:00 business time that day. The owner chooses
//! (`/lifecycle`) whether they reach the client as a message in her channel (Telegram with a
//! 🔕 button; SMS / e-mail as the other notices go, switched on in `/reminders`) or come to her
//! as tasks (the default). A client who presses 🔕 or writes STOP (in the bot or in Instagram
//! Direct) gets no more; reopening
//! (cancelling, refunding) the order or forgetting the client cancels what is pending. Sent
//! reminders are counted with what followed them (`Store::lifecycle_effect`).

use super::booking::callback::BookingCb;
use super::booking::steps::{client_messages, Recipient};
use super::callback::callbacks;
use super::{CoreResult, Ctx, Output, Reply};
use crate::core::Core;
use crate::domain::when::resolve_local;
use crate::i18n::Tr;
use crate::store::aftercare::{order_prefix, Aftercare, NewAftercare};
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::{DateTime, Duration, Months, NaiveDate, NaiveTime, Utc};

callbacks! {
    /// The client's button under a reminder.
    pub enum ProductLifeCb {
        /// No more reminders for the client of order `order`.
        Stop(order: i64) => "ls",
    }
}

/// Where the owner's choice is kept: `message` or `task` (the default).
pub const MODE_SETTING: &str = "aftercare.mode";
pub const MESSAGE: &str = "message";
pub const TASK: &str = "task";

pub const CHECK_IN: &str = "check_in";
pub const WARRANTY: &str = "warranty";
pub const CHILD_RECHECK: &str = "child_recheck";
pub const REPLACEMENT: &str = "replacement";

const HOUR: u32 = 10;
/// The words a client writes to stop them (compared in upper case).
const STOP_WORDS: [&str; 4] = ["STOP", "СТОП", "ВІДПИСАТИСЯ", "ОТПИСАТЬСЯ"];

/// The owner's choice of mode.
pub async fn mode(core: &Core) -> &'static str {
    match core.store().setting(MODE_SETTING).await {
        Ok(Some(m)) if m == MESSAGE => MESSAGE,
        _ => TASK,
    }
}

/// True when someone born on `birth` (`YYYY-MM-DD`) is under 18 on `on`.
pub fn is_child(birth: Option<&str>, on: NaiveDate) -> bool {
    let Some(b) = birth.and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()) else { return false };
    b.checked_add_months(Months::new(18 * 12)).is_some_and(|adult| adult > on)
}

/// The reminders of an order issued on business day `issued`.
pub fn plan(
    core: &Core,
    order_id: i64,
    issued: NaiveDate,
    birth: Option<&str>,
    mode: &'static str,
) -> Vec<NewAftercare> {
    let tz = core.config().tz;
    let at = |d: NaiveDate| resolve_local(tz, d, NaiveTime::from_hms_opt(HOUR, 0, 0).unwrap_or_default());
    let months = |m: u32| issued.checked_add_months(Months::new(m)).unwrap_or(issued);
    let mut rows = vec![
        NewAftercare { order_id, kind: CHECK_IN, mode, due_at: at(issued + Duration::days(25)) },
        NewAftercare { order_id, kind: WARRANTY, mode, due_at: at(months(6)) },
        NewAftercare { order_id, kind: REPLACEMENT, mode, due_at: at(months(12)) },
    ];
    for m in [6, 12, 18, 24] {
        if is_child(birth, months(m)) {
            rows.push(NewAftercare { order_id, kind: CHILD_RECHECK, mode, due_at: at(months(m)) });
        }
    }
    rows.sort_by_key(|r| r.due_at);
    rows
}

/// The job of reminder `id` (keys share the order's prefix, so they are cancelled together).
pub fn job(id: i64, row: &NewAftercare) -> NewJob {
    JobSpec::Aftercare { id }.job(row.due_at, format!("{}{id}", order_prefix(row.order_id)))
}

/// The reminders of an order issued now.
pub async fn for_issue(core: &Core, order_id: i64) -> anyhow::Result<Vec<NewAftercare>> {
    let order = core.store().order(order_id).await?;
    let client = core.store().client(order.client_id).await?;
    let today = crate::store::now().with_timezone(&core.config().tz).date_naive();
    Ok(plan(core, order_id, today, client.birth_date.as_deref(), mode(core).await))
}

/// The NPS question's job, due with the follow-up.
pub fn nps_job(order_id: i64, due: DateTime<Utc>) -> NewJob {
    JobSpec::NpsAsk { order_id }.job(due, format!("{}nps", order_prefix(order_id)))
}

fn key(kind: &str, task: bool) -> &'static str {
    match (kind, task) {
        (CHECK_IN, false) => "aftercare-check-in",
        (WARRANTY, false) => "aftercare-warranty",
        (CHILD_RECHECK, false) => "aftercare-child",
        (_, false) => "aftercare-replacement",
        (CHECK_IN, true) => "aftercare-task-check-in",
        (WARRANTY, true) => "aftercare-task-warranty",
        (CHILD_RECHECK, true) => "aftercare-task-child",
        (_, true) => "aftercare-task-replacement",
    }
}

fn text(tr: &Tr<'_>, a: &Aftercare, task: bool) -> String {
    tr.t_args(key(&a.kind, task), &[("product", a.product.as_str().into()), ("name", a.client_name.as_str().into())])
}

/// The job: the reminder as a message to the client, or as a task for the owner.
pub async fn run(core: &Core, job: &Job, id: i64) -> Outcome {
    let store = core.store();
    let a = match store.aftercare(id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Outcome::done("skipped: no such reminder"),
        Err(e) => return retry(job.attempts, e),
    };
    let refunded = a.refunds > 0 && a.paid_net_kop <= 0;
    let resend = a.status == "sent" && a.mode == MESSAGE;
    if a.status != "pending" && !resend {
        return Outcome::done(format!("skipped: {}", a.status));
    }
    if a.forgotten || a.order_status != "issued" || refunded {
        let _ = store.close_aftercare(id, "cancelled").await;
        return Outcome::done("cancelled: order reopened or refunded, or client forgotten");
    }
    let now = crate::store::now();
    if a.mode == MESSAGE {
        if a.opt_out {
            let _ = store.close_aftercare(id, "skipped").await;
            return Outcome::done("skipped: the client opted out");
        }
        let to = Recipient {
            chat: a.telegram_id.filter(|_| core.config().telegram_enabled),
            phone: a.phone.clone(),
            client_id: a.client_id,
        };
        let telegram = |tr: &Tr<'_>| {
            let buttons = vec![
                vec![(tr.t("btn-book"), BookingCb::Start.encode())],
                vec![(tr.t("btn-aftercare-stop"), ProductLifeCb::Stop(a.order_id).encode())],
            ];
            (text(tr, &a, false), buttons)
        };
        let plain = |tr: &Tr<'_>| {
            (tr.t("aftercare-subject"), format!("{}\n{}", text(tr, &a, false), tr.t("aftercare-stop-hint")))
        };
        let sends = client_messages(core, &job.idempotency_key, to, telegram, plain).await;
        if !sends.is_empty() {
            if let Err(e) = store.close_aftercare(id, "sent").await {
                return retry(job.attempts, e);
            }
            return Outcome::Done { result: format!("{} reminder message(s) queued", sends.len()), follow_ups: sends };
        }
        // No channel to her: the owner calls instead.
    }
    let tr = Tr { i18n: core.i18n(), lang: super::booking::lang_of(core, "console:owner").await };
    let body = text(&tr, &a, true);
    match store.aftercare_task(id, a.client_id, &body, now, crate::work::spec::task_jobs(Some(now))).await {
        Ok(Some(task)) => Outcome::done(format!("task {task} made")),
        Ok(None) => Outcome::done("skipped: already done"),
        Err(e) => retry(job.attempts, e),
    }
}

/// The recommendation's button: each pending replacement offer of `due` (reminder, order,
/// client) brought forward to now as a message (a task when she has no channel). Returns how
/// many were.
pub async fn offer_replacement(core: &Core, due: &[(i64, i64, i64)], now: DateTime<Utc>) -> anyhow::Result<usize> {
    let moved: Vec<(i64, NewAftercare)> = due
        .iter()
        .map(|(id, order, _)| (*id, NewAftercare { order_id: *order, kind: REPLACEMENT, mode: MESSAGE, due_at: now }))
        .collect();
    Ok(core.store().bring_forward_aftercare(&moved, &job).await?)
}

/// `/lifecycle`: how the reminders go; `/lifecycle messages` or `/lifecycle tasks` to change it.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let set = match args.trim().to_lowercase().as_str() {
        "" => None,
        "messages" | "message" | "повідомлення" | "клієнтам" => Some(MESSAGE),
        "tasks" | "task" | "завдання" | "мені" => Some(TASK),
        _ => return Err(super::CoreError::user("aftercare-bad-mode")),
    };
    if let Some(m) = set {
        ctx.store().set_setting(MODE_SETTING, m).await?;
    }
    let now = crate::store::now();
    let effect = ctx.store().lifecycle_effect(now - Duration::days(365), now).await?;
    let current = mode(ctx.core).await;
    let text = ctx.t_args(
        if current == MESSAGE { "aftercare-mode-messages" } else { "aftercare-mode-tasks" },
        &[("sent", effect.sent.into()), ("rebooked", effect.rebooked.into()), ("reordered", effect.reordered.into())],
    );
    Ok(Output::one(Reply::text(text)))
}

/// The client's 🔕: only for her own order.
pub async fn on_visitor_button(ctx: &Ctx<'_>, cb: ProductLifeCb) -> CoreResult {
    let ProductLifeCb::Stop(order) = cb;
    let Some(client) = own_client(ctx, order).await? else {
        return Ok(Output::default().toast(ctx.t("visitor-no-access")));
    };
    ctx.store().set_aftercare_opt_out(client, true).await?;
    Ok(Output::one(Reply::text(ctx.t("aftercare-stopped"))))
}

/// The client of `order` when she is the one in this chat.
pub(crate) async fn own_client(ctx: &Ctx<'_>, order: i64) -> CoreResult<Option<i64>> {
    let Some(chat) = super::booking::client::telegram_id(ctx) else { return Ok(None) };
    let Ok(o) = ctx.store().order(order).await else { return Ok(None) };
    let c = ctx.store().client(o.client_id).await?;
    Ok((c.telegram_id == Some(chat)).then_some(c.id))
}

/// True for a message that is only a STOP word (any case, a full stop or `!` after it).
pub fn is_stop_word(text: &str) -> bool {
    STOP_WORDS.contains(&text.trim().trim_end_matches(['.', '!']).to_uppercase().as_str())
}

/// A client's STOP in the bot: no more reminders. `None` for any other text.
pub async fn stop_word(ctx: &Ctx<'_>, client: i64, text: &str) -> CoreResult<Option<Output>> {
    if !is_stop_word(text) {
        return Ok(None);
    }
    ctx.store().set_aftercare_opt_out(client, true).await?;
    Ok(Some(Output::one(Reply::text(ctx.t("aftercare-stopped")))))
}

#[cfg(test)]
mod tests {
    use super::is_child;
    use chrono::NaiveDate;

    #[test]
    fn a_child_until_the_eighteenth_birthday() {
        let on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert!(is_child(Some("2015-03-04"), on));
        assert!(is_child(Some("2008-12-02"), on));
        assert!(!is_child(Some("2008-12-01"), on));
        assert!(!is_child(Some("1980-01-01"), on));
        assert!(!is_child(None, on));
        assert!(!is_child(Some("garbage"), on));
    }
}
