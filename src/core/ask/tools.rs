//! The owner's sentence through the LLM's tool calling (rig-core, any OpenAI-compatible endpoint:
//! the same `LLM_*` settings, HTTP transport and daily budget as the client assistant). One tool
//! per [`Action`], its JSON schema the action's arguments; the prompt (`prompts/ask.md`) carries
//! "now" so the model resolves relative days. The model's call is read back through
//! `Action::from_json`: an unknown tool or a bad argument is "did not understand", never a guess,
//! and a write still goes through the confirmation card. A failure (HTTP, timeout, budget) is an
//! `Err`, and the caller falls back to the offline grammar.

use super::action::{Action, NAMES};
use crate::config::LlmSettings;
use rig_core::completion::{CompletionRequest, ToolDefinition};
use serde_json::{json, Value};
use std::sync::OnceLock;

pub const PROMPT: &str = include_str!("../../../prompts/ask.md");

fn http() -> reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new).clone()
}

fn props(fields: &[(&str, Value)], required: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    for (k, v) in fields {
        p.insert(k.to_string(), v.clone());
    }
    json!({"type": "object", "properties": p, "required": required, "additionalProperties": false})
}

/// One tool per action: (description, JSON schema of its arguments).
pub fn tool(name: &str) -> (&'static str, Value) {
    let period = json!({"type": "string", "description": "YYYY-MM-DD..YYYY-MM-DD"});
    let date = json!({"type": "string", "description": "YYYY-MM-DD"});
    let time = json!({"type": "string", "description": "HH:MM, 24 h"});
    let text = json!({"type": "string"});
    let int = json!({"type": "integer", "minimum": 1});
    let amount = json!({"type": "number", "exclusiveMinimum": 0, "description": "hryvnias"});
    match name {
        "visits" => ("Who is booked for visits in a period", props(&[("period", period)], &["period"])),
        "no_shows" => ("Who did not come to their visit in a period", props(&[("period", period)], &["period"])),
        "revenue" => ("Money earned (income) in a period", props(&[("period", period)], &["period"])),
        "expenses" => ("Money spent in a period", props(&[("period", period)], &["period"])),
        "report" => (
            "A broader report on how the business is doing",
            props(
                &[
                    (
                        "kind",
                        json!({"type": "string", "enum": ["sales", "marketing", "customers", "finance", "operations", "ai"]}),
                    ),
                    ("period", period),
                ],
                &["kind", "period"],
            ),
        ),
        "find_client" => ("Show a client's card, phone or history", props(&[("client", text)], &["client"])),
        "orders" => (
            "List orders: open, ready (made, waiting to be picked up) or unpaid",
            props(&[("status", json!({"type": "string", "enum": ["open", "ready", "unpaid"]}))], &["status"]),
        ),
        "order" => ("Open order number N", props(&[("number", int)], &["number"])),
        "tasks" => ("Her open and overdue tasks", props(&[], &[])),
        "summary" => ("The day's summary", props(&[], &[])),
        "advice" => ("What she should do now (recommendations)", props(&[], &[])),
        "book" => (
            "Book a client for a diagnostics visit",
            props(
                &[("client", text.clone()), ("date", date.clone()), ("time", time.clone())],
                &["client", "date", "time"],
            ),
        ),
        "cancel_visit" => {
            ("Cancel a client's visit", props(&[("client", text.clone()), ("date", date.clone())], &["client"]))
        }
        "task" => (
            "A reminder or task for herself",
            props(&[("text", text.clone()), ("date", date.clone()), ("time", time)], &["text"]),
        ),
        "new_client" => (
            "Add a client",
            props(
                &[("name", text.clone()), ("phone", json!({"type": "string", "description": "+380XXXXXXXXX"}))],
                &["name", "phone"],
            ),
        ),
        "expense" => (
            "Record money spent",
            props(&[("amount", amount.clone()), ("category", text), ("date", date.clone())], &["amount", "category"]),
        ),
        "income" => (
            "Record a payment for order N",
            props(
                &[
                    ("order", int.clone()),
                    ("amount", amount.clone()),
                    ("method", json!({"type": "string", "enum": ["cash", "terminal", "monobank"]})),
                ],
                &["order", "amount", "method"],
            ),
        ),
        "order_ready" => ("Mark order N as made, ready to pick up", props(&[("number", int.clone())], &["number"])),
        "dayoff" => ("A day off", props(&[("date", date)], &["date"])),
        "goal" => {
            ("The monthly target: a number of orders or an amount", props(&[("orders", int), ("amount", amount)], &[]))
        }
        _ => ("Anything else: small talk, questions outside the CRM, things it cannot do", props(&[], &[])),
    }
}

pub fn tools() -> Vec<ToolDefinition> {
    NAMES
        .iter()
        .filter_map(|n| {
            let (description, parameters) = tool(n);
            Some(ToolDefinition::new(rig_core::completion::message::ToolName::new(*n).ok()?, description, parameters))
        })
        .collect()
}

/// The system prompt for `now` (the owner's wall clock).
pub fn prompt(now: chrono::NaiveDateTime) -> String {
    PROMPT
        .replace("{{now}}", &now.format("%Y-%m-%d %H:%M").to_string())
        .replace("{{weekday}}", &now.format("%A").to_string())
}

/// The model's reading of `text`; `Err` when the model could not be asked (the grammar answers then).
pub async fn understand(
    store: &crate::store::Store,
    settings: &LlmSettings,
    text: &str,
    now: chrono::NaiveDateTime,
) -> Result<Action, String> {
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    if !store.take_llm_call(&day, settings.daily_budget as i64).await.map_err(|e| e.to_string())? {
        return Err("daily budget spent".into());
    }
    let config = rig_core::providers::openai::OpenAIConfig::new(settings.api_key.expose().to_string())
        .with_base_url(settings.api_url.trim_end_matches('/'));
    let model = config.connect(crate::assistant::transport::Transport(http())).chat(settings.model.clone());
    let request = CompletionRequest::new(text.to_string()).preamble(prompt(now)).tools(tools()).temperature(0.0);
    let response = match tokio::time::timeout(settings.timeout, model.call(request)).await {
        Err(_) => return Err(format!("timed out after {:?}", settings.timeout)),
        Ok(Err(e)) => return Err(format!("provider error: {e}")),
        Ok(Ok(r)) => r,
    };
    let Some(call) = response.tool_calls().next() else { return Ok(Action::Unknown) };
    let name: &str = &call.function.name;
    Ok(Action::from_json(name, &call.function.arguments).unwrap_or(Action::Unknown))
}
