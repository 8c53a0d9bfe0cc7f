//! The due-time phrase table (`tests/data/due_phrases.jsonl`, rules in `due_phrases.md`), written
//! from the issue before the parser was changed: every phrase is understood exactly as the
//! table says or refused for the reason it gives.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Europe::Kyiv;
use insoles_crm::domain::{DueTime, ParseError};

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The phrases of `file` the parser reads differently from the table, and the table's size.
fn misread(file: &str) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut wrong = vec![];
    let mut total = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let (now_s, phrase, expect) =
            (case["now"].as_str().unwrap(), case["phrase"].as_str().unwrap(), case["expect"].as_str().unwrap());
        let now = Kyiv.from_local_datetime(&local(now_s)).earliest().unwrap().to_utc();
        let got = match DueTime::parse(phrase, now, Kyiv) {
            Ok(d) => d.0.with_timezone(&Kyiv).format("%Y-%m-%dT%H:%M").to_string(),
            Err(ParseError::InPast) => "refuse past".into(),
            Err(ParseError::WhenAmbiguous) => "refuse ambiguous".into(),
            Err(ParseError::WhenImpossible) => "refuse impossible".into(),
            Err(ParseError::When) => "refuse unknown".into(),
            Err(e) => format!("refuse {e:?}"),
        };
        let want = match expect {
            "refuse" => format!("refuse {}", case["reason"].as_str().unwrap()),
            t => t.to_string(),
        };
        // The autumn hour that happens twice is the first one (EEST, +03:00).
        if let Ok(d) = DueTime::parse(phrase, now, Kyiv) {
            let offset = d.0.with_timezone(&Kyiv).format("%z").to_string();
            if expect.starts_with("2026-10-25T03") && offset != "+0300" {
                wrong.push(format!("{now_s} «{phrase}»: the second 03:xx ({offset})"));
            }
        }
        total += 1;
        if got != want {
            wrong.push(format!("{now_s} «{phrase}»: want {want}, got {got}"));
        }
    }
    (wrong, total)
}

#[test]
fn every_phrase_of_the_table_is_understood_or_refused_for_its_reason() {
    let (wrong, total) = misread("due_phrases.jsonl");
    assert!(total >= 150, "the table has {total} phrases");
    assert!(wrong.is_empty(), "{} of {total} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// The second table (`due_phrases_heldout.jsonl`), written by someone who saw only the rules,
/// neither the parser nor the first table.
#[test]
fn the_held_out_table_is_read_as_its_author_expected() {
    let (wrong, total) = misread("due_phrases_heldout.jsonl");
    assert!(total >= 100, "the table has {total} phrases");
    assert!(wrong.is_empty(), "{} of {total} wrong:\n{}", wrong.len(), wrong.join("\n"));
}
