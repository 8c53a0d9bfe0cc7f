//! Changing an order after the fact: its product, price and prepaid; undoing its last status step;
//! reopening an issued or cancelled order. Each is one transaction with its history row (who,
//! when, from, to, what kind) and the client's timeline entry.
//!
//! Undo walks the history as a stack: a `step` or a `reopen` is pushed, an `undo` pops, so undo
//! after undo keeps going back, and an undo never undoes an undo (press a status button to go
//! forward again). Leaving `issued` (by undo or reopen) closes the follow-up task the issue made,
//! so she is not asked "how are the insoles?" about insoles still on the bench.

use super::interactions::{self, Direction, Kind};
use super::orders::{HistoryEntry, Order};
use super::{Result, StorageError, Store};
use crate::domain::{Money, OrderStatus};
use sqlx::{Sqlite, Transaction};

/// What to change; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct OrderEdit {
    pub product: Option<String>,
    pub price: Option<Money>,
    pub prepaid: Option<Money>,
}

#[derive(Debug)]
pub enum Edited {
    Done(Order),
    /// The prepaid would exceed the price: nothing changed.
    PrepaidOverPrice,
}

/// What an undo or a reopen came to.
#[derive(Debug)]
pub enum Stepped {
    Done {
        order: Order,
        from: OrderStatus,
    },
    /// Nothing to undo (only the creation is in the history), or not closed (for reopen).
    Refused {
        current: OrderStatus,
    },
}

/// The kinds of history rows.
pub const STEP: &str = "step";
pub const UNDO: &str = "undo";
pub const REOPEN: &str = "reopen";

async fn load(tx: &mut Transaction<'_, Sqlite>, id: i64) -> Result<Order> {
    Ok(Order::from(
        sqlx::query_as::<_, super::orders::OrderRow>(&format!("{} WHERE o.id = ?", super::orders::ORDER_SELECT))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StorageError::NotFound)?,
    ))
}

async fn history(tx: &mut Transaction<'_, Sqlite>, id: i64) -> Result<Vec<HistoryEntry>> {
    Ok(sqlx::query_as::<_, HistoryEntry>(&format!("{} ORDER BY id", super::orders::HISTORY_SELECT))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?)
}

/// The step an undo would take back: the top of the history stack, when it led to `current`.
pub fn undoable(history: &[HistoryEntry], current: OrderStatus) -> Option<OrderStatus> {
    let mut stack: Vec<&HistoryEntry> = vec![];
    for h in history {
        match h.kind.as_str() {
            UNDO => {
                stack.pop();
            }
            _ if h.from_status.is_some() => stack.push(h),
            _ => {}
        }
    }
    let top = stack.last()?;
    (top.to_status == current.code()).then(|| top.from_status.as_deref().and_then(OrderStatus::from_code)).flatten()
}

impl Store {
    pub async fn edit_order(
        &self,
        id: i64,
        edit: OrderEdit,
        channel: &str,
        timeline: impl FnOnce(&Order, &Order) -> String,
    ) -> Result<Edited> {
        let mut tx = self.begin().await?;
        let before = load(&mut tx, id).await?;
        let mut after = before.clone();
        if let Some(p) = edit.product {
            after.product = p;
        }
        after.price = edit.price.unwrap_or(after.price);
        after.prepaid = edit.prepaid.unwrap_or(after.prepaid);
        if after.prepaid > after.price {
            return Ok(Edited::PrepaidOverPrice);
        }
        after.updated_at = super::now();
        sqlx::query("UPDATE orders SET product = ?, price_kop = ?, prepaid_kop = ?, updated_at = ? WHERE id = ?")
            .bind(&after.product)
            .bind(after.price.kopecks())
            .bind(after.prepaid.kopecks())
            .bind(after.updated_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let line = timeline(&before, &after);
        interactions::insert(&mut tx, after.client_id, channel, Direction::Internal, Kind::Status, &line).await?;
        tx.commit().await?;
        Ok(Edited::Done(after))
    }

    /// Takes back the last status step (see the module docs); with `expected`, only while the
    /// order is still in that status (the status the undo button was shown for).
    pub async fn undo_order_step(
        &self,
        id: i64,
        expected: Option<OrderStatus>,
        by: &str,
        channel: &str,
        timeline: impl FnOnce(&Order) -> String,
    ) -> Result<Stepped> {
        let mut tx = self.begin().await?;
        let order = load(&mut tx, id).await?;
        if expected.is_some_and(|s| s != order.status) {
            return Ok(Stepped::Refused { current: order.status });
        }
        let Some(back) = undoable(&history(&mut tx, id).await?, order.status) else {
            return Ok(Stepped::Refused { current: order.status });
        };
        self.move_status(tx, order, back, UNDO, by, channel, timeline).await
    }

    /// Brings an issued or cancelled order back to the status it had before it was closed.
    pub async fn reopen_order(
        &self,
        id: i64,
        by: &str,
        channel: &str,
        timeline: impl FnOnce(&Order) -> String,
    ) -> Result<Stepped> {
        let mut tx = self.begin().await?;
        let order = load(&mut tx, id).await?;
        if order.status.is_open() {
            return Ok(Stepped::Refused { current: order.status });
        }
        let closing = history(&mut tx, id).await?.into_iter().rev().find(|h| h.to_status == order.status.code());
        let back = closing
            .and_then(|h| h.from_status.as_deref().and_then(OrderStatus::from_code))
            .filter(|s| s.is_open())
            .unwrap_or(if order.status == OrderStatus::Issued { OrderStatus::Ready } else { OrderStatus::New });
        self.move_status(tx, order, back, REOPEN, by, channel, timeline).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn move_status(
        &self,
        mut tx: Transaction<'static, Sqlite>,
        mut order: Order,
        to: OrderStatus,
        kind: &str,
        by: &str,
        channel: &str,
        timeline: impl FnOnce(&Order) -> String,
    ) -> Result<Stepped> {
        let from = order.status;
        super::orders::write_step_tx(&mut tx, &mut order, to, kind, by, channel, timeline).await?;
        if from == OrderStatus::Issued {
            sqlx::query("UPDATE tasks SET done_at = ? WHERE order_id = ? AND kind = 'follow_up' AND done_at IS NULL")
                .bind(order.updated_at)
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            // Reopened (to cancel, refund or fix it): its reminders of the product's life go too.
            super::aftercare::cancel_tx(&mut tx, order.id).await?;
        }
        tx.commit().await?;
        Ok(Stepped::Done { order, from })
    }

    /// Every order of a client, newest first (open and closed).
    pub async fn orders_for_client(&self, client_id: i64, limit: i64) -> Result<Vec<Order>> {
        Ok(sqlx::query_as::<_, super::orders::OrderRow>(&format!(
            "{} WHERE o.client_id = ? ORDER BY o.id DESC LIMIT ?",
            super::orders::ORDER_SELECT
        ))
        .bind(client_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(Order::from)
        .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(from: Option<&str>, to: &str, kind: &str) -> HistoryEntry {
        HistoryEntry {
            from_status: from.map(str::to_string),
            to_status: to.into(),
            at: chrono::Utc::now(),
            actor: None,
            kind: kind.into(),
        }
    }

    #[test]
    fn undo_walks_back_step_by_step_and_never_undoes_an_undo() {
        use OrderStatus::*;
        let mut hist = vec![h(None, "new", STEP)];
        assert_eq!(undoable(&hist, New), None, "the creation cannot be undone");
        hist.push(h(Some("new"), "prod", STEP));
        hist.push(h(Some("prod"), "ready", STEP));
        assert_eq!(undoable(&hist, Ready), Some(InProduction));
        assert_eq!(undoable(&hist, Issued), None, "a stale undo (status moved on) is refused");
        hist.push(h(Some("ready"), "prod", UNDO));
        assert_eq!(undoable(&hist, InProduction), Some(New), "a second undo goes one step further back");
        hist.push(h(Some("prod"), "new", UNDO));
        assert_eq!(undoable(&hist, New), None);
        hist.push(h(Some("new"), "cancel", STEP));
        hist.push(h(Some("cancel"), "new", REOPEN));
        assert_eq!(undoable(&hist, New), Some(Cancelled), "undo takes back a reopening");
    }
}
