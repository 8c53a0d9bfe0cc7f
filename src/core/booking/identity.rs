//! The owner's side of identity claims: "this phone belongs to <client>: same person?". A typed
//! phone (bot or booking page) or a contact shared from a second Telegram account never moves a
//! card to someone else by itself; the owner answers with one tap, and only "same person" merges
//! the new card into the existing one and links the Telegram account that asked.

use super::to_owners;
use crate::core::card::ClientCb;
use crate::core::{Button, Core, CoreResult, Ctx, Output, Reply};
use crate::store::identity::Resolution;
use crate::work::JobSpec;
use crate::work::NewJob;

/// The owner's notice of claim `id`, one per owner chat (and the console line).
pub async fn notices(core: &Core, id: i64) -> CoreResult<Vec<NewJob>> {
    let store = core.store();
    let claim = store.claim(id).await?;
    let new = store.client(claim.client_id).await?;
    let existing = store.client(claim.existing_id).await?;
    let phone = crate::domain::Phone::parse(&claim.phone).map(|p| p.display()).unwrap_or(claim.phone.clone());
    let key = match (claim.proven, claim.channel.as_str()) {
        (true, _) => "identity-claim-proven",
        (false, "web") => "identity-claim-web",
        _ => "identity-claim-typed",
    };
    // The name is what the person set in Telegram (or typed): shown as such, with the account id.
    let who = match claim.telegram_id {
        Some(tg) => format!("«{}» (Telegram id {tg})", new.full_name),
        None => format!("«{}»", new.full_name),
    };
    let linked_elsewhere = existing.telegram_id.filter(|t| Some(*t) != claim.telegram_id);
    Ok(to_owners(core, &format!("identity:{id}"), |tr| {
        let mut text = tr.t_args(
            key,
            &[
                ("name", who.as_str().into()),
                ("phone", phone.as_str().into()),
                ("client", existing.full_name.as_str().into()),
            ],
        );
        if let (Some(old), Some(_)) = (linked_elsewhere, claim.telegram_id) {
            text.push_str("\n\n");
            text.push_str(&tr.t_args(
                "identity-claim-relinks",
                &[("client", existing.full_name.as_str().into()), ("old", old.into())],
            ));
        }
        let rows = vec![
            vec![
                (tr.t("btn-claim-merge"), IdentityCb::Merge(id).encode()),
                (tr.t("btn-claim-separate"), IdentityCb::Separate(id).encode()),
            ],
            vec![
                (format!("👤 {}", existing.full_name), ClientCb::Card(existing.id).encode()),
                (format!("👤 {}", new.full_name), ClientCb::Card(new.id).encode()),
            ],
        ];
        (text, rows)
    })
    .await)
}

crate::core::callback::callbacks! {
    /// The owner's answer to an identity claim: the same person (merge and link) or not.
    pub enum IdentityCb {
        Merge(claim: i64) => "im",
        Separate(claim: i64) => "is",
    }
}

/// The owner pressed "same person" or "different people" (owner only: the core dispatches owner
/// buttons).
pub async fn on_button(ctx: &Ctx<'_>, cb: IdentityCb) -> CoreResult {
    match cb {
        IdentityCb::Merge(id) => resolve(ctx, id, Resolution::Merge).await,
        IdentityCb::Separate(id) => resolve(ctx, id, Resolution::Separate).await,
    }
}

/// Resolves claim `id` as the owner answered.
pub async fn resolve(ctx: &Ctx<'_>, id: i64, resolution: Resolution) -> CoreResult {
    let store = ctx.store();
    let Some(claim) = store.resolve_claim(id, resolution).await? else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    let existing = store.client(claim.existing_id).await?;
    let key = match resolution {
        Resolution::Merge => "identity-merged",
        Resolution::Separate => "identity-separate",
    };
    if let (Resolution::Merge, Some(chat)) = (resolution, claim.telegram_id) {
        let tr = crate::i18n::Tr {
            i18n: ctx.core.i18n(),
            lang: super::lang_of(ctx.core, &format!("telegram:{chat}")).await,
        };
        let job = JobSpec::SendTelegram { chat_id: chat, text: tr.t("identity-linked-client"), buttons: vec![] }
            .job(crate::store::now(), format!("identity:{id}:linked"));
        store.enqueue(&job).await?;
    }
    tracing::info!(claim = id, ?resolution, client = existing.id, "identity claim resolved by the owner");
    let text = ctx.t_args(key, &[("client", existing.full_name.as_str().into())]);
    let mut rows = vec![vec![Button::new(format!("👤 {}", existing.full_name), ClientCb::Card(existing.id))]];
    if resolution == Resolution::Separate {
        if let Ok(other) = store.client(claim.client_id).await {
            rows[0].push(Button::new(format!("👤 {}", other.full_name), ClientCb::Card(other.id)));
        }
    }
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}
