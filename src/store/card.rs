//! The reads a client card needs (the client, tags, open orders, last events, open tasks), one
//! after another on one pooled connection: a card open is the hottest read of the bot, and each
//! pool checkout costs a round trip to the connection's thread on release, so five checkouts
//! (or five connections at once) cost several times what the reads themselves do.

use super::bookings::Booking;
use super::clients::Client;
use super::interactions::Interaction;
use super::orders::Order;
use super::tags::Tag;
use super::tasks::Task;
use super::{Result, Store};

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

impl Store {
    /// The card of client `id` with its last `recent` events.
    pub async fn card_data(&self, id: i64, recent: i64) -> Result<CardData> {
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
