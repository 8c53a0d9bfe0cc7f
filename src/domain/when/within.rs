//! Days and times said inside a longer sentence ("запиши Марію на пт 15:00", "хто в мене
//! завтра?"), for the plain-language engine (`core::ask`). The same vocabulary and reading as a
//! due phrase (`phrase::read`), applied to the longest runs of words that read as a time; the
//! words around them (a name, a verb) are left to the caller. Unlike a due time, nothing here is
//! refused for being past (a question may be about last Friday) and a day is only a date: the
//! caller decides what an hour without a part of the day means (a visit at "3" is 15:00).

use super::phrase::{read, Day, Hour};
use super::{on_clock, words::Part};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

/// One run of time words: words `start..end`, the day and the time of day they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    /// The time was said with a part of the day (`вечора`, `дня`) or on the 24-hour clock (`15:00`).
    pub time_exact: bool,
}

/// The day `days` names, counted from `today`: a weekday is the next such day after today; a
/// date without a year is this year (January and February named in November or December: next).
fn date_of(days: &[Day], today: NaiveDate) -> Option<NaiveDate> {
    let one = |d: &Day| -> Option<NaiveDate> {
        Some(match *d {
            Day::Offset(k) | Day::After(k) => today + Duration::days(k),
            Day::Weekday(w) => {
                let ahead = (7 + w.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
                today + Duration::days(if ahead == 0 { 7 } else { ahead })
            }
            Day::Date { day, month, year } => {
                let year =
                    year.unwrap_or(if today.month() >= 11 && month <= 2 { today.year() + 1 } else { today.year() });
                NaiveDate::from_ymd_opt(year, month, day)?
            }
        })
    };
    match days {
        [d] => one(d),
        // `у пт 04.12`: the date decides.
        [Day::Weekday(_), d @ Day::Date { .. }] | [d @ Day::Date { .. }, Day::Weekday(_)] => one(d),
        _ => None,
    }
}

fn time_of(hours: &[Hour], parts: &[Part]) -> Option<(NaiveTime, bool)> {
    let part = parts.first().copied();
    match (hours, part) {
        ([], _) => None,
        ([Hour::Clock(h, m)], None) => Some((NaiveTime::from_hms_opt(*h, *m, 0)?, *h >= 13 || *m > 0)),
        ([Hour::Clock(h, m)], Some(p)) => Some((on_clock(*h, *m, Some(p)).ok()?, true)),
        ([Hour::HalfBefore(n)], p) => {
            let h = if *n == 1 { 12 } else { n - 1 };
            Some((on_clock(h, 30, p).ok()?, p.is_some()))
        }
        ([Hour::Fixed(h)], _) => Some((NaiveTime::from_hms_opt(*h, 0, 0)?, true)),
        _ => None,
    }
}

/// The hour an ordinal names on the 12-hour clock (`третю`, `пятого`: 3, 5), as in `пів на третю`.
pub fn ordinal_hour(w: &str) -> Option<u32> {
    match super::words::word(w) {
        Some(super::words::Word::OrdinalHour(h)) => Some(h),
        _ => None,
    }
}

/// Every run of time words in `words` (already `text::search_key`ed), longest first, left to right.
pub fn within(words: &[&str], today: NaiveDate) -> Vec<Found> {
    let mut out = vec![];
    let mut i = 0;
    while i < words.len() {
        let mut took = None;
        for j in (i + 1..=words.len().min(i + 6)).rev() {
            let Ok(r) = read(&words[i..j]) else { continue };
            if r.minutes.is_some() || r.past_day {
                continue;
            }
            let date = if r.days.is_empty() { None } else { date_of(&r.days, today) };
            let time = time_of(&r.hours, &r.parts);
            if date.is_none() && time.is_none() {
                continue;
            }
            let (time, time_exact) = time.map_or((None, false), |(t, e)| (Some(t), e));
            took = Some(Found { start: i, end: j, date, time, time_exact });
            break;
        }
        match took {
            Some(f) => {
                i = f.end;
                out.push(f);
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn found(s: &str) -> Vec<(Option<String>, Option<String>)> {
        let key = crate::domain::text::search_key(s);
        let words: Vec<&str> = key.split_whitespace().collect();
        within(&words, today())
            .into_iter()
            .map(|f| (f.date.map(|d| d.to_string()), f.time.map(|t| t.format("%H:%M").to_string())))
            .collect()
    }

    #[test]
    fn days_and_times_inside_sentences() {
        let d = |s: &str| Some(s.to_string());
        assert_eq!(found("запиши Марію на пт 15:00"), vec![(d("2026-12-04"), d("15:00"))]);
        assert_eq!(found("хто в мене завтра?".trim_end_matches('?')), vec![(d("2026-12-02"), None)]);
        assert_eq!(found("у вівторок о 3 дня"), vec![(d("2026-12-08"), d("15:00"))]);
        assert_eq!(found("5 грудня на 10"), vec![(d("2026-12-05"), d("10:00"))]);
        assert_eq!(found("на пт пів на пяту"), vec![(d("2026-12-04"), d("04:30"))]);
        assert_eq!(found("замовлення 17 1300"), vec![]);
        assert_eq!(found("10.01"), vec![(d("2027-01-10"), None)]);
    }
}
