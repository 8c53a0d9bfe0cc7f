//! E-mail through SMTP (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com` or, for a local
//! relay, `smtp://127.0.0.1:2525`), with lettre.

use super::EmailConfig;
use crate::work::{retry, Outcome};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub async fn send(cfg: &EmailConfig, to: &str, subject: &str, body: &str, key: &str, attempt: i64) -> Outcome {
    let message_id =
        format!("<{}@insoles-crm>", key.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-', "."));
    let message = (|| -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(cfg.from.parse()?)
            .to(to.parse()?)
            .subject(subject)
            .message_id(Some(message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?)
    })();
    let message = match message {
        Ok(m) => m,
        Err(e) => return Outcome::Fail { error: format!("email: {e}") },
    };
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(cfg.url.expose()) {
        Ok(t) => t.timeout(Some(std::time::Duration::from_secs(20))).build(),
        Err(e) => return Outcome::Fail { error: format!("SMTP_URL: {e}") },
    };
    match transport.send(message).await {
        Ok(r) => Outcome::done(format!("{{\"smtp\":{},\"message_id\":\"{message_id}\"}}", r.code())),
        Err(e) if e.is_permanent() => Outcome::Fail { error: format!("email: {e}") },
        Err(e) => retry(attempt, format!("email: {e}")),
    }
}
