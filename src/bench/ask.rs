//! `insoles-crm bench ask`: the plain-language engine (issue 17) per phrase, over the dev phrase
//! set (`tests/data/owner_phrases_dev.jsonl`, embedded): the offline grammar alone (sentence to
//! typed action), then the whole owner update through `Core::handle` on a small database (the
//! read's data or the write's confirmation card, which stores the pending action). p50/p99.

use super::{ms, percentile, TempDir};
use crate::core::ask::grammar;
use crate::core::{Actor, Channel, Input, InputKind};
use crate::store::Store;
use std::time::{Duration, Instant};

const SET: &str = include_str!("../../tests/data/owner_phrases_dev.jsonl");
const ROUNDS: usize = 50;

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!("{what}: {} runs, p50 {} p99 {}", times.len(), ms(percentile(&times, 0.5)), ms(percentile(&times, 0.99)));
}

pub async fn run(_args: &[String]) -> anyhow::Result<()> {
    let phrases: Vec<String> = SET
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?["text"].as_str().map(str::to_string))
        .collect();
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Kyiv).naive_local();
    let mut times = Vec::with_capacity(phrases.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for p in &phrases {
            let t = Instant::now();
            std::hint::black_box(grammar::parse(p, now));
            times.push(t.elapsed());
        }
    }
    report(&format!("ask grammar, {} phrases", phrases.len()), times);

    let dir = TempDir::new("ask")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("ask.db").display())).await?;
    for (i, name) in ["Марія Коваль", "Ігор Петренко", "Олена Бондар", "Оля Савчук"].iter().enumerate()
    {
        let phone = crate::domain::Phone::parse(&format!("067100000{i}"))?;
        let name = crate::domain::ClientName::parse(name)?;
        let new = crate::store::clients::NewClient {
            name: &name,
            phone: Some(&phone),
            note: None,
            source: None,
            channel: "bench",
        };
        store.create_client(new).await?;
    }
    let core = super::bench_core(store)?;
    let actor =
        Actor { channel: Channel::Console, id: "owner".into(), display_name: None, lang_hint: Some("uk".into()) };
    let mut times = Vec::with_capacity(phrases.len() * 5);
    for _ in 0..5 {
        for p in &phrases {
            let input = Input { actor: actor.clone(), kind: InputKind::Text(p.clone()) };
            let t = Instant::now();
            std::hint::black_box(core.handle(input).await);
            times.push(t.elapsed());
        }
    }
    report("ask, whole owner update (data or confirmation card)", times);
    let _ = std::fs::remove_dir_all(&dir.0);
    Ok(())
}
