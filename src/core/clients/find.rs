//! Find-or-create a client: the one place that decides which card a person is, whatever the
//! channel (Telegram, Instagram, the booking page, Cal.com, the owner's `/new_client`, a shared
//! contact, demo data). The adapters only parse what came in and call one of these.
//!
//! The trust rules live here and nowhere else:
//! - **A platform identity** (a Telegram user id, an Instagram-scoped id, a Discord user id) finds the card linked to
//!   it, or makes one ([`find_or_create`]). It is what the platform vouches for.
//! - **A phone in a chat** ([`chat_phone`]): her own contact shared by Telegram proves the number
//!   and links the card that has it when no other account is linked to it; a typed one proves
//!   nothing. Otherwise she gets a card of her own and an identity claim asks the owner "same
//!   person?". A typed phone nobody has is kept as typed only, so it never claims the number for
//!   whoever comes with it later.
//! - **A contact typed in a form** (booking page, Cal.com: [`typed_contact`]): proves nothing. A
//!   phone (or e-mail) already on a card is never merged into it silently.
//! - **The owner typing a phone** ([`create_with_phone`]) is trusted: an existing phone shows that
//!   card instead of a duplicate; a new card asks about everyone who typed that phone before. A
//!   spreadsheet import is its bulk form (`core::import`): a row whose phone is on a card is a
//!   duplicate and skipped, in one transaction the store writes.
//!
//! These take the store, not a chat; what a fresh claim tells the owner is
//! [`announce_claims`] (it needs the core for the owners' languages).

use crate::core::{Core, CoreError, CoreResult};
use crate::domain::{ClientName, Phone};
use crate::store::clients::{FieldValue, NewClient, TextField};
use crate::store::identity::NewClaim;
use crate::store::{Result, StorageError, Store};

/// How a platform knows the person: an identity it vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known<'a> {
    Telegram(i64),
    Instagram(&'a str),
    /// A Discord user id (issue 17).
    Discord(u64),
}

/// The card linked to this platform identity, if any. For Telegram, the card with a phone first.
pub async fn find(store: &Store, who: Known<'_>) -> Result<Option<i64>> {
    match who {
        Known::Telegram(id) => store.lead_by_telegram(id).await,
        Known::Instagram(igsid) => store.client_by_instagram_id(igsid).await,
        Known::Discord(user) => store.client_by_discord_id(user).await,
    }
}

/// The card linked to this platform identity, or a new one named `name` (no phone: a lead until
/// she books or the owner fills it in), linked to it.
pub async fn find_or_create(store: &Store, who: Known<'_>, name: &ClientName, channel: &str) -> Result<i64> {
    if let Some(id) = find(store, who).await? {
        return Ok(id);
    }
    match who {
        Known::Telegram(tg) => {
            let id = new_card(store, name, "telegram", channel).await?;
            store.link_telegram(id, tg).await?;
            Ok(id)
        }
        // An upsert: a repeat (two messages at once) finds the same lead.
        Known::Instagram(igsid) => store.create_instagram_lead(name, igsid).await,
        Known::Discord(user) => store.create_discord_lead(name, user).await,
    }
}

/// A card without a phone.
async fn new_card(store: &Store, name: &ClientName, source: &str, channel: &str) -> Result<i64> {
    store.create_client(NewClient { name, phone: None, note: None, source: Some(source), channel }).await
}

/// The card a chat's phone settled on, and the claim it opened (when new: tell the owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatPhone {
    pub client: i64,
    pub fresh_claim: Option<i64>,
}

/// A phone given in a chat with a platform identity (`tg`; `None` when the chat has none we
/// trust). `proven`: her own contact shared by Telegram (the contact's `user_id` is the sender).
/// See the module docs for the rules; the card returned is linked to `tg`.
pub async fn chat_phone(
    store: &Store,
    tg: Option<i64>,
    name: &ClientName,
    phone: &Phone,
    proven: bool,
    channel: &str,
) -> Result<ChatPhone> {
    let mut fresh_claim = None;
    let client = match store.client_by_phone(phone).await? {
        // Already hers (this account is linked to it), or proven by Telegram and linked to no one.
        Some(c) if tg.is_some() && (c.telegram_id == tg || proven && c.telegram_id.is_none()) => c.id,
        Some(existing) => {
            let own = own_card(store, tg, Some(existing.id), name, channel).await?;
            let claim = NewClaim { existing_id: existing.id, phone: phone.as_str(), telegram_id: tg, proven, channel };
            let (claim_id, fresh) = store.record_claim(own, &claim).await?;
            if fresh {
                fresh_claim = Some(claim_id);
            }
            tracing::info!(card = own, claim = claim_id, proven, "phone belongs to another card: the owner decides");
            own
        }
        // Nobody has this phone. Proven by Telegram, it becomes her card's phone; typed, it is
        // kept as typed only.
        None => {
            let id = own_card(store, tg, None, name, channel).await?;
            if proven {
                let value = FieldValue::Text(Some(phone.as_str().to_string()));
                store.set_client_field(id, TextField::Phone, value).await?;
            } else {
                store.set_typed_phone(id, phone.as_str()).await?;
            }
            id
        }
    };
    if let Some(tg) = tg {
        store.link_telegram(client, tg).await?;
    }
    Ok(ChatPhone { client, fresh_claim })
}

/// Her own card for a chat: the lead the assistant made when she first wrote (unless that is
/// `avoid`, the card her phone belongs to), or a new one.
async fn own_card(store: &Store, tg: Option<i64>, avoid: Option<i64>, name: &ClientName, channel: &str) -> Result<i64> {
    let lead = match tg {
        Some(tg) => find(store, Known::Telegram(tg)).await?.filter(|l| Some(*l) != avoid),
        None => None,
    };
    match lead {
        Some(id) => Ok(id),
        None => new_card(store, name, "telegram", channel).await,
    }
}

/// A contact someone typed in a form (booking page, Cal.com). Proves nothing.
#[derive(Debug, Clone)]
pub struct Typed<'a> {
    pub name: &'a ClientName,
    pub phone: Option<&'a Phone>,
    pub email: Option<&'a str>,
    /// The first note on a new card.
    pub note: Option<&'a str>,
    /// Where the card came from (`web`, `calcom`), also the timeline channel of the note.
    pub source: &'a str,
}

/// What a typed contact gets: always a card of its own, with the phone only when no card has it;
/// when a card has the phone (or, without a match by phone, the e-mail), a claim on that card.
/// The caller stores the card (in its own transaction, see `booking::place`) and the claim.
pub struct TypedCard<'a> {
    pub card: NewClient<'a>,
    /// The card whose phone or e-mail this is, and the value that matched.
    pub existing: Option<(i64, String)>,
}

impl TypedCard<'_> {
    /// The claim to record for the new card (the owner's "same person?").
    pub fn claim(&self) -> Option<NewClaim<'_>> {
        self.existing.as_ref().map(|(existing_id, contact)| NewClaim {
            existing_id: *existing_id,
            phone: contact,
            telegram_id: None,
            proven: false,
            channel: "web",
        })
    }
}

/// Decides the card of a typed contact (reads only).
pub async fn typed_contact<'a>(store: &Store, t: &Typed<'a>) -> Result<TypedCard<'a>> {
    let mut existing = None;
    if let Some(phone) = t.phone {
        existing = store.client_by_phone(phone).await?.map(|c| (c.id, phone.as_str().to_string()));
    }
    if let (None, Some(email)) = (&existing, t.email) {
        existing = store.client_by_email(email).await?.map(|c| (c.id, email.to_string()));
    }
    let card = NewClient {
        name: t.name,
        // The phone stays off the card until the owner says whose it is.
        phone: if existing.is_some() { None } else { t.phone },
        note: t.note,
        source: Some(t.source),
        channel: t.source,
    };
    Ok(TypedCard { card, existing })
}

/// Makes the card of a typed contact now (with its e-mail when unclaimed, or its claim).
/// Returns the card and the claim.
pub async fn create_typed(store: &Store, t: &Typed<'_>) -> Result<(i64, Option<i64>)> {
    let decided = typed_contact(store, t).await?;
    let id = store.create_client(decided.card).await?;
    if let Some(claim) = decided.claim() {
        let (claim_id, _) = store.record_claim(id, &claim).await?;
        return Ok((id, Some(claim_id)));
    }
    if let Some(email) = t.email {
        store.set_client_field(id, TextField::Email, FieldValue::Text(Some(email.to_string()))).await?;
    }
    Ok((id, None))
}

/// What the owner's typed phone found.
#[derive(Debug, Clone)]
pub enum WithPhone {
    /// A card has this phone already (its id and name): no duplicate.
    Exists { id: i64, name: String },
    /// A new card, and the fresh claims of cards on which someone typed this phone in the bot.
    Created { id: i64, fresh_claims: Vec<i64> },
}

/// A card with a phone the owner typed (or demo data made): the existing card when the phone is
/// taken (also when another insert of it won a race), else a new card. Someone who typed this
/// phone in the bot before the card existed gets a claim: was it her?
pub async fn create_with_phone(
    store: &Store,
    name: &ClientName,
    phone: &Phone,
    note: Option<&str>,
    source: Option<&str>,
    channel: &str,
) -> Result<WithPhone> {
    if let Some(existing) = store.client_by_phone(phone).await? {
        return Ok(WithPhone::Exists { id: existing.id, name: existing.full_name });
    }
    let id = match store.create_client(NewClient { name, phone: Some(phone), note, source, channel }).await {
        Ok(id) => id,
        // Lost a race with another insert of the same phone: that card.
        Err(e @ StorageError::Conflict(_)) => match store.client_by_phone(phone).await? {
            Some(c) => return Ok(WithPhone::Exists { id: c.id, name: c.full_name }),
            None => return Err(e),
        },
        Err(e) => return Err(e),
    };
    let mut fresh_claims = vec![];
    for typed in store.cards_with_typed_phone(phone.as_str(), id).await? {
        let other = store.client(typed).await?;
        let claim = NewClaim {
            existing_id: id,
            phone: phone.as_str(),
            telegram_id: other.telegram_id,
            proven: false,
            channel: "telegram",
        };
        let (claim_id, fresh) = store.record_claim(typed, &claim).await?;
        if fresh {
            fresh_claims.push(claim_id);
        }
    }
    Ok(WithPhone::Created { id, fresh_claims })
}

/// The owner's notices of fresh identity claims, enqueued.
pub async fn announce_claims(core: &Core, claims: impl IntoIterator<Item = i64>) -> CoreResult<()> {
    for claim in claims {
        let notices = crate::core::booking::identity::notices(core, claim).await?;
        core.store().enqueue_many(&notices).await?;
    }
    Ok(())
}

/// `err-phone-taken` for a phone insert that conflicted and whose card then vanished.
pub fn phone_taken(e: StorageError) -> CoreError {
    match e {
        StorageError::Conflict(_) => CoreError::user("err-phone-taken"),
        e => e.into(),
    }
}
