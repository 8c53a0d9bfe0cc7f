//! The owner's working hours (overriding the configured week) and day exceptions.

use super::{Result, Store};
use crate::domain::schedule::{DayHours, Schedule};
use chrono::{NaiveDate, NaiveTime};

fn hours(opens: Option<String>, closes: Option<String>) -> Option<DayHours> {
    let p = |s: Option<String>| s.and_then(|s| NaiveTime::parse_from_str(&s, "%H:%M").ok());
    match (p(opens), p(closes)) {
        (Some(open), Some(close)) if open < close => Some(DayHours { open, close }),
        _ => None,
    }
}

impl Store {
    /// The week from `defaults`, with the owner's edits and the exceptions from `from` on.
    pub async fn schedule(&self, defaults: &[Option<DayHours>; 7], from: NaiveDate) -> Result<Schedule> {
        let mut s = Schedule { weekly: *defaults, ..Default::default() };
        let week: Vec<(i64, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT weekday, opens, closes FROM working_hours").fetch_all(self.pool()).await?;
        for (day, opens, closes) in week {
            if (0..7).contains(&day) {
                s.weekly[day as usize] = hours(opens, closes);
            }
        }
        let days: Vec<(String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT day, opens, closes FROM day_exceptions WHERE day >= ?")
                .bind(from.to_string())
                .fetch_all(self.pool())
                .await?;
        for (day, opens, closes) in days {
            if let Ok(d) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                s.exceptions.insert(d, hours(opens, closes));
            }
        }
        Ok(s)
    }

    pub async fn set_weekday_hours(&self, weekday: u32, h: Option<DayHours>) -> Result<()> {
        sqlx::query(
            "INSERT INTO working_hours (weekday, opens, closes) VALUES (?, ?, ?) \
             ON CONFLICT (weekday) DO UPDATE SET opens = excluded.opens, closes = excluded.closes",
        )
        .bind(weekday as i64)
        .bind(h.map(|h| h.open.format("%H:%M").to_string()))
        .bind(h.map(|h| h.close.format("%H:%M").to_string()))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Marks days `from..=to` closed (`None`) or short, in one transaction.
    pub async fn set_exception(&self, from: NaiveDate, to: NaiveDate, h: Option<DayHours>, reason: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let mut day = from;
        while day <= to {
            sqlx::query(
                "INSERT INTO day_exceptions (day, opens, closes, reason) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (day) DO UPDATE SET opens = excluded.opens, closes = excluded.closes, reason = excluded.reason",
            )
            .bind(day.to_string())
            .bind(h.map(|h| h.open.format("%H:%M").to_string()))
            .bind(h.map(|h| h.close.format("%H:%M").to_string()))
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The exceptions from `from` on, by day: hours (None: closed) and the reason.
    pub async fn exceptions_from(&self, from: NaiveDate) -> Result<Vec<(NaiveDate, Option<DayHours>, String)>> {
        type Row = (String, Option<String>, Option<String>, Option<String>);
        let rows: Vec<Row> =
            sqlx::query_as("SELECT day, opens, closes, reason FROM day_exceptions WHERE day >= ? ORDER BY day")
                .bind(from.to_string())
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, o, c, r)| {
                let d = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
                Some((d, hours(o, c), r.unwrap_or_default()))
            })
            .collect())
    }

    /// Removes the exceptions of days `from..=to`; how many there were.
    pub async fn remove_exceptions(&self, from: NaiveDate, to: NaiveDate) -> Result<u64> {
        let r = sqlx::query("DELETE FROM day_exceptions WHERE day >= ? AND day <= ?")
            .bind(from.to_string())
            .bind(to.to_string())
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected())
    }
}
