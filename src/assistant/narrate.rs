//! A short narrative over facts we computed (the owner's recommendations, issue 15), from the
//! same OpenAI-compatible endpoint the assistant uses (rig-core over our reqwest, the same daily
//! budget, timeout and key). The text is checked before the owner sees it: plain, at most
//! [`MAX_CHARS`], and every number in it must be one of the facts' numbers (nothing invented).
//! Any failure means no narrative: the recommendations stand on their own. [`complete`] is the
//! one call, shared with the Instagram drafts (`core::content::draft`).

use super::llm::LlmSettings;
use rig_core::completion::CompletionRequest;

pub const PROMPT: &str = include_str!("../../prompts/advice.md");
pub const MAX_CHARS: usize = 600;

/// The model's two or three sentences on `facts`, or `None` (budget spent, error, a number that
/// is not in the facts, too long).
pub async fn narrate(settings: &LlmSettings, store: &crate::store::Store, facts: &str) -> Option<String> {
    match complete(settings, store, PROMPT, facts, 0.2).await {
        Ok(text) => checked(&text, facts),
        Err(e) => {
            tracing::warn!(error = %e, "advice narrative: no answer");
            None
        }
    }
}

/// One call: `preamble` as the system message, `message` as the user's; the answer's text, or
/// why there is none (`budget`, `timeout`, the provider's error). Counts against the day's budget.
pub async fn complete(
    settings: &LlmSettings,
    store: &crate::store::Store,
    preamble: &str,
    message: &str,
    temperature: f64,
) -> Result<String, String> {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    if !store.take_llm_call(&day, settings.daily_budget as i64).await.unwrap_or(false) {
        return Err("budget".into());
    }
    let config = rig_core::providers::openai::OpenAIConfig::new(settings.api_key.expose().to_string())
        .with_base_url(settings.api_url.trim_end_matches('/'));
    let model = config.connect(super::transport::Transport(reqwest::Client::new())).chat(settings.model.clone());
    let request = CompletionRequest::new(message.to_string()).preamble(preamble.to_string()).temperature(temperature);
    match tokio::time::timeout(settings.timeout, model.call(request)).await {
        Ok(Ok(r)) => Ok(r.text().trim().to_string()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timeout".into()),
    }
}

/// The narrative when it is short, non-empty and uses only the facts' numbers.
pub fn checked(text: &str, facts: &str) -> Option<String> {
    let known = numbers(facts);
    if text.is_empty() || text.chars().count() > MAX_CHARS || !numbers(text).iter().all(|n| known.contains(n)) {
        tracing::warn!("advice narrative refused: empty, too long or a number not in the facts");
        return None;
    }
    Some(text.to_string())
}

fn numbers(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::checked;

    #[test]
    fn only_the_facts_numbers_pass() {
        let facts = "5 клієнток купили устілки 11–12 місяців тому";
        assert!(checked("Нагадайте 5 клієнткам про заміну.", facts).is_some());
        assert!(checked("Нагадайте 7 клієнткам.", facts).is_none());
        assert!(checked("", facts).is_none());
        assert!(checked(&"а".repeat(700), facts).is_none());
    }
}
