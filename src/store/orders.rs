//! Orders, their status history, and the timeline entries a status change leaves.

use super::interactions::{self, Direction, Kind};
use super::{Result, StorageError, Store};
use crate::domain::{Money, OrderStatus};
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub product: String,
    pub price: Money,
    pub prepaid: Money,
    pub status: OrderStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct OrderRow {
    id: i64,
    client_id: i64,
    client_name: String,
    product: String,
    price_kop: i64,
    prepaid_kop: i64,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<OrderRow> for Order {
    fn from(r: OrderRow) -> Self {
        Order {
            id: r.id,
            client_id: r.client_id,
            client_name: r.client_name,
            product: r.product,
            price: Money::from_kopecks(r.price_kop),
            prepaid: Money::from_kopecks(r.prepaid_kop),
            // An unknown stored code can only come from a newer version; show it as new.
            status: OrderStatus::from_code(&r.status).unwrap_or(OrderStatus::New),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryEntry {
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: DateTime<Utc>,
    /// Who made the change (`telegram:<id>`, `console:<user>`); `None` before issue 12.
    pub actor: Option<String>,
    /// `step`, `undo` or `reopen` (see `order_edits`).
    pub kind: String,
}

/// What a requested status change came to.
#[derive(Debug)]
pub enum Transition {
    Done(Order),
    Refused { current: OrderStatus },
}

pub(crate) const ORDER_SELECT: &str =
    "SELECT o.id, o.client_id, c.full_name AS client_name, o.product, o.price_kop, o.prepaid_kop, \
     o.status, o.created_at, o.updated_at FROM orders o JOIN clients c ON c.id = o.client_id";

/// The history of one order (bind its id); callers add the `ORDER BY`.
pub(crate) const HISTORY_SELECT: &str =
    "SELECT from_status, to_status, at, actor, kind FROM order_history WHERE order_id = ?";

impl Store {
    pub async fn create_order(
        &self,
        client_id: i64,
        product: &str,
        price: Money,
        prepaid: Money,
        channel: &str,
        timeline: impl FnOnce(i64) -> String,
    ) -> Result<i64> {
        let now = super::now();
        let mut tx = self.begin().await?;
        self.client_exists(&mut tx, client_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(product)
        .bind(price.kopecks())
        .bind(prepaid.kopecks())
        .bind(OrderStatus::New.code())
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StorageError::from_sqlx)?;
        sqlx::query("INSERT INTO order_history (order_id, from_status, to_status, at) VALUES (?, NULL, ?, ?)")
            .bind(id)
            .bind(OrderStatus::New.code())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        super::aftercare::supersede_tx(&mut tx, client_id, id).await?;
        // What she is owed (a referral discount on her first order, credits she earned) comes off
        // in this transaction, so a discount is used once whatever races.
        super::referrals::take_discounts_tx(&mut tx, client_id, id, price.kopecks()).await?;
        interactions::insert(&mut tx, client_id, channel, Direction::Internal, Kind::Status, &timeline(id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn order(&self, id: i64) -> Result<Order> {
        sqlx::query_as::<_, OrderRow>(&format!("{ORDER_SELECT} WHERE o.id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(Order::from)
            .ok_or(StorageError::NotFound)
    }

    pub async fn open_orders_for_client(&self, client_id: i64) -> Result<Vec<Order>> {
        open_orders_for_client_on(self.pool(), client_id).await
    }

    /// Open orders of everyone, oldest first within each status (the order the owner works in).
    pub async fn open_orders(&self, limit: i64) -> Result<Vec<Order>> {
        Ok(sqlx::query_as::<_, OrderRow>(&format!(
            "{ORDER_SELECT} WHERE o.status IN ('new', 'prod', 'ready') ORDER BY o.created_at, o.id LIMIT ?"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(Order::from)
        .collect())
    }

    pub async fn order_history(&self, order_id: i64) -> Result<Vec<HistoryEntry>> {
        Ok(sqlx::query_as::<_, HistoryEntry>(&format!("{HISTORY_SELECT} ORDER BY at, id"))
            .bind(order_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// Moves an order to `to` when the status machine allows it from the current status, writing
    /// the history row and the client's timeline entry in the same transaction. `follow_up` (text
    /// and due time) becomes a follow-up task with its reminder, in that transaction too, when
    /// the order is issued.
    pub async fn transition_order(
        &self,
        id: i64,
        to: OrderStatus,
        channel: &str,
        timeline: impl FnOnce(&Order) -> String,
        follow_up: Option<FollowUp>,
    ) -> Result<Transition> {
        self.transition_order_by(id, to, channel, channel, timeline, follow_up).await
    }

    /// [`Store::transition_order`], naming who made the change (`by`, an actor key) in the history.
    pub async fn transition_order_by(
        &self,
        id: i64,
        to: OrderStatus,
        by: &str,
        channel: &str,
        timeline: impl FnOnce(&Order) -> String,
        follow_up: Option<FollowUp>,
    ) -> Result<Transition> {
        let mut tx = self.begin().await?;
        let row = sqlx::query_as::<_, OrderRow>(&format!("{ORDER_SELECT} WHERE o.id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StorageError::NotFound)?;
        let mut order = Order::from(row);
        if !order.status.can_become(to) {
            return Ok(Transition::Refused { current: order.status });
        }
        write_step_tx(&mut tx, &mut order, to, super::order_edits::STEP, by, channel, timeline).await?;
        if let (OrderStatus::Issued, Some(f)) = (to, follow_up) {
            let task = super::tasks::NewTask {
                client_id: Some(order.client_id),
                body: &f.body,
                due_at: Some(f.due_at),
                kind: super::tasks::TaskKind::FollowUp,
                order_id: Some(order.id),
            };
            super::tasks::insert_tx(&mut tx, task, f.jobs).await?;
            super::aftercare::insert_tx(&mut tx, &f.aftercare, &f.aftercare_job).await?;
        }
        tx.commit().await?;
        self.jobs_changed();
        Ok(Transition::Done(order))
    }
}

/// Writes one status change of `order` in `tx`: the order, a history row of `kind` (step, undo,
/// reopen) naming who made it, and the client's timeline line; `order` then holds the new status.
pub(super) async fn write_step_tx(
    tx: &mut Transaction<'_, Sqlite>,
    order: &mut Order,
    to: OrderStatus,
    kind: &str,
    by: &str,
    channel: &str,
    timeline: impl FnOnce(&Order) -> String,
) -> Result<()> {
    let now = super::now();
    sqlx::query("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
        .bind(to.code())
        .bind(now)
        .bind(order.id)
        .bind(order.status.code())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO order_history (order_id, from_status, to_status, at, actor, kind) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(order.id)
    .bind(order.status.code())
    .bind(to.code())
    .bind(now)
    .bind(by)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    order.status = to;
    order.updated_at = now;
    interactions::insert(tx, order.client_id, channel, Direction::Internal, Kind::Status, &timeline(order)).await?;
    Ok(())
}

/// The follow-up task an issued order gets: its text, due time and the jobs the caller made for
/// it (`work::spec::task_jobs`); and the reminders of the product's life with their job
/// (`core::product_life`).
pub struct FollowUp {
    pub body: String,
    pub due_at: DateTime<Utc>,
    pub jobs: Box<dyn FnOnce(i64) -> Vec<crate::work::NewJob> + Send>,
    pub aftercare: Vec<super::aftercare::NewAftercare>,
    pub aftercare_job: fn(i64, &super::aftercare::NewAftercare) -> crate::work::NewJob,
}

/// A client's open orders, newest first (bind her id).
pub(super) fn open_orders_for_client_sql() -> String {
    format!("{ORDER_SELECT} WHERE o.client_id = ? AND o.status NOT IN ('issued', 'cancel') ORDER BY o.id DESC LIMIT 20")
}

pub(super) async fn open_orders_for_client_on<'e>(
    e: impl sqlx::SqliteExecutor<'e>,
    client_id: i64,
) -> Result<Vec<Order>> {
    Ok(sqlx::query_as::<_, OrderRow>(&open_orders_for_client_sql())
        .bind(client_id)
        .fetch_all(e)
        .await?
        .into_iter()
        .map(Order::from)
        .collect())
}
