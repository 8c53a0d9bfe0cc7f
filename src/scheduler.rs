//! Recurring work on cron schedules in the business time zone, inside the same process.
//!
//! Each schedule is a cron expression (seconds first, as the `cron` crate reads it) interpreted in
//! `BUSINESS_TZ`, so "every day at 03:30" stays 03:30 local across DST switches. Work that must
//! not be lost (reminders, outgoing messages) goes through the jobs table of a later issue; the
//! schedules here only trigger it. Today: nightly housekeeping.

use crate::channels::{stopped, Shutdown};
use crate::core::Core;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use cron::Schedule;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Drops abandoned guided flows, lets SQLite refresh its statistics and trims the WAL.
    Housekeeping,
}

pub fn schedules() -> Vec<(Task, Schedule)> {
    // "sec min hour day-of-month month day-of-week"
    vec![(Task::Housekeeping, Schedule::from_str("0 30 3 * * *").expect("valid cron expression"))]
}

/// The next run of any schedule strictly after `now`.
pub fn next_run(list: &[(Task, Schedule)], now: DateTime<Utc>, tz: Tz) -> Option<(Task, DateTime<Utc>)> {
    list.iter()
        .filter_map(|(task, s)| s.after(&now.with_timezone(&tz)).next().map(|t| (*task, t.with_timezone(&Utc))))
        .min_by_key(|(_, t)| *t)
}

pub async fn run_task(core: &Core, task: Task) {
    let result = match task {
        Task::Housekeeping => core.store().housekeeping().await,
    };
    match result {
        Ok(()) => tracing::info!(?task, "scheduled task done"),
        Err(e) => tracing::error!(?task, error = %e, "scheduled task failed"),
    }
}

pub async fn run(core: Core, shutdown: Shutdown) {
    let list = schedules();
    let tz = core.config().tz;
    loop {
        let Some((task, at)) = next_run(&list, Utc::now(), tz) else {
            return;
        };
        let wait = (at - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            _ = stopped(shutdown.clone()) => return,
            _ = tokio::time::sleep(wait) => run_task(&core, task).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Kyiv;

    #[test]
    fn housekeeping_runs_at_local_0330_across_dst() {
        let list = schedules();
        // The night the clocks go back (2026-10-25): 03:30 local is 00:30 UTC (UTC+2 from 04:00 local).
        let before = Kyiv.with_ymd_and_hms(2026, 10, 24, 12, 0, 0).unwrap().with_timezone(&Utc);
        let (_, at) = next_run(&list, before, Kyiv).unwrap();
        assert_eq!(at.with_timezone(&Kyiv).format("%Y-%m-%d %H:%M").to_string(), "2026-10-25 03:30");
        // In summer Kyiv is UTC+3.
        let summer = Kyiv.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap().with_timezone(&Utc);
        let (_, at) = next_run(&list, summer, Kyiv).unwrap();
        assert_eq!(at.format("%H:%M").to_string(), "00:30");
    }
}
