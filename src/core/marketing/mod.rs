//! Marketing e-mail (issue 16, part 2): sequences after an event, campaigns to a segment, and
//! one-click unsubscribe. E-mail goes only to a client with recorded consent (`store::marketing`:
//! given on the booking page, marked by the owner on the card's edit menu, or imported), always
//! through the jobs table, each mail with `List-Unsubscribe` + `List-Unsubscribe-Post` (RFC 8058)
//! and a plain and an HTML part (`notify::email::send_marketing`).
//!
//! Layout: `links` the signed unsubscribe link; `mail` composing and sending one e-mail;
//! `sequences` enrolment and steps; `campaign` the owner's `/campaign` (segment, template,
//! preview, test send, confirmed send spaced to the SMTP rate); `listmonk` the optional sync of
//! consent to a Listmonk list. The page is
//! `channels::unsubscribe_page`. Details: `docs/sequences.md`.

pub mod campaign;
pub mod listmonk;
pub mod mail;
pub mod sequences;
pub mod unsubscribe;

use super::callback::callbacks;
use super::{CoreResult, Ctx, Output};

callbacks! {
    /// The owner's buttons: consent on the card, a campaign's steps.
    pub enum MarketingCb {
        /// Marks (or withdraws) client `client`'s consent to marketing e-mail.
        Consent(client: i64) => "mc",
        /// Campaign `id`: a test e-mail to the owner's address.
        Test(id: i64) => "cpt",
        /// Campaign `id`: asks to confirm the send.
        Send(id: i64) => "cps",
        /// Campaign `id`: the confirmation tap; enqueues one e-mail per recipient.
        Confirm(id: i64) => "cpc",
    }
}

pub async fn on_button(ctx: &Ctx<'_>, cb: MarketingCb) -> CoreResult {
    match cb {
        MarketingCb::Consent(client) => toggle_consent(ctx, client).await,
        MarketingCb::Test(id) => campaign::test_send(ctx, id).await,
        MarketingCb::Send(id) => campaign::confirm(ctx, id).await,
        MarketingCb::Confirm(id) => campaign::send(ctx, id).await,
    }
}

/// The card's consent switch: on (source `owner`) or withdrawn (her sequences stop).
async fn toggle_consent(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    let store = ctx.store();
    if store.consent(client).await?.is_some() {
        store.unsubscribe(client, "owner").await?;
    } else {
        store.give_consent(client, "owner").await?;
    }
    listmonk::nudge(ctx.core).await;
    let mut out: Output = super::card::edit_menu(ctx, client).await?;
    let key = if store.consent(client).await?.is_some() { "consent-on" } else { "consent-off" };
    out = out.toast(ctx.t(key));
    Ok(out)
}

/// The card's consent button label.
pub async fn consent_label(ctx: &Ctx<'_>, client: i64) -> CoreResult<String> {
    let on = ctx.store().consent(client).await?.is_some();
    Ok(format!("{} {}", if on { "✅" } else { "▫️" }, ctx.t("consent-button")))
}
