//! Two cards of one person merged by the owner, and a client forgotten on her request.
//!
//! Forgetting (her right to be forgotten) deletes the card's personal data everywhere the
//! program keeps it: the card and its search entry, the timeline, messages and drafts, tasks,
//! visits (future ones are cancelled by being deleted; the client is **not** messaged: she asked
//! to be forgotten, and a message would need her chat kept), identity claims, her chat state,
//! pending and finished jobs that carry her name, phone, e-mail or chat (reminders, the outbox,
//! the owner's notices), her row in stored import previews, and answers saved to the assistant's
//! knowledge base that name her (saved from her question). Her orders stay for the books,
//! attached to an anonymous card («видалена клієнтка #id»: no phone, no profile, not searchable,
//! not counted); one timeline line on it records when, without personal data.
//!
//! Not covered: nightly backups already written (they age out, `BACKUP_KEEP`), and free pages of
//! the SQLite file until it is vacuumed.

use super::{clients, identity, Result, Store};
use crate::domain::text::digits;
use crate::domain::Phone;

/// The `source` of an anonymised card.
pub const DELETED: &str = "deleted";

/// What forgetting did, for the owner's confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub orders_kept: i64,
    pub future_visits_cancelled: i64,
}

impl Store {
    /// Merges card `from` into `into` (see [`identity::merge_tx`]) and notes it on the kept card.
    /// `None` when either card is gone or they are the same card.
    pub async fn merge_clients(&self, from: i64, into: i64, note: &str) -> Result<Option<()>> {
        if from == into {
            return Ok(None);
        }
        let mut tx = self.begin().await?;
        let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clients WHERE id IN (?, ?) AND source IS NOT ?")
            .bind(from)
            .bind(into)
            .bind(DELETED)
            .fetch_one(&mut *tx)
            .await?;
        if live != 2 {
            return Ok(None);
        }
        identity::merge_tx(&mut tx, from, into, None).await?;
        super::interactions::insert(
            &mut tx,
            into,
            "console",
            super::interactions::Direction::Internal,
            super::interactions::Kind::Note,
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(()))
    }

    pub async fn order_count_for_client(&self, client_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE client_id = ?")
            .bind(client_id)
            .fetch_one(self.pool())
            .await?)
    }

    /// Future live visits of a client (what forgetting her would cancel).
    pub async fn future_visit_count(&self, client_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM bookings WHERE client_id = ? AND status = 'booked' AND starts_at > ?",
        )
        .bind(client_id)
        .bind(super::now())
        .fetch_one(self.pool())
        .await?)
    }

    /// Forgets client `id` (see the module docs). `anonymous_name` is the card's new name and
    /// `audit` its one timeline line, both without personal data. `None` when already forgotten.
    pub async fn forget_client(&self, id: i64, anonymous_name: &str, audit: &str) -> Result<Option<Forgotten>> {
        let mut tx = self.begin().await?;
        let c: clients::Client =
            sqlx::query_as(&format!("SELECT {} FROM clients WHERE id = ?", clients::CLIENT_COLUMNS))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(super::StorageError::NotFound)?;
        if c.source.as_deref() == Some(DELETED) {
            return Ok(None);
        }
        let ig: Option<String> =
            sqlx::query_scalar("SELECT instagram_id FROM clients WHERE id = ?").bind(id).fetch_one(&mut *tx).await?;
        let now = super::now();
        let future: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bookings WHERE client_id = ? AND status = 'booked' AND starts_at > ?",
        )
        .bind(id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let orders_kept: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE client_id = ?").bind(id).fetch_one(&mut *tx).await?;

        // Everything that names her, as it may be written in a job, a notice or a draft.
        let mut needles: Vec<String> = vec![c.full_name.clone()];
        for p in [c.phone.as_deref(), c.typed_phone.as_deref()].into_iter().flatten() {
            needles.push(p.to_string());
            needles.push(digits(p));
            needles.push(Phone::from_stored(p.to_string()).display());
            // As she would type it in a message: `0671112233`.
            let d = digits(p);
            if d.len() == 12 && d.starts_with("380") {
                needles.push(format!("0{}", &d[3..]));
            }
        }
        needles.extend([c.email.clone(), c.instagram.clone(), ig.clone()].into_iter().flatten());
        let booking_ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM bookings WHERE client_id = ?").bind(id).fetch_all(&mut *tx).await?;
        let task_ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM tasks WHERE client_id = ?").bind(id).fetch_all(&mut *tx).await?;
        for b in &booking_ids {
            needles.push(format!("\"booking_id\":{b}"));
            sqlx::query("DELETE FROM jobs WHERE idempotency_key LIKE ? AND state <> 'running'")
                .bind(format!("{}%", super::bookings::booking_prefix(*b)))
                .execute(&mut *tx)
                .await?;
        }
        for t in &task_ids {
            needles.push(format!("\"task_id\":{t}"));
        }
        if let Some(tg) = c.telegram_id {
            needles.push(format!("\"chat_id\":{tg}"));
            for table in ["user_prefs", "dialogs", "visitor_refs"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE actor = ?"))
                    .bind(format!("telegram:{tg}"))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        needles.retain(|n| n.chars().count() >= 3);
        for n in &needles {
            sqlx::query(
                "DELETE FROM jobs WHERE state <> 'running' AND (instr(payload, ?1) > 0 OR instr(COALESCE(result, ''), ?1) > 0 \
                 OR instr(COALESCE(last_error, ''), ?1) > 0)",
            )
            .bind(n)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM dialogs WHERE instr(state, ?) > 0").bind(n).execute(&mut *tx).await?;
            // An answer saved from her question (or naming her) is hers too.
            sqlx::query("DELETE FROM kb_learned WHERE instr(question, ?1) > 0 OR instr(answer, ?1) > 0")
                .bind(n)
                .execute(&mut *tx)
                .await?;
        }
        for b in &booking_ids {
            sqlx::query("DELETE FROM booking_cells WHERE booking_id = ?").bind(b).execute(&mut *tx).await?;
        }
        // Reminders of her products' life stop; her NPS comments go (the scores stay, anonymous).
        let orders: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM orders WHERE client_id = ?").bind(id).fetch_all(&mut *tx).await?;
        for order in orders {
            super::aftercare::cancel_tx(&mut tx, order).await?;
            sqlx::query("UPDATE nps_answers SET comment = NULL, awaiting = 0 WHERE order_id = ?")
                .bind(order)
                .execute(&mut *tx)
                .await?;
        }
        for table in
            ["bookings", "tasks", "interactions", "drafts", "client_tags", "marketing_consent", "sequence_enrolments"]
        {
            sqlx::query(&format!("DELETE FROM {table} WHERE client_id = ?")).bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM identity_claims WHERE client_id = ? OR existing_id = ?")
            .bind(id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        scrub_imports(&mut tx, &c.full_name, c.phone.as_deref()).await?;
        sqlx::query(
            "UPDATE clients SET full_name = ?, name_key = '', phone = NULL, email = NULL, instagram = NULL, \
             telegram_id = NULL, birth_date = NULL, conditions = '', diabetes = 0, foot_length_mm = NULL, \
             shoe_size = NULL, allergies = NULL, contraindications = NULL, profile_notes = NULL, source = ?, \
             typed_phone = NULL, instagram_id = NULL, discord_id = NULL, assistant_paused = 0, created_at = ?, updated_at = ? WHERE id = ?",
        )
        .bind(anonymous_name)
        .bind(DELETED)
        .bind(now)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        super::search::unindex(&mut *tx, id).await?;
        // Rewrite the search index so no segment keeps the deleted entry.
        super::search::merge_index(&mut *tx).await?;
        super::interactions::insert(
            &mut tx,
            id,
            "console",
            super::interactions::Direction::Internal,
            super::interactions::Kind::Note,
            audit,
        )
        .await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(Some(Forgotten { orders_kept, future_visits_cancelled: future }))
    }
}

/// Drops her row from stored import previews (their JSON holds names and phones).
async fn scrub_imports(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>, name: &str, phone: Option<&str>) -> Result<()> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, rows FROM imports WHERE instr(rows, ?) > 0 OR instr(rows, ?) > 0")
            .bind(name)
            .bind(phone.unwrap_or(name))
            .fetch_all(&mut **tx)
            .await?;
    for (import_id, json) in rows {
        let kept: Vec<serde_json::Value> = serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["name"].as_str() != Some(name) && (phone.is_none() || r["phone"].as_str() != phone))
            .collect();
        sqlx::query("UPDATE imports SET rows = ? WHERE id = ?")
            .bind(serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into()))
            .bind(import_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Demo data only: moves a card's creation to `since` and spreads its timeline and orders
    /// evenly from then to now, so a fresh demo has months of history.
    pub async fn backdate_demo_client(&self, id: i64, since: chrono::DateTime<chrono::Utc>) -> Result<()> {
        let now = super::now();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE clients SET created_at = ?, updated_at = ? WHERE id = ?")
            .bind(since)
            .bind(since)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let span = (now - since).num_minutes().max(1);
        for (table, column, filter) in [
            ("interactions", "created_at", "client_id = ?"),
            ("orders", "created_at", "client_id = ?"),
            ("order_history", "at", "order_id IN (SELECT id FROM orders WHERE client_id = ?)"),
        ] {
            let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE {filter} ORDER BY id"))
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            let n = ids.len() as i64 + 1;
            for (i, row) in ids.iter().enumerate() {
                let at = since + chrono::Duration::minutes(span * (i as i64 + 1) / n / 2);
                sqlx::query(&format!("UPDATE {table} SET {column} = ? WHERE id = ?"))
                    .bind(at)
                    .bind(row)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
