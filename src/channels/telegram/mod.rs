//! The Telegram adapter (teloxide's `Bot` for every Bot API call).
//!
//! Updates arrive by long polling or by webhook on our own axum router; both feed the same
//! [`UpdateRouter`], which shards them by chat so one chat's updates are handled in order while
//! different chats proceed in parallel. Each worker converts an update into a core `Input`
//! (`convert`), lets the core decide, and renders the `Output` (`render`), the one place where
//! Telegram errors are logged.

mod convert;
mod polling;
mod render;
mod webhook;

pub use webhook::{webhook, WebhookState};

use crate::config::Settings;
use crate::core::commands::{owner_menu, VISITOR_COMMANDS};
use crate::core::Core;
use crate::i18n::Lang;
use crate::shutdown::Shutdown;
use anyhow::Context;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient, Update};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How many chats are served concurrently. An update waits behind the other chats of its shard
/// while their answers go out to the Bot API: with 100 chats at once, 32 shards answered the
/// benchmark's burst at a p50 of ~32 ms instead of ~39 ms with 8 (`docs/operations.md`). Under a
/// sustained load each shard still has its next update queued, so the ledger's finish is still
/// written with the next start.
const SHARDS: usize = 32;

pub fn make_bot(settings: &Settings) -> anyhow::Result<Option<Bot>> {
    let Some(token) = &settings.telegram.bot_token else {
        return Ok(None);
    };
    let url = reqwest::Url::parse(&settings.telegram.api_url).context("TELEGRAM_API_URL")?;
    Ok(Some(Bot::new(token.expose()).set_api_url(url)))
}

/// Routes updates to per-shard queues; cloning it is cheap. An update (~2 KB) travels boxed: a
/// queue allocates its first block of 32 slots when it is made, and 32 queues of updates held
/// 2 MB of the idle server's memory (issue 11).
#[derive(Clone)]
pub struct UpdateRouter {
    shards: Vec<mpsc::Sender<Box<Update>>>,
}

impl UpdateRouter {
    pub async fn route(&self, update: Update) {
        let key = update.chat().map(|c| c.id.0).or_else(|| update.from().map(|u| u.id.0 as i64)).unwrap_or(0);
        let shard = key.unsigned_abs() as usize % self.shards.len();
        if self.shards[shard].send(Box::new(update)).await.is_err() {
            tracing::warn!("telegram update dropped: workers are shutting down");
        }
    }
}

/// What a worker does with one update ([`handle_update`]; tests substitute their own).
pub type Handler = Arc<dyn Fn(Bot, Core, Update) -> HandlerFuture + Send + Sync>;
pub type HandlerFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Starts the workers; returns the router that feeds them and the set to await on shutdown.
/// Workers finish when every router clone is dropped, after draining their queues.
pub fn spawn_workers(bot: Bot, core: Core) -> (UpdateRouter, JoinSet<()>) {
    let handler: Handler =
        Arc::new(|bot, core, update| Box::pin(async move { handle_update(&bot, &core, update).await }));
    spawn_workers_with(bot, core, handler)
}

/// [`spawn_workers`] with a given handler. Each update is handled in order, its panics caught
/// (without a task of its own per update: a spawn and a wake-up per update, for nothing): a
/// panic while handling one update is logged and answered with a polite notice; the shard goes
/// on with the next update. (The update was confirmed to Telegram when
/// it was taken off `getUpdates` or answered 200 on the webhook, so it is never replayed.)
pub fn spawn_workers_with(bot: Bot, core: Core, handler: Handler) -> (UpdateRouter, JoinSet<()>) {
    let mut set = JoinSet::new();
    let mut shards = Vec::with_capacity(SHARDS);
    for _ in 0..SHARDS {
        let (tx, mut rx) = mpsc::channel::<Box<Update>>(256);
        shards.push(tx);
        let bot = bot.clone();
        let core = core.clone();
        let handler = handler.clone();
        set.spawn(async move {
            // An update handled while the next one was already queued: its finish is written
            // together with the next start (one statement), at the same moment.
            let mut unfinished: Option<u32> = None;
            while let Some(update) = rx.recv().await {
                let id = update.id.0;
                let chat = update.chat().map(|c| c.id);
                let lang = Lang::from_hint(update.from().and_then(|u| u.language_code.as_deref()));
                use crate::store::updates::Start;
                let previous = unfinished.take();
                match core.store().start_update_after(previous.map(i64::from), id as i64).await {
                    Ok(Start::Handle(_)) => {}
                    Ok(Start::Duplicate) => {
                        tracing::info!(update = id, "telegram: update delivered again; handled already, skipped");
                        continue;
                    }
                    Ok(Start::Poisoned) => {
                        tracing::error!(
                            update = id,
                            "telegram: the process stopped twice while handling this update; it is skipped"
                        );
                        core.metrics().send_failure();
                        tell_skipped(&bot, &core, chat, lang).await;
                        finish(&core, id).await;
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(update = id, error = %e, "telegram: update ledger unavailable; handling anyway");
                        if let Some(p) = previous {
                            finish(&core, p).await;
                        }
                    }
                }
                let outcome = AssertUnwindSafe(handler(bot.clone(), core.clone(), *update)).catch_unwind().await;
                if outcome.is_ok() && !rx.is_empty() {
                    unfinished = Some(id);
                } else {
                    finish(&core, id).await;
                }
                if let Err(panic) = outcome {
                    let e = super::panic_message(&*panic);
                    tracing::error!(update = id, error = %e, "telegram: handling an update failed; it is skipped");
                    core.metrics().send_failure();
                    tell_skipped(&bot, &core, chat, lang).await;
                }
            }
            if let Some(p) = unfinished {
                finish(&core, p).await;
            }
        });
    }
    (UpdateRouter { shards }, set)
}

async fn finish(core: &Core, id: u32) {
    if let Err(e) = core.store().finish_update(id as i64).await {
        tracing::warn!(update = id, error = %e, "telegram: could not mark the update handled");
    }
}

/// A polite notice in the chat whose update was skipped.
async fn tell_skipped(bot: &Bot, core: &Core, chat: Option<ChatId>, lang: Lang) {
    if let Some(chat) = chat {
        let text = core.i18n().format(lang, "tg-update-failed", &[]);
        if let Err(e) = bot.send_message(chat, text).await {
            tracing::warn!(error = %e, "telegram: could not tell the chat about the skipped update");
        }
    }
}

pub async fn handle_update(bot: &Bot, core: &Core, update: Update) {
    let Some(mut incoming) = convert::from_update(&update) else {
        return;
    };
    // Documents are fetched only for the owner: a stranger's file is never downloaded.
    if let (Some(file_id), true) = (incoming.download.take(), core.is_owner(&incoming.input.actor)) {
        if let crate::core::InputKind::File { bytes, .. } = &mut incoming.input.kind {
            match download(bot, file_id).await {
                Ok(data) => *bytes = Some(data),
                Err(e) => {
                    core.metrics().send_failure();
                    tracing::warn!(error = %e, "telegram: could not download a document");
                    *bytes = None;
                }
            }
        }
    }
    let output = core.handle(incoming.input).await;
    render::deliver(bot, core, &incoming.origin, output).await;
}

async fn download(bot: &Bot, file_id: teloxide::types::FileId) -> anyhow::Result<Vec<u8>> {
    use teloxide::net::Download;
    let file = bot.get_file(file_id).await?;
    let mut data = Vec::with_capacity(file.meta.size.min(crate::spreadsheet::MAX_BYTES as u32) as usize);
    bot.download_file(&file.path, &mut data).await?;
    anyhow::ensure!(data.len() <= crate::spreadsheet::MAX_BYTES, "document larger than announced");
    Ok(data)
}

/// Registers the command menu: visitors' commands for everyone, the owner's in each owner's chat,
/// in Ukrainian (the default) and English.
pub async fn register_commands(bot: &Bot, core: &Core) {
    let menu = |lang: Lang, list: &[(&str, &str)]| -> Vec<BotCommand> {
        list.iter().map(|(name, key)| BotCommand::new(*name, core.i18n().format(lang, key, &[]))).collect()
    };
    for (lang, code) in [(Lang::Uk, None), (Lang::En, Some("en")), (Lang::Uk, Some("uk"))] {
        let mut req = bot.set_my_commands(menu(lang, &VISITOR_COMMANDS)).scope(BotCommandScope::Default);
        if let Some(c) = code {
            req = req.language_code(c);
        }
        if let Err(e) = req.await {
            tracing::warn!(error = %e, "setMyCommands (default scope) failed");
        }
        for owner in &core.config().owner_telegram_ids {
            let scope = BotCommandScope::Chat { chat_id: Recipient::Id(ChatId(*owner)) };
            let mut req = bot.set_my_commands(menu(lang, &owner_menu())).scope(scope);
            if let Some(c) = code {
                req = req.language_code(c);
            }
            if let Err(e) = req.await {
                tracing::warn!(error = %e, owner, "setMyCommands (owner chat) failed");
            }
        }
    }
}

/// Either sets the webhook (when `PUBLIC_URL` is set) or removes it and long-polls until shutdown.
pub async fn start_polling(bot: Bot, router: UpdateRouter, shutdown: Shutdown) -> anyhow::Result<()> {
    if let Err(e) = bot.delete_webhook().await {
        tracing::warn!(error = %e, "deleteWebhook failed; polling anyway");
    }
    polling::run(bot, router, shutdown).await;
    Ok(())
}

pub async fn set_webhook(bot: &Bot, public_url: &str, secret: &str) -> anyhow::Result<()> {
    use teloxide::types::AllowedUpdate;
    let url = reqwest::Url::parse(&format!("{public_url}/webhooks/telegram")).context("PUBLIC_URL")?;
    bot.set_webhook(url)
        .secret_token(secret)
        .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery])
        .await
        .context("setWebhook")?;
    Ok(())
}
