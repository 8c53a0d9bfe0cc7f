//! The platform-agnostic core: an [`Input`] from any channel in, an [`Output`] of replies out.
//!
//! Adapters (Telegram, console, Discord; Instagram through its webhook) translate their events into an
//! `Input` and render the `Output`; they know nothing about clients or orders. The core decides,
//! in one place ([`Core::handle`]), whether the actor is the owner before any owner handler runs,
//! and turns every failure into a localized message while logging its cause chain.
//!
//! Layout: `callback` (the button codec and the list of the features' button tables),
//! `commands` (command parsing, the menu, the per-feature button dispatch), `dialog` (guided
//! multi-step flows kept in the database), `clients`, `card`, `orders`, `tasks`, `agenda`
//! (`/tasks`, `/today`), `visitor` (what a non-owner gets). Use cases that every adapter (chat,
//! web page, webhooks, CLI) calls take the core or the store, not a chat: `booking::place`,
//! `clients::find` (which card a person is), `import`.

pub mod agenda;
pub mod ask;
pub mod attribution;
pub mod booking;
pub mod callback;
pub mod card;
pub mod catalogue;
pub mod clients;
pub mod commands;
pub mod content;
pub mod conversation;
pub mod dialog;
pub mod drafts;
pub mod import;
pub mod instagram;
pub mod instagram_reconcile;
pub mod lifecycle;
pub mod marketing;
pub mod nps;
pub mod order_edit;
pub mod orders;
pub mod payments;
pub mod product_life;
pub mod reminders;
pub mod reports;
pub mod sheets;
pub mod summary;
pub mod tasks;
pub mod visitor;
pub mod welcome;

use crate::domain::ParseError;
use crate::i18n::{Arg, I18n, Lang, Tr};
use crate::metrics::Metrics;
use crate::store::{StorageError, Store};
use callback::Cb;
use chrono_tz::Tz;
use std::sync::Arc;
use std::time::Instant;

/// Where an input came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Telegram,
    Console,
    Discord,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Telegram => "telegram",
            Channel::Console => "console",
            Channel::Discord => "discord",
        }
    }
}

/// Who sent it, as the platform knows them. Whether they are the owner is decided by the core.
#[derive(Debug, Clone)]
pub struct Actor {
    pub channel: Channel,
    pub id: String,
    pub display_name: Option<String>,
    pub lang_hint: Option<String>,
}

impl Actor {
    /// Stable key for per-user state: `telegram:12345`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.channel.code(), self.id)
    }
}

#[derive(Debug, Clone)]
pub enum InputKind {
    Text(String),
    /// Text sent as a reply to one of the bot's messages; `to` holds that message's button data
    /// (so a reply to a client's card answers that client).
    ReplyText {
        text: String,
        to: Vec<String>,
    },
    Callback(String),
    /// A shared contact; `own` is true when it is the sender's own number.
    Contact {
        phone: String,
        name: Option<String>,
        own: bool,
    },
    /// A file; `bytes` is `None` when the adapter refused to download it (too large).
    File {
        name: String,
        size: u64,
        bytes: Option<Vec<u8>>,
    },
    /// Anything the core does not understand yet (stickers, photos, voice).
    Unsupported,
}

#[derive(Debug, Clone)]
pub struct Input {
    pub actor: Actor,
    pub kind: InputKind,
}

/// A message the core sends on its own (a booking notice, a reminder) to an open console: the
/// same text and buttons (label, callback data) as the Telegram outbox message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub buttons: Vec<Vec<(String, String)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

impl Button {
    pub fn new(label: impl Into<String>, cb: impl Into<Cb>) -> Self {
        Button { label: label.into(), data: cb.into().encode() }
    }
}

/// One message to show. `edit` asks the adapter to replace the message the pressed button
/// belongs to instead of sending a new one.
/// A file to hand to the user (an export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A reply keyboard under the input field (Telegram); inline buttons are `Reply::buttons`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Keyboard {
    #[default]
    Keep,
    /// One button that shares the user's phone number.
    AskContact(String),
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    pub text: String,
    pub buttons: Vec<Vec<Button>>,
    pub edit: bool,
    pub attachment: Option<Attachment>,
    /// A picture sent before the text (a report's chart, PNG).
    pub photo: Option<Vec<u8>>,
    pub keyboard: Keyboard,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply { text: text.into(), ..Default::default() }
    }

    pub fn with_buttons(mut self, rows: Vec<Vec<Button>>) -> Self {
        self.buttons = rows;
        self
    }

    pub fn editing(mut self, edit: bool) -> Self {
        self.edit = edit;
        self
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub replies: Vec<Reply>,
    /// A short notice for the pressed button (Telegram shows it as a toast).
    pub toast: Option<String>,
    /// The language the output is in, so adapters can localise their own chrome.
    pub lang: Lang,
}

impl Output {
    pub fn one(reply: Reply) -> Self {
        Output { replies: vec![reply], ..Default::default() }
    }

    pub fn many(replies: Vec<Reply>) -> Self {
        Output { replies, ..Default::default() }
    }

    pub fn toast(mut self, t: impl Into<String>) -> Self {
        self.toast = Some(t.into());
        self
    }
}

/// Failures of a handler. `User` is an expected refusal rendered as a localized explanation;
/// everything else is logged with its cause chain and answered with a short apology.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("refused: {key}")]
    User { key: &'static str, args: Vec<(&'static str, Arg)> },
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl CoreError {
    pub fn user(key: &'static str) -> Self {
        CoreError::User { key, args: vec![] }
    }

    pub fn user_with(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        CoreError::User { key, args }
    }
}

/// A refused value becomes the message that says what was expected.
pub fn parse_error(e: ParseError, what: &'static str) -> CoreError {
    match e {
        ParseError::Empty => CoreError::user_with("err-empty", vec![("what", what.into())]),
        ParseError::TooLong { len, max } => {
            CoreError::user_with("err-too-long", vec![("len", len.into()), ("max", max.into())])
        }
        ParseError::Phone => CoreError::user("err-phone"),
        ParseError::Money => CoreError::user("err-money"),
        ParseError::Name => CoreError::user("err-name"),
        ParseError::When => CoreError::user("err-when"),
        ParseError::WhenAmbiguous => CoreError::user("err-when-ambiguous"),
        ParseError::WhenImpossible => CoreError::user("err-when-impossible"),
        ParseError::InPast => CoreError::user("err-in-past"),
        ParseError::Number => CoreError::user("err-number"),
        ParseError::Email => CoreError::user("err-email"),
    }
}

pub type CoreResult<T = Output> = Result<T, CoreError>;

/// The explanation of an expected refusal, for adapters that render errors themselves (web).
pub fn error_text(tr: &Tr<'_>, e: CoreError) -> String {
    match e {
        CoreError::User { key, args } => tr.t_args(key, &args),
        _ => tr.t("err-internal"),
    }
}

/// Settings the core needs.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    pub owner_telegram_ids: Vec<i64>,
    /// The Discord user ids that are the owner (`DISCORD_OWNER_IDS`); everyone else there is a client.
    pub owner_discord_ids: Vec<u64>,
    /// A bot token is configured: owner notices go to Telegram (else only to the console).
    pub telegram_enabled: bool,
    /// A Discord token is configured: with no Telegram owner chat, owner notices go to Discord.
    pub discord_enabled: bool,
    pub tz: Tz,
    /// Days after an order is issued when the "how are the insoles?" follow-up is due.
    pub follow_up_days: i64,
    pub booking: crate::config::BookingSettings,
    /// The hours of `вранці`, `в обід`, `ввечері` in due times.
    pub day_parts: crate::domain::when::DayParts,
    pub google_ics_url: Option<crate::config::Secret>,
    pub notify: crate::notify::NotifyConfig,
    /// The studio's knowledge base (Markdown) the assistant answers from; empty: no assistant.
    pub knowledge: String,
    /// The LLM engine's settings (`LLM_API_KEY` set); the offline engine otherwise.
    pub llm: Option<crate::assistant::llm::LlmSettings>,
    /// Where the public booking page lives (`PUBLIC_URL`), for links in answers.
    pub public_url: Option<String>,
    /// The review page offered to happy clients (`REVIEW_URL`), issue 15.
    pub review_url: Option<String>,
    /// Nightly backups: folder, copies kept, whether owners get the file in Telegram.
    pub backup: crate::config::BackupSettings,
    /// Monobank links and the Checkbox cash register (issue 14); each off until configured.
    pub payments: crate::config::PaymentsConfig,
    /// The weekly and monthly reports pushed to the owner, and the address they are e-mailed to.
    pub reports: crate::config::ReportSettings,
    /// E-mail sequences, the SMTP rate and the unsubscribe links' secret (issue 16).
    pub marketing: crate::config::MarketingSettings,
    /// The referral discount and the bot's username for deep links (issue 16).
    pub referrals: crate::config::ReferralSettings,
    /// The optional Listmonk sync of consenting clients (`LISTMONK_*`).
    pub listmonk: Option<crate::config::ListmonkSettings>,
    /// Instagram drafts and the content calendar (issue 16, Content).
    pub content: crate::config::ContentSettings,
}

#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    i18n: I18n,
    config: CoreConfig,
    metrics: Arc<Metrics>,
    /// Proactive messages for an open console (notices, reminders); nobody listening is fine.
    notices: tokio::sync::broadcast::Sender<Notice>,
    /// Rebuilt (cheaply: the model is shared) when the facts it is grounded in change.
    assistant: std::sync::RwLock<Option<Arc<crate::assistant::Assistant>>>,
    /// The payment providers' clients (with the cached merchant key and cashier token).
    monobank: Option<crate::payments::monobank::Monobank>,
    checkbox: Option<crate::payments::checkbox::Checkbox>,
}

/// Everything a handler needs about the current request.
pub struct Ctx<'a> {
    pub core: &'a Core,
    pub tr: Tr<'a>,
    pub actor: &'a Actor,
    pub actor_key: String,
    /// True when the input is a button press (replies may edit the message in place).
    pub from_button: bool,
    /// Set when this input switched the language, so the adapter's chrome follows.
    pub switched_lang: std::sync::OnceLock<Lang>,
}

impl<'a> Ctx<'a> {
    pub fn store(&self) -> &Store {
        &self.core.inner.store
    }
    pub fn tz(&self) -> Tz {
        self.core.inner.config.tz
    }
    pub fn channel(&self) -> &'static str {
        self.actor.channel.code()
    }
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn t_args(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.tr.t_args(key, args)
    }
}

impl Core {
    pub fn new(store: Store, i18n: I18n, config: CoreConfig, metrics: Arc<Metrics>) -> Self {
        let (notices, _) = tokio::sync::broadcast::channel(64);
        if crate::assistant::offline::Offline::serves(&config.knowledge) {
            crate::assistant::offline::Offline::warm_up();
        }
        let assistant = build_assistant(&config, &store, &facts(&config, None), None).map(Arc::new);
        let assistant = std::sync::RwLock::new(assistant);
        let monobank = config.payments.monobank.clone().map(crate::payments::monobank::Monobank::new);
        let checkbox = config.payments.checkbox.clone().map(crate::payments::checkbox::Checkbox::new);
        Core { inner: Arc::new(Inner { store, i18n, config, metrics, notices, assistant, monobank, checkbox }) }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Monobank acquiring, when `MONOBANK_TOKEN` is set.
    pub fn monobank(&self) -> Option<&crate::payments::monobank::Monobank> {
        self.inner.monobank.as_ref()
    }

    /// The Checkbox cash register, when `CHECKBOX_LICENSE_KEY` is set.
    pub fn checkbox(&self) -> Option<&crate::payments::checkbox::Checkbox> {
        self.inner.checkbox.as_ref()
    }

    pub fn i18n(&self) -> &I18n {
        &self.inner.i18n
    }

    /// Publishes a message to open consoles (best-effort), with the same buttons (label, data)
    /// the Telegram outbox message carries.
    pub fn notice(&self, text: String, buttons: Vec<Vec<(String, String)>>) {
        let _ = self.inner.notices.send(Notice { text, buttons });
    }

    pub fn subscribe_notices(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.inner.notices.subscribe()
    }

    /// The client assistant, when a knowledge base is configured.
    pub fn assistant(&self) -> Option<Arc<crate::assistant::Assistant>> {
        self.inner.assistant.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Grounds the assistant in the running studio: the hours the owner keeps (`/hours`,
    /// `/dayoff`, `/vacation`), the commands clients have, SMS or not. Called at start-up and
    /// after every change of hours; the owner's saved answers carry over.
    pub async fn reground(&self) -> anyhow::Result<()> {
        let Some(current) = self.assistant() else { return Ok(()) };
        let tr = crate::i18n::Tr { i18n: self.i18n(), lang: Lang::Uk };
        let hours = booking::hours::kb_hours(self, &tr).await?;
        let facts = facts(self.config(), Some(hours));
        let fresh = build_assistant(self.config(), self.store(), &facts, Some(current.learned.clone()));
        *self.inner.assistant.write().unwrap_or_else(|e| e.into_inner()) = fresh.map(Arc::new);
        Ok(())
    }

    /// Loads the answers the owner saved to the knowledge base (at start-up, and again after
    /// forgetting a client removed the ones that named her).
    pub async fn load_learned(&self) -> anyhow::Result<usize> {
        let Some(a) = self.assistant() else { return Ok(0) };
        let rows = self.store().learned_answers().await?;
        a.learned.replace(&rows);
        Ok(rows.len())
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub fn config(&self) -> &CoreConfig {
        &self.inner.config
    }

    /// The one place that decides who may do what.
    pub fn is_owner(&self, actor: &Actor) -> bool {
        match actor.channel {
            // The terminal is the machine the owner runs the program on.
            Channel::Console => true,
            Channel::Telegram => {
                actor.id.parse::<i64>().map(|id| self.inner.config.owner_telegram_ids.contains(&id)).unwrap_or(false)
            }
            Channel::Discord => {
                actor.id.parse::<u64>().map(|id| self.inner.config.owner_discord_ids.contains(&id)).unwrap_or(false)
            }
        }
    }

    async fn lang_for(&self, actor: &Actor, key: &str) -> Lang {
        match self.inner.store.lang(key).await {
            Ok(Some(code)) => Lang::from_code(&code).unwrap_or_default(),
            Ok(None) => Lang::from_hint(actor.lang_hint.as_deref()),
            Err(e) => {
                tracing::warn!(error = %e, "could not read language preference");
                Lang::from_hint(actor.lang_hint.as_deref())
            }
        }
    }

    /// Handles one input end to end. Never fails: errors become a localized reply here. Its span
    /// is at debug level: at the default `info` a span per update costs more than it tells.
    #[tracing::instrument(level = "debug", skip_all, fields(channel = input.actor.channel.code()))]
    pub async fn handle(&self, input: Input) -> Output {
        let started = Instant::now();
        let actor_key = input.actor.key();
        let lang = self.lang_for(&input.actor, &actor_key).await;
        let from_button = matches!(input.kind, InputKind::Callback(_));
        let ctx = Ctx {
            core: self,
            tr: Tr { i18n: &self.inner.i18n, lang },
            actor: &input.actor,
            actor_key,
            from_button,
            switched_lang: std::sync::OnceLock::new(),
        };
        let result = if self.is_owner(&input.actor) {
            commands::dispatch_owner(&ctx, &input.kind).await
        } else {
            visitor::handle(&ctx, &input.kind).await
        };
        let mut output = match result {
            Ok(out) => out,
            Err(e) => self.render_error(&ctx, e),
        };
        output.lang = ctx.switched_lang.get().copied().unwrap_or(lang);
        self.inner.metrics.observe_update(started.elapsed());
        output
    }

    fn render_error(&self, ctx: &Ctx<'_>, e: CoreError) -> Output {
        match e {
            CoreError::User { key, args } => Output::one(Reply::text(format!("⚠️ {}", ctx.t_args(key, &args)))),
            CoreError::NotFound | CoreError::Storage(StorageError::NotFound) => {
                Output::one(Reply::text(ctx.t("err-not-found")))
            }
            other => {
                self.inner.metrics.error();
                let chain: Vec<String> = std::iter::successors(Some(&other as &dyn std::error::Error), |e| e.source())
                    .map(ToString::to_string)
                    .collect();
                tracing::error!(channel = ctx.channel(), error.chain = ?chain, "handler failed");
                Output::one(Reply::text(ctx.t("err-internal")))
            }
        }
    }
}

/// The facts the knowledge base is grounded in (the hours once the store has been read).
fn facts(config: &CoreConfig, hours: Option<String>) -> crate::assistant::kb::Facts {
    crate::assistant::kb::Facts {
        hours,
        client_commands: visitor::CLIENT_COMMANDS.iter().map(|c| c.to_string()).collect(),
        sms: config.notify.sms.is_some(),
    }
}

/// The assistant over the grounded knowledge base; None without one.
fn build_assistant(
    config: &CoreConfig,
    store: &Store,
    facts: &crate::assistant::kb::Facts,
    learned: Option<Arc<crate::assistant::learned::Learned>>,
) -> Option<crate::assistant::Assistant> {
    let kb = crate::assistant::kb::Kb::parse(&config.knowledge).grounded(facts);
    if kb.topics.is_empty() {
        return None;
    }
    let mut a = match &config.llm {
        Some(settings) => crate::assistant::Assistant::with_llm(kb, settings.clone(), reqwest::Client::new())
            .counting_in(store.clone()),
        None => crate::assistant::Assistant::new(kb),
    };
    if let Some(l) = learned {
        a.learned = l;
    }
    Some(a)
}
