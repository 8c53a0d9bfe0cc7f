//! Messages outside Telegram: SMS through TurboSMS and e-mail through SMTP. Both are sent only by
//! the jobs worker (an outbox row each), so a crash neither loses nor repeats them: TurboSMS gets
//! the job's key as `sequence_id` and answers a repeat with the first result; e-mails carry a
//! Message-ID derived from the key, so mail clients fold a repeat into the original. `listmonk` is
//! the newsletter manager's API the optional consent sync talks to.

pub mod email;
pub mod instagram;
pub mod instagram_inbox;
pub mod listmonk;
pub mod sms;

pub use crate::config::{EmailConfig, InstagramConfig, NotifyConfig, SmsConfig};

/// The owner's switches, stored in the `settings` table.
pub const SMS_SWITCH: &str = "reminders.sms";
pub const EMAIL_SWITCH: &str = "reminders.email";
