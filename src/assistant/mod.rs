//! The client assistant: for each client message the intent, sentiment, knowledge-base topics,
//! whether a person must answer (and why), and an answer when it is safe to give one.
//!
//! `offline` is the engine that needs no key and no network (the default). An LLM engine behind
//! the same `Analysis` follows (issue 6). `classify` is the `insoles-crm assistant classify`
//! command: JSON lines in, JSON lines out, in the evaluation kit's prediction format.

pub mod kb;
pub mod lexicon;
pub mod model;
pub mod normalize;
pub mod offline;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Faq,
    Booking,
    Consultation,
    Complaint,
    OrderStatus,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub intent: Intent,
    pub sentiment: Sentiment,
    pub topics: Vec<String>,
    pub escalate: bool,
    pub reason: String,
    /// The answer to send when not escalated.
    pub answer: Option<String>,
    /// A polite holding answer when escalated.
    pub holding: Option<String>,
}

/// `insoles-crm assistant classify [--kb FILE]`: reads `{"id", "text"}` lines, writes predictions.
pub fn classify(kb_text: &str, input: impl std::io::BufRead, output: impl std::io::Write) -> anyhow::Result<usize> {
    predict(&offline::Offline::new(kb::Kb::parse(kb_text)), input, output)
}

/// `insoles-crm assistant crossval [--kb FILE] [--folds N]`: reads labelled messages (gold
/// format) and writes, for each, the prediction of a model that learned from our synthetic set
/// and the other folds only, never from the message itself. Fold of line i is i mod N.
pub fn cross_validate(
    kb_text: &str,
    gold: &str,
    folds: usize,
    mut output: impl std::io::Write,
) -> anyhow::Result<usize> {
    anyhow::ensure!(folds >= 2, "at least 2 folds");
    let gold = model::Example::parse_lines(gold)?;
    let synthetic = model::Example::parse_lines(offline::SYNTHETIC)?;
    let mut n = 0;
    for fold in 0..folds {
        let train: Vec<model::Example> = synthetic
            .iter()
            .chain(gold.iter().enumerate().filter(|(i, _)| i % folds != fold).map(|(_, e)| e))
            .cloned()
            .collect();
        let engine = offline::Offline::trained_on(kb::Kb::parse(kb_text), &train);
        let held: String = gold
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
            .map(|(_, e)| serde_json::json!({"id": e.id, "text": e.text}).to_string() + "\n")
            .collect();
        n += predict(&engine, held.as_bytes(), &mut output)?;
    }
    Ok(n)
}

fn predict(
    engine: &offline::Offline,
    input: impl std::io::BufRead,
    mut output: impl std::io::Write,
) -> anyhow::Result<usize> {
    let mut n = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("skipped a line that is not JSON: {e}");
                continue;
            }
        };
        let id = v.get("id").cloned().unwrap_or(serde_json::Value::Null);
        let text = v.get("text").and_then(serde_json::Value::as_str).unwrap_or("");
        let a = engine.analyse(text);
        let out = serde_json::json!({
            "id": id, "intent": a.intent, "topics": a.topics, "sentiment": a.sentiment,
            "escalate": a.escalate, "reason": a.reason, "answer": a.answer,
        });
        writeln!(output, "{out}")?;
        n += 1;
    }
    Ok(n)
}
