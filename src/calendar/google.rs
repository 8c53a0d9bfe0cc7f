//! Reading the owner's Google Calendar (`GOOGLE_ICS_URL`) into busy time, every ten minutes.
//! A failed download retries; a file with unreadable events still imports the readable ones.

use crate::core::Core;
use crate::store::jobs::Job;
use crate::work::{backoff, retry, Outcome};
use std::time::Duration;

/// Largest calendar file read.
const MAX_BYTES: usize = 8 * 1024 * 1024;

pub async fn refresh(core: &Core, job: &Job) -> Outcome {
    let Some(url) = core.config().google_ics_url.clone() else { return Outcome::done("GOOGLE_ICS_URL not set") };
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(20)).build() {
        Ok(c) => c,
        Err(e) => return Outcome::Fail { error: e.to_string() },
    };
    let fetched = async {
        let response = client.get(url.expose()).send().await?.error_for_status()?;
        if response.content_length().is_some_and(|l| l as usize > MAX_BYTES) {
            anyhow::bail!("calendar file larger than {MAX_BYTES} bytes");
        }
        let bytes = response.bytes().await?;
        anyhow::ensure!(bytes.len() <= MAX_BYTES, "calendar file larger than {MAX_BYTES} bytes");
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    // The URL carries a private token: errors are logged without it.
    let text = match fetched.await {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Retry {
                after: backoff(job.attempts).min(Duration::from_secs(600)),
                error: format!("calendar download failed: {}", e.to_string().replace(url.expose(), "<GOOGLE_ICS_URL>")),
            }
        }
    };
    if !text.contains("BEGIN:VCALENDAR") {
        return Outcome::Retry {
            after: backoff(job.attempts),
            error: "the calendar address did not return a calendar".into(),
        };
    }
    let now = crate::store::now();
    let import = crate::calendar::busy::busy(
        &text,
        core.config().tz,
        now - chrono::Duration::days(1),
        now + chrono::Duration::days(120),
    );
    if import.skipped > 0 {
        tracing::warn!(skipped = import.skipped, "calendar: some events could not be read and were skipped");
    }
    match core.store().replace_busy_events("google", &import.busy).await {
        Ok(()) => Outcome::done(format!("{} busy intervals, {} events skipped", import.busy.len(), import.skipped)),
        Err(e) => retry(job.attempts, e.to_string()),
    }
}
