//! The owner-phrase sets of issue 17, written from the issue before the grammar by two people who
//! saw neither the code nor each other's file: `owner_phrases_dev.jsonl` (tuned on) and
//! `owner_phrases.jsonl` (held out: only its aggregate figure is ever printed). "Now" in both is
//! Tuesday 2026-12-01 10:00 Europe/Kyiv.
//!
//! Mapped correctly: the action is the expected one, and every expected argument is equal —
//! dates, periods, times, amounts, numbers, methods, status and kind exactly; `client`, `name`,
//! `text` and `category` (free words) when every expected word of three letters or more matches a
//! predicted word on its first four letters, case- and apostrophe-insensitive.

use insoles_crm::core::ask::grammar;
use serde_json::Value;

fn now() -> chrono::NaiveDateTime {
    grammar::at(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), 10, 0)
}

fn key(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .take(4)
        .collect()
}

fn words_match(want: &str, got: &str) -> bool {
    let got: Vec<String> = got.split(|c: char| !c.is_alphanumeric() && !"'ʼ’".contains(c)).map(key).collect();
    want.split(|c: char| !c.is_alphanumeric() && !"'ʼ’".contains(c))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .all(|w| got.contains(&key(w)))
}

fn same_number(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 0.005,
        _ => a == b,
    }
}

/// Whether `got` (the engine's `{"action", "args"}`) maps the phrase as `want` says.
pub fn correct(want: &Value, got: &Value) -> bool {
    if want["action"] != got["action"] {
        return false;
    }
    let empty = serde_json::Map::new();
    let args = want["args"].as_object().unwrap_or(&empty);
    args.iter().all(|(k, v)| {
        let g = &got["args"][k.as_str()];
        match k.as_str() {
            "client" | "name" | "text" | "category" => {
                g.as_str().is_some_and(|g| words_match(v.as_str().unwrap_or(""), g))
            }
            "amount" | "orders" | "number" | "order" => same_number(v, g),
            _ => v == g,
        }
    })
}

/// (right, total, the lines of the wrong ones).
fn score(file: &str) -> (usize, usize, Vec<String>) {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut right, mut total, mut wrong) = (0, 0, vec![]);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let got = grammar::parse(case["text"].as_str().unwrap(), now()).to_json();
        total += 1;
        if correct(&case, &got) {
            right += 1;
        } else {
            wrong.push(format!(
                "{} «{}»: want {} {}, got {}",
                case["id"],
                case["text"].as_str().unwrap(),
                case["action"],
                case["args"],
                got
            ));
        }
    }
    (right, total, wrong)
}

#[test]
fn the_dev_set_is_mapped_correctly_offline() {
    let (right, total, wrong) = score("owner_phrases_dev.jsonl");
    let share = right as f64 / total as f64;
    eprintln!("owner phrases (dev): {right}/{total} = {share:.3}");
    if std::env::var("ASK_SHOW").is_ok() {
        eprintln!("{}", wrong.join("\n"));
    }
    assert!(total >= 150, "the dev set has {total} phrases");
    assert!(share >= 0.95, "dev: {right}/{total} = {share:.3}\n{}", wrong.join("\n"));
}

/// The held-out set: only the figure, never a phrase.
#[test]
fn the_held_out_set_is_mapped_correctly_offline() {
    let (right, total, _) = score("owner_phrases.jsonl");
    let share = right as f64 / total as f64;
    eprintln!("owner phrases (held out): {right}/{total} = {share:.3}");
    assert!(total >= 150, "the held-out set has {total} phrases");
    // The floor is the figure measured when the set landed (160/195).
    assert!(share >= 0.82, "held out: {right}/{total} = {share:.3}");
}

#[test]
fn the_scorer_can_fail() {
    let want: Value = serde_json::json!({"action": "book", "args": {"client": "Марія Коваль", "date": "2026-12-04", "time": "15:00"}});
    let ok = serde_json::json!({"action": "book", "args": {"client": "марію коваль", "date": "2026-12-04", "time": "15:00"}});
    assert!(correct(&want, &ok));
    for bad in [
        serde_json::json!({"action": "visits", "args": {}}),
        serde_json::json!({"action": "book", "args": {"client": "Марія", "date": "2026-12-04", "time": "15:00"}}),
        serde_json::json!({"action": "book", "args": {"client": "Марія Коваль", "date": "2026-12-05", "time": "15:00"}}),
    ] {
        assert!(!correct(&want, &bad), "{bad}");
    }
}
