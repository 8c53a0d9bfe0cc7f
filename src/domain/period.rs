//! The period of `/finance`: today, yesterday, this week (from Monday), this month (from the
//! 1st), or a range the owner types (`01.11-15.11`, `01.11.2026-30.11.2026`, one day `15.11`).
//! Days are calendar days in the business time zone; a range ending ahead of today ends today.

use super::cash::{parse_date_word, EntryError};
use chrono::{Datelike, NaiveDate};

/// Which preset a period is (also its button's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Today,
    Yesterday,
    Week,
    Month,
    LastMonth,
}

impl Preset {
    pub const ALL: [Preset; 5] = [Preset::Today, Preset::Yesterday, Preset::Week, Preset::Month, Preset::LastMonth];

    pub fn code(self) -> &'static str {
        match self {
            Preset::Today => "d",
            Preset::Yesterday => "y",
            Preset::Week => "w",
            Preset::Month => "m",
            Preset::LastMonth => "pm",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    fn from_word(w: &str) -> Option<Self> {
        Some(match w {
            "today" | "сьогодні" | "сегодня" | "день" | "day" => Preset::Today,
            "yesterday" | "вчора" | "учора" | "вчера" => Preset::Yesterday,
            "week" | "тиждень" | "неделя" | "тижд" => Preset::Week,
            "month" | "місяць" | "месяц" | "міс" => Preset::Month,
            "last-month" | "минулий" | "минулий-місяць" | "прошлый" => Preset::LastMonth,
            _ => return None,
        })
    }

    pub fn period(self, today: NaiveDate) -> Period {
        let first = today.with_day(1).unwrap_or(today);
        match self {
            Preset::Today => Period { from: today, to: today },
            Preset::Yesterday => {
                let y = today.pred_opt().unwrap_or(today);
                Period { from: y, to: y }
            }
            Preset::Week => Period {
                from: today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64),
                to: today,
            },
            Preset::Month => Period { from: first, to: today },
            Preset::LastMonth => {
                let last = first.pred_opt().unwrap_or(first);
                Period { from: last.with_day(1).unwrap_or(last), to: last }
            }
        }
    }
}

/// A range of calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    /// Not a period at all (the usage is shown).
    Unknown,
    Date(EntryError),
    /// The range ends before it starts.
    Reversed,
    /// The range starts ahead of today.
    Future,
}

impl Period {
    /// The owner's words; empty is this month.
    pub fn parse(args: &str, today: NaiveDate) -> Result<Period, PeriodError> {
        let w = args.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
        if w.is_empty() {
            return Ok(Preset::Month.period(today));
        }
        if let Some(p) = Preset::from_word(&w) {
            return Ok(p.period(today));
        }
        let (a, b) = match w.split_once(['–', '—']).or_else(|| split_range(&w)) {
            Some((a, b)) => (a.trim_matches('-'), b.trim_matches('-')),
            None => (w.as_str(), w.as_str()),
        };
        let day = |s: &str| match parse_date_word(s, today) {
            Ok(Some(d)) => Ok(d),
            Ok(None) => Err(PeriodError::Unknown),
            Err(e) => Err(PeriodError::Date(e)),
        };
        let (from, to) = (day(a)?, day(b)?);
        if to < from {
            return Err(PeriodError::Reversed);
        }
        if from > today {
            return Err(PeriodError::Future);
        }
        Ok(Period { from, to: to.min(today) })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// `01.11-15.11` (a `-` between two dates written with dots or slashes; ISO dates use `–`).
fn split_range(w: &str) -> Option<(&str, &str)> {
    if w.contains(['.', '/']) {
        w.split_once('-')
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn presets_in_calendar_days() {
        let today = d(2026, 11, 25); // a Wednesday
        assert_eq!(Period::parse("", today), Ok(Period { from: d(2026, 11, 1), to: today }));
        assert_eq!(Period::parse("тиждень", today), Ok(Period { from: d(2026, 11, 23), to: today }));
        assert_eq!(Period::parse("today", today), Ok(Period { from: today, to: today }));
        assert_eq!(Period::parse("вчора", today), Ok(Period { from: d(2026, 11, 24), to: d(2026, 11, 24) }));
        assert_eq!(Period::parse("минулий місяць", today), Ok(Period { from: d(2026, 10, 1), to: d(2026, 10, 31) }));
        let jan = d(2027, 1, 10);
        assert_eq!(Preset::LastMonth.period(jan), Period { from: d(2026, 12, 1), to: d(2026, 12, 31) });
    }

    #[test]
    fn ranges_and_refusals() {
        let today = d(2026, 11, 25);
        assert_eq!(Period::parse("01.11-15.11", today), Ok(Period { from: d(2026, 11, 1), to: d(2026, 11, 15) }));
        assert_eq!(Period::parse("01.11 - 30.11", today), Ok(Period { from: d(2026, 11, 1), to: today }));
        assert_eq!(
            Period::parse("2026-10-01–2026-10-31", today),
            Ok(Period { from: d(2026, 10, 1), to: d(2026, 10, 31) })
        );
        assert_eq!(Period::parse("15.11", today), Ok(Period { from: d(2026, 11, 15), to: d(2026, 11, 15) }));
        assert_eq!(Period::parse("15.11-01.11", today), Err(PeriodError::Reversed));
        assert_eq!(Period::parse("31.02-01.03", today), Err(PeriodError::Date(EntryError::BadDate)));
        assert_eq!(Period::parse("01.12-05.12", today), Err(PeriodError::Future));
        assert_eq!(Period::parse("колись", today), Err(PeriodError::Unknown));
    }
}
