//! Long polling with `getUpdates`: confirm each batch by asking with a higher offset, back off on
//! errors, stop promptly on shutdown.

use super::UpdateRouter;
use crate::shutdown::{stopped, Shutdown};
use std::time::Duration;
use teloxide::prelude::*;

/// Seconds Telegram may hold a `getUpdates` open; below teloxide's 17 s client timeout.
const LONG_POLL_SECS: u32 = 10;

pub async fn run(bot: Bot, router: UpdateRouter, shutdown: Shutdown) {
    let mut offset: i32 = 0;
    let mut backoff = Duration::from_millis(500);
    tracing::info!("telegram: long polling started");
    loop {
        let request = bot.get_updates().offset(offset).timeout(LONG_POLL_SECS);
        let result = tokio::select! {
            _ = stopped(shutdown.clone()) => break,
            r = request.send() => r,
        };
        match result {
            Ok(updates) => {
                backoff = Duration::from_millis(500);
                for update in updates {
                    offset = offset.max(update.id.0 as i32 + 1);
                    router.route(update).await;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in = ?backoff, "telegram: getUpdates failed");
                tokio::select! {
                    _ = stopped(shutdown.clone()) => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
    tracing::info!("telegram: long polling stopped");
}
