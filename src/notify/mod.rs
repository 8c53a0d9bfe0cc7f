//! Messages outside Telegram: SMS through TurboSMS and e-mail through SMTP. Both are sent only by
//! the jobs worker (an outbox row each), so a crash neither loses nor repeats them: TurboSMS gets
//! the job's key as `sequence_id` and answers a repeat with the first result; e-mails carry a
//! Message-ID derived from the key, so mail clients fold a repeat into the original.

pub mod email;
pub mod instagram;
pub mod sms;

use crate::config::Secret;

#[derive(Debug, Clone)]
pub struct SmsConfig {
    pub token: Secret,
    pub sender: String,
    pub api_url: String,
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub url: Secret,
    pub from: String,
}

/// The Graph API for Instagram Direct (`INSTAGRAM_API_URL`, `INSTAGRAM_ACCESS_TOKEN`).
#[derive(Debug, Clone)]
pub struct InstagramConfig {
    pub api_url: String,
    pub token: Secret,
}

#[derive(Debug, Clone, Default)]
pub struct NotifyConfig {
    pub sms: Option<SmsConfig>,
    pub email: Option<EmailConfig>,
    pub instagram: Option<InstagramConfig>,
}

/// The owner's switches, stored in the `settings` table.
pub const SMS_SWITCH: &str = "reminders.sms";
pub const EMAIL_SWITCH: &str = "reminders.email";
