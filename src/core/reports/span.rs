//! A report's period as a UTC window (local midnight to local midnight in the business time
//! zone), the previous period of the same length, and the buckets its chart is drawn in (days,
//! or months for ranges over two months), filled from hourly series.

use crate::domain::period::Period;
use crate::store::reports::Windows;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub period: Period,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub tz: Tz,
}

/// Local midnight of `d` in UTC (Kyiv changes its clocks at 03:00/04:00, never at midnight).
pub fn midnight(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| naive.and_utc())
}

/// `01.11–15.11.2026` (`15.11.2026` for one day).
pub fn range_text(p: Period) -> String {
    if p.from == p.to {
        p.from.format("%d.%m.%Y").to_string()
    } else if p.from.year() == p.to.year() {
        format!("{}–{}", p.from.format("%d.%m"), p.to.format("%d.%m.%Y"))
    } else {
        format!("{}–{}", p.from.format("%d.%m.%Y"), p.to.format("%d.%m.%Y"))
    }
}

impl Span {
    pub fn new(period: Period, tz: Tz) -> Self {
        let next = period.to.succ_opt().unwrap_or(period.to);
        Span { period, start: midnight(period.from, tz), end: midnight(next, tz), tz }
    }

    /// The same number of days just before.
    pub fn previous(&self) -> Span {
        let days = chrono::Duration::days(self.period.days());
        let to = self.period.from.pred_opt().unwrap_or(self.period.from);
        Span::new(Period { from: self.period.from - days, to }, self.tz)
    }

    /// True when the chart shows months rather than days.
    fn monthly(&self) -> bool {
        self.period.days() > 62
    }

    /// The chart's bucket labels: `05.11` per day, or `11.26` per month.
    pub fn labels(&self) -> Vec<String> {
        if self.monthly() {
            let mut out = vec![];
            let mut d = self.period.from.with_day(1).unwrap_or(self.period.from);
            while d <= self.period.to {
                out.push(d.format("%m.%y").to_string());
                d = next_month(d);
            }
            out
        } else {
            self.period
                .from
                .iter_days()
                .take_while(|d| *d <= self.period.to)
                .map(|d| d.format("%d.%m").to_string())
                .collect()
        }
    }

    /// The chart's buckets as windows for the store to sum over (rows name theirs by its first
    /// hour, which [`Span::fold`] places).
    pub fn windows(&self) -> Windows {
        if !self.monthly() {
            let days = self.period.from.iter_days().take_while(|d| *d <= self.period.to);
            return Windows::new(days.map(|d| (midnight(d, self.tz), midnight(d.succ_opt().unwrap_or(d), self.tz))));
        }
        let mut out = vec![];
        let mut d = self.period.from;
        while d <= self.period.to {
            let next = next_month(d).min(self.period.to.succ_opt().unwrap_or(self.period.to));
            out.push((midnight(d, self.tz), midnight(next, self.tz)));
            d = next_month(d);
        }
        Windows::new(out)
    }

    /// The whole period as one window (for totals).
    pub fn whole(&self) -> Windows {
        Windows::one(self.start, self.end)
    }

    /// The bucket of a local day.
    pub fn bucket_of_day(&self, day: NaiveDate) -> Option<usize> {
        if day < self.period.from || day > self.period.to {
            return None;
        }
        if self.monthly() {
            let months = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
            Some((months(day) - months(self.period.from)) as usize)
        } else {
            Some((day - self.period.from).num_days() as usize)
        }
    }

    /// The bucket of an hour key (`YYYY-MM-DDTHH`, UTC).
    pub fn bucket_of_hour(&self, hour: &str) -> Option<usize> {
        let t = NaiveDateTime::parse_from_str(&format!("{hour}:00"), "%Y-%m-%dT%H:%M").ok()?.and_utc();
        self.bucket_of_day(t.with_timezone(&self.tz).date_naive())
    }

    /// Sums `(hour, value)` pairs into the chart's buckets.
    pub fn fold<'a>(&self, rows: impl IntoIterator<Item = (&'a str, f64)>) -> Vec<f64> {
        let mut out = vec![0.0; self.labels().len()];
        for (hour, v) in rows {
            if let Some(slot) = self.bucket_of_hour(hour).and_then(|i| out.get_mut(i)) {
                *slot += v;
            }
        }
        out
    }
}

pub fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// `▲ 12 %`, `▼ 5 %`, `=`, or `▲` when there was nothing before.
pub fn change(now: f64, before: f64) -> String {
    if (now - before).abs() < f64::EPSILON {
        return "=".into();
    }
    if before <= 0.0 {
        return "▲".into();
    }
    let pct = ((now - before) / before * 100.0).round();
    if pct >= 0.0 {
        format!("▲ {pct} %")
    } else {
        format!("▼ {} %", -pct)
    }
}

/// `42 %` of `part` in `whole` (`—` of nothing).
pub fn share(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".into()
    } else {
        format!("{} %", (part as f64 * 100.0 / whole as f64).round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn windows_are_local_midnights_and_the_previous_period_has_the_same_length() {
        let tz = chrono_tz::Europe::Kyiv;
        let s = Span::new(Period { from: d(11, 1), to: d(11, 30) }, tz);
        assert_eq!(s.start.to_rfc3339(), "2026-10-31T22:00:00+00:00");
        assert_eq!(s.end.to_rfc3339(), "2026-11-30T22:00:00+00:00");
        let p = s.previous();
        assert_eq!((p.period.from, p.period.to), (d(10, 2), d(10, 31)));
        assert_eq!(p.start.to_rfc3339(), "2026-10-01T21:00:00+00:00", "summer time in October");
        assert_eq!(s.bucket_of_hour("2026-10-31T22"), Some(0), "local 1 November 00:00");
        assert_eq!(s.bucket_of_hour("2026-10-31T21"), None);
        assert_eq!(s.labels().len(), 30);
        let long = Span::new(Period { from: d(1, 15), to: d(11, 30) }, tz);
        assert_eq!(long.labels().first().map(String::as_str), Some("01.26"));
        assert_eq!(long.labels().len(), 11);
        assert_eq!(change(110.0, 100.0), "▲ 10 %");
        assert_eq!(change(0.0, 100.0), "▼ 100 %");
        assert_eq!(change(5.0, 0.0), "▲");
    }

    #[test]
    fn the_windows_are_the_buckets_and_their_rows_land_in_them() {
        let tz = chrono_tz::Europe::Kyiv;
        let s = Span::new(Period { from: d(10, 24), to: d(10, 26) }, tz);
        // Summer time ends on 25 October: that day is 25 hours long.
        let expect = r#"[["2026-10-23T21","2026-10-24T21"],["2026-10-24T21","2026-10-25T22"],["2026-10-25T22","2026-10-26T22"]]"#;
        assert_eq!(s.windows(), Windows::new_raw(expect));
        assert_eq!(s.whole(), Windows::new_raw(r#"[["2026-10-23T21","2026-10-26T22"]]"#));
        assert_eq!(s.fold([("2026-10-24T21", 2.0), ("2026-10-25T22", 3.0)]), vec![0.0, 2.0, 3.0]);
        // Months (over 62 days): the first and last windows are cut to the period; summer time
        // starts on 29 March.
        let long = Span::new(Period { from: d(1, 15), to: d(4, 10) }, tz);
        let expect = r#"[["2026-01-14T22","2026-01-31T22"],["2026-01-31T22","2026-02-28T22"],["2026-02-28T22","2026-03-31T21"],["2026-03-31T21","2026-04-10T21"]]"#;
        assert_eq!(long.windows(), Windows::new_raw(expect));
        assert_eq!(long.fold([("2026-01-31T22", 1.0), ("2026-03-31T21", 4.0)]), vec![0.0, 1.0, 0.0, 4.0]);
    }
}
