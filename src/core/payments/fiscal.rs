//! Fiscal receipts. With Checkbox configured every payment and refund gets a sell or return
//! receipt through the jobs table, one step per run: open a shift when none is open (and wait for
//! it), send the receipt under our UUID (a retry sends the same id, after first asking whether
//! Checkbox already has it), then read its status until `DONE` (the client then gets the thank-you
//! with the receipt's link) or `ERROR` (the owner is told; it is never sent again under a new id).
//! Without Checkbox the entry is marked `needed` and the owner sees it in `/finance` until she
//! marks it issued.

use crate::core::booking::to_owners;
use crate::core::Core;
use crate::domain::cash::{EntryKind, PayMethod};
use crate::payments::checkbox::ApiError;
use crate::store::cashbook::{Booked, Fiscal};
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, NewJob, Outcome};
use chrono::Utc;
use serde_json::{json, Value};

/// Steps (shift waits and status reads) before a receipt is called stuck and the owner told.
const MAX_STEPS: u32 = 90;
/// Between two steps (a shift opens and a receipt is fiscalised in "a few seconds").
const STEP: chrono::Duration = chrono::Duration::seconds(2);
/// Attempts of one step that fails for a reason worth retrying (Checkbox down, network).
const MAX_ATTEMPTS: i64 = 6;

/// How receipts are issued under this configuration.
pub fn mode(core: &Core) -> Fiscal {
    if core.checkbox().is_some() {
        Fiscal::Checkbox
    } else {
        Fiscal::Manual
    }
}

/// The job that issues a booked entry's receipt (none when it has no Checkbox receipt).
pub fn receipt_jobs(b: &Booked) -> Vec<NewJob> {
    b.receipt_id.iter().map(|id| step_job(id, 0, Utc::now())).collect()
}

fn step_job(id: &str, step: u32, at: chrono::DateTime<Utc>) -> NewJob {
    JobSpec::FiscalReceipt { receipt_id: id.to_string(), step }.job(at, format!("fiscal:{id}:{step}"))
}

/// A retry of the same step soon (Checkbox's hiccups are short): 2 s, 4 s, 8 s, ... up to 10 min.
fn retry_soon(attempts: i64, e: impl std::fmt::Display) -> Outcome {
    let secs = 2u64.saturating_mul(1 << attempts.clamp(1, 12).saturating_sub(1)).min(600);
    Outcome::Retry { after: std::time::Duration::from_secs(secs), error: e.to_string() }
}

fn next(id: &str, step: u32, what: &str) -> Outcome {
    Outcome::Done { result: what.to_string(), follow_ups: vec![step_job(id, step + 1, Utc::now() + STEP)] }
}

/// The receipt as Checkbox wants it: one line (the order's product, or the expense's text), one
/// payment (cash, or card: terminal and Monobank), `is_return` lines for a return.
fn payload(
    r: &crate::store::receipts::Receipt,
    e: &crate::store::cashbook::Entry,
    product: &str,
    order: Option<i64>,
) -> Value {
    let method = PayMethod::from_code(&e.method).unwrap_or(PayMethod::Cash);
    let payment = match method {
        PayMethod::Cash => json!({ "type": "CASH", "value": e.amount_kop, "label": "Готівка" }),
        PayMethod::Terminal => json!({ "type": "CASHLESS", "value": e.amount_kop, "label": "Картка" }),
        PayMethod::Monobank => json!({ "type": "CASHLESS", "value": e.amount_kop, "label": "Інтернет еквайринг" }),
    };
    let mut good = json!({
        "good": { "code": format!("order-{}", order.unwrap_or(0)), "name": crate::domain::text::ellipsize(product, 200), "price": e.amount_kop },
        "quantity": 1000,
    });
    let mut body = json!({ "id": r.id, "payments": [payment], "context": { "crm_entry": e.id } });
    if let Some(o) = order {
        body["context"]["crm_order"] = json!(o.to_string());
        body["footer"] = json!(format!("Замовлення №{o}"));
    }
    if r.kind == "return" {
        good["is_return"] = json!(true);
        if let Some(rel) = &r.related_id {
            body["related_receipt_id"] = json!(rel);
        }
    }
    body["goods"] = json!([good]);
    body
}

/// The job: one step of receipt `id`.
pub async fn run(core: &Core, job: &Job, id: &str, step: u32) -> Outcome {
    let Some(cb) = core.checkbox() else { return Outcome::Fail { error: "CHECKBOX_LICENSE_KEY is not set".into() } };
    let store = core.store();
    let r = match store.receipt(id).await {
        Ok(r) => r,
        Err(e) => return retry(job.attempts, e),
    };
    if step >= MAX_STEPS && matches!(r.status.as_str(), "queued" | "sent") {
        return finish(core, &r, false, None, None, Some("no answer from Checkbox in time")).await;
    }
    match r.status.as_str() {
        "queued" => match send(core, cb, &r).await {
            Ok(Some(what)) => next(id, step, &what),
            Ok(None) => next(id, step, "waiting for the shift"),
            Err(e) if e.retryable() && job.attempts < MAX_ATTEMPTS => retry_soon(job.attempts, e),
            Err(e) => finish(core, &r, false, None, None, Some(&e.to_string())).await,
        },
        "sent" => match cb.receipt(id).await {
            Ok(Some(s)) if s.status == "DONE" => {
                finish(core, &r, true, s.fiscal_code.as_deref(), s.tax_url.as_deref(), None).await
            }
            Ok(Some(s)) if s.status == "ERROR" => {
                let why = s.error.unwrap_or_else(|| "ERROR".into());
                finish(core, &r, false, None, None, Some(&why)).await
            }
            Ok(_) => next(id, step, "not fiscalised yet"),
            Err(e) if e.retryable() && job.attempts < MAX_ATTEMPTS => retry_soon(job.attempts, e),
            Err(e) => finish(core, &r, false, None, None, Some(&e.to_string())).await,
        },
        other => Outcome::done(format!("skipped: {other}")),
    }
}

/// Makes sure a shift is open, then sends the receipt; `Ok(None)` while the shift is opening.
async fn send(
    core: &Core,
    cb: &crate::payments::checkbox::Checkbox,
    r: &crate::store::receipts::Receipt,
) -> Result<Option<String>, ApiError> {
    // A call whose answer was lost may have made the receipt: Checkbox knows it by our id.
    if cb.receipt(&r.id).await?.is_some() {
        let _ = core.store().receipt_sent(&r.id).await;
        return Ok(Some("already there".into()));
    }
    match cb.shift().await?.as_deref() {
        Some("OPENED") => {}
        Some("CREATED" | "OPENING") => return Ok(None),
        _ => {
            // Closed by Checkbox at 23:50 the same day (business time zone), the Z report with it.
            let tz = core.config().tz;
            let local = Utc::now().with_timezone(&tz);
            let close = chrono::NaiveTime::from_hms_opt(23, 50, 0).unwrap_or_default();
            let at = crate::domain::when::resolve_local(tz, local.date_naive(), close);
            let status = cb.open_shift(&crate::store::cashbook::new_uuid(), (at > Utc::now()).then_some(at)).await?;
            tracing::info!(%status, "checkbox: shift opened");
            if status != "OPENED" {
                return Ok(None);
            }
        }
    }
    let store = core.store();
    let e = store.entry(r.entry_id).await.map_err(|e| ApiError::Network(e.to_string()))?;
    let product = match e.order_id {
        Some(o) => store.order(o).await.map(|o| o.product).unwrap_or_default(),
        None => e.category.clone(),
    };
    cb.sell(&payload(r, &e, &product, e.order_id)).await?;
    store.receipt_sent(&r.id).await.map_err(|e| ApiError::Network(e.to_string()))?;
    Ok(Some("sent".into()))
}

/// The receipt's end: stored; the client gets the thank-you with its link (or, when it failed,
/// without one), the owner hears of a failure.
async fn finish(
    core: &Core,
    r: &crate::store::receipts::Receipt,
    done: bool,
    fiscal_code: Option<&str>,
    tax_url: Option<&str>,
    error: Option<&str>,
) -> Outcome {
    let store = core.store();
    match store.receipt_finished(&r.id, done, fiscal_code, tax_url, error).await {
        Ok(true) => {}
        Ok(false) => return Outcome::done("skipped: finished before"),
        Err(e) => return retry(1, e),
    }
    let mut sends = vec![];
    let e = store.entry(r.entry_id).await.ok();
    let order = match e.as_ref().and_then(|e| e.order_id) {
        Some(o) => store.order(o).await.ok(),
        None => None,
    };
    let amount = e.as_ref().map(|e| crate::domain::Money::from_kopecks(e.amount_kop)).unwrap_or_default();
    let refund = e.as_ref().is_some_and(|e| e.kind == EntryKind::Refund.code());
    let key = format!("fiscal:{}:end", r.id);
    if let Some(o) = &order {
        let link = done.then(|| core.checkbox().map(|c| c.receipt_url(&r.id))).flatten();
        if let Ok(client) = store.client(o.client_id).await {
            let base = if refund { "pay-client-refunded" } else { "pay-client-thanks" };
            let (jobs, _) = super::notices::to_client(core, &format!("{key}:client"), &client, |tr| {
                let mut text = tr.t_args(base, &[("id", o.id.into()), ("amount", amount.to_string().into())]);
                if let Some(l) = &link {
                    text.push_str(&format!("\n{}", tr.t_args("pay-client-receipt", &[("url", l.as_str().into())])));
                }
                text
            })
            .await;
            sends.extend(jobs);
        }
    }
    if !done {
        tracing::warn!(receipt = %r.id, error = ?error, "checkbox: receipt not issued");
        let reason = error.unwrap_or_default().to_string();
        let id = order.as_ref().map(|o| o.id).unwrap_or(0);
        sends.extend(
            to_owners(core, &format!("{key}:owner"), |tr| {
                let text = tr.t_args(
                    "pay-owner-receipt-failed",
                    &[("id", id.into()), ("amount", amount.to_string().into()), ("reason", reason.as_str().into())],
                );
                (text, vec![vec![(tr.t("btn-pay-owed"), super::PayCb::Owed.encode())]])
            })
            .await,
        );
    }
    Outcome::Done { result: if done { "done".into() } else { "error".into() }, follow_ups: sends }
}
