//! Recurring work on cron schedules in the business time zone, inside the same process.
//!
//! Each schedule is a cron expression (seconds first, as the `cron` crate reads it) interpreted in
//! `BUSINESS_TZ`, so "every day at 03:30" stays 03:30 local across DST switches. A schedule does no
//! work itself: at each fire time it enqueues a job keyed by that fire time, so the work is durable
//! and a restart neither repeats nor skips it (the most recent fire of the last day is enqueued at
//! start-up; its key makes that a no-op when it already ran). The owner's daily summary is one more
//! fire whose time she changes from the chat (`/summary 21:30`): it is read at every turn of the
//! loop, which sleeps at most a minute, and its job is keyed by business date (`core::summary`).

use crate::core::Core;
use crate::shutdown::{stopped, Shutdown};
use crate::work::spec::ReportEvery;
use crate::work::JobSpec;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use cron::Schedule;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Drops abandoned guided flows, lets SQLite refresh its statistics and trims the WAL.
    Housekeeping,
    /// Re-reads the owner's Google Calendar for busy time (when `GOOGLE_ICS_URL` is set).
    CalendarRefresh,
    /// The nightly backup (`src/backup.rs`), before housekeeping trims the WAL.
    Backup,
    /// Reads the status of payment links still open (a webhook lost after Monobank's retries).
    PaymentsCheck,
    /// The weekly or monthly report (`core::reports::pushed`); the zone names the period's days.
    Report(ReportEvery, Tz),
    /// Reads Instagram Direct back for missed and unanswered DMs (`core::instagram_reconcile`).
    InstagramReconcile,
    /// Enrols clients in the e-mail sequences (`core::marketing::sequences`), every hour.
    Sequences,
    /// Reads Listmonk's unsubscribes back and pushes consent it lacks (`core::marketing::listmonk`).
    Listmonk,
}

impl Task {
    /// How far back a missed fire is still caught up at start-up: a report is sent late rather
    /// than never (until the next one is due); other work only for the last day.
    fn catch_up_window(self) -> chrono::Duration {
        match self {
            Task::Report(ReportEvery::Week, _) => chrono::Duration::days(7),
            Task::Report(ReportEvery::Month, _) => chrono::Duration::days(31),
            _ => chrono::Duration::days(1),
        }
    }
}

/// Every night at 03:00 local time.
pub fn backup_schedule() -> (Task, Schedule) {
    (Task::Backup, Schedule::from_str("0 0 3 * * *").expect("valid cron expression"))
}

pub fn schedules() -> Vec<(Task, Schedule)> {
    // "sec min hour day-of-month month day-of-week"
    vec![(Task::Housekeeping, Schedule::from_str("0 30 3 * * *").expect("valid cron expression"))]
}

/// The schedules this configuration needs.
pub fn schedules_for(core: &Core) -> Vec<(Task, Schedule)> {
    let mut list = schedules();
    list.push(backup_schedule());
    if core.config().google_ics_url.is_some() {
        list.push((Task::CalendarRefresh, Schedule::from_str("0 */10 * * * *").expect("valid cron expression")));
    }
    if core.config().payments.monobank.is_some() {
        list.push((Task::PaymentsCheck, Schedule::from_str("0 17 * * * *").expect("valid cron expression")));
    }
    if !core.config().marketing.sequences.is_empty() && core.config().notify.email.is_some() {
        list.push((Task::Sequences, Schedule::from_str("0 7 * * * *").expect("valid cron expression")));
    }
    if core.config().notify.instagram.is_some() {
        list.push((Task::InstagramReconcile, Schedule::from_str("0 */15 * * * *").expect("valid cron expression")));
    }
    if let Some(l) = &core.config().listmonk {
        let cron = format!("0 */{} * * * *", l.sync_minutes);
        list.push((Task::Listmonk, Schedule::from_str(&cron).expect("valid cron expression")));
    }
    list.extend(report_schedules(core));
    list
}

/// Monday 09:00 and the 1st at 09:00 business time, for the reports switched on.
pub fn report_schedules(core: &Core) -> Vec<(Task, Schedule)> {
    let tz = core.config().tz;
    [(ReportEvery::Week, "0 0 9 * * Mon"), (ReportEvery::Month, "0 0 9 1 * *")]
        .into_iter()
        .filter(|(every, _)| crate::core::reports::pushed::enabled(core, *every))
        .map(|(every, cron)| (Task::Report(every, tz), Schedule::from_str(cron).expect("valid cron expression")))
        .collect()
}

/// The next run of any schedule strictly after `now`.
pub fn next_run(list: &[(Task, Schedule)], now: DateTime<Utc>, tz: Tz) -> Option<(Task, DateTime<Utc>)> {
    list.iter()
        .filter_map(|(task, s)| s.after(&now.with_timezone(&tz)).next().map(|t| (*task, t.with_timezone(&Utc))))
        .min_by_key(|(_, t)| *t)
}

/// The job of `task`'s fire at `fire`, keyed by the fire so that it runs once.
pub fn job_for(task: Task, fire: DateTime<Utc>) -> crate::work::NewJob {
    match task {
        Task::Housekeeping => JobSpec::Housekeeping.job(fire, format!("cron:housekeeping:{}", fire.timestamp())),
        Task::CalendarRefresh => JobSpec::IcsRefresh.job(fire, format!("cron:ics:{}", fire.timestamp())),
        Task::Backup => backup_job(fire),
        Task::PaymentsCheck => JobSpec::PaymentsCheck.job(fire, format!("cron:payments:{}", fire.timestamp())),
        Task::Report(every, tz) => crate::core::reports::pushed::job(every, fire, tz),
        Task::Sequences => crate::core::marketing::sequences::sweep_job(fire),
        Task::InstagramReconcile => JobSpec::InstagramReconcile.job(fire, format!("cron:igsync:{}", fire.timestamp())),
        Task::Listmonk => crate::core::marketing::listmonk::sync_job(fire),
    }
}

/// The backup job of the night that fires at `fire`: one key per night, so it runs once.
pub fn backup_job(fire: DateTime<Utc>) -> crate::work::NewJob {
    JobSpec::Backup.job(fire, format!("cron:backup:{}", fire.timestamp()))
}

/// The latest fire time of each schedule within its catch-up window (the last day; a report's
/// week or month), for catching up after downtime.
pub fn missed_fires(list: &[(Task, Schedule)], now: DateTime<Utc>, tz: Tz) -> Vec<(Task, DateTime<Utc>)> {
    list.iter()
        .filter_map(|(task, s)| {
            let since = (now - task.catch_up_window()).with_timezone(&tz);
            s.after(&since).take_while(|t| t.with_timezone(&Utc) <= now).last().map(|t| (*task, t.with_timezone(&Utc)))
        })
        .collect()
}

/// What fires next: a fixed schedule, or the owner's daily summary (its time is hers to change,
/// so it is read again at every turn of the loop, at least once a minute).
#[derive(Debug, Clone, Copy)]
enum Fire {
    Cron(Task),
    Summary,
}

/// The longest the loop sleeps before reading the summary time again.
const RECHECK: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn run(core: Core, shutdown: Shutdown) {
    let list = schedules_for(&core);
    let tz = core.config().tz;
    crate::core::reports::pushed::log_setup(&core);
    // A report is caught up only for a fire the service was already running before (its first
    // heartbeat): a fresh installation does not start with last week's report.
    let first_up = match core.store().heartbeats(0, 0).await {
        Ok((_, first)) => first.map(|slot| slot * crate::store::goals::HEARTBEAT_SECS),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the first heartbeat");
            None
        }
    };
    let mut catch_up: Vec<_> = missed_fires(&list, Utc::now(), tz)
        .into_iter()
        .filter(|(t, at)| !matches!(t, Task::Report(..)) || first_up.is_some_and(|up| up <= at.timestamp()))
        .map(|(t, at)| job_for(t, at))
        .collect();
    if core.config().google_ics_url.is_some() {
        // Busy time from the calendar right away, not ten minutes after a start.
        let now = Utc::now();
        catch_up.push(JobSpec::IcsRefresh.job(now, format!("ics:startup:{}", now.timestamp_millis())));
    }
    match crate::core::summary::catch_up(&core, Utc::now()).await {
        Ok(job) => catch_up.extend(job),
        Err(e) => tracing::error!(error = %e, "could not read the daily summary's time"),
    }
    if let Err(e) = core.store().enqueue_many(&catch_up).await {
        tracing::error!(error = %e, "could not enqueue missed schedules");
    }
    // The heartbeat the reports' uptime is measured from: a row per five-minute slot while up,
    // written every minute (the same slot twice is one row).
    let mut heartbeat = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        let now = Utc::now();
        // Every schedule's next fire (two may share an instant: both run).
        let mut fires: Vec<(Fire, DateTime<Utc>)> = list
            .iter()
            .filter_map(|(task, s)| {
                s.after(&now.with_timezone(&tz)).next().map(|t| (Fire::Cron(*task), t.with_timezone(&Utc)))
            })
            .collect();
        match crate::core::summary::next_fire(&core, now).await {
            Ok(at) => fires.extend(at.map(|at| (Fire::Summary, at))),
            Err(e) => tracing::error!(error = %e, "could not read the daily summary's time"),
        }
        let Some(at) = fires.iter().map(|(_, t)| *t).min() else { return };
        let wait = (at - now).to_std().unwrap_or_default().min(RECHECK);
        tokio::select! {
            _ = stopped(shutdown.clone()) => return,
            _ = heartbeat.tick() => {
                if let Err(e) = core.store().heartbeat(Utc::now()).await {
                    tracing::warn!(error = %e, "could not record the heartbeat");
                }
            }
            _ = tokio::time::sleep(wait) => {
                if Utc::now() < at {
                    continue;
                }
                for (fire, _) in fires.iter().filter(|(_, t)| *t == at) {
                    let job = match fire {
                        Fire::Cron(task) => job_for(*task, at),
                        Fire::Summary => crate::core::summary::job(at.with_timezone(&tz).date_naive(), at),
                    };
                    if let Err(e) = core.store().enqueue(&job).await {
                        tracing::error!(?fire, error = %e, "could not enqueue a scheduled job");
                    }
                }
            }
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

    #[test]
    fn backup_after_three_days_down_runs_once_for_the_last_night() {
        let list = vec![backup_schedule()];
        let now = Kyiv.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap().with_timezone(&Utc);
        let missed = missed_fires(&list, now, Kyiv);
        assert_eq!(missed.len(), 1, "one catch-up run, not one per missed night");
        assert_eq!(missed[0].1.with_timezone(&Kyiv).format("%d %H:%M").to_string(), "25 03:00");
        // The same night always gets the same key (enqueued twice, stored once).
        assert_eq!(job_for(Task::Backup, missed[0].1).key, backup_job(missed[0].1).key);
        let (_, next) = next_run(&list, now, Kyiv).unwrap();
        assert_eq!(next.with_timezone(&Kyiv).format("%d %H:%M").to_string(), "26 03:00");
    }

    #[test]
    fn missed_fire_of_the_last_day_is_found() {
        let list = schedules();
        let now = Kyiv.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap().with_timezone(&Utc);
        let missed = missed_fires(&list, now, Kyiv);
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].1.with_timezone(&Kyiv).format("%d %H:%M").to_string(), "25 03:30");
        // The catch-up job of a fire has the key the running scheduler gave that same fire, so
        // catching up after a restart is a no-op when the fire already ran.
        let (task, live) = next_run(&list, now - chrono::Duration::days(1), Kyiv).unwrap();
        assert_eq!(live, missed[0].1);
        let catch_up = job_for(missed[0].0, missed[0].1);
        assert_eq!(catch_up.key, job_for(task, live).key);
        assert_eq!(catch_up.key, "cron:housekeeping:1795570200"); // 2026-11-25 01:30 UTC
        assert_eq!(catch_up.kind, "housekeeping");
        // The next night is another job.
        let (_, tomorrow) = next_run(&list, now, Kyiv).unwrap();
        assert_ne!(job_for(task, tomorrow).key, catch_up.key);
    }

    #[test]
    fn reports_fire_monday_and_the_first_at_0900_and_are_caught_up_within_their_period() {
        let week = (Task::Report(ReportEvery::Week, Kyiv), Schedule::from_str("0 0 9 * * Mon").unwrap());
        let month = (Task::Report(ReportEvery::Month, Kyiv), Schedule::from_str("0 0 9 1 * *").unwrap());
        let list = vec![week, month];
        // Down from Sunday 29 November to Friday 4 December: last Monday's and the 1st's fires,
        // each once, and each names the period it covers.
        let now = Kyiv.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap().with_timezone(&Utc);
        let missed = missed_fires(&list, now, Kyiv);
        let when: Vec<String> =
            missed.iter().map(|(_, at)| at.with_timezone(&Kyiv).format("%a %d.%m %H:%M").to_string()).collect();
        assert_eq!(when, ["Mon 30.11 09:00", "Tue 01.12 09:00"]);
        let keys: Vec<String> = missed.iter().map(|(t, at)| job_for(*t, *at).key).collect();
        assert_eq!(keys, ["report:week:2026-11-23", "report:month:2026-11-01"]);
        // Eight days down: the week before is not sent a week late (the newer one is).
        let later = now + chrono::Duration::days(4);
        let missed = missed_fires(&list, later, Kyiv);
        assert_eq!(job_for(missed[0].0, missed[0].1).key, "report:week:2026-11-30");
        let (_, next) = next_run(&list, later, Kyiv).unwrap();
        assert_eq!(next.with_timezone(&Kyiv).format("%a %d.%m %H:%M").to_string(), "Mon 14.12 09:00");
    }
}
