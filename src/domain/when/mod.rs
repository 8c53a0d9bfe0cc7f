//! Due times written the way the owner speaks: `завтра 10:00`, `пт 15:30`, `14 лютого 11:00`,
//! `в обід`, `через півтори години`, `в субботу в 10 утра` (Ukrainian first; Russian, surzhyk
//! and a little English too).
//!
//! A phrase is understood exactly or refused with the reason (never a guess): an unknown word,
//! a period or two readings (`наступного тижня`, `15`, `пів на третю`), a date or hour that
//! does not exist (`31 лютого`, `25:00`, `о 15 ранку`, a wall time in the spring DST gap), or a
//! moment already past. `phrase` reads the words, this module resolves them in the business
//! time zone: a time with no day is the next such time; a day, a weekday or a date with no time
//! is at [`DayParts::no_time`]; a date with no year is this year, or next year for January and
//! February named in November or December. The rules, and a table of 321 phrases written before
//! this parser, are in `tests/data/due_phrases.{md,jsonl}` (the test `due_phrases`).

mod phrase;
mod within;
mod words;

pub use within::{ordinal_hour, within, Found};

use super::ParseError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use phrase::{Day, Hour, Why};
use words::Part;

/// The hours the parts of the day mean, from the settings (`[day_parts]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayParts {
    pub morning: u32,
    pub lunch: u32,
    pub after_lunch: u32,
    pub evening: u32,
    /// The hour of a day named without a time (`завтра`, `пт`, `14 лютого`).
    pub no_time: u32,
}

impl Default for DayParts {
    fn default() -> Self {
        DayParts { morning: 9, lunch: 13, after_lunch: 15, evening: 18, no_time: 9 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTime(pub DateTime<Utc>);

/// Resolves a local date and time in `tz`, moving through the DST gap and taking the earlier of
/// two ambiguous instants.
pub fn resolve_local(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let later = naive + Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
        }
    }
}

fn refusal(why: Why) -> ParseError {
    match why {
        Why::Unknown => ParseError::When,
        Why::Ambiguous | Why::LeadingNumber => ParseError::WhenAmbiguous,
        Why::Impossible => ParseError::WhenImpossible,
        Why::Past => ParseError::InPast,
    }
}

/// An hour as the part of the day next to it says (`7` + evening = 19), or why it cannot be.
pub(super) fn on_clock(h: u32, m: u32, part: Option<Part>) -> Result<NaiveTime, Why> {
    let h = match part {
        None => h,
        Some(Part::Morning) if (4..=11).contains(&h) => h,
        Some(Part::Afternoon | Part::Lunch | Part::AfterLunch) if h == 12 || (13..=17).contains(&h) => h,
        Some(Part::Afternoon | Part::Lunch | Part::AfterLunch) if (1..=5).contains(&h) => h + 12,
        Some(Part::Evening) if (5..=11).contains(&h) => h + 12,
        Some(Part::Evening) if (17..=23).contains(&h) => h,
        Some(Part::Night) if h == 12 || h == 0 => 0,
        Some(Part::Night) if (1..=4).contains(&h) => h,
        Some(Part::Night) if (9..=11).contains(&h) => h + 12,
        Some(_) => return Err(Why::Impossible),
    };
    NaiveTime::from_hms_opt(h, m, 0).ok_or(Why::Impossible)
}

/// The time of day a phrase names, if any.
fn time_of_day(hours: &[Hour], parts: &[Part], p: &DayParts) -> Result<Option<NaiveTime>, Why> {
    if hours.len() > 1 || parts.len() > 1 {
        return Err(Why::Ambiguous);
    }
    let part = parts.first().copied();
    let t = match (hours.first(), part) {
        (None, None) => return Ok(None),
        (None, Some(Part::Night | Part::Afternoon)) => return Err(Why::Ambiguous),
        (None, Some(part)) => {
            let h = match part {
                Part::Morning => p.morning,
                Part::Lunch => p.lunch,
                Part::AfterLunch => p.after_lunch,
                _ => p.evening,
            };
            NaiveTime::from_hms_opt(h, 0, 0).ok_or(Why::Impossible)?
        }
        (Some(Hour::Fixed(h)), None) => NaiveTime::from_hms_opt(*h, 0, 0).ok_or(Why::Impossible)?,
        (Some(Hour::Fixed(_)), Some(_)) => return Err(Why::Ambiguous),
        (Some(Hour::HalfBefore(_)), None) => return Err(Why::Ambiguous),
        (Some(Hour::HalfBefore(n)), Some(part)) => on_clock(if *n == 1 { 12 } else { n - 1 }, 30, Some(part))?,
        (Some(Hour::Clock(h, m)), part) => {
            if *h > 23 || *m > 59 {
                return Err(Why::Impossible);
            }
            on_clock(*h, *m, part)?
        }
    };
    Ok(Some(t))
}

fn days_in(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The calendar day a phrase names, checked against now (`Past`) and its own fields.
fn date_of(days: &[Day], time: Option<NaiveTime>, now: NaiveDateTime, p: &DayParts) -> Result<Option<NaiveDate>, Why> {
    let today = now.date();
    let at = time.unwrap_or_else(|| NaiveTime::from_hms_opt(p.no_time, 0, 0).unwrap_or(NaiveTime::MIN));
    let weekday = days.iter().find_map(|d| if let Day::Weekday(w) = d { Some(*w) } else { None });
    let date = match days {
        [] => return Ok(None),
        [Day::Offset(k)] => today + Duration::days(*k),
        [Day::After(n)] => today + Duration::days(*n),
        [Day::Weekday(w)] => {
            let ahead = (7 + w.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
            let today_still = ahead == 0 && time.is_some_and(|t| today.and_time(t) > now);
            today + Duration::days(if ahead == 0 && !today_still { 7 } else { ahead })
        }
        [Day::Date { day, month, year }]
        | [Day::Weekday(_), Day::Date { day, month, year }]
        | [Day::Date { day, month, year }, Day::Weekday(_)] => {
            if !(1..=12).contains(month) || *day == 0 || *day > days_in(*month) {
                return Err(Why::Impossible);
            }
            let year = match year {
                Some(y) => *y,
                None if (*month, *day) >= (today.month(), today.day()) => today.year(),
                None if today.month() >= 11 && *month <= 2 => today.year() + 1,
                None => return Err(Why::Past),
            };
            let date = NaiveDate::from_ymd_opt(year, *month, *day);
            if let (Some(w), Some(d)) = (weekday, date) {
                if d.weekday() != w {
                    return Err(Why::Ambiguous);
                }
            }
            if date.is_some_and(|d| d.and_time(at) <= now) {
                return Err(Why::Past);
            }
            date.ok_or(Why::Impossible)?
        }
        _ => return Err(Why::Ambiguous),
    };
    if date.and_time(at) <= now {
        return Err(Why::Past);
    }
    Ok(Some(date))
}

/// A wall time that must exist: the spring gap is refused, the autumn hour taken the first time.
fn exact(tz: Tz, at: NaiveDateTime) -> Result<DateTime<Utc>, Why> {
    match tz.from_local_datetime(&at) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(Why::Impossible),
    }
}

fn resolve(input: &str, now: DateTime<Utc>, tz: Tz, p: &DayParts) -> Result<DueTime, Why> {
    let key = crate::domain::text::search_key(&input.replace(',', " "));
    let words: Vec<&str> = key.split_whitespace().collect();
    let read = phrase::read(&words)?;
    if let Some(minutes) = read.minutes {
        if !read.days.is_empty() || !read.hours.is_empty() || !read.parts.is_empty() {
            return Err(Why::Ambiguous);
        }
        return Ok(DueTime(now + Duration::minutes(minutes)));
    }
    let time = time_of_day(&read.hours, &read.parts, p)?;
    if read.past_day {
        return Err(if read.days.is_empty() { Why::Past } else { Why::Ambiguous });
    }
    let local_now = now.with_timezone(&tz).naive_local();
    let local_now = local_now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(local_now);
    let at = match date_of(&read.days, time, local_now, p)? {
        Some(date) => {
            let keep_wall_time = matches!(read.days.as_slice(), [Day::After(_)]);
            let t = match time {
                Some(t) => t,
                None if keep_wall_time => local_now.time(),
                None => NaiveTime::from_hms_opt(p.no_time, 0, 0).ok_or(Why::Impossible)?,
            };
            date.and_time(t)
        }
        None => {
            let t = time.ok_or(Why::Unknown)?;
            let today = local_now.date();
            if today.and_time(t) > local_now {
                today.and_time(t)
            } else {
                (today + Duration::days(1)).and_time(t)
            }
        }
    };
    let due = exact(tz, at)?;
    if due <= now {
        return Err(Why::Past);
    }
    Ok(DueTime(due))
}

impl DueTime {
    /// Parses a whole phrase with the default hours of the parts of the day; `now` fixes
    /// "today" and the past.
    pub fn parse(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<Self, ParseError> {
        Self::parse_with(input, now, tz, &DayParts::default())
    }

    /// Parses a whole phrase with the owner's hours of the parts of the day.
    pub fn parse_with(input: &str, now: DateTime<Utc>, tz: Tz, parts: &DayParts) -> Result<Self, ParseError> {
        if input.trim().is_empty() {
            return Err(ParseError::Empty);
        }
        resolve(input, now, tz, parts).map_err(refusal)
    }

    /// Splits `Подзвонити Ользі завтра 10:00` into the text and the trailing due phrase: the
    /// longest trailing run of words that reads as a time, understood or refused. Words that are
    /// not time words (`колись`, a name) stay in the text; so does a leading bare number
    /// (`Купити 2 завтра`: the due phrase is `завтра`).
    pub fn split_trailing(
        input: &str,
        now: DateTime<Utc>,
        tz: Tz,
        parts: &DayParts,
    ) -> (String, Option<Result<DueTime, ParseError>>) {
        let words: Vec<&str> = input.split_whitespace().collect();
        for take in (1..=8.min(words.len().saturating_sub(1))).rev() {
            let (text, when) = words.split_at(words.len() - take);
            match resolve(&when.join(" "), now, tz, parts) {
                Ok(d) => return (text.join(" "), Some(Ok(d))),
                Err(Why::Unknown | Why::LeadingNumber) => {}
                Err(why) => return (text.join(" "), Some(Err(refusal(why)))),
            }
        }
        (words.join(" "), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Kyiv;
    use proptest::prelude::*;

    /// Wednesday 2026-11-25 12:00 in Kyiv (UTC+2).
    fn now() -> DateTime<Utc> {
        resolve_local(Kyiv, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), NaiveTime::from_hms_opt(12, 0, 0).unwrap())
    }

    fn local(input: &str) -> String {
        DueTime::parse(input, now(), Kyiv).unwrap().0.with_timezone(&Kyiv).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn ukrainian_phrases() {
        assert_eq!(local("завтра 10:00"), "2026-11-26 10:00");
        assert_eq!(local("пт 15:30"), "2026-11-27 15:30");
        assert_eq!(local("через 3 дні"), "2026-11-28 12:00");
        assert_eq!(local("25.12 9:00"), "2026-12-25 09:00");
        assert_eq!(local("сьогодні 18:00"), "2026-11-25 18:00");
        assert_eq!(local("через 2 години"), "2026-11-25 14:00");
        assert_eq!(local("через годину"), "2026-11-25 13:00");
        assert_eq!(local("п'ятницю о 9"), "2026-11-27 09:00");
        assert_eq!(local("ср 11:00"), "2026-12-02 11:00");
        assert_eq!(local("ср 13:00"), "2026-11-25 13:00");
        assert_eq!(local("10.01"), "2027-01-10 09:00");
        assert_eq!(local("9:30"), "2026-11-26 09:30");
        assert_eq!(local("tomorrow 8:15"), "2026-11-26 08:15");
        assert_eq!(local("через 2 тижні"), "2026-12-09 12:00");
    }

    #[test]
    fn impossible_and_past_dates() {
        assert_eq!(DueTime::parse("31.02.2027", now(), Kyiv), Err(ParseError::WhenImpossible));
        assert_eq!(DueTime::parse("31.02", now(), Kyiv), Err(ParseError::WhenImpossible));
        assert_eq!(DueTime::parse("сьогодні 9:00", now(), Kyiv), Err(ParseError::InPast));
        assert_eq!(DueTime::parse("01.01.2020", now(), Kyiv), Err(ParseError::InPast));
        assert_eq!(DueTime::parse("завтра 25:00", now(), Kyiv), Err(ParseError::WhenImpossible));
        assert_eq!(DueTime::parse("колись", now(), Kyiv), Err(ParseError::When));
    }

    #[test]
    fn a_typed_time_in_the_spring_gap_is_refused() {
        assert_eq!(DueTime::parse("28.03.2027 3:30", now(), Kyiv), Err(ParseError::WhenImpossible));
        assert!(DueTime::parse("28.03.2027 4:30", now(), Kyiv).is_ok());
    }

    #[test]
    fn dst_gap_moves_forward() {
        // 2027-03-28 03:30 does not exist in Kyiv (clocks jump 03:00 -> 04:00).
        let t = resolve_local(
            Kyiv,
            NaiveDate::from_ymd_opt(2027, 3, 28).unwrap(),
            NaiveTime::from_hms_opt(3, 30, 0).unwrap(),
        );
        assert_eq!(t.with_timezone(&Kyiv).format("%H:%M").to_string(), "04:30");
    }

    #[test]
    fn split_trailing_finds_the_time() {
        let (text, due) = DueTime::split_trailing("Подзвонити Ользі завтра 10:00", now(), Kyiv, &DayParts::default());
        assert_eq!(text, "Подзвонити Ользі");
        assert!(due.unwrap().is_ok());
        let (_, due) = DueTime::split_trailing("Купити клей 31.02 10:00", now(), Kyiv, &DayParts::default());
        assert_eq!(due, Some(Err(ParseError::WhenImpossible)));
        let (text, due) = DueTime::split_trailing("Купити клей", now(), Kyiv, &DayParts::default());
        assert_eq!(text, "Купити клей");
        assert!(due.is_none());
        let split = |s: &str| {
            let (text, due) = DueTime::split_trailing(s, now(), Kyiv, &DayParts::default());
            (text, due.map(|d| d.map(|d| d.0.with_timezone(&Kyiv).format("%d.%m %H:%M").to_string())))
        };
        // A part of the day is a due time, not text; a leading number stays in the text.
        assert_eq!(split("Подзвонити Ользі в обід"), ("Подзвонити Ользі".into(), Some(Ok("25.11 13:00".into()))));
        assert_eq!(split("Купити 2 завтра"), ("Купити 2".into(), Some(Ok("26.11 09:00".into()))));
        assert_eq!(split("Подзвонити 14 лютого 11:00"), ("Подзвонити".into(), Some(Ok("14.02 11:00".into()))));
        // A period or a vague word is no due time: it stays in the text.
        assert_eq!(split("Замовити EVA на тиждень"), ("Замовити EVA на тиждень".into(), None));
        assert_eq!(split("Подзвонити колись"), ("Подзвонити колись".into(), None));
        // Refused, not guessed.
        assert_eq!(split("Подзвонити завтра 15").1, Some(Err(ParseError::WhenAmbiguous)));
        assert_eq!(split("Подзвонити сьогодні 9:00").1, Some(Err(ParseError::InPast)));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_is_never_in_the_past(s in "\\PC{0,30}") {
            if let Ok(d) = DueTime::parse(&s, now(), Kyiv) {
                prop_assert!(d.0 > now());
            }
        }

        #[test]
        fn every_valid_date_with_time_parses(day in 1u32..=28, month in 1u32..=12, h in 0u32..24, m in 0u32..60) {
            // A clock time skipped when summer time starts (03:00–03:59 on the last Sunday of
            // March in Kyiv) does not exist: refused, as `a_typed_time_in_the_spring_gap_is_refused` checks.
            let local = chrono::NaiveDate::from_ymd_opt(2027, month, day).unwrap().and_hms_opt(h, m, 0).unwrap();
            prop_assume!(Kyiv.from_local_datetime(&local).earliest().is_some());
            let d = DueTime::parse(&format!("{day:02}.{month:02}.2027 {h}:{m:02}"), now(), Kyiv).unwrap();
            let l = d.0.with_timezone(&Kyiv);
            prop_assert_eq!((l.day(), l.month()), (day, month));
        }
    }
}
