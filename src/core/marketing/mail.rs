//! One marketing e-mail: composed (a plain and an HTML part, a footer with the unsubscribe link)
//! and sent through SMTP by its job. Whether she may still get it is checked when the job runs,
//! not only when it was enqueued: an unsubscribe between the two sends nothing.

use super::unsubscribe;
use crate::core::Core;
use crate::i18n::{Lang, Tr};
use crate::notify::email::{send_marketing, Unsubscribe};
use crate::store::jobs::Job;
use crate::store::marketing::Mailable;
use crate::work::{retry, Outcome};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `{name}` in a campaign's subject or text becomes her name.
pub fn fill(template: &str, to: &Mailable) -> String {
    template.replace("{name}", &to.full_name)
}

/// The plain and HTML bodies: the text, then the footer with the link.
pub fn bodies(tr: &Tr<'_>, text: &str, url: &str) -> (String, String) {
    let footer = tr.t("mail-footer");
    let plain = format!("{text}\n\n--\n{footer}\n{}: {url}\n", tr.t("mail-unsubscribe"));
    let paragraphs: String =
        text.split("\n\n").map(|p| format!("<p>{}</p>", esc(p.trim()).replace('\n', "<br>"))).collect();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;max-width:36rem\">{paragraphs}<hr>\
         <p style=\"color:#666;font-size:small\">{}<br><a href=\"{}\">{}</a></p></body></html>",
        esc(&footer),
        esc(url),
        esc(&tr.t("mail-unsubscribe")),
    );
    (plain, html)
}

/// The language her e-mail is written in: her Telegram chat's, else Ukrainian (the studio's).
pub async fn lang(core: &Core, to: &Mailable) -> Lang {
    match to.telegram_id {
        Some(chat) => crate::core::booking::lang_of(core, &format!("telegram:{chat}")).await,
        None => Lang::Uk,
    }
}

/// Sends `subject` and `text` to `to` with her unsubscribe link; the job's key makes the
/// Message-ID, so a repeat after a crash folds into the first in her mail client.
pub async fn send(core: &Core, job: &Job, to: &Mailable, subject: &str, text: &str) -> Outcome {
    let Some(cfg) = &core.config().notify.email else { return Outcome::Fail { error: "SMTP_URL is not set".into() } };
    let url = match unsubscribe::url(core, to.id).await {
        Ok(Some(u)) => u,
        Ok(None) => return Outcome::Fail { error: "PUBLIC_URL is not set: no unsubscribe link, no mail".into() },
        Err(e) => return retry(job.attempts, format!("unsubscribe link: {e:#}")),
    };
    let tr = Tr { i18n: core.i18n(), lang: lang(core, to).await };
    let (plain, html) = bodies(&tr, text, &url);
    let unsubscribe = Unsubscribe { url, mailto: core.config().marketing.unsubscribe_mailto.clone() };
    send_marketing(cfg, &to.email, subject, &plain, &html, &unsubscribe, &job.idempotency_key, job.attempts).await
}

/// The job of one campaign's e-mail to one client.
pub async fn campaign(core: &Core, job: &Job, campaign: i64, client: i64) -> Outcome {
    let store = core.store();
    let to = match store.mailable(client).await {
        Ok(Some(to)) => to,
        Ok(None) => return Outcome::done("skipped: no consent or no address"),
        Err(e) => return retry(job.attempts, e),
    };
    let c = match store.campaign(campaign).await {
        Ok(Some(c)) => c,
        Ok(None) => return Outcome::done("skipped: no such campaign"),
        Err(e) => return retry(job.attempts, e),
    };
    send(core, job, &to, &fill(&c.subject, &to), &fill(&c.body, &to)).await
}
