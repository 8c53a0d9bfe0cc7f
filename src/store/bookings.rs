//! Bookings and the cells they occupy. Two bookings can never share a 10-minute cell: the cell is
//! a primary key, so of two concurrent attempts at one slot the second insert fails and its
//! transaction rolls back, whatever happened above.

use super::jobs::{self, NewJob};
use super::{Result, StorageError, Store};
use crate::domain::schedule::Busy;
use crate::domain::BookingStatus;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

pub const CELL_MINUTES: i64 = 10;

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Booking {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub client_phone: Option<String>,
    pub service: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub block_until: DateTime<Utc>,
    pub status: BookingStatus,
    pub channel: String,
    pub chat_id: Option<i64>,
    pub ref_code: Option<String>,
    pub utm: Option<String>,
    pub note: Option<String>,
    pub cancel_reason: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewBooking {
    pub client_id: i64,
    pub service: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub block_until: DateTime<Utc>,
    pub channel: String,
    pub chat_id: Option<i64>,
    pub ref_code: Option<String>,
    pub utm: Option<String>,
    pub note: Option<String>,
    pub external_uid: Option<String>,
    /// The name and phone as the person gave them (web form, typed in the bot).
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// The booking page form's one-time token.
    pub form_token: Option<String>,
    /// The line the booking leaves on the client's timeline, written in its transaction.
    pub timeline: Option<String>,
}

impl NewBooking {
    /// A booking of `service` at `start` for `client`, with nothing else known yet.
    pub fn of(client_id: i64, service: &crate::domain::schedule::Service, start: DateTime<Utc>, channel: &str) -> Self {
        NewBooking {
            client_id,
            service: service.code.clone(),
            starts_at: start,
            ends_at: start + service.duration,
            block_until: start + service.duration + service.buffer,
            channel: channel.to_string(),
            chat_id: None,
            ref_code: None,
            utm: None,
            note: None,
            external_uid: None,
            contact_name: None,
            contact_phone: None,
            form_token: None,
            timeline: None,
        }
    }
}

/// The slot was taken by someone else first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken;

const SELECT: &str =
    "SELECT b.id, b.client_id, c.full_name AS client_name, c.phone AS client_phone, b.service, b.starts_at, \
     b.ends_at, b.block_until, b.status, b.channel, b.chat_id, b.ref_code, b.utm, b.note, b.cancel_reason, b.contact_name, b.contact_phone, \
     b.created_at, b.updated_at \
     FROM bookings b JOIN clients c ON c.id = b.client_id";

/// The cells `[start, end)` covers on the 10-minute grid.
pub fn cells(start: DateTime<Utc>, end: DateTime<Utc>) -> std::ops::Range<i64> {
    let first = start.timestamp().div_euclid(60 * CELL_MINUTES);
    let last = (end.timestamp() + 60 * CELL_MINUTES - 1).div_euclid(60 * CELL_MINUTES);
    first..last
}

async fn claim(
    tx: &mut Transaction<'_, Sqlite>,
    booking: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<std::result::Result<(), Taken>> {
    for cell in cells(start, end) {
        let r = sqlx::query("INSERT INTO booking_cells (cell, booking_id) VALUES (?, ?)")
            .bind(cell)
            .bind(booking)
            .execute(&mut **tx)
            .await;
        match r {
            Ok(_) => {}
            Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(Err(Taken)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Ok(()))
}

/// `start,end;start,end` (epoch seconds) back into intervals.
fn unpack(packed: Option<String>) -> Vec<Busy> {
    packed
        .unwrap_or_default()
        .split(';')
        .filter_map(|pair| {
            let (s, e) = pair.split_once(',')?;
            Some(Busy {
                start: DateTime::from_timestamp(s.parse().ok()?, 0)?,
                end: DateTime::from_timestamp(e.parse().ok()?, 0)?,
            })
        })
        .collect()
}

pub fn booking_prefix(id: i64) -> String {
    format!("booking:{id}:")
}

/// Inserts a booking, claims its cells (when `guard`) and enqueues `jobs(id)` inside `tx`. On
/// `Taken` the caller must drop the transaction (it rolls back).
pub(crate) async fn insert_tx(
    tx: &mut Transaction<'_, Sqlite>,
    b: &NewBooking,
    guard: bool,
    jobs: impl FnOnce(i64) -> Vec<NewJob>,
) -> Result<std::result::Result<i64, Taken>> {
    let now = super::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, channel, chat_id, ref_code, utm, note, external_uid, contact_name, contact_phone, form_token, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(b.client_id)
    .bind(&b.service)
    .bind(b.starts_at)
    .bind(b.ends_at)
    .bind(b.block_until)
    .bind(&b.channel)
    .bind(b.chat_id)
    .bind(&b.ref_code)
    .bind(&b.utm)
    .bind(&b.note)
    .bind(&b.external_uid)
    .bind(&b.contact_name)
    .bind(&b.contact_phone)
    .bind(&b.form_token)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(StorageError::from_sqlx)?;
    if guard && claim(tx, id, b.starts_at, b.block_until).await?.is_err() {
        return Ok(Err(Taken));
    }
    if let Some(line) = &b.timeline {
        timeline_tx(tx, id, line).await?;
    }
    for job in jobs(id) {
        jobs::enqueue_tx(tx, &job).await?;
    }
    Ok(Ok(id))
}

/// A line about booking `id` on its client's timeline (kind `visit`, from the booking's channel).
async fn timeline_tx(tx: &mut Transaction<'_, Sqlite>, id: i64, line: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) \
         SELECT client_id, channel, 'internal', 'visit', ?, ? FROM bookings WHERE id = ?",
    )
    .bind(line)
    .bind(super::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Books, claims the cells and schedules `jobs(id)` in one transaction.
    pub async fn create_booking(
        &self,
        b: &NewBooking,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<std::result::Result<i64, Taken>> {
        self.insert_booking(b, true, jobs).await
    }

    /// Records a booking made elsewhere (Cal.com) even when it overlaps: it exists whatever we
    /// think. It claims its cells when they are free, so our own slots still avoid it. Returns
    /// the id and whether it overlaps another booking.
    pub async fn record_external_booking(
        &self,
        b: &NewBooking,
        jobs: impl Fn(i64) -> Vec<NewJob>,
    ) -> Result<(i64, bool)> {
        match self.insert_booking(b, true, &jobs).await? {
            Ok(id) => Ok((id, false)),
            Err(Taken) => match self.insert_booking(b, false, &jobs).await? {
                Ok(id) => Ok((id, true)),
                Err(Taken) => Err(StorageError::Conflict("booking".into())),
            },
        }
    }

    /// Bookings for the calendar feed: live ones from `from` on, and recent cancellations (so a
    /// subscribed calendar removes them).
    pub async fn feed_bookings(&self, from: DateTime<Utc>) -> Result<Vec<Booking>> {
        Ok(sqlx::query_as::<_, Booking>(&format!(
            "{SELECT} WHERE (b.starts_at >= ? AND b.status <> 'cancelled') OR (b.status = 'cancelled' AND b.updated_at >= ?) \
             ORDER BY b.starts_at LIMIT 5000"
        ))
        .bind(from)
        .bind(from)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn booking_by_external(&self, uid: &str) -> Result<Option<Booking>> {
        Ok(sqlx::query_as::<_, Booking>(&format!("{SELECT} WHERE b.external_uid = ?"))
            .bind(uid)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn set_external_uid(&self, id: i64, uid: &str) -> Result<()> {
        sqlx::query("UPDATE bookings SET external_uid = ? WHERE id = ?")
            .bind(uid)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn insert_booking(
        &self,
        b: &NewBooking,
        guard: bool,
        jobs: impl FnOnce(i64) -> Vec<NewJob>,
    ) -> Result<std::result::Result<i64, Taken>> {
        let mut tx = self.begin().await?;
        let Ok(id) = insert_tx(&mut tx, b, guard, jobs).await? else { return Ok(Err(Taken)) };
        tx.commit().await?;
        self.jobs_changed();
        Ok(Ok(id))
    }

    pub async fn booking(&self, id: i64) -> Result<Booking> {
        sqlx::query_as::<_, Booking>(&format!("{SELECT} WHERE b.id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StorageError::NotFound)
    }

    /// Live bookings overlapping `[from, to)`, earliest first.
    pub async fn bookings_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Booking>> {
        Ok(sqlx::query_as::<_, Booking>(&format!(
            "{SELECT} WHERE b.status IN ('booked', 'came', 'no_show') AND b.starts_at < ? AND b.block_until > ? ORDER BY b.starts_at"
        ))
        .bind(to)
        .bind(from)
        .fetch_all(self.pool())
        .await?)
    }

    /// Busy time of live bookings overlapping `[from, to)` (visit plus buffer), except `skip`.
    /// SQLite turns the rows into one `start,end;start,end;...` string of epoch seconds: thousands
    /// of rows decoded one by one would cost more than the whole slot computation.
    pub async fn booked_busy(&self, from: DateTime<Utc>, to: DateTime<Utc>, skip: Option<i64>) -> Result<Vec<Busy>> {
        let packed: Option<String> = sqlx::query_scalar(
            "SELECT group_concat(unixepoch(starts_at) || ',' || unixepoch(block_until), ';') FROM bookings \
             WHERE status IN ('booked', 'came') AND starts_at < ? AND block_until > ? AND id <> ?",
        )
        .bind(to)
        .bind(from)
        .bind(skip.unwrap_or(0))
        .fetch_one(self.pool())
        .await?;
        Ok(packed
            .unwrap_or_default()
            .split(';')
            .filter_map(|pair| {
                let (s, e) = pair.split_once(',')?;
                Some(Busy {
                    start: DateTime::from_timestamp(s.parse().ok()?, 0)?,
                    end: DateTime::from_timestamp(e.parse().ok()?, 0)?,
                })
            })
            .collect())
    }

    /// Replaces the busy time imported from `source` (one transaction: the old set or the new).
    pub async fn replace_busy_events(&self, source: &str, busy: &[Busy]) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM busy_events WHERE source = ?").bind(source).execute(&mut *tx).await?;
        for chunk in busy.chunks(500) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO busy_events (source, starts_at, ends_at) ");
            q.push_values(chunk, |mut b, x| {
                b.push_bind(source).push_bind(x.start).push_bind(x.end);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Imported busy time overlapping `[from, to)`, packed like [`Store::booked_busy`].
    pub async fn calendar_busy(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Busy>> {
        let packed: Option<String> = sqlx::query_scalar(
            "SELECT group_concat(unixepoch(starts_at) || ',' || unixepoch(ends_at), ';') FROM busy_events WHERE starts_at < ? AND ends_at > ?",
        )
        .bind(to)
        .bind(from)
        .fetch_one(self.pool())
        .await?;
        Ok(unpack(packed))
    }

    /// The client's booked visits from `from` on.
    pub async fn upcoming_bookings(&self, client_id: i64, from: DateTime<Utc>) -> Result<Vec<Booking>> {
        Ok(sqlx::query_as::<_, Booking>(&format!(
            "{SELECT} WHERE b.client_id = ? AND b.status = 'booked' AND b.starts_at >= ? ORDER BY b.starts_at LIMIT 5"
        ))
        .bind(client_id)
        .bind(from)
        .fetch_all(self.pool())
        .await?)
    }

    /// Cancels a live booking: frees its cells, drops its pending reminders, and leaves
    /// `timeline` on the client's timeline.
    pub async fn cancel_booking(
        &self,
        id: i64,
        reason: Option<&str>,
        timeline: &str,
        jobs: Vec<NewJob>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE bookings SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE id = ? AND status = 'booked'")
            .bind(reason)
            .bind(super::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM booking_cells WHERE booking_id = ?").bind(id).execute(&mut *tx).await?;
        jobs::cancel_prefix_tx(&mut tx, &booking_prefix(id)).await?;
        timeline_tx(&mut tx, id, timeline).await?;
        self.commit_with_jobs(tx, &jobs).await?;
        Ok(true)
    }

    /// Enqueues `jobs` in `tx`, commits, and wakes the worker.
    async fn commit_with_jobs(&self, mut tx: Transaction<'static, Sqlite>, jobs: &[NewJob]) -> Result<()> {
        for job in jobs {
            jobs::enqueue_tx(&mut tx, job).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(())
    }

    /// Moves a live booking; its old reminders go, `jobs` (for the new time) come, `timeline`
    /// goes on the client's timeline, all or nothing.
    #[allow(clippy::too_many_arguments)]
    pub async fn reschedule_booking(
        &self,
        id: i64,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        block_until: DateTime<Utc>,
        timeline: &str,
        jobs: Vec<NewJob>,
    ) -> Result<std::result::Result<(), Taken>> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE bookings SET starts_at = ?, ends_at = ?, block_until = ?, updated_at = ? WHERE id = ? AND status = 'booked'")
            .bind(starts_at)
            .bind(ends_at)
            .bind(block_until)
            .bind(super::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        sqlx::query("DELETE FROM booking_cells WHERE booking_id = ?").bind(id).execute(&mut *tx).await?;
        if claim(&mut tx, id, starts_at, block_until).await?.is_err() {
            return Ok(Err(Taken));
        }
        jobs::cancel_prefix_tx(&mut tx, &booking_prefix(id)).await?;
        timeline_tx(&mut tx, id, timeline).await?;
        self.commit_with_jobs(tx, &jobs).await?;
        Ok(Ok(()))
    }

    /// Records the outcome of a visit (`came` / `no_show`) with its `timeline` line; `jobs`
    /// follow a no-show.
    pub async fn set_booking_outcome(
        &self,
        id: i64,
        status: BookingStatus,
        timeline: &str,
        jobs: Vec<NewJob>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE bookings SET status = ?, updated_at = ? WHERE id = ? AND status = 'booked'")
            .bind(status.code())
            .bind(super::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        timeline_tx(&mut tx, id, timeline).await?;
        self.commit_with_jobs(tx, &jobs).await?;
        Ok(true)
    }

    /// The owner confirmed the visit; false when it was already confirmed or is not live.
    pub async fn confirm_booking(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE bookings SET confirmed_at = ?, updated_at = ? WHERE id = ? AND status = 'booked' AND confirmed_at IS NULL")
            .bind(super::now())
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Links a Telegram user to a client (the first time she books from the bot).
    pub async fn link_telegram(&self, client_id: i64, telegram_id: i64) -> Result<()> {
        sqlx::query("UPDATE clients SET telegram_id = ? WHERE id = ?")
            .bind(telegram_id)
            .bind(client_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn client_by_telegram(&self, telegram_id: i64) -> Result<Option<i64>> {
        // A lead the assistant made (no phone yet) is not a booked client; a card whose phone
        // waits for the owner's identity decision is.
        Ok(sqlx::query_scalar(
            "SELECT id FROM clients WHERE telegram_id = ? \
             AND (phone IS NOT NULL OR typed_phone IS NOT NULL \
                  OR EXISTS (SELECT 1 FROM identity_claims i WHERE i.client_id = clients.id)) \
             ORDER BY phone IS NULL, id LIMIT 1",
        )
        .bind(telegram_id)
        .fetch_optional(self.pool())
        .await?)
    }
}

super::stored_as_code!(BookingStatus);

/// Her next visits (at most ten, soonest first), then the last `past` ones (latest first): one
/// statement, one round trip for the card.
pub(super) async fn client_visits_on<'e>(
    e: impl sqlx::SqliteExecutor<'e>,
    client_id: i64,
    now: DateTime<Utc>,
    past: i64,
) -> Result<Vec<Booking>> {
    Ok(sqlx::query_as::<_, Booking>(&client_visits_sql())
        .bind(client_id)
        .bind(now)
        .bind(client_id)
        .bind(now)
        .bind(past)
        .fetch_all(e)
        .await?)
}

/// The statement of [`client_visits_on`]. Bind, in order: her id, now, her id, now, how many
/// past visits.
pub(super) fn client_visits_sql() -> String {
    format!(
        "SELECT * FROM (SELECT * FROM ({SELECT} WHERE b.client_id = ? AND b.status = 'booked' AND b.ends_at > ? \
         ORDER BY b.starts_at LIMIT 10)) AS ahead \
         UNION ALL SELECT * FROM (SELECT * FROM ({SELECT} WHERE b.client_id = ? AND NOT (b.status = 'booked' AND b.ends_at > ?) \
         ORDER BY b.starts_at DESC, b.id DESC LIMIT ?)) AS before"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cover_the_interval_on_the_grid() {
        let t = |m: i64| DateTime::from_timestamp(m * 60, 0).unwrap();
        assert_eq!(cells(t(600), t(650)), 60..65);
        assert_eq!(cells(t(605), t(651)), 60..66, "unaligned edges take the whole cell");
        assert!(cells(t(600), t(600)).is_empty());
    }
}
