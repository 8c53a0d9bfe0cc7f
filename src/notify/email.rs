//! E-mail through SMTP (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com` or, for a local
//! relay, `smtp://127.0.0.1:2525`), with lettre: plain reminders ([`send`]) and the pushed reports
//! ([`send_report`]: `multipart/alternative` of a plain-text part and a `multipart/related` HTML
//! part whose charts are inline `image/png` parts referenced by `cid:`), and marketing e-mail
//! ([`send_marketing`]: plain and HTML parts with `List-Unsubscribe` and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, RFC 8058). Every message's
//! Message-ID is derived from its job's key, so a repeat folds into the first in mail clients.

use super::EmailConfig;
use crate::work::{retry, Outcome};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An image shown inline in an HTML e-mail: `<img src="cid:{cid}">`.
#[derive(Debug, Clone)]
pub struct InlinePng {
    pub cid: String,
    pub png: Vec<u8>,
}

/// `<key@insoles-crm>` with the key's characters outside `[A-Za-z0-9.-]` as dots.
pub fn message_id(key: &str) -> String {
    format!("<{}@insoles-crm>", key.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-', "."))
}

fn builder(
    cfg: &EmailConfig,
    to: &str,
    subject: &str,
    message_id: &str,
) -> anyhow::Result<lettre::message::MessageBuilder> {
    Ok(Message::builder().from(cfg.from.parse()?).to(to.parse()?).subject(subject).message_id(Some(message_id.into())))
}

pub async fn send(cfg: &EmailConfig, to: &str, subject: &str, body: &str, key: &str, attempt: i64) -> Outcome {
    let id = message_id(key);
    let message =
        builder(cfg, to, subject, &id).and_then(|b| Ok(b.header(ContentType::TEXT_PLAIN).body(body.to_string())?));
    deliver(cfg, message, &id, attempt).await
}

/// A report: `text` for plain readers, `html` with `images` inline.
#[allow(clippy::too_many_arguments)]
pub async fn send_report(
    cfg: &EmailConfig,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
    images: Vec<InlinePng>,
    key: &str,
    attempt: i64,
) -> Outcome {
    let id = message_id(key);
    let message = builder(cfg, to, subject, &id).and_then(|b| {
        let png = ContentType::parse("image/png")?;
        let related = images
            .into_iter()
            .fold(MultiPart::related().singlepart(SinglePart::html(html.to_string())), |related, image| {
                related.singlepart(Attachment::new_inline(image.cid).body(image.png, png.clone()))
            });
        Ok(b.multipart(MultiPart::alternative().singlepart(SinglePart::plain(text.to_string())).multipart(related))?)
    });
    deliver(cfg, message, &id, attempt).await
}

/// Where a marketing e-mail can be unsubscribed from: the one-click https link, and an address.
#[derive(Debug, Clone)]
pub struct Unsubscribe {
    pub url: String,
    pub mailto: Option<String>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `List-Unsubscribe: <https://...>, <mailto:...>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, BoxError> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, BoxError> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// A campaign's or a sequence's e-mail: `text` and `html` as alternatives, with the unsubscribe
/// headers (the link must be https for mail providers to offer their button).
#[allow(clippy::too_many_arguments)]
pub async fn send_marketing(
    cfg: &EmailConfig,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
    unsubscribe: &Unsubscribe,
    key: &str,
    attempt: i64,
) -> Outcome {
    let id = message_id(key);
    let mut list = format!("<{}>", unsubscribe.url);
    if let Some(mailto) = &unsubscribe.mailto {
        list.push_str(&format!(", <mailto:{mailto}?subject=unsubscribe>"));
    }
    let message = builder(cfg, to, subject, &id).and_then(|b| {
        Ok(b.header(ListUnsubscribe(list))
            .header(ListUnsubscribePost)
            .multipart(MultiPart::alternative_plain_html(text.to_string(), html.to_string()))?)
    });
    deliver(cfg, message, &id, attempt).await
}

async fn deliver(cfg: &EmailConfig, message: anyhow::Result<Message>, message_id: &str, attempt: i64) -> Outcome {
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
