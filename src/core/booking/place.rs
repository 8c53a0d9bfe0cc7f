//! Placing a booking: the one use case behind the bot's "Confirm", the owner's `/book`, the
//! booking page and Cal.com. It takes the core, not a chat; the adapters parse what came in
//! (buttons, a form, a webhook) and render what [`place`] answers.
//!
//! In order: the same request again (a form's one-time token, a Cal.com uid) shows the booking it
//! made and changes nothing; our own bookings must be on a free slot, and of two at once the
//! database's cells decide (the loser gets [`BookingError::Taken`]); who the booking is for
//! follows the trust rules of `clients::find` (a typed contact never merges into a card: it gets
//! a card of its own, made in the booking's transaction so a lost slot leaves nothing behind,
//! and a claim for the owner); then the visit's jobs (reminders, the after-visit question) and the
//! owner's notices. Every booking made leaves a line on the client's timeline (`visits`).

use super::{free_for, owner_notice, to_owners, visit_jobs, Asker};
use crate::core::clients::find::{self, Typed};
use crate::core::{Core, CoreError};
use crate::store::bookings::{Booking, NewBooking, Taken};
use crate::store::StorageError;

/// Who the booking is for.
#[derive(Debug, Clone)]
pub enum For<'a> {
    /// A card we know: her chat's own card, or the client the owner picked. The booking keeps
    /// the card's phone (proven, else as she typed it) as its contact.
    Client(i64),
    /// A contact typed on the booking page: proves nothing; a card of its own, made with the
    /// booking.
    Form(Typed<'a>),
    /// An attendee Cal.com sends: proves nothing either; a card of its own, made first.
    Attendee(Typed<'a>),
}

/// Whose word the time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Ours to give: it must be one of the free slots, and it must still be free at the insert.
    Free,
    /// Ours, on the owner's word: a free slot as for `Free`, inside the minimum notice too.
    Owner,
    /// Booked elsewhere (Cal.com): it exists whatever we think, recorded even when it overlaps.
    External,
}

/// The owner's notice of the new booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// None: the owner booked it herself.
    None,
    /// Once per booking (`booking:<id>:new`).
    New,
    /// Under this idempotency key (the webhook job's own).
    Keyed(String),
}

/// What the use case needs: who, the booking (its `client_id` is decided here unless the booking
/// is for a known client), whose word the time is, and the owner's notice.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub who: For<'a>,
    pub booking: NewBooking,
    pub slot: Slot,
    pub notice: Notice,
}

/// The booking made (or found again).
#[derive(Debug, Clone)]
pub struct Placed {
    pub booking: Booking,
    /// The same request came before: nothing was changed.
    pub repeat: bool,
    /// An external booking that overlaps one of ours.
    pub overlaps: bool,
    /// The "same person?" claim its typed contact opened.
    pub claim: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    /// Someone else has the time (or took it first).
    #[error("the time is taken")]
    Taken,
    #[error(transparent)]
    Failed(#[from] CoreError),
}

impl From<StorageError> for BookingError {
    fn from(e: StorageError) -> Self {
        BookingError::Failed(e.into())
    }
}

impl From<anyhow::Error> for BookingError {
    fn from(e: anyhow::Error) -> Self {
        BookingError::Failed(e.into())
    }
}

/// A booking made before by the same request (a form's token, a Cal.com uid).
async fn earlier(core: &Core, b: &NewBooking) -> Result<Option<Booking>, BookingError> {
    let store = core.store();
    if let Some(token) = &b.form_token {
        if let Some(id) = store.booking_by_form_token(token).await? {
            return Ok(Some(store.booking(id).await?));
        }
    }
    if let Some(uid) = &b.external_uid {
        return Ok(store.booking_by_external(uid).await?);
    }
    Ok(None)
}

fn again(booking: Booking) -> Placed {
    Placed { booking, repeat: true, overlaps: false, claim: None }
}

/// Places a booking; see the module docs.
pub async fn place(core: &Core, req: Request<'_>) -> Result<Placed, BookingError> {
    let store = core.store();
    let Request { who, booking: mut new, slot, notice } = req;
    if let Some(b) = earlier(core, &new).await? {
        return Ok(again(b));
    }
    let asker = match slot {
        Slot::Free => Some(Asker::Client),
        Slot::Owner => Some(Asker::Owner),
        Slot::External => None,
    };
    if let Some(asker) = asker {
        let svc = core.config().booking.services.iter().find(|s| s.code == new.service);
        let svc = svc.ok_or(CoreError::NotFound)?;
        let day = new.starts_at.with_timezone(&core.config().tz).date_naive();
        if !free_for(core, svc, day, day, None, asker).await?.contains(&new.starts_at) {
            return Err(BookingError::Taken);
        }
    }
    // Wherever it came from, the booking leaves a line on her timeline.
    new.timeline = Some(super::visits::booked_line(core, &new).await);
    let (start, end) = (new.starts_at, new.ends_at);
    let jobs = |id| visit_jobs(core, id, start, end);
    let (id, overlaps, claim) = match who {
        For::Client(client) => {
            let card = store.client(client).await?;
            new.client_id = client;
            new.contact_phone = new.contact_phone.or(card.phone).or(card.typed_phone);
            match store.create_booking(&new, jobs).await? {
                Ok(id) => (id, false, None),
                Err(Taken) => return Err(BookingError::Taken),
            }
        }
        For::Form(typed) => {
            let decided = find::typed_contact(store, &typed).await?;
            let claim = decided.claim();
            match store.book_new_client(decided.card, &new, jobs, claim.as_ref()).await {
                Ok(Ok((_, id, claim))) => (id, false, claim),
                Ok(Err(Taken)) => return Err(BookingError::Taken),
                // A second submit of this form raced the first one: show what the first one made.
                Err(StorageError::Conflict(_)) if new.form_token.is_some() => {
                    return match earlier(core, &new).await? {
                        Some(b) => Ok(again(b)),
                        None => Err(BookingError::Taken),
                    };
                }
                // The phone was put on another card between the look-up and the insert: ask again.
                Err(StorageError::Conflict(_)) => return Err(BookingError::Taken),
                Err(e) => return Err(e.into()),
            }
        }
        For::Attendee(typed) => {
            let (client, claim) = find::create_typed(store, &typed).await?;
            // A card made just now is linked to no chat: the booking has none.
            new.client_id = client;
            let (id, overlaps) = match slot {
                Slot::External => store.record_external_booking(&new, jobs).await?,
                Slot::Free | Slot::Owner => match store.create_booking(&new, jobs).await? {
                    Ok(id) => (id, false),
                    Err(Taken) => return Err(BookingError::Taken),
                },
            };
            (id, overlaps, claim)
        }
    };
    let booking = store.booking(id).await?;
    let key = if overlaps { "owner-booking-overlap" } else { "owner-booking-new" };
    let render = |tr: &crate::i18n::Tr<'_>| owner_notice(core, tr, key, &booking);
    let mut notices = match &notice {
        Notice::None => vec![],
        Notice::New => to_owners(core, &format!("booking:{id}:new"), render).await,
        Notice::Keyed(k) => to_owners(core, k, render).await,
    };
    if let Some(claim) = claim {
        notices.extend(super::identity::notices(core, claim).await?);
    }
    if notice != Notice::None || !notices.is_empty() {
        store.enqueue_many(&notices).await?;
    }
    Ok(Placed { booking, repeat: false, overlaps, claim })
}
