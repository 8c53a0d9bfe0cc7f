//! Channel adapters: thin translations between a platform's events and the core's
//! `Input`/`Output`. They parse and render; they decide nothing about clients or orders.

pub mod book_page;
pub mod calcom;
pub mod calendar;
pub mod client_ip;
pub mod console;
pub mod http_server;
pub mod instagram;
pub mod telegram;
pub mod web;

/// A shutdown signal shared by every long-running task: flips to `true` once.
pub type Shutdown = tokio::sync::watch::Receiver<bool>;

/// Resolves when the shutdown signal has been given (or its sender is gone).
pub async fn stopped(mut rx: Shutdown) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}
