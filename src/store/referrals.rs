//! The referral programme's rows (`0015_attribution.sql`): each client's personal code, the one
//! referral a new client may come with, the discount taken off her first order in that order's
//! transaction ([`take_discounts_tx`]), and the referrer's credit written once when that order is
//! paid ([`Store::credit_referral`]). The rules (who may be referred) are `core::attribution::referral`.
//! A cancelled first order frees the discount for her next one (an order cancelled is not her first
//! order), and a first order no longer paid in full withdraws the referrer's unspent credit: the
//! triggers of `0020_referral_reversal.sql` keep both on every path.

use super::clients::{client_on, Client, CLIENT_COLUMNS};
use super::{Result, Store};
use crate::work::NewJob;
use sqlx::{Sqlite, Transaction};

/// A referral: who came with whose code, and how far it went.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Referral {
    pub referred_id: i64,
    pub referrer_id: i64,
    pub discount_kop: i64,
    pub order_id: Option<i64>,
    pub credited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What an order's discounts came to: the referral discount (on her first order) and the credits
/// she had earned, in kopecks, and the price left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Discounts {
    pub referral_kop: i64,
    pub credit_kop: i64,
}

impl Discounts {
    pub fn total(self) -> i64 {
        self.referral_kop + self.credit_kop
    }
}

/// Takes what client `client` is owed off an order of `price_kop` about to be made in `tx`: her
/// referral discount when she has no order yet, then her open credits, never below zero. Marks
/// them used by `order` (called right after the insert, with its id).
pub(crate) async fn take_discounts_tx(
    tx: &mut Transaction<'_, Sqlite>,
    client: i64,
    order: i64,
    price_kop: i64,
) -> Result<Discounts> {
    let mut left = price_kop;
    let mut d = Discounts::default();
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT discount_kop FROM referrals WHERE referred_id = ? AND order_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM orders WHERE client_id = ? AND id != ? AND status != 'cancel')",
    )
    .bind(client)
    .bind(client)
    .bind(order)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(kop) = pending {
        d.referral_kop = kop.min(left);
        left -= d.referral_kop;
        sqlx::query("UPDATE referrals SET order_id = ? WHERE referred_id = ?")
            .bind(order)
            .bind(client)
            .execute(&mut **tx)
            .await?;
    }
    let credits: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, amount_kop FROM referral_credits WHERE client_id = ? AND used_order_id IS NULL ORDER BY id",
    )
    .bind(client)
    .fetch_all(&mut **tx)
    .await?;
    for (id, kop) in credits {
        if left <= 0 {
            break;
        }
        let take = kop.min(left);
        left -= take;
        d.credit_kop += take;
        sqlx::query("UPDATE referral_credits SET used_order_id = ? WHERE id = ?")
            .bind(order)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    if d.total() > 0 {
        let reason = match (d.referral_kop > 0, d.credit_kop > 0) {
            (true, true) => "referral+credit",
            (true, false) => "referral",
            _ => "credit",
        };
        sqlx::query(
            "UPDATE orders SET price_kop = price_kop - ?1, prepaid_kop = MIN(prepaid_kop, price_kop - ?1), \
             discount_kop = ?1, discount_reason = ?2 WHERE id = ?3",
        )
        .bind(d.total())
        .bind(reason)
        .bind(order)
        .execute(&mut **tx)
        .await?;
    }
    Ok(d)
}

impl Store {
    /// Her code, if one was made.
    pub async fn referral_code_of(&self, client: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT referral_code FROM clients WHERE id = ?")
            .bind(client)
            .fetch_optional(self.pool())
            .await?
            .flatten())
    }

    /// Gives card `client` the code `code` unless she has one; her code either way.
    pub async fn ensure_referral_code(&self, client: i64, code: &str) -> Result<String> {
        sqlx::query("UPDATE clients SET referral_code = ? WHERE id = ? AND referral_code IS NULL")
            .bind(code)
            .bind(client)
            .execute(self.pool())
            .await?;
        self.referral_code_of(client).await?.ok_or(super::StorageError::NotFound)
    }

    /// The live card whose code this is (a forgotten card's code finds nothing).
    pub async fn client_by_referral_code(&self, code: &str) -> Result<Option<Client>> {
        Ok(sqlx::query_as::<_, Client>(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE referral_code = ? AND COALESCE(source, '') != 'deleted'"
        ))
        .bind(code)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Records that `referred` came with `referrer`'s code; false when she already has a referral.
    pub async fn record_referral(&self, referred: i64, referrer: i64, discount_kop: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO referrals (referred_id, referrer_id, discount_kop, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (referred_id) DO NOTHING",
        )
        .bind(referred)
        .bind(referrer)
        .bind(discount_kop)
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn referral_of(&self, referred: i64) -> Result<Option<Referral>> {
        Ok(sqlx::query_as(
            "SELECT referred_id, referrer_id, discount_kop, order_id, credited_at FROM referrals WHERE referred_id = ?",
        )
        .bind(referred)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The referral whose discount order `order` carries.
    pub async fn referral_by_order(&self, order: i64) -> Result<Option<Referral>> {
        Ok(sqlx::query_as(
            "SELECT referred_id, referrer_id, discount_kop, order_id, credited_at FROM referrals WHERE order_id = ?",
        )
        .bind(order)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Takes back a referral not used yet (it turned out to be refused); true when there was one.
    pub async fn drop_pending_referral(&self, referred: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM referrals WHERE referred_id = ? AND order_id IS NULL")
            .bind(referred)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The referrer's credit for the first order `order` of a referred client, once that order is
    /// paid in full: written once (with `jobs`, the notices) in one transaction; false when the
    /// order is not paid, carries no referral, was credited before, or the referrer is gone.
    pub async fn credit_referral(&self, order: i64, amount_kop: i64, jobs: &[NewJob]) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done: Option<(i64, i64)> = sqlx::query_as(
            "UPDATE referrals SET credited_at = ? WHERE order_id = ? AND credited_at IS NULL \
             AND EXISTS (SELECT 1 FROM orders WHERE id = ? AND status != 'cancel' AND prepaid_kop >= price_kop) \
             AND EXISTS (SELECT 1 FROM clients WHERE id = referrer_id AND COALESCE(source, '') != 'deleted') \
             RETURNING referrer_id, referred_id",
        )
        .bind(super::now())
        .bind(order)
        .bind(order)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((referrer, referred)) = done else { return Ok(false) };
        sqlx::query(
            "INSERT INTO referral_credits (client_id, referred_id, amount_kop, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(referrer)
        .bind(referred)
        .bind(amount_kop)
        .bind(super::now())
        .execute(&mut *tx)
        .await?;
        for j in jobs {
            super::jobs::enqueue_tx(&mut tx, j).await?;
        }
        tx.commit().await?;
        if !jobs.is_empty() {
            self.jobs_changed();
        }
        Ok(true)
    }

    /// Her credits not used yet, in kopecks.
    pub async fn open_credit(&self, client: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_kop), 0) FROM referral_credits WHERE client_id = ? AND used_order_id IS NULL",
        )
        .bind(client)
        .fetch_one(self.pool())
        .await?)
    }

    /// The order's discount and why (`referral`, `credit`, `referral+credit`).
    pub async fn order_discount(&self, order: i64) -> Result<(i64, Option<String>)> {
        Ok(sqlx::query_as("SELECT discount_kop, discount_reason FROM orders WHERE id = ?")
            .bind(order)
            .fetch_optional(self.pool())
            .await?
            .unwrap_or((0, None)))
    }

    /// A card (also a forgotten one), for the rules.
    pub async fn client_any(&self, id: i64) -> Result<Option<Client>> {
        match client_on(self.pool(), id).await {
            Ok(c) => Ok(Some(c)),
            Err(super::StorageError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
