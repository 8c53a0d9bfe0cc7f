//! The Telegram adapter (teloxide's `Bot` for the Bot API calls).
//!
//! Updates arrive by long polling or by webhook on our own axum router; both feed the same
//! [`UpdateRouter`], which queues them by chat (`queue`) so one chat's updates are handled in
//! order while different chats proceed in parallel. Each chat's worker converts an update into a
//! core `Input` (`convert`), lets the core decide, and renders the `Output` (`render`), the one
//! place where Telegram errors are logged. For an update that came by webhook, the handling's last
//! call rides in the webhook's response (`in_response`): one Bot API call fewer per update.

mod convert;
mod in_response;
mod polling;
mod queue;
mod render;
mod webhook;

pub use in_response::InResponse;
pub use queue::{UpdateRouter, Workers};
pub use webhook::{webhook, WebhookState};

use crate::config::Settings;
use crate::core::commands::{owner_menu, VISITOR_COMMANDS};
use crate::core::Core;
use crate::i18n::Lang;
use crate::shutdown::Shutdown;
use anyhow::Context;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient, Update};

pub fn make_bot(settings: &Settings) -> anyhow::Result<Option<Bot>> {
    let Some(token) = &settings.telegram.bot_token else {
        return Ok(None);
    };
    let url = reqwest::Url::parse(&settings.telegram.api_url).context("TELEGRAM_API_URL")?;
    Ok(Some(Bot::new(token.expose()).set_api_url(url)))
}

/// What a worker does with one update and where its last Bot API call may go
/// ([`handle_update`]; tests substitute their own).
pub type Handler = Arc<dyn Fn(Bot, Core, Update, InResponse) -> HandlerFuture + Send + Sync>;
pub type HandlerFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// The router that feeds the per-chat workers ([`queue`]) and their handle for shutdown.
pub fn spawn_workers(bot: Bot, core: Core) -> (UpdateRouter, Workers) {
    let handler: Handler =
        Arc::new(|bot, core, update, answer| Box::pin(async move { handle_update(&bot, &core, update, answer).await }));
    spawn_workers_with(bot, core, handler)
}

/// [`spawn_workers`] with a given handler.
pub fn spawn_workers_with(bot: Bot, core: Core, handler: Handler) -> (UpdateRouter, Workers) {
    queue::workers(bot, core, handler)
}

pub async fn handle_update(bot: &Bot, core: &Core, update: Update, answer: InResponse) {
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
    render::deliver(bot, core, &incoming.origin, output, answer).await;
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
