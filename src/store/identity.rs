//! Identity claims: a phone typed on the booking page or in the bot, or a contact shared from a
//! second Telegram account, that belongs to an existing card. Nothing links to that card until the
//! owner says "same person" (one tap): then the new card is merged into it. Until then the person
//! has a card of her own and sees only what she made herself.

use super::bookings::{self, NewBooking, Taken};
use super::clients::{self, NewClient};
use super::jobs::NewJob;
use super::{Result, StorageError, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub client_id: i64,
    pub existing_id: i64,
    pub phone: String,
    pub telegram_id: Option<i64>,
    pub proven: bool,
    pub channel: String,
    pub status: String,
}

/// What the person gave that matches another card.
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub existing_id: i64,
    pub phone: &'a str,
    pub telegram_id: Option<i64>,
    pub proven: bool,
    pub channel: &'a str,
}

/// The owner's answer to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// One person: the new card is merged into the existing one (and her Telegram account linked).
    Merge,
    /// Two people: both cards stay.
    Separate,
}

async fn insert_claim(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, client_id: i64, c: &NewClaim<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO identity_claims (client_id, existing_id, phone, telegram_id, proven, channel, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client_id)
    .bind(c.existing_id)
    .bind(c.phone)
    .bind(c.telegram_id)
    .bind(c.proven)
    .bind(c.channel)
    .bind(super::now())
    .fetch_one(&mut **tx)
    .await?)
}

impl Store {
    /// Records a claim for the card `client_id` (already made) unless the same one is pending.
    pub async fn record_claim(&self, client_id: i64, claim: &NewClaim<'_>) -> Result<(i64, bool)> {
        let mut tx = self.begin().await?;
        let pending: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM identity_claims WHERE client_id = ? AND existing_id = ? AND status = 'pending'",
        )
        .bind(client_id)
        .bind(claim.existing_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = pending {
            return Ok((id, false));
        }
        let id = insert_claim(&mut tx, client_id, claim).await?;
        tx.commit().await?;
        Ok((id, true))
    }

    pub async fn claim(&self, id: i64) -> Result<Claim> {
        sqlx::query_as::<_, Claim>(
            "SELECT id, client_id, existing_id, phone, telegram_id, proven, channel, status FROM identity_claims WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StorageError::NotFound)
    }

    /// Makes a new card and its booking in one transaction, so a slot that turns out to be taken
    /// leaves no card behind; with `claim`, records that the given phone belongs to another card.
    /// Returns (card, booking, claim).
    pub async fn book_new_client(
        &self,
        client: NewClient<'_>,
        booking: &NewBooking,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
        claim: Option<&NewClaim<'_>>,
    ) -> Result<std::result::Result<(i64, i64, Option<i64>), Taken>> {
        let mut tx = self.begin().await?;
        let client_id = clients::insert_tx(&mut tx, &client).await?;
        let b = NewBooking { client_id, ..booking.clone() };
        let Ok(booking_id) = bookings::insert_tx(&mut tx, &b, true, jobs).await? else { return Ok(Err(Taken)) };
        let claim_id = match claim {
            Some(c) => Some(insert_claim(&mut tx, client_id, c).await?),
            None => None,
        };
        tx.commit().await?;
        self.jobs_changed();
        Ok(Ok((client_id, booking_id, claim_id)))
    }

    /// Keeps a phone typed in the bot on her card, apart from the proven `phone`.
    pub async fn set_typed_phone(&self, client_id: i64, phone: &str) -> Result<()> {
        sqlx::query("UPDATE clients SET typed_phone = ?, updated_at = ? WHERE id = ?")
            .bind(phone)
            .bind(super::now())
            .bind(client_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Cards (other than `except`) on which someone typed `phone` in the bot.
    pub async fn cards_with_typed_phone(&self, phone: &str, except: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM clients WHERE typed_phone = ? AND id <> ? ORDER BY id LIMIT 20")
            .bind(phone)
            .bind(except)
            .fetch_all(self.pool())
            .await?)
    }

    /// The booking a form with this one-time token made (a second submit of the same form).
    pub async fn booking_by_form_token(&self, token: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM bookings WHERE form_token = ?")
            .bind(token)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Applies the owner's answer once: `None` when the claim was already resolved. Merging moves
    /// everything of the new card (visits, orders, timeline, tasks, drafts, tags) onto the existing
    /// card, links the Telegram account that made the claim, and deletes the new card.
    pub async fn resolve_claim(&self, id: i64, resolution: Resolution) -> Result<Option<Claim>> {
        let mut tx = self.begin().await?;
        let status = match resolution {
            Resolution::Merge => "merged",
            Resolution::Separate => "separate",
        };
        let claim: Option<Claim> = sqlx::query_as(
            "UPDATE identity_claims SET status = ?, resolved_at = ? WHERE id = ? AND status = 'pending' \
             RETURNING id, client_id, existing_id, phone, telegram_id, proven, channel, status",
        )
        .bind(status)
        .bind(super::now())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(claim) = claim else { return Ok(None) };
        if resolution == Resolution::Merge && claim.client_id != claim.existing_id {
            let (from, into) = (claim.client_id, claim.existing_id);
            merge_tx(&mut tx, from, into, Some(claim.id)).await?;
            if let Some(tg) = claim.telegram_id {
                sqlx::query("UPDATE clients SET telegram_id = NULL WHERE telegram_id = ? AND id <> ?")
                    .bind(tg)
                    .bind(into)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE clients SET telegram_id = ?, updated_at = ? WHERE id = ?")
                    .bind(tg)
                    .bind(super::now())
                    .bind(into)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(Some(claim))
    }
}

/// Merges card `from` into card `into` inside `tx`: the one merge of two cards, for an identity
/// claim ("same person") and for the owner's own "🔗 Merge". Everything of `from` (visits,
/// orders, timeline, tasks, drafts, tags, identity claims) moves to `into`; what `into` does not
/// know (phone, e-mail, Instagram, Telegram, birth date, foot profile) is taken from `from`;
/// conditions are united; then `from` is deleted. `keep_claim` is the claim being resolved (its
/// row moves, the other pending claims of `from` expire).
pub(crate) async fn merge_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    from: i64,
    into: i64,
    keep_claim: Option<i64>,
) -> Result<()> {
    for table in ["bookings", "orders", "interactions", "tasks", "drafts", "sequence_enrolments", "unsubscribes"] {
        sqlx::query(&format!("UPDATE {table} SET client_id = ? WHERE client_id = ?"))
            .bind(into)
            .bind(from)
            .execute(&mut **tx)
            .await?;
    }
    // Her consent to marketing e-mail (given on the page, on the new card) follows her; a
    // withdrawal on the kept card wins.
    sqlx::query(
        "INSERT OR IGNORE INTO marketing_consent (client_id, given_at, source, withdrawn_at) \
         SELECT ?, given_at, source, withdrawn_at FROM marketing_consent WHERE client_id = ?",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO client_tags (client_id, tag_id) SELECT ?, tag_id FROM client_tags WHERE client_id = ?",
    )
    .bind(into)
    .bind(from)
    .execute(&mut **tx)
    .await?;
    // The merged card's other pending claims named a card that no longer exists: they expire
    // (their buttons then say so) rather than being re-pointed to a card their notice never
    // named. Every row of the merged card moves to the kept card so the history stays.
    sqlx::query(
        "UPDATE identity_claims SET status = 'expired', resolved_at = ? \
         WHERE client_id = ? AND id <> ? AND status = 'pending'",
    )
    .bind(super::now())
    .bind(from)
    .bind(keep_claim.unwrap_or(0))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE identity_claims SET client_id = ? WHERE client_id = ?")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE identity_claims SET status = 'expired', resolved_at = ? WHERE existing_id = ? AND status = 'pending'",
    )
    .bind(super::now())
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE identity_claims SET existing_id = ? WHERE existing_id = ?")
        .bind(into)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    // A claim of a card on itself means nothing any more.
    sqlx::query("UPDATE identity_claims SET status = 'expired', resolved_at = ? WHERE client_id = existing_id AND status = 'pending'")
        .bind(super::now())
        .execute(&mut **tx)
        .await?;
    // What the merged card knew that the kept one does not (unique columns freed first).
    let old: clients::Client = sqlx::query_as(&format!("SELECT {} FROM clients WHERE id = ?", clients::CLIENT_COLUMNS))
        .bind(from)
        .fetch_one(&mut **tx)
        .await?;
    let ig: Option<String> =
        sqlx::query_scalar("SELECT instagram_id FROM clients WHERE id = ?").bind(from).fetch_one(&mut **tx).await?;
    let kept_conditions: String =
        sqlx::query_scalar("SELECT conditions FROM clients WHERE id = ?").bind(into).fetch_one(&mut **tx).await?;
    let mut conditions = crate::domain::profile::parse_conditions(&kept_conditions);
    for c in crate::domain::profile::parse_conditions(&old.conditions) {
        if !conditions.contains(&c) {
            conditions.push(c);
        }
    }
    // Both cards had a phone: the merged card's number is kept in the notes, never lost.
    let kept_phone: Option<String> =
        sqlx::query_scalar("SELECT phone FROM clients WHERE id = ?").bind(into).fetch_one(&mut **tx).await?;
    if let (Some(p), Some(k)) = (&old.phone, &kept_phone) {
        if p != k {
            sqlx::query(
                "UPDATE clients SET profile_notes = COALESCE(profile_notes || char(10), '') || '📞 ' || ? WHERE id = ?",
            )
            .bind(p)
            .bind(into)
            .execute(&mut **tx)
            .await?;
        }
    }
    let discord: Option<String> =
        sqlx::query_scalar("SELECT discord_id FROM clients WHERE id = ?").bind(from).fetch_one(&mut **tx).await?;
    sqlx::query(
        "UPDATE clients SET instagram_id = NULL, phone = NULL, telegram_id = NULL, discord_id = NULL WHERE id = ?",
    )
    .bind(from)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE clients SET discord_id = COALESCE(discord_id, ?) WHERE id = ?")
        .bind(discord)
        .bind(into)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE clients SET instagram_id = COALESCE(instagram_id, ?), email = COALESCE(email, ?), \
         phone = COALESCE(phone, ?), telegram_id = COALESCE(telegram_id, ?), typed_phone = COALESCE(typed_phone, ?), \
         instagram = COALESCE(instagram, ?), birth_date = COALESCE(birth_date, ?), \
         foot_length_mm = COALESCE(foot_length_mm, ?), shoe_size = COALESCE(shoe_size, ?), \
         allergies = COALESCE(allergies, ?), contraindications = COALESCE(contraindications, ?), \
         profile_notes = COALESCE(profile_notes, ?), conditions = ?, diabetes = (diabetes OR ?), updated_at = ? \
         WHERE id = ?",
    )
    .bind(ig)
    .bind(&old.email)
    .bind(&old.phone)
    .bind(old.telegram_id)
    .bind(&old.typed_phone)
    .bind(&old.instagram)
    .bind(&old.birth_date)
    .bind(old.foot_length_mm)
    .bind(&old.shoe_size)
    .bind(&old.allergies)
    .bind(&old.contraindications)
    .bind(&old.profile_notes)
    .bind(crate::domain::profile::format_conditions(&conditions))
    .bind(old.diabetes)
    .bind(super::now())
    .bind(into)
    .execute(&mut **tx)
    .await?;
    let (name, phone): (String, Option<String>) =
        sqlx::query_as("SELECT full_name, phone FROM clients WHERE id = ?").bind(into).fetch_one(&mut **tx).await?;
    clients::reindex(tx, into, &crate::domain::text::search_key(&name), phone.as_deref()).await?;
    super::search::unindex(&mut **tx, from).await?;
    sqlx::query("DELETE FROM clients WHERE id = ?").bind(from).execute(&mut **tx).await?;
    Ok(())
}
