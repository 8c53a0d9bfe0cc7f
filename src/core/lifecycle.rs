//! Two cards of one person merged, and a client forgotten on her request, from her card.
//!
//! Merge: «🔗 Об'єднати» → type a name or phone of the other card → pick it → a confirmation that
//! shows both and which one stays (one tap swaps) → the store's one merge (`identity::merge_tx`,
//! also used for identity claims) moves everything to the kept card.
//!
//! Delete: «🗑 Видалити» → a confirmation that says what disappears and what stays (orders, for
//! the books, without her name or phone) and how many future visits are cancelled → a second tap on
//! a different button forgets her (`store::forget`). The client is not messaged about cancelled
//! visits: she asked to be forgotten, and the owner is told to warn her herself if needed.

use super::booking::callback::BookingDialog;
use super::callback::{callbacks, Cb};
use super::clients::ClientDialog;
use super::dialog::{self, Dialog};
use super::orders::{OrderCb, OrderDialog};
use super::tasks::{TaskCb, TaskDialog};
use super::{card, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::ClientCb;
use crate::domain::Phone;
use crate::store::clients::Client;
use serde::{Deserialize, Serialize};

callbacks! {
    /// Buttons of merging and forgetting a card (owner only).
    pub enum LifecycleCb {
        /// Start merging card `id` with another one.
        Merge(id: i64) => "jm",
        /// The other card was picked: confirm (`keep` stays, `other` goes).
        MergePick(keep: i64, other: i64) => "jp",
        MergeDo(keep: i64, remove: i64) => "jd",
        /// Ask to forget card `id`.
        Delete(id: i64) => "fg",
        DeleteDo(id: i64) => "fd",
    }
}

/// Steps of this feature (stored as `{"step":"merge_search","client":3}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum LifecycleDialog {
    MergeSearch { client: i64 },
}

pub async fn on_button(ctx: &Ctx<'_>, cb: LifecycleCb) -> CoreResult {
    match cb {
        LifecycleCb::Merge(id) => {
            let c = live(ctx, id).await?;
            let text = ctx.t_args("merge-ask", &[("name", c.full_name.into())]);
            dialog::prompt(ctx, LifecycleDialog::MergeSearch { client: id }, text).await
        }
        LifecycleCb::MergePick(keep, other) => confirm_merge(ctx, keep, other).await,
        LifecycleCb::MergeDo(keep, remove) => merge(ctx, keep, remove).await,
        LifecycleCb::Delete(id) => confirm_delete(ctx, id).await,
        LifecycleCb::DeleteDo(id) => forget(ctx, id).await,
    }
}

pub async fn answer(ctx: &Ctx<'_>, d: LifecycleDialog, text: &str) -> CoreResult {
    let LifecycleDialog::MergeSearch { client } = d;
    let query = text.trim();
    if query.chars().count() > 200 {
        return Err(CoreError::user_with(
            "err-too-long",
            vec![("len", query.chars().count().into()), ("max", 200usize.into())],
        ));
    }
    let found: Vec<_> =
        ctx.store().search_clients(query, 21).await?.into_iter().filter(|c| c.id != client).take(20).collect();
    if found.is_empty() {
        // The step stays: she can type another name.
        return Ok(Output::one(Reply::text(ctx.t_args("merge-none", &[("query", query.into())]))));
    }
    dialog::clear(ctx).await?;
    let rows = found
        .iter()
        .map(|c| {
            let phone = c.phone.as_deref().map(|p| Phone::from_stored(p.to_string()).display()).unwrap_or_default();
            vec![Button::new(
                format!("{} {}", c.full_name, phone).trim().to_string(),
                LifecycleCb::MergePick(client, c.id),
            )]
        })
        .chain(std::iter::once(vec![Button::new(ctx.t("btn-back-to-card"), ClientCb::Card(client))]))
        .collect();
    Ok(Output::one(Reply::text(ctx.t("merge-pick")).with_buttons(rows)))
}

/// The card a button writes to (an edit, a note, a tag, an order, a task), `None` for buttons that
/// only read or write nothing of a client's.
fn written_by_button(cb: &Cb) -> Option<i64> {
    match *cb {
        Cb::Client(c) => match c {
            ClientCb::EditMenu(id)
            | ClientCb::Edit(id, _)
            | ClientCb::Conditions(id)
            | ClientCb::ToggleCondition(id, _)
            | ClientCb::ToggleDiabetes(id)
            | ClientCb::Note(id)
            | ClientCb::Call(id)
            | ClientCb::Tags(id)
            | ClientCb::AddTag(id)
            | ClientCb::RemoveTag(id, _)
            | ClientCb::Referral(id) => Some(id),
            ClientCb::Card(_) | ClientCb::Timeline(_) | ClientCb::NewClient | ClientCb::Search => None,
        },
        Cb::Order(
            OrderCb::NewOrder(id) | OrderCb::PickClient(id) | OrderCb::FromProduct(id, _) | OrderCb::OtherProduct(id),
        ) => Some(id),
        Cb::Task(TaskCb::New(id)) => Some(id),
        _ => None,
    }
}

/// The card a typed step writes to.
fn written_by_step(d: &Dialog) -> Option<i64> {
    match d {
        Dialog::Client(
            ClientDialog::EditField { client, .. }
            | ClientDialog::Note { client }
            | ClientDialog::Call { client }
            | ClientDialog::AddTag { client },
        )
        | Dialog::Order(
            OrderDialog::OrderProduct { client }
            | OrderDialog::OrderPrice { client, .. }
            | OrderDialog::OrderPrepaid { client, .. },
        )
        | Dialog::Task(TaskDialog::Task { client: Some(client) })
        | Dialog::Booking(BookingDialog::OwnerBookFor { client }) => Some(*client),
        _ => None,
    }
}

/// Refuses to write to a forgotten card: its old buttons (and the 👤 button of an order kept for
/// the books) still reach it, and a step may have been started on it before it was forgotten.
/// What she asked to be forgotten must not come back on it, and a forgotten card cannot be
/// forgotten again.
pub async fn refuse_forgotten(ctx: &Ctx<'_>, cb: Option<&Cb>, step: Option<&Dialog>) -> CoreResult<()> {
    for id in [cb.and_then(written_by_button), step.and_then(written_by_step)].into_iter().flatten() {
        if let Ok(c) = ctx.store().client(id).await {
            if is_forgotten(&c) {
                return Err(CoreError::user("client-forgotten"));
            }
        }
    }
    Ok(())
}

pub fn is_forgotten(c: &Client) -> bool {
    c.source.as_deref() == Some(crate::store::forget::DELETED)
}

/// A card that was not forgotten (an anonymised card can be neither merged nor deleted again).
async fn live(ctx: &Ctx<'_>, id: i64) -> CoreResult<Client> {
    let c = ctx.store().client(id).await?;
    if is_forgotten(&c) {
        return Err(CoreError::user("client-forgotten"));
    }
    Ok(c)
}

fn summary(ctx: &Ctx<'_>, c: &Client) -> String {
    let phone = c.phone.as_deref().map(|p| Phone::from_stored(p.to_string()).display());
    let since = c.created_at.with_timezone(&ctx.tz()).format("%d.%m.%Y").to_string();
    let mut s = format!("👤 {}", c.full_name);
    if let Some(p) = phone {
        s.push_str(&format!(" · 📞 {p}"));
    }
    s.push_str(&format!(" · {}", ctx.t_args("merge-since", &[("date", since.into())])));
    s
}

async fn confirm_merge(ctx: &Ctx<'_>, keep: i64, other: i64) -> CoreResult {
    if keep == other {
        return Err(CoreError::user("merge-same"));
    }
    let (k, o) = (live(ctx, keep).await?, live(ctx, other).await?);
    let text = ctx.t_args("merge-confirm", &[("keep", summary(ctx, &k).into()), ("remove", summary(ctx, &o).into())]);
    let rows = vec![
        vec![Button::new(ctx.t("btn-merge-do"), LifecycleCb::MergeDo(keep, other))],
        vec![Button::new(
            ctx.t_args("btn-merge-swap", &[("name", o.full_name.into())]),
            LifecycleCb::MergePick(other, keep),
        )],
        vec![Button::new(ctx.t("btn-back-to-card"), ClientCb::Card(keep))],
    ];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

async fn merge(ctx: &Ctx<'_>, keep: i64, remove: i64) -> CoreResult {
    let (Ok(k), Ok(r)) = (live(ctx, keep).await, live(ctx, remove).await) else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    let note = ctx.t_args("merge-note", &[("name", r.full_name.clone().into()), ("id", remove.into())]);
    if ctx.store().merge_clients(remove, keep, &note).await?.is_none() {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    tracing::info!(kept = keep, removed = remove, "cards merged by the owner");
    let header = ctx.t_args("merge-done", &[("name", k.full_name.into()), ("other", r.full_name.into())]);
    Ok(Output::one(card::render(ctx, keep, Some(header)).await?.editing(true)))
}

async fn confirm_delete(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = live(ctx, id).await?;
    let visits = ctx.store().future_visit_count(id).await?;
    let orders = ctx.store().order_count_for_client(id).await?;
    let text = ctx.t_args(
        "delete-confirm",
        &[("name", c.full_name.into()), ("visits", visits.into()), ("orders", orders.into())],
    );
    let rows = vec![
        vec![Button::new(ctx.t("btn-delete-do"), LifecycleCb::DeleteDo(id))],
        vec![Button::new(ctx.t("btn-back-to-card"), ClientCb::Card(id))],
    ];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}

async fn forget(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let anonymous = ctx.t_args("deleted-client-name", &[("id", id.into())]);
    let audit = ctx.t("deleted-audit");
    let Some(done) = ctx.store().forget_client(id, &anonymous, &audit).await? else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    // An audit line without personal data: the card's number only.
    tracing::info!(client = id, orders_kept = done.orders_kept, "client forgotten on request");
    // Listmonk deletes her too, when the sync is on.
    super::marketing::listmonk::nudge(ctx.core).await;
    // The assistant forgets the saved answers that named her (the store took them out).
    if let Err(e) = ctx.core.load_learned().await {
        tracing::error!(error = format!("{e:#}"), "the assistant keeps its saved answers until a restart");
    }
    let text = ctx
        .t_args("delete-done", &[("orders", done.orders_kept.into()), ("visits", done.future_visits_cancelled.into())]);
    Ok(Output::one(Reply::text(text).with_buttons(super::commands::main_buttons(ctx)).editing(true)))
}
