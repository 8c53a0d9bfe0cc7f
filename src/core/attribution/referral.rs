//! The referral programme. Each client gets a personal code (80 bits from the OS's random source,
//! never derived from her id; `/ref <client>` or the card's button shows it with its links and a
//! QR code). A new client who comes with it (the deep link `/start r-<code>`, the booking page's
//! `?ref=` or the code typed in its form) gets `REFERRAL_DISCOUNT_UAH` off her first order, taken
//! in the order's transaction (`store::referrals`); her referrer gets the same off her next order
//! once that first order is paid in full ([`on_paid`], called wherever money is booked for an
//! order). Both are told through their channel, through the jobs table.
//!
//! Refused, with nothing written: a code that finds no live card (guessed, forged, forgotten), a
//! payload that does not parse, the referrer herself (same card, same Telegram account, same
//! phone), anyone who already has a card (an existing client is not "referred" again), a second
//! referral for the same client.

use crate::core::clients::find::{self, Known};
use crate::core::payments::notices::to_client;
use crate::core::{Core, CoreResult, Ctx};
use crate::domain::{Money, Phone};
use crate::store::attribution::Touch;
use crate::store::clients::Client;

/// Crockford's base-32 alphabet (no i, l, o, u: nothing to misread when typed).
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// 16 characters of 5 bits: 80 bits.
pub const CODE_LEN: usize = 16;

/// A fresh code from 10 random bytes.
pub fn new_code() -> anyhow::Result<String> {
    let mut b = [0u8; 10];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("no entropy for a referral code: {e}"))?;
    let bits = b.iter().fold(0u128, |acc, x| (acc << 8) | u128::from(*x));
    Ok((0..CODE_LEN).map(|i| ALPHABET[((bits >> (5 * (CODE_LEN - 1 - i))) & 31) as usize] as char).collect())
}

/// Whether `code` has the shape of one of ours (checked before any look-up).
pub fn valid_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|c| ALPHABET.contains(&c))
}

/// Her code, made the first time it is asked for.
pub async fn code_for(core: &Core, client: i64) -> CoreResult<String> {
    if let Some(code) = core.store().referral_code_of(client).await? {
        return Ok(code);
    }
    Ok(core.store().ensure_referral_code(client, &new_code()?).await?)
}

/// The live referrer of a well-formed code.
async fn referrer(core: &Core, code: &str) -> CoreResult<Option<Client>> {
    let code = code.trim().to_ascii_lowercase();
    if !valid_code(&code) {
        return Ok(None);
    }
    Ok(core.store().client_by_referral_code(&code).await?)
}

fn discount(core: &Core) -> i64 {
    core.config().referrals.referral_discount_kop
}

/// `/start r-<code>` from Telegram account `tg`. A new person gets her card (first touch:
/// `referral`) and the referral; the welcome says what she gets.
pub async fn from_telegram(ctx: &Ctx<'_>, tg: i64, code: &str, raw: &str) -> CoreResult<Option<String>> {
    let store = ctx.store();
    let Some(referrer) = referrer(ctx.core, code).await? else {
        tracing::info!("referral: a code that finds no one; nothing written");
        return Ok(None);
    };
    if referrer.telegram_id == Some(tg) {
        tracing::info!(referrer = referrer.id, "referral: her own link; refused");
        return Ok(None);
    }
    if find::find(store, Known::Telegram(tg)).await?.is_some() {
        tracing::info!(referrer = referrer.id, "referral: an existing client; refused");
        return Ok(None);
    }
    let name = crate::core::booking::client::actor_name(ctx);
    let card = find::find_or_create(store, Known::Telegram(tg), &name, ctx.channel()).await?;
    store
        .attribute(card, &Touch { source: "referral".into(), campaign: None, medium: Some("telegram".into()) })
        .await?;
    if !store.record_referral(card, referrer.id, discount(ctx.core)).await? {
        return Ok(None);
    }
    store.set_visitor_ref(&ctx.actor_key, raw).await?;
    tracing::info!(client = card, referrer = referrer.id, "referral recorded (telegram)");
    let amount = Money::from_kopecks(discount(ctx.core)).to_string();
    Ok(Some(ctx.t_args("referral-welcome", &[("amount", amount.into())])))
}

/// A code that came with (or was typed in) the booking page, for the card `client` the booking
/// just made. True when the referral was recorded.
pub async fn from_web(core: &Core, client: i64, code: &str, phone: &Phone, existing: bool) -> CoreResult<bool> {
    let Some(referrer) = referrer(core, code).await? else {
        tracing::info!(client, "referral: a code that finds no one; nothing written");
        return Ok(false);
    };
    let own_phone = [&referrer.phone, &referrer.typed_phone].iter().any(|p| p.as_deref() == Some(phone.as_str()));
    if existing || own_phone || referrer.id == client {
        tracing::info!(client, referrer = referrer.id, existing, own_phone, "referral refused");
        return Ok(false);
    }
    let done = core.store().record_referral(client, referrer.id, discount(core)).await?;
    tracing::info!(client, referrer = referrer.id, done, "referral (web)");
    Ok(done)
}

/// A phone given in the bot by a client with a referral not used yet: the referrer's own phone,
/// or one on another card (an existing client), takes the referral back.
pub async fn check_phone(core: &Core, client: i64, phone: &Phone) -> CoreResult<()> {
    let store = core.store();
    let Some(r) = store.referral_of(client).await?.filter(|r| r.order_id.is_none()) else { return Ok(()) };
    let referrer = store.client_any(r.referrer_id).await?;
    let own = referrer
        .as_ref()
        .is_some_and(|c| [&c.phone, &c.typed_phone].iter().any(|p| p.as_deref() == Some(phone.as_str())));
    let other_card = store.client_by_phone(phone).await?.is_some_and(|c| c.id != client);
    if own || other_card {
        store.drop_pending_referral(client).await?;
        tracing::info!(client, own, other_card, "referral taken back: not a new client");
    }
    Ok(())
}

/// After an order is made: tells her about the referral discount it carries (once per order).
pub async fn after_order_created(core: &Core, order: i64) -> CoreResult<()> {
    let store = core.store();
    let (kop, reason) = store.order_discount(order).await?;
    if kop > 0 && reason.as_deref().is_some_and(|r| r.starts_with("referral")) {
        let o = store.order(order).await?;
        let client = store.client(o.client_id).await?;
        let amount = Money::from_kopecks(kop).to_string();
        let (jobs, _) = to_client(core, &format!("referral:discount:{order}"), &client, |tr| {
            tr.t_args("referral-discount-applied", &[("amount", amount.clone().into()), ("id", order.into())])
        })
        .await;
        store.enqueue_many(&jobs).await?;
    }
    on_paid(core, order).await
}

/// Money was booked for `order`: when it is a referred client's first order and now paid in full,
/// her referrer's credit is written once, with its notice.
pub async fn on_paid(core: &Core, order: i64) -> CoreResult<()> {
    let store = core.store();
    let Some(r) = store.referral_by_order(order).await?.filter(|r| r.credited_at.is_none()) else { return Ok(()) };
    let o = store.order(order).await?;
    if o.prepaid < o.price || o.status == crate::domain::OrderStatus::Cancelled {
        return Ok(());
    }
    let Some(referrer) = store.client_any(r.referrer_id).await? else { return Ok(()) };
    let amount = Money::from_kopecks(r.discount_kop).to_string();
    let (jobs, _) = to_client(core, &format!("referral:credit:{}", r.referred_id), &referrer, |tr| {
        tr.t_args("referral-credit-earned", &[("amount", amount.clone().into())])
    })
    .await;
    if store.credit_referral(order, r.discount_kop, &jobs).await? {
        tracing::info!(order, referrer = r.referrer_id, "referral credit given");
    }
    Ok(())
}
