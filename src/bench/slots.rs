//! `insoles-crm bench slots`: free slots for the next 90 days with 5,000 existing bookings and
//! 500 busy events (p99), and 50 concurrent attempts at one slot, repeated: exactly one wins.

use super::{ms, percentile, Lcg, TempDir};
use crate::domain::schedule::{free_slots, merge, Busy, Window};
use crate::domain::{ClientName, Phone};
use crate::store::bookings::NewBooking;
use crate::store::clients::NewClient;
use crate::store::Store;
use chrono::{Duration, Utc};
use std::time::Instant;

pub async fn run(_args: &[String]) -> anyhow::Result<()> {
    let dir = TempDir::new("slots")?;
    let store = Store::open(&format!("sqlite://{}", dir.0.join("slots.db").display())).await?;
    let settings = crate::config::BookingSettings::default();
    let tz = chrono_tz::Europe::Kyiv;
    let name = ClientName::parse("Клієнтка Бенчмарк").map_err(|e| anyhow::anyhow!("{e}"))?;
    let phone = Phone::parse("0670000001").map_err(|e| anyhow::anyhow!("{e}"))?;
    let client = store
        .create_client(NewClient { name: &name, phone: Some(&phone), note: None, source: None, channel: "bench" })
        .await?;

    // 5,000 bookings spread over 90 days (without cells: this measures the computation) and 500
    // private events from a calendar.
    let now = Utc::now();
    let mut rng = Lcg(3);
    let mut rows = vec![];
    for _ in 0..5000 {
        let start = now + Duration::minutes(10 * rng.next(90 * 24 * 6) as i64);
        rows.push(Busy { start, end: start + Duration::minutes(50) });
    }
    for _ in 0..500 {
        let start = now + Duration::minutes(10 * rng.next(90 * 24 * 6) as i64);
        rows.push(Busy { start, end: start + Duration::minutes(30 + 10 * rng.next(12) as i64) });
    }
    let from = now.with_timezone(&tz).date_naive();
    let to = from + Duration::days(90);
    let rules = crate::domain::schedule::Rules { horizon: Duration::days(91), ..settings.rules };
    let schedule = crate::domain::schedule::Schedule { weekly: settings.weekly, ..Default::default() };
    let service = &settings.services[0];
    let mut times = Vec::with_capacity(500);
    let mut count = 0;
    for _ in 0..500 {
        let t = Instant::now();
        let busy = merge(rows.clone());
        let slots = free_slots(&schedule, service, &rules, &busy, Window { now, tz, from, to });
        times.push(t.elapsed());
        count = slots.len();
    }
    times.sort();
    println!("\nSlots (90 days, 5,000 bookings + 500 busy events, merge + sweep, 500 runs):");
    println!(
        "  free slots              p50 {}  p99 {}  ({count} free starts)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );

    // The same including loading the bookings from SQLite.
    for b in rows.iter().take(5000) {
        let new = NewBooking { block_until: b.end, ..NewBooking::of(client, service, b.start, "bench") };
        store.record_external_booking(&new, |_| vec![]).await?;
    }
    let mut times = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        let mut busy = store.booked_busy(now - Duration::days(1), now + Duration::days(92), None).await?;
        busy.extend_from_slice(&rows[5000..]);
        let busy = merge(busy);
        let _ = free_slots(&schedule, service, &rules, &busy, Window { now, tz, from, to });
        times.push(t.elapsed());
    }
    times.sort();
    println!("  with loading from SQLite p50 {}  p99 {}", ms(percentile(&times, 0.5)), ms(percentile(&times, 0.99)));

    // 50 concurrent attempts at one free slot, 20 rounds.
    let mut always_one = true;
    for round in 0..20 {
        let start = now + Duration::days(200 + round);
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let store = store.clone();
            let b = NewBooking::of(client, service, start, "bench");
            set.spawn(async move { matches!(store.create_booking(&b, |_| vec![]).await, Ok(Ok(_))) });
        }
        let mut wins = 0;
        while let Some(r) = set.join_next().await {
            wins += r.unwrap_or(false) as usize;
        }
        always_one &= wins == 1;
    }
    println!(
        "  50 concurrent attempts at one slot, 20 rounds: {}",
        if always_one { "exactly one won every time" } else { "FAILED: not exactly one" }
    );
    store.close().await;
    anyhow::ensure!(always_one, "double booking");
    Ok(())
}
