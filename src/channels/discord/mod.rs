//! The Discord adapter (serenity's gateway client and HTTP), issue 17: the same owner commands,
//! cards and buttons as Telegram, and the client assistant in DMs, over the same core.
//!
//! - The owner's commands are slash commands registered from `core::commands::OWNER` when the
//!   gateway is ready (`slash`); a command runs the same core dispatch as `/name args` typed in
//!   Telegram, a button is a message component whose `custom_id` is the callback codec's string.
//! - Who is the owner is decided by the core (`DISCORD_OWNER_IDS`); a stranger's slash command
//!   is refused here before anything runs, a forged `custom_id` is refused by the core's visitor
//!   path like a forged Telegram button.
//! - Plain DMs: the owner's free text, or a client's message to the assistant; messages in a
//!   server channel are ignored (nothing about clients is written where others read).
//! - `respond` renders the core's `Output`: the interaction response (an in-place update for a
//!   button whose reply edits), follow-ups, DM messages, files as attachments.
//!
//! Serenity runs every event in a task of its own; events of one user are serialised here (a
//! lock per shard of user ids) so a dialog's answers are read in order, and a panic while
//! handling one event is caught, logged and answered with a polite notice: one bad event is
//! dropped, never a crash loop. [`failed`] is the one place an adapter error is logged (with its
//! cause chain) and turned into a localized message.
//!
//! With `DISCORD_API_URL` set (tests, or an HTTP proxy) every request goes there instead of
//! `https://discord.com`; serenity applies that only with its rate limiter off. The gateway URL
//! comes from `GET /api/v10/gateway` on that base.

mod respond;
mod slash;

use crate::config::DiscordSettings;
use crate::core::{Actor, Channel, Core, Input, InputKind};
use crate::i18n::Lang;
use crate::shutdown::Shutdown;
use futures_util::FutureExt;
use serenity::all::{
    Context, CreateAllowedMentions, EventHandler, GatewayIntents, Http, HttpBuilder, Interaction, Message, Ready, User,
};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Locks that keep one user's events in order (user id modulo this).
const LANES: usize = 32;

/// Serenity's HTTP client for our settings: the token, `DISCORD_API_URL` as its proxy base, no
/// pings anyone did not ask for.
pub fn make_http(settings: &DiscordSettings) -> Option<Http> {
    let token = settings.token.as_ref()?;
    let mut builder = HttpBuilder::new(token.expose()).default_allowed_mentions(CreateAllowedMentions::new());
    if settings.api_url != crate::config::DEFAULT_DISCORD_API_URL {
        builder = builder.proxy(settings.api_url.clone()).ratelimiter_disabled(true);
    }
    Some(builder.build())
}

/// Starts the gateway client when a token is configured; it runs until `shutdown`. Without a
/// token nothing of Discord starts and `None` is returned.
pub async fn start(
    settings: &DiscordSettings,
    core: Core,
    shutdown: Shutdown,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(http) = make_http(settings) else {
        return Ok(None);
    };
    let handler = Handler {
        core,
        defer_after: settings.defer_after,
        lanes: Arc::new((0..LANES).map(|_| tokio::sync::Mutex::new(())).collect()),
        files: reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).build().unwrap_or_default(),
    };
    // DMs only: a message in a server channel is never read (its content is not even sent to us).
    let intents = GatewayIntents::DIRECT_MESSAGES;
    let mut client = serenity::client::ClientBuilder::new_with_http(http, intents)
        .event_handler(handler)
        .await
        .map_err(|e| anyhow::anyhow!("discord: building the client: {e}"))?;
    let shards = client.shard_manager.clone();
    Ok(Some(tokio::spawn(async move {
        tokio::select! {
            r = client.start() => match r {
                Ok(()) => tracing::info!("discord: gateway client stopped"),
                // Serenity reconnects by itself; it returns only when it cannot go on (a bad
                // token, all shards gone): logged once, and the rest of the app keeps running.
                Err(e) => tracing::error!(error = %e, "discord: the gateway client stopped; Discord is off until restart"),
            },
            _ = crate::shutdown::stopped(shutdown) => {
                shards.shutdown_all().await;
            }
        }
    })))
}

struct Handler {
    core: Core,
    defer_after: std::time::Duration,
    lanes: Arc<Vec<tokio::sync::Mutex<()>>>,
    /// Downloads the owner's attachments (a spreadsheet to import).
    files: reqwest::Client,
}

/// The core's actor for a Discord user: the id the platform vouches for, never anything typed.
pub(crate) fn actor(user: &User, locale: Option<&str>) -> Actor {
    Actor {
        channel: Channel::Discord,
        id: user.id.get().to_string(),
        display_name: Some(user.global_name.clone().unwrap_or_else(|| user.name.clone())),
        lang_hint: locale.map(str::to_string),
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, "discord: connected");
        slash::register(&ctx.http, &self.core).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let user = match &interaction {
            Interaction::Command(c) => c.user.id.get(),
            Interaction::Component(c) => c.user.id.get(),
            _ => return,
        };
        let work = async {
            match &interaction {
                Interaction::Command(c) => slash::on_command(&ctx.http, &self.core, c, self.defer_after).await,
                Interaction::Component(c) => slash::on_component(&ctx.http, &self.core, c, self.defer_after).await,
                _ => Ok(()),
            }
        };
        let lang = Lang::from_hint(match &interaction {
            Interaction::Command(c) => Some(c.locale.as_str()),
            Interaction::Component(c) => Some(c.locale.as_str()),
            _ => None,
        });
        let tell = |text: String| async {
            let channel = match &interaction {
                Interaction::Command(c) => c.channel_id,
                Interaction::Component(c) => c.channel_id,
                _ => return,
            };
            respond::say(&ctx.http, &self.core, channel, text).await
        };
        self.in_lane(user, lang, work, tell).await;
    }

    async fn message(&self, ctx: Context, msg: Message) {
        // DMs only, never the bot's own (or another bot's) messages.
        if msg.author.bot || msg.guild_id.is_some() {
            return;
        }
        let channel = msg.channel_id;
        let work = self.on_dm(&ctx.http, &msg);
        let tell = |text: String| respond::say(&ctx.http, &self.core, channel, text);
        self.in_lane(msg.author.id.get(), Lang::Uk, work, tell).await;
    }
}

impl Handler {
    /// Runs one event's work after the user's earlier events; its error or panic is [`failed`].
    async fn in_lane<F, T, TF>(&self, user: u64, lang: Lang, work: F, tell: T)
    where
        F: std::future::Future<Output = anyhow::Result<()>>,
        T: FnOnce(String) -> TF,
        TF: std::future::Future<Output = ()>,
    {
        let _turn = self.lanes[(user % LANES as u64) as usize].lock().await;
        let outcome = match AssertUnwindSafe(work).catch_unwind().await {
            Ok(r) => r,
            Err(panic) => Err(anyhow::anyhow!("panic: {}", super::panic_message(&*panic))),
        };
        if let Err(e) = outcome {
            tell(failed(&self.core, lang, &e)).await;
        }
    }

    /// A DM: the owner's input (text, a spreadsheet) or a client's message to the assistant.
    async fn on_dm(&self, http: &Http, msg: &Message) -> anyhow::Result<()> {
        let actor = actor(&msg.author, None);
        let owner = self.core.is_owner(&actor);
        let kind = match msg.attachments.first() {
            Some(file) if owner => {
                let size = u64::from(file.size);
                let bytes = if size <= crate::spreadsheet::MAX_BYTES as u64 {
                    Some(self.download(&file.url).await?)
                } else {
                    None
                };
                InputKind::File { name: file.filename.clone(), size, bytes }
            }
            Some(_) => InputKind::Unsupported,
            None if msg.content.trim().is_empty() => InputKind::Unsupported,
            None => InputKind::Text(msg.content.clone()),
        };
        let output = self.core.handle(Input { actor, kind }).await;
        respond::to_channel(http, &self.core, msg.channel_id, output).await
    }

    /// An attachment the owner sent, read up to the spreadsheet limit whatever it announced.
    async fn download(&self, url: &str) -> anyhow::Result<Vec<u8>> {
        use anyhow::Context as _;
        let mut res = self.files.get(url).send().await.and_then(|r| r.error_for_status()).context("downloading")?;
        let mut data = Vec::new();
        while let Some(chunk) = res.chunk().await.context("downloading")? {
            anyhow::ensure!(
                data.len() + chunk.len() <= crate::spreadsheet::MAX_BYTES,
                "attachment larger than announced"
            );
            data.extend_from_slice(&chunk);
        }
        Ok(data)
    }
}

/// The one place an adapter failure is logged with its cause chain and turned into the
/// localized notice the user sees.
pub(crate) fn failed(core: &Core, lang: Lang, e: &anyhow::Error) -> String {
    core.metrics().send_failure();
    let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
    tracing::error!(error.chain = ?chain, "discord: handling an event failed; it is dropped");
    core.i18n().format(lang, "dc-failed", &[])
}
