//! The one shutdown signal every long-running task watches (HTTP, Telegram, the worker, the
//! scheduler): a leaf, so any layer can stop on it without knowing the others.

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
