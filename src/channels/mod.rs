//! Channel adapters: thin translations between a platform's events and the core's
//! `Input`/`Output`. They parse and render; they decide nothing about clients or orders.

pub mod book_page;
pub mod client_ip;
pub mod console;
pub mod dashboard;
pub mod discord;
pub mod http_server;
pub mod instagram_webhook;
pub mod monobank_webhook;
pub mod nps_page;
pub mod telegram;
pub mod unsubscribe_page;
pub mod web;

/// What a caught panic said (its message when it has one): both chat adapters catch a panic in
/// one user's handler, log this and go on with the next event.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}
