//! Guided multi-step flows ("type the phone", "type the note"), kept in the database.
//!
//! A flow is one [`Dialog`] value per user, serialised as JSON. Any command or unrelated button
//! abandons it; a restart of the process in the middle continues it.
//!
//! Each feature owns its steps (`clients::ClientDialog`, `orders::OrderDialog`, ...) and answers
//! them itself; [`Dialog`] is the list of features, one line each. The stored form is unchanged
//! from when all steps were one enum: `{"step":"note","client":3}`. Every feature's enum is tagged
//! by `step` and the outer one is untagged, so the step names (unique across features) pick the
//! feature; `dialog/golden.rs` holds the JSON of rows written before the split.

use super::ask::AskDialog;
use super::booking::callback::BookingDialog;
use super::callback::CommonCb;
use super::catalogue::ProductDialog;
use super::clients::ClientDialog;
use super::drafts::DraftDialog;
use super::instagram::InstagramDialog;
use super::lifecycle::LifecycleDialog;
use super::orders::OrderDialog;
use super::payments::PayDialog;
use super::reports::ReportDialog;
use super::tasks::TaskDialog;
use super::{Button, CoreResult, Ctx, Output, Reply};
use serde::{Deserialize, Serialize};

/// Declares `Dialog` with one variant per feature's steps, and `From` each feature's steps: the
/// list of features is written once.
macro_rules! features {
    ($($F:ident($T:ty)),+ $(,)?) => {
        /// A guided step in progress: one feature's typed step, stored as that feature's JSON
        /// (`untagged`: the step names are unique across features, see the golden test).
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum Dialog {
            $($F($T)),+
        }

        $(impl From<$T> for Dialog {
            fn from(d: $T) -> Dialog {
                Dialog::$F(d)
            }
        })+
    };
}
features!(
    Client(ClientDialog),
    Order(OrderDialog),
    Task(TaskDialog),
    Booking(BookingDialog),
    Instagram(InstagramDialog),
    Draft(DraftDialog),
    Lifecycle(LifecycleDialog),
    Product(ProductDialog),
    Pay(PayDialog),
    Report(ReportDialog),
    Ask(AskDialog),
);

impl Dialog {
    /// Steps that may be skipped with a button, and the label key of that button.
    fn skip_label(&self) -> Option<&'static str> {
        match self {
            Dialog::Client(d) => d.skip_label(),
            Dialog::Order(d) => d.skip_label(),
            Dialog::Booking(d) => d.skip_label(),
            Dialog::Task(_)
            | Dialog::Instagram(_)
            | Dialog::Draft(_)
            | Dialog::Lifecycle(_)
            | Dialog::Product(_)
            | Dialog::Pay(_)
            | Dialog::Report(_)
            | Dialog::Ask(_) => None,
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

pub async fn set(ctx: &Ctx<'_>, d: impl Into<Dialog>) -> CoreResult<()> {
    let json = serde_json::to_string(&d.into()).map_err(anyhow::Error::from)?;
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
pub async fn start(ctx: &Ctx<'_>, d: impl Into<Dialog>, prompt_key: &str) -> CoreResult {
    prompt(ctx, d, ctx.t(prompt_key)).await
}

pub async fn prompt(ctx: &Ctx<'_>, d: impl Into<Dialog>, text: String) -> CoreResult {
    let d = d.into();
    let mut row = Vec::new();
    if let Some(label) = d.skip_label() {
        row.push(Button::new(ctx.t(label), CommonCb::Skip));
    }
    row.push(Button::new(ctx.t("btn-cancel"), CommonCb::Cancel));
    set(ctx, d).await?;
    Ok(Output::one(Reply::text(text).with_buttons(vec![row])))
}

/// A step on a card forgotten since it began ends with the reason.
async fn forgotten_card(ctx: &Ctx<'_>, d: &Dialog) -> CoreResult<()> {
    if let Err(e) = super::lifecycle::refuse_forgotten(ctx, None, Some(d)).await {
        clear(ctx).await?;
        return Err(e);
    }
    Ok(())
}

/// The owner typed `text` while `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: Dialog, text: &str) -> CoreResult {
    forgotten_card(ctx, &d).await?;
    match d {
        Dialog::Client(d) => super::clients::answer(ctx, d, text).await,
        Dialog::Order(d) => super::orders::answer(ctx, d, text).await,
        Dialog::Task(d) => super::tasks::answer(ctx, d, text).await,
        Dialog::Booking(d) => super::booking::callback::answer(ctx, d, text).await,
        Dialog::Instagram(d) => super::instagram::answer(ctx, d, text).await,
        Dialog::Draft(d) => super::drafts::answer(ctx, d, text).await,
        Dialog::Lifecycle(d) => super::lifecycle::answer(ctx, d, text).await,
        Dialog::Product(d) => super::catalogue::answer(ctx, d, text).await,
        Dialog::Pay(d) => super::payments::answer(ctx, d, text).await,
        Dialog::Report(d) => super::reports::answer(ctx, d, text).await,
        Dialog::Ask(d) => super::ask::answer(ctx, d, text).await,
    }
}

/// The owner pressed Skip (or Clear) on step `d`.
pub async fn skip(ctx: &Ctx<'_>, d: Dialog) -> CoreResult {
    forgotten_card(ctx, &d).await?;
    match d {
        Dialog::Client(d) => super::clients::skip(ctx, d).await,
        Dialog::Order(d) => super::orders::skip(ctx, d).await,
        Dialog::Booking(d) => super::booking::callback::skip(ctx, d).await,
        Dialog::Task(_)
        | Dialog::Instagram(_)
        | Dialog::Draft(_)
        | Dialog::Lifecycle(_)
        | Dialog::Product(_)
        | Dialog::Pay(_)
        | Dialog::Report(_)
        | Dialog::Ask(_) => expired(ctx),
    }
}

/// The answer to a Skip on a step that cannot be skipped.
pub fn expired(ctx: &Ctx<'_>) -> CoreResult {
    Ok(Output::default().toast(ctx.t("btn-expired")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialog_state_round_trips_as_json() {
        let d =
            Dialog::Order(OrderDialog::OrderPrepaid { client: 3, product: "Устілки".into(), price: 180_000 });
        let s = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Dialog>(&s).unwrap(), d);
    }

    #[test]
    fn an_unknown_step_does_not_read() {
        assert!(serde_json::from_str::<Dialog>(r#"{"step":"flying","client":3}"#).is_err());
        assert!(serde_json::from_str::<Dialog>(r#"{"step":"note"}"#).is_err(), "a step without its fields");
    }
}

#[cfg(test)]
mod golden;
