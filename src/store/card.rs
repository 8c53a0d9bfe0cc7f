//! The reads a client card needs (the client, tags, open orders, last events, open tasks,
//! visits). A card open is the hottest read of the bot: it runs on the direct connection
//! (`direct/mod.rs`: in place, one read transaction, no thread hand-off), and through the pool
//! only when that is unavailable, then one statement after another on one pooled connection
//! (each checkout costs a round trip to the connection's thread on release).

use super::bookings::Booking;
use super::clients::Client;
use super::direct::{self, Arg};
use super::interactions::Interaction;
use super::orders::{Order, OrderRow};
use super::tags::Tag;
use super::tasks::Task;
use super::{Result, StorageError, Store};
use std::sync::LazyLock;

/// Everything [`crate::core::card`] shows.
pub struct CardData {
    pub client: Client,
    pub tags: Vec<Tag>,
    pub orders: Vec<Order>,
    pub recent: Vec<Interaction>,
    pub tasks: Vec<Task>,
    /// Her next visits, then the last few.
    pub visits: Vec<Booking>,
}

/// Past visits the card shows.
pub const VISITS_PAST: i64 = 5;

/// Each module's statement, kept for the direct connection's statement cache.
static CLIENT: LazyLock<String> = LazyLock::new(super::clients::client_sql);
static ORDERS: LazyLock<String> = LazyLock::new(super::orders::open_orders_for_client_sql);
static TASKS: LazyLock<String> = LazyLock::new(super::tasks::open_tasks_for_client_sql);
static VISITS: LazyLock<String> = LazyLock::new(super::bookings::client_visits_sql);

/// The card's statements, for tests of their query plans.
#[cfg(test)]
pub(super) fn statements() -> [&'static str; 6] {
    [
        CLIENT.as_str(),
        super::tags::CLIENT_TAGS,
        ORDERS.as_str(),
        super::interactions::RECENT_INTERACTIONS,
        TASKS.as_str(),
        VISITS.as_str(),
    ]
}

/// The card on the direct connection, in one snapshot; `None` when she does not exist.
pub(super) fn read_direct(c: &mut direct::Conn, id: i64, recent: i64) -> direct::Result<Option<CardData>> {
    let Some(client) = c.rows::<Client>(&CLIENT, &[Arg::Int(id)])?.pop() else { return Ok(None) };
    let now = direct::time(super::now());
    let visits = [Arg::Int(id), Arg::Text(&now), Arg::Int(id), Arg::Text(&now), Arg::Int(VISITS_PAST)];
    Ok(Some(CardData {
        client,
        tags: c.rows(super::tags::CLIENT_TAGS, &[Arg::Int(id)])?,
        orders: c.rows::<OrderRow>(&ORDERS, &[Arg::Int(id)])?.into_iter().map(Order::from).collect(),
        recent: c.rows(super::interactions::RECENT_INTERACTIONS, &[Arg::Int(id), Arg::Int(recent)])?,
        tasks: c.rows(&TASKS, &[Arg::Int(id)])?,
        visits: c.rows(&VISITS, &visits)?,
    }))
}

impl Store {
    /// The card of client `id` with its last `recent` events.
    pub async fn card_data(&self, id: i64, recent: i64) -> Result<CardData> {
        if let Some(card) = self.direct_read("card", |c| read_direct(c, id, recent)).await {
            return card.ok_or(StorageError::NotFound);
        }
        self.card_data_pooled(id, recent).await
    }

    /// [`Store::card_data`] through the pool: one statement after another on one connection.
    pub(super) async fn card_data_pooled(&self, id: i64, recent: i64) -> Result<CardData> {
        let mut conn = self.pool().acquire().await?;
        let client = super::clients::client_on(&mut *conn, id).await?;
        let tags = super::tags::client_tags_on(&mut *conn, id).await?;
        let orders = super::orders::open_orders_for_client_on(&mut *conn, id).await?;
        let recent = super::interactions::recent_interactions_on(&mut *conn, id, recent).await?;
        let tasks = super::tasks::open_tasks_for_client_on(&mut *conn, id).await?;
        let visits = super::bookings::client_visits_on(&mut *conn, id, super::now(), VISITS_PAST).await?;
        Ok(CardData { client, tags, orders, recent, tasks, visits })
    }
}
