//! Settings: defaults in code, then `config/default.toml` (and `config/local.toml` when present),
//! then environment variables. Secrets (bot token, webhook secret) come only from the
//! environment and are redacted in every `Debug` output.
//!
//! Environment names are part of the public interface: `TELEGRAM_BOT_TOKEN`, `TELEGRAM_API_URL`,
//! `OWNER_TELEGRAM_IDS`, `DATABASE_URL`, `HTTP_ADDR`, `PUBLIC_URL`, `TELEGRAM_WEBHOOK_SECRET`,
//! `BUSINESS_TZ`, `FOLLOW_UP_DAYS`, `CALCOM_WEBHOOK_SECRET`, `CALENDAR_FEED_SECRET`, `GOOGLE_ICS_URL`, `TURBOSMS_TOKEN`, `TURBOSMS_SENDER`,
//! `TURBOSMS_API_URL`, `SMTP_URL`, `SMTP_FROM`, `INSTAGRAM_VERIFY_TOKEN`, `INSTAGRAM_APP_SECRET`,
//! `INSTAGRAM_API_URL`, `INSTAGRAM_ACCESS_TOKEN`, `LLM_API_KEY` (turns the LLM engine on), `LLM_API_URL`,
//! `LLM_MODEL`, `LLM_TIMEOUT_MS`, `LLM_RETRIES`, `LLM_DAILY_BUDGET`, `RUST_LOG` (read by the logger), `CONFIG_DIR` (where the TOML files live),
//! `BACKUP_DIR`, `BACKUP_TO_TELEGRAM` (nightly backups, `src/backup.rs`). Payments (`config/payments.rs`):
//! `MONOBANK_*`, `CHECKBOX_*`. Pushed reports (`config/pushed_reports.rs`): `REPORT_EMAIL`, `REPORTS_WEEKLY`, `REPORTS_MONTHLY`.
//! Marketing (`config/marketing.rs`): `SMTP_RATE_PER_MIN`, `UNSUBSCRIBE_SECRET`, `UNSUBSCRIBE_MAILTO`;
//! Listmonk (`config/listmonk.rs`): `LISTMONK_URL`, `LISTMONK_USER`, `LISTMONK_TOKEN`, `LISTMONK_LIST_*`.
//! Content drafts and calendar (`config/content.rs`, `content.toml`): `CONTENT_REMINDER_HOUR`.
//! Referrals and deep links (`config/referrals.rs`): `REFERRAL_DISCOUNT_UAH`, `TELEGRAM_BOT_USERNAME`.
//! HTTP limits and access (`http` below): `HTTP_HEADER_TIMEOUT_SECS`, `HTTP_REQUEST_TIMEOUT_SECS`,
//! `HTTP_MAX_CONNECTIONS`, `HTTP_SHUTDOWN_DEADLINE_SECS`, `TRUSTED_PROXIES`, `METRICS_TOKEN`.

mod content;
mod day_parts;
mod discord;
mod http;
mod listmonk;
mod marketing;
mod payments;
mod product_seed;
mod pushed_reports;
mod referrals;
mod services;
mod studio;
pub use content::{ContentSettings, ContentTopic, Season};
pub use http::HttpSettings;
pub use listmonk::ListmonkSettings;
pub use marketing::{MarketingSettings, Sequence, Step as SequenceStep, Trigger};
pub use payments::{CheckboxAuth, CheckboxConfig, MonobankConfig, PaymentsConfig};
pub use product_seed::SeedProduct;
pub use pushed_reports::ReportSettings;
pub use referrals::ReferralSettings;
pub use services::{llm_from_env, EmailConfig, InstagramConfig, LlmSettings, NotifyConfig, SmsConfig};
pub use studio::{is_https_url, StudioSettings};

use crate::domain::schedule::{DayHours, Rules, Service};
use anyhow::{bail, Context};
use chrono_tz::Tz;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use crate::secret::Secret;
pub use discord::{DiscordSettings, DEFAULT_DISCORD_API_URL};

/// The database file named by a `sqlite://` URL; `None` for an in-memory database.
pub fn db_path(url: &str) -> Option<PathBuf> {
    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(url).ok()?;
    let path = options.get_filename();
    let s = path.to_string_lossy();
    if s.is_empty() || url.contains(":memory:") || url.contains("mode=memory") || s.starts_with("file:") {
        return None;
    }
    Some(path.to_path_buf())
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub http_addr: SocketAddr,
    pub business_tz: Tz,
    /// When set, Telegram delivers updates by webhook to `<PUBLIC_URL>/webhooks/telegram`.
    pub public_url: Option<String>,
    /// The studio's review page (e.g. Google), offered to clients who score 9–10 (`REVIEW_URL`).
    pub review_url: Option<String>,
    pub telegram: TelegramSettings,
    /// The Discord front end (`DISCORD_TOKEN`, `DISCORD_OWNER_IDS`, `DISCORD_API_URL`); off without a token.
    pub discord: DiscordSettings,
    /// Days after issuing an order when the follow-up task is due (`FOLLOW_UP_DAYS`).
    pub follow_up_days: i64,
    pub booking: BookingSettings,
    /// The hours `вранці`, `в обід`, `після обіду`, `ввечері` mean in due times (`[day_parts]`).
    pub day_parts: crate::domain::when::DayParts,
    /// Verifies `POST /webhooks/calcom` (`CALCOM_WEBHOOK_SECRET`); unset, every call is refused.
    pub calcom_webhook_secret: Option<Secret>,
    /// The path secret of `/calendar/<secret>.ics` (`CALENDAR_FEED_SECRET`, 16+ characters).
    pub calendar_feed_secret: Option<Secret>,
    /// The owner's Google Calendar secret iCal address (`GOOGLE_ICS_URL`), read every 10 minutes.
    pub google_ics_url: Option<Secret>,
    /// SMS (`TURBOSMS_TOKEN`, `TURBOSMS_SENDER`, `TURBOSMS_API_URL`) and e-mail (`SMTP_URL`,
    /// `SMTP_FROM`) for reminders; each is off until configured.
    pub notify: NotifyConfig,
    /// Instagram webhooks: `INSTAGRAM_VERIFY_TOKEN` (GET handshake) and `INSTAGRAM_APP_SECRET`
    /// (signature of every POST); unset, the endpoint refuses everything.
    pub instagram_verify_token: Option<Secret>,
    pub instagram_app_secret: Option<Secret>,
    /// The knowledge base the assistant answers from: `<CONFIG_DIR>/knowledge.md` when present.
    pub knowledge: String,
    /// The LLM engine, when `LLM_API_KEY` is set (the offline engine otherwise, and as fallback).
    pub llm: Option<LlmSettings>,
    /// HTTP server limits, trusted proxies and the metrics token.
    pub http: HttpSettings,
    /// Nightly backups (`BACKUP_DIR`, `BACKUP_TO_TELEGRAM`).
    pub backup: BackupSettings,
    /// The product catalogue's seed (`[[products]]`, issue 12).
    pub products: Vec<SeedProduct>,
    /// Monobank payment links and the Checkbox cash register (issue 14); each off until set.
    pub payments: PaymentsConfig,
    /// The weekly and monthly reports (`[reports]`, `REPORT_EMAIL`, `REPORTS_WEEKLY`, `REPORTS_MONTHLY`).
    pub reports: ReportSettings,
    /// E-mail sequences and campaigns (`config/marketing.rs`, `sequences.toml`, `SMTP_RATE_PER_MIN`).
    pub marketing: MarketingSettings,
    /// The Listmonk sync of consenting clients, when `LISTMONK_URL`/`_USER`/`_TOKEN` are set.
    pub listmonk: Option<ListmonkSettings>,
    /// Referral discount and the bot's username for deep links (`config/referrals.rs`).
    pub referrals: ReferralSettings,
    /// Instagram drafts and the content calendar (`config/content.rs`, `content.toml`).
    pub content: ContentSettings,
}

/// Where the nightly backup goes and whether the owner gets it in Telegram too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSettings {
    /// `BACKUP_DIR`; unset, `backups` beside the database file (`data/backups` for the default
    /// `data/insoles.db`). See [`BackupSettings::folder`].
    pub dir: Option<PathBuf>,
    /// `BACKUP_TO_TELEGRAM=1`: each owner receives the file as a document.
    pub to_telegram: bool,
    /// How many nightly files are kept (the newest).
    pub keep: usize,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings { dir: None, to_telegram: false, keep: 14 }
    }
}

impl BackupSettings {
    /// The folder for the database at `database_url`: `BACKUP_DIR`, or `backups` beside it.
    pub fn folder(&self, database_url: &str) -> PathBuf {
        if let Some(dir) = &self.dir {
            return dir.clone();
        }
        db_path(database_url)
            .and_then(|p| p.parent().map(|d| d.join("backups")))
            .unwrap_or_else(|| PathBuf::from("data/backups"))
    }

    /// With the folder fixed for `database_url` (what the core and its jobs use).
    pub fn resolved(&self, database_url: &str) -> Self {
        BackupSettings { dir: Some(self.folder(database_url)), ..self.clone() }
    }
}

/// Working week, services and booking rules (`[booking]` in the settings file).
#[derive(Debug, Clone)]
pub struct BookingSettings {
    pub weekly: [Option<DayHours>; 7],
    pub services: Vec<Service>,
    pub rules: Rules,
    /// Clients may cancel or move a visit up to this long before it.
    pub cancel_cutoff: chrono::Duration,
    /// Reminders before a visit, e.g. 24 h and 2 h.
    pub reminders: Vec<chrono::Duration>,
    /// How long after a no-show the client is offered new times.
    pub no_show_delay: chrono::Duration,
    /// Whose studio it is (`[studio]`) and its prices, shown at the top of the booking page.
    pub studio: StudioSettings,
}

impl Default for BookingSettings {
    fn default() -> Self {
        let day = |s: &str| DayHours::parse(s).ok();
        let weekday = day("10:00-18:00");
        BookingSettings {
            weekly: [weekday, weekday, weekday, weekday, weekday, day("10:00-14:00"), None],
            services: vec![
                Service {
                    code: "diagnostics".into(),
                    duration: chrono::Duration::minutes(40),
                    buffer: chrono::Duration::minutes(10),
                },
                Service {
                    code: "fitting".into(),
                    duration: chrono::Duration::minutes(20),
                    buffer: chrono::Duration::zero(),
                },
            ],
            rules: Rules {
                step: chrono::Duration::minutes(30),
                min_notice: chrono::Duration::hours(2),
                horizon: chrono::Duration::days(30),
            },
            cancel_cutoff: chrono::Duration::hours(24),
            reminders: vec![chrono::Duration::hours(24), chrono::Duration::hours(2)],
            no_show_delay: chrono::Duration::hours(2),
            studio: StudioSettings::default(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBooking {
    hours: Option<std::collections::BTreeMap<String, String>>,
    services: Option<Vec<FileService>>,
    step_minutes: Option<i64>,
    min_notice_minutes: Option<i64>,
    horizon_days: Option<i64>,
    cancel_cutoff_hours: Option<i64>,
    reminder_offsets_minutes: Option<Vec<i64>>,
    no_show_delay_minutes: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileService {
    code: String,
    duration_minutes: i64,
    buffer_minutes: i64,
    price: Option<toml::Value>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn apply_booking(b: &mut BookingSettings, f: FileBooking, src: &str) -> anyhow::Result<()> {
    let minutes = |v: i64, what: &str, range: std::ops::RangeInclusive<i64>| -> anyhow::Result<chrono::Duration> {
        if !range.contains(&v) {
            bail!("{src}: booking.{what} = {v} is outside {range:?}");
        }
        Ok(chrono::Duration::minutes(v))
    };
    if let Some(hours) = f.hours {
        b.weekly = [None; 7];
        for (day, value) in hours {
            let i = WEEKDAYS
                .iter()
                .position(|d| *d == day.to_lowercase())
                .with_context(|| format!("{src}: booking.hours: `{day}` is not mon..sun"))?;
            if !matches!(value.trim(), "" | "closed" | "off") {
                b.weekly[i] =
                    Some(DayHours::parse(&value).map_err(|_| {
                        anyhow::anyhow!("{src}: booking.hours.{day}: `{value}` is not like 10:00-18:00")
                    })?);
            }
        }
    }
    if let Some(services) = f.services {
        anyhow::ensure!(!services.is_empty(), "{src}: booking.services is empty");
        b.studio.prices.clear();
        b.services = services
            .into_iter()
            .map(|s| {
                if let Some(price) = &s.price {
                    b.studio.prices.insert(s.code.clone(), studio::price(price, &s.code, src)?);
                }
                anyhow::ensure!(
                    s.code.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !s.code.is_empty(),
                    "{src}: service code `{}`: a-z and _ only",
                    s.code
                );
                Ok(Service {
                    code: s.code,
                    duration: minutes(s.duration_minutes, "duration_minutes", 10..=480)?,
                    buffer: minutes(s.buffer_minutes, "buffer_minutes", 0..=120)?,
                })
            })
            .collect::<anyhow::Result<_>>()?;
    }
    if let Some(v) = f.step_minutes {
        b.rules.step = minutes(v, "step_minutes", 10..=240)?;
    }
    if let Some(v) = f.min_notice_minutes {
        b.rules.min_notice = minutes(v, "min_notice_minutes", 0..=10080)?;
    }
    if let Some(v) = f.horizon_days {
        b.rules.horizon = minutes(v * 1440, "horizon_days", 1440..=365 * 1440)?;
    }
    if let Some(v) = f.cancel_cutoff_hours {
        b.cancel_cutoff = minutes(v * 60, "cancel_cutoff_hours", 0..=14 * 1440)?;
    }
    if let Some(v) = f.reminder_offsets_minutes {
        b.reminders = v
            .into_iter()
            .map(|m| minutes(m, "reminder_offsets_minutes", 10..=14 * 1440))
            .collect::<anyhow::Result<_>>()?;
    }
    if let Some(v) = f.no_show_delay_minutes {
        b.no_show_delay = minutes(v, "no_show_delay_minutes", 0..=7 * 1440)?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct TelegramSettings {
    pub bot_token: Option<Secret>,
    pub api_url: String,
    pub owner_ids: Vec<i64>,
    pub webhook_secret: Option<Secret>,
}

pub const DEFAULT_TELEGRAM_API_URL: &str = "https://api.telegram.org";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/insoles.db".into(),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            business_tz: chrono_tz::Europe::Kyiv,
            public_url: None,
            review_url: None,
            follow_up_days: 14,
            booking: BookingSettings::default(),
            day_parts: Default::default(),
            calcom_webhook_secret: None,
            calendar_feed_secret: None,
            google_ics_url: None,
            notify: Default::default(),
            instagram_verify_token: None,
            instagram_app_secret: None,
            knowledge: String::new(),
            llm: None,
            backup: BackupSettings::default(),
            http: HttpSettings::default(),
            products: product_seed::default_products(),
            payments: PaymentsConfig::default(),
            referrals: ReferralSettings::default(),
            content: ContentSettings::default(),
            reports: ReportSettings::default(),
            marketing: MarketingSettings::default(),
            listmonk: None,
            discord: DiscordSettings::default(),
            telegram: TelegramSettings {
                bot_token: None,
                api_url: DEFAULT_TELEGRAM_API_URL.into(),
                owner_ids: vec![],
                webhook_secret: None,
            },
        }
    }
}

/// The keys a TOML file may set. Secrets are deliberately absent: a token in a file is refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    http_addr: Option<String>,
    business_tz: Option<String>,
    public_url: Option<String>,
    review_url: Option<String>,
    telegram_api_url: Option<String>,
    owner_telegram_ids: Option<Vec<i64>>,
    follow_up_days: Option<i64>,
    booking: Option<FileBooking>,
    day_parts: Option<day_parts::FileDayParts>,
    http: Option<http::FileHttp>,
    products: Option<Vec<product_seed::FileProduct>>,
    studio: Option<studio::FileStudio>,
    reports: Option<pushed_reports::FileReports>,
    listmonk: Option<listmonk::FileListmonk>,
}

fn parse_owner_ids(raw: &str) -> anyhow::Result<Vec<i64>> {
    raw.split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<i64>().with_context(|| format!("OWNER_TELEGRAM_IDS: `{s}` is not a Telegram user id"))
        })
        .collect()
}

fn parse_tz(raw: &str, source: &str) -> anyhow::Result<Tz> {
    raw.trim()
        .parse::<Tz>()
        .map_err(|_| anyhow::anyhow!("{source}: unknown time zone `{raw}` (expected e.g. Europe/Kyiv)"))
}

fn parse_addr(raw: &str, source: &str) -> anyhow::Result<SocketAddr> {
    raw.trim().parse().with_context(|| format!("{source}: `{raw}` is not an address like 127.0.0.1:8080"))
}

fn check_url(raw: &str, source: &str) -> anyhow::Result<String> {
    let url = raw.trim().trim_end_matches('/').to_string();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("{source}: `{raw}` must start with http:// or https://");
    }
    Ok(url)
}

impl Settings {
    /// Loads from the process environment and `$CONFIG_DIR` (default `config`).
    pub fn load() -> anyhow::Result<Self> {
        let dir = std::env::var("CONFIG_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("config"));
        Self::load_from(&dir, |k| std::env::var(k).ok())
    }

    /// Layered load with an injected environment, so tests do not touch the process's.
    pub fn load_from(dir: &Path, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut s = Settings::default();
        let mut listmonk_file = (None, String::new());
        for name in ["default.toml", "local.toml"] {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let file: FileSettings = toml::from_str(&text).with_context(|| {
                format!(
                    "{}: invalid settings (secrets such as the bot token belong in environment variables)",
                    path.display()
                )
            })?;
            let src = path.display().to_string();
            if let Some(v) = file.database_url {
                s.database_url = v;
            }
            if let Some(v) = file.http_addr {
                s.http_addr = parse_addr(&v, &src)?;
            }
            if let Some(v) = file.business_tz {
                s.business_tz = parse_tz(&v, &src)?;
            }
            if let Some(v) = file.public_url.filter(|v| !v.trim().is_empty()) {
                s.public_url = Some(check_url(&v, &src)?);
            }
            if let Some(v) = file.review_url.filter(|v| !v.trim().is_empty()) {
                s.review_url = Some(check_url(&v, &src)?);
            }
            if let Some(v) = file.telegram_api_url {
                s.telegram.api_url = check_url(&v, &src)?;
            }
            if let Some(v) = file.owner_telegram_ids {
                s.telegram.owner_ids = v;
            }
            if let Some(v) = file.follow_up_days {
                s.follow_up_days = v;
            }
            if let Some(b) = file.booking {
                apply_booking(&mut s.booking, b, &src)?;
            }
            if let Some(p) = file.day_parts {
                day_parts::apply(&mut s.day_parts, p, &src)?;
            }
            if let Some(h) = file.http {
                s.http.apply_file(h, &src)?;
            }
            if let Some(p) = file.products {
                s.products = product_seed::parse(p, &src)?;
            }
            if let Some(f) = file.studio {
                s.booking.studio.apply_file(f, &src)?;
            }
            if let Some(f) = file.reports {
                s.reports.apply_file(f, &src)?;
            }
            if let Some(f) = file.listmonk {
                listmonk_file = (Some(f), src.clone());
            }
        }
        let kb = dir.join("knowledge.md");
        if kb.exists() {
            s.knowledge = std::fs::read_to_string(&kb).with_context(|| format!("reading {}", kb.display()))?;
        }
        let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("DATABASE_URL") {
            s.database_url = v;
        }
        if let Some(v) = get("HTTP_ADDR") {
            s.http_addr = parse_addr(&v, "HTTP_ADDR")?;
        }
        if let Some(v) = get("BUSINESS_TZ") {
            s.business_tz = parse_tz(&v, "BUSINESS_TZ")?;
        }
        if let Some(v) = get("PUBLIC_URL") {
            s.public_url = Some(check_url(&v, "PUBLIC_URL")?);
        }
        if let Some(v) = get("REVIEW_URL") {
            s.review_url = Some(check_url(&v, "REVIEW_URL")?);
        }
        if let Some(v) = get("TELEGRAM_API_URL") {
            s.telegram.api_url = check_url(&v, "TELEGRAM_API_URL")?;
        }
        if let Some(v) = get("OWNER_TELEGRAM_IDS") {
            s.telegram.owner_ids = parse_owner_ids(&v)?;
        }
        if let Some(v) = get("FOLLOW_UP_DAYS") {
            s.follow_up_days =
                v.trim().parse().with_context(|| format!("FOLLOW_UP_DAYS: `{v}` is not a number of days"))?;
        }
        if !(1..=365).contains(&s.follow_up_days) {
            bail!("FOLLOW_UP_DAYS: {} is outside 1..=365", s.follow_up_days);
        }
        s.calcom_webhook_secret = get("CALCOM_WEBHOOK_SECRET").map(|v| Secret::new(v.trim()));
        s.calendar_feed_secret = get("CALENDAR_FEED_SECRET").map(|v| Secret::new(v.trim()));
        s.notify = services::notify_from_env(get)?;
        s.reports.apply_env(get)?;
        s.marketing = marketing::load(dir, get)?;
        s.listmonk = listmonk::load(listmonk_file.0, &listmonk_file.1, get)?;
        s.content = content::load(dir, get)?;
        s.instagram_verify_token = get("INSTAGRAM_VERIFY_TOKEN").map(|v| Secret::new(v.trim()));
        s.instagram_app_secret = get("INSTAGRAM_APP_SECRET").map(|v| Secret::new(v.trim()));
        s.llm = llm_from_env(&env)?;
        s.payments = payments::from_env(get)?;
        s.referrals.apply_env(get)?;
        s.discord = discord::from_env(get)?;
        s.http.apply_env(get)?;
        if let Some(v) = get("GOOGLE_ICS_URL") {
            s.google_ics_url = Some(Secret::new(check_url(&v, "GOOGLE_ICS_URL")?));
        }
        if let Some(secret) = &s.calendar_feed_secret {
            let ok = secret.expose().len() >= 16
                && secret.expose().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                bail!("CALENDAR_FEED_SECRET: at least 16 characters of A-Z, a-z, 0-9, _ and - (it is the feed's password)");
            }
        }
        if let Some(v) = get("BACKUP_DIR") {
            s.backup.dir = Some(PathBuf::from(v.trim()));
        }
        if let Some(v) = get("BACKUP_TO_TELEGRAM") {
            s.backup.to_telegram = match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => bail!("BACKUP_TO_TELEGRAM: `{v}` is not 1 or 0"),
            };
        }
        s.telegram.bot_token = get("TELEGRAM_BOT_TOKEN").map(|v| Secret::new(v.trim()));
        s.telegram.webhook_secret = get("TELEGRAM_WEBHOOK_SECRET").map(|v| Secret::new(v.trim()));
        if let Some(secret) = &s.telegram.webhook_secret {
            let ok = (1..=256).contains(&secret.expose().len())
                && secret.expose().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                bail!("TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)");
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
#[path = "config/loading_tests.rs"]
mod tests;
