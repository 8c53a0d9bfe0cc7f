//! Guided multi-step flows ("type the phone", "type the note"), kept in the database.
//!
//! A flow is one [`Dialog`] value per user, serialised as JSON. Any command or unrelated button
//! abandons it; a restart of the process in the middle continues it.

use super::callback::Cb;
use super::{clients, orders, tasks, Button, CoreResult, Ctx, Output, Reply};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialog {
    Search,
    NewClientName,
    NewClientPhone { name: String },
    NewClientNote { name: String, phone: String },
    EditField { client: i64, field: String },
    Note { client: i64 },
    Call { client: i64 },
    AddTag { client: i64 },
    OrderProduct { client: i64 },
    OrderPrice { client: i64, product: String },
    OrderPrepaid { client: i64, product: String, price: i64 },
    OrderPickClient { product: String, price: i64, prepaid: i64 },
    Task { client: Option<i64> },
    BookingContact { service: u8, minutes: i64 },
    CancelReason { booking: i64 },
    OwnerBookFor { client: i64 },
    IgReply { client: i64 },
    DraftEdit { draft: i64 },
}

impl Dialog {
    /// Steps that may be skipped with a button, and the label key of that button.
    fn skip_label(&self) -> Option<&'static str> {
        match self {
            Dialog::NewClientNote { .. } | Dialog::Call { .. } | Dialog::OrderPrepaid { .. } => Some("btn-skip"),
            Dialog::EditField { .. } => Some("btn-clear-field"),
            Dialog::CancelReason { .. } => Some("btn-skip"),
            _ => None,
        }
    }
}

pub async fn current(ctx: &Ctx<'_>) -> CoreResult<Option<Dialog>> {
    let raw = ctx.store().dialog(&ctx.actor_key).await?;
    Ok(raw.and_then(|s| match serde_json::from_str(&s) {
        Ok(d) => Some(d),
        Err(e) => {
            // A flow saved by an older version: drop it rather than fail every message.
            tracing::warn!(error = %e, "dropping unreadable dialog state");
            None
        }
    }))
}

pub async fn set(ctx: &Ctx<'_>, d: &Dialog) -> CoreResult<()> {
    let json = serde_json::to_string(d).map_err(anyhow::Error::from)?;
    ctx.store().set_dialog(&ctx.actor_key, &json).await?;
    Ok(())
}

/// Ends any flow in progress. Most inputs have none, so look before taking the write lock.
pub async fn clear(ctx: &Ctx<'_>) -> CoreResult<()> {
    if ctx.store().dialog(&ctx.actor_key).await?.is_some() {
        ctx.store().clear_dialog(&ctx.actor_key).await?;
    }
    Ok(())
}

/// Saves the step and asks its question (message `prompt_key`), with Skip/Cancel buttons.
pub async fn start(ctx: &Ctx<'_>, d: Dialog, prompt_key: &str) -> CoreResult {
    prompt(ctx, d, ctx.t(prompt_key)).await
}

pub async fn prompt(ctx: &Ctx<'_>, d: Dialog, text: String) -> CoreResult {
    let mut row = Vec::new();
    if let Some(label) = d.skip_label() {
        row.push(Button::new(ctx.t(label), Cb::Skip));
    }
    row.push(Button::new(ctx.t("btn-cancel"), Cb::Cancel));
    set(ctx, &d).await?;
    Ok(Output::one(Reply::text(text).with_buttons(vec![row])))
}

/// The owner typed `text` while `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: Dialog, text: &str) -> CoreResult {
    match d {
        Dialog::Search => {
            clear(ctx).await?;
            clients::find(ctx, text).await
        }
        Dialog::NewClientName => clients::name_step(ctx, text).await,
        Dialog::NewClientPhone { name } => clients::phone_step(ctx, name, text).await,
        Dialog::NewClientNote { name, phone } => clients::create_from_dialog(ctx, &name, &phone, Some(text)).await,
        Dialog::EditField { client, field } => clients::set_field(ctx, client, &field, Some(text)).await,
        Dialog::Note { client } => clients::add_note(ctx, client, text, false).await,
        Dialog::Call { client } => clients::add_note(ctx, client, text, true).await,
        Dialog::AddTag { client } => clients::add_tags(ctx, client, text).await,
        Dialog::OrderProduct { client } => orders::product_step(ctx, client, text).await,
        Dialog::OrderPrice { client, product } => orders::price_step(ctx, client, product, text).await,
        Dialog::OrderPrepaid { client, product, price } => {
            orders::prepaid_step(ctx, client, product, price, Some(text)).await
        }
        Dialog::OrderPickClient { .. } => {
            clear(ctx).await?;
            clients::find(ctx, text).await
        }
        Dialog::Task { client } => tasks::new_task(ctx, client, text).await,
        Dialog::BookingContact { service, minutes } => {
            crate::core::booking::client::phone_given(ctx, service, minutes, text, false).await
        }
        Dialog::CancelReason { booking } => {
            crate::core::booking::owner::cancel_with_reason(ctx, booking, Some(text)).await
        }
        Dialog::IgReply { client } => crate::core::instagram::owner_reply(ctx, client, text).await,
        Dialog::DraftEdit { draft } => crate::core::drafts::edited(ctx, draft, text).await,
        Dialog::OwnerBookFor { .. } => {
            clear(ctx).await?;
            clients::free_text(ctx, text).await
        }
    }
}

/// The owner pressed Skip (or Clear) on step `d`.
pub async fn skip(ctx: &Ctx<'_>, d: Dialog) -> CoreResult {
    match d {
        Dialog::NewClientNote { name, phone } => clients::create_from_dialog(ctx, &name, &phone, None).await,
        Dialog::Call { client } => clients::add_note(ctx, client, "", true).await,
        Dialog::OrderPrepaid { client, product, price } => {
            orders::prepaid_step(ctx, client, product, price, None).await
        }
        Dialog::EditField { client, field } => clients::set_field(ctx, client, &field, None).await,
        Dialog::CancelReason { booking } => crate::core::booking::owner::cancel_with_reason(ctx, booking, None).await,
        _ => Ok(Output::default().toast(ctx.t("btn-expired"))),
    }
}

#[cfg(test)]
mod tests {
    use super::Dialog;

    #[test]
    fn dialog_state_round_trips_as_json() {
        let d = Dialog::OrderPrepaid { client: 3, product: "Устілки".into(), price: 180_000 };
        let s = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Dialog>(&s).unwrap(), d);
    }
}

#[cfg(test)]
mod golden;
