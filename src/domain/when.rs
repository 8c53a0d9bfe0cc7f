//! Due times written the way the owner speaks: `завтра 10:00`, `пт 15:30`, `через 3 дні`,
//! `25.12 9:00`, `сьогодні`, `через 2 години` (Ukrainian first; Russian and English words too).
//!
//! Everything is interpreted in the business time zone and returned in UTC. Local times that do
//! not exist (the spring DST gap) move forward by the gap; ambiguous ones (autumn) take the
//! earlier instant. A day without a time means [`DEFAULT_HOUR`]:00.

use super::ParseError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

pub const DEFAULT_HOUR: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTime(pub DateTime<Utc>);

fn weekday(word: &str) -> Option<Weekday> {
    use Weekday::*;
    let w = word.trim_end_matches('.');
    Some(match w {
        "пн" | "понеділок" | "понедельник" | "mon" | "monday" => Mon,
        "вт" | "вівторок" | "вторник" | "tue" | "tuesday" => Tue,
        "ср" | "середа" | "середу" | "среда" | "среду" | "wed" | "wednesday" => Wed,
        "чт" | "четвер" | "четверг" | "thu" | "thursday" => Thu,
        "пт" | "пятниця" | "пятницю" | "пятница" | "пятницу" | "fri" | "friday" => Fri,
        "сб" | "субота" | "суботу" | "суббота" | "субботу" | "sat" | "saturday" => Sat,
        "нд" | "неділя" | "неділю" | "вс" | "воскресенье" | "sun" | "sunday" => Sun,
        _ => return None,
    })
}

fn day_offset(word: &str) -> Option<i64> {
    Some(match word {
        "сьогодні" | "сегодня" | "today" => 0,
        "завтра" | "tomorrow" => 1,
        "післязавтра" | "послезавтра" => 2,
        _ => return None,
    })
}

enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
}

fn unit(word: &str) -> Option<Unit> {
    let w = word.trim_end_matches('.');
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| w.starts_with(p));
    if starts(&["хв", "мин", "min"]) {
        Some(Unit::Minutes)
    } else if starts(&["год", "час", "hour"]) || w == "h" {
        Some(Unit::Hours)
    } else if starts(&["дн", "ден", "день", "дня", "day", "доб"]) {
        Some(Unit::Days)
    } else if starts(&["тиж", "нед", "week"]) {
        Some(Unit::Weeks)
    } else {
        None
    }
}

fn parse_time(word: &str) -> Option<NaiveTime> {
    let w = word.trim_start_matches('о').trim_start_matches("в");
    let (h, m) = w.split_once([':', '.', '-']).unwrap_or((w, "0"));
    if h.is_empty() || h.len() > 2 || m.len() > 2 || m.is_empty() {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

fn parse_date(word: &str, today: NaiveDate) -> Result<Option<NaiveDate>, ParseError> {
    let parts: Vec<&str> = word.split(['.', '/']).collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Ok(None);
    }
    let day: u32 = parts[0].parse().map_err(|_| ParseError::When)?;
    let month: u32 = parts[1].parse().map_err(|_| ParseError::When)?;
    if parts.len() == 3 {
        let mut year: i32 = parts[2].parse().map_err(|_| ParseError::When)?;
        if year < 100 {
            year += 2000;
        }
        return NaiveDate::from_ymd_opt(year, month, day).map(Some).ok_or(ParseError::When);
    }
    // Without a year: this year, or next year when that date has passed.
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
    match this_year {
        Some(d) if d >= today => Ok(Some(d)),
        Some(_) => NaiveDate::from_ymd_opt(today.year() + 1, month, day).map(Some).ok_or(ParseError::When),
        // A date that does not exist this year may exist next year (29.02); 31.02 never does.
        None => NaiveDate::from_ymd_opt(today.year() + 1, month, day).map(Some).ok_or(ParseError::When),
    }
}

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

fn normalise(input: &str) -> Vec<String> {
    crate::domain::text::search_key(input)
        .replace(',', " ")
        .split_whitespace()
        .filter(|w| !matches!(*w, "о" | "об" | "в" | "at" | "on" | "на"))
        .map(str::to_string)
        .collect()
}

/// `25.12`, `31.02.2025`: digits separated by dots or slashes.
fn looks_like_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['.', '/']).collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

impl DueTime {
    /// Parses a whole phrase; `now` fixes "today" and the past.
    pub fn parse(input: &str, now: DateTime<Utc>, tz: Tz) -> Result<Self, ParseError> {
        let words = normalise(input);
        if words.is_empty() {
            return Err(ParseError::Empty);
        }
        let local_now = now.with_timezone(&tz);
        let today = local_now.date_naive();
        let default_time = NaiveTime::from_hms_opt(DEFAULT_HOUR, 0, 0).expect("valid constant time");
        let w: Vec<&str> = words.iter().map(String::as_str).collect();

        let result = match w.as_slice() {
            // "через 3 дні", "через годину", "через 2 години 30 хв" is not supported: keep it simple.
            ["через", rest @ ..] if !rest.is_empty() && rest.len() <= 2 => {
                let (n, u) = match rest {
                    [n, u] => (n.parse::<i64>().map_err(|_| ParseError::When)?, unit(u).ok_or(ParseError::When)?),
                    [u] => (1, unit(u).ok_or(ParseError::When)?),
                    _ => return Err(ParseError::When),
                };
                if !(1..=1000).contains(&n) {
                    return Err(ParseError::When);
                }
                match u {
                    Unit::Minutes => now + Duration::minutes(n),
                    Unit::Hours => now + Duration::hours(n),
                    Unit::Days => resolve_local(tz, today + Duration::days(n), default_time),
                    Unit::Weeks => resolve_local(tz, today + Duration::weeks(n), default_time),
                }
            }
            [day] | [day, _] => {
                let time = match w.get(1) {
                    Some(t) => Some(parse_time(t).ok_or(ParseError::When)?),
                    None => None,
                };
                let date = if let Some(off) = day_offset(day) {
                    today + Duration::days(off)
                } else if let Some(wd) = weekday(day) {
                    let mut ahead =
                        (7 + wd.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
                    let t = time.unwrap_or(default_time);
                    if ahead == 0 && resolve_local(tz, today, t) <= now {
                        ahead = 7;
                    }
                    today + Duration::days(ahead)
                } else if let Some(d) = parse_date(day, today)? {
                    d
                } else if w.len() == 1 {
                    // A bare time: today if still ahead, otherwise tomorrow.
                    let t = parse_time(day).ok_or(ParseError::When)?;
                    let candidate = resolve_local(tz, today, t);
                    return Self::check_future(
                        if candidate > now { candidate } else { resolve_local(tz, today + Duration::days(1), t) },
                        now,
                    );
                } else {
                    return Err(ParseError::When);
                };
                resolve_local(tz, date, time.unwrap_or(default_time))
            }
            _ => return Err(ParseError::When),
        };
        Self::check_future(result, now)
    }

    fn check_future(t: DateTime<Utc>, now: DateTime<Utc>) -> Result<Self, ParseError> {
        if t <= now {
            Err(ParseError::InPast)
        } else {
            Ok(DueTime(t))
        }
    }

    /// Splits `call Olha завтра 10:00` into the text and the trailing due time, trying the longest
    /// trailing phrase first. Returns the whole input as text when no suffix parses.
    pub fn split_trailing(input: &str, now: DateTime<Utc>, tz: Tz) -> (String, Option<Result<DueTime, ParseError>>) {
        let words: Vec<&str> = input.split_whitespace().collect();
        for take in (1..=3.min(words.len().saturating_sub(1))).rev() {
            let (text, when) = words.split_at(words.len() - take);
            match DueTime::parse(&when.join(" "), now, tz) {
                Ok(d) => return (text.join(" "), Some(Ok(d))),
                Err(ParseError::InPast) => return (text.join(" "), Some(Err(ParseError::InPast))),
                // `31.02 10:00` is meant as a date: say it is impossible rather than keep it as text.
                Err(_) if looks_like_date(when[0]) => return (text.join(" "), Some(Err(ParseError::When))),
                Err(_) => {}
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
        assert_eq!(local("через 3 дні"), "2026-11-28 10:00");
        assert_eq!(local("25.12 9:00"), "2026-12-25 09:00");
        assert_eq!(local("сьогодні 18:00"), "2026-11-25 18:00");
        assert_eq!(local("через 2 години"), "2026-11-25 14:00");
        assert_eq!(local("через годину"), "2026-11-25 13:00");
        assert_eq!(local("п'ятницю о 9"), "2026-11-27 09:00");
        assert_eq!(local("ср 11:00"), "2026-12-02 11:00");
        assert_eq!(local("ср 13:00"), "2026-11-25 13:00");
        assert_eq!(local("10.01"), "2027-01-10 10:00");
        assert_eq!(local("9:30"), "2026-11-26 09:30");
        assert_eq!(local("tomorrow 8:15"), "2026-11-26 08:15");
        assert_eq!(local("через 2 тижні"), "2026-12-09 10:00");
    }

    #[test]
    fn impossible_and_past_dates() {
        assert_eq!(DueTime::parse("31.02.2027", now(), Kyiv), Err(ParseError::When));
        assert_eq!(DueTime::parse("31.02", now(), Kyiv), Err(ParseError::When));
        assert_eq!(DueTime::parse("сьогодні 9:00", now(), Kyiv), Err(ParseError::InPast));
        assert_eq!(DueTime::parse("01.01.2020", now(), Kyiv), Err(ParseError::InPast));
        assert_eq!(DueTime::parse("завтра 25:00", now(), Kyiv), Err(ParseError::When));
        assert_eq!(DueTime::parse("колись", now(), Kyiv), Err(ParseError::When));
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
        let (text, due) = DueTime::split_trailing("Подзвонити Ользі завтра 10:00", now(), Kyiv);
        assert_eq!(text, "Подзвонити Ользі");
        assert!(due.unwrap().is_ok());
        let (_, due) = DueTime::split_trailing("Купити клей 31.02 10:00", now(), Kyiv);
        assert_eq!(due, Some(Err(ParseError::When)));
        let (text, due) = DueTime::split_trailing("Купити клей", now(), Kyiv);
        assert_eq!(text, "Купити клей");
        assert!(due.is_none());
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
            let d = DueTime::parse(&format!("{day:02}.{month:02}.2027 {h}:{m:02}"), now(), Kyiv).unwrap();
            let l = d.0.with_timezone(&Kyiv);
            prop_assert_eq!((l.day(), l.month()), (day, month));
        }
    }
}
