//! Busy time from the owner's Google Calendar (its secret iCal address, `GOOGLE_ICS_URL`).
//!
//! Events are grouped by UID; a weekly/daily/monthly/yearly RRULE (INTERVAL, COUNT, UNTIL, BYDAY
//! for weekly rules) is expanded in the event's own time zone, so 09:00 stays 09:00 across DST;
//! EXDATEs remove occurrences and RECURRENCE-ID events replace them; all-day events block whole
//! local days (DTEND exclusive); cancelled and "free" (TRANSPARENT) events block nothing. An
//! event that cannot be read is skipped and counted; the rest still count.

use crate::domain::schedule::Busy;
use crate::domain::when::resolve_local;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Expansion stops after this many occurrences of one rule (a daily rule over years).
const MAX_OCCURRENCES: usize = 2000;

#[derive(Debug, Default)]
pub struct Import {
    pub busy: Vec<Busy>,
    pub skipped: usize,
}

/// A property line: name, parameters, value.
struct Prop<'a> {
    name: String,
    params: Vec<(String, String)>,
    value: &'a str,
}

fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "")
}

fn parse_line(line: &str) -> Option<Prop<'_>> {
    let (head, value) = line.split_once(':')?;
    let mut parts = head.split(';');
    let name = parts.next()?.to_ascii_uppercase();
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_ascii_uppercase(), v.trim_matches('"').to_string()))
        .collect();
    Some(Prop { name, params, value: value.trim_end_matches('\r') })
}

/// A point in time as written: a date (all-day), a UTC instant, or a local time in a zone.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Date(NaiveDate),
    Utc(DateTime<Utc>),
    Local(NaiveDateTime, Tz),
}

fn zone(name: &str, default: Tz) -> Tz {
    name.parse().unwrap_or(default)
}

fn parse_when(p: &Prop<'_>, default_tz: Tz) -> Option<When> {
    let param = |k: &str| p.params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let v = p.value.trim();
    if param("VALUE") == Some("DATE") || (v.len() == 8 && v.chars().all(|c| c.is_ascii_digit())) {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(When::Date);
    }
    if let Some(utc) = v.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok().map(|t| When::Utc(t.and_utc()));
    }
    let local = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?;
    Some(When::Local(local, param("TZID").map(|z| zone(z, default_tz)).unwrap_or(default_tz)))
}

impl When {
    fn instant(self, tz: Tz) -> DateTime<Utc> {
        match self {
            When::Date(d) => resolve_local(tz, d, NaiveTime::MIN),
            When::Utc(t) => t,
            When::Local(t, z) => resolve_local(z, t.date(), t.time()),
        }
    }

    /// The same wall-clock position moved by whole days (recurrence keeps local time).
    fn plus_days(self, days: i64) -> When {
        match self {
            When::Date(d) => When::Date(d + Duration::days(days)),
            When::Utc(t) => When::Utc(t + Duration::days(days)),
            When::Local(t, z) => When::Local(t + Duration::days(days), z),
        }
    }

    fn date(self) -> NaiveDate {
        match self {
            When::Date(d) => d,
            When::Utc(t) => t.date_naive(),
            When::Local(t, _) => t.date(),
        }
    }

    fn with_date(self, d: NaiveDate) -> When {
        match self {
            When::Date(_) => When::Date(d),
            When::Utc(t) => When::Utc(d.and_time(t.time()).and_utc()),
            When::Local(t, z) => When::Local(d.and_time(t.time()), z),
        }
    }
}

#[derive(Debug, Default)]
struct Event {
    uid: String,
    start: Option<When>,
    end: Option<When>,
    duration: Option<Duration>,
    rrule: Option<String>,
    exdates: Vec<DateTime<Utc>>,
    recurrence_id: Option<DateTime<Utc>>,
    cancelled: bool,
    free: bool,
}

fn parse_duration(v: &str) -> Option<Duration> {
    let v = v.trim().strip_prefix('P')?;
    let (date, time) = v.split_once('T').unwrap_or((v, ""));
    let mut total = Duration::zero();
    let mut num = String::new();
    for (part, is_time) in [(date, false), (time, true)] {
        for c in part.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let n: i64 = num.parse().ok()?;
            num.clear();
            total += match (c, is_time) {
                ('W', false) => Duration::weeks(n),
                ('D', false) => Duration::days(n),
                ('H', true) => Duration::hours(n),
                ('M', true) => Duration::minutes(n),
                ('S', true) => Duration::seconds(n),
                _ => return None,
            };
        }
    }
    Some(total)
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// Occurrence starts of `start` under `rule`, up to `until` (exclusive).
fn expand(start: When, rule: &str, tz: Tz, horizon: DateTime<Utc>) -> Option<Vec<When>> {
    let mut freq = None;
    let mut interval = 1i64;
    let mut count = None;
    let mut until = None;
    let mut byday = vec![];
    for part in rule.split(';') {
        let (k, v) = part.split_once('=')?;
        match k {
            "FREQ" => freq = Some(v.to_string()),
            "INTERVAL" => interval = v.parse().ok().filter(|i: &i64| *i >= 1)?,
            "COUNT" => count = Some(v.parse::<usize>().ok()?),
            "UNTIL" => {
                until = Some(parse_when(&Prop { name: String::new(), params: vec![], value: v }, tz)?.instant(tz))
            }
            "BYDAY" => {
                byday = v
                    .split(',')
                    .map(|d| weekday(d.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+')))
                    .collect::<Option<Vec<_>>>()?
            }
            "WKST" | "BYMONTH" | "BYMONTHDAY" => {}
            _ => return None,
        }
    }
    let limit = until.map_or(horizon, |u| u.min(horizon) + Duration::seconds(1));
    let mut out = vec![];
    let push = |w: When, out: &mut Vec<When>| -> bool {
        if w.instant(tz) >= limit || count.is_some_and(|c| out.len() >= c) || out.len() >= MAX_OCCURRENCES {
            return false;
        }
        out.push(w);
        true
    };
    match freq.as_deref()? {
        "DAILY" => {
            let mut i = 0;
            while push(start.plus_days(i), &mut out) {
                i += interval;
            }
        }
        "WEEKLY" => {
            let days = if byday.is_empty() { vec![start.date().weekday()] } else { byday };
            let week_start = start.date() - Duration::days(start.date().weekday().num_days_from_monday() as i64);
            'weeks: for w in (0..).step_by(interval as usize) {
                let mut this_week: Vec<NaiveDate> = days
                    .iter()
                    .map(|d| week_start + Duration::weeks(w) + Duration::days(d.num_days_from_monday() as i64))
                    .collect();
                this_week.sort();
                for d in this_week {
                    if d < start.date() {
                        continue;
                    }
                    if !push(start.with_date(d), &mut out) {
                        break 'weeks;
                    }
                }
            }
        }
        "MONTHLY" | "YEARLY" => {
            let step = if freq.as_deref() == Some("YEARLY") { 12 * interval } else { interval };
            let d0 = start.date();
            for k in 0.. {
                let months = d0.month0() as i64 + k * step;
                let (y, m) = (d0.year() + (months / 12) as i32, (months % 12) as u32 + 1);
                if y > horizon.year() + 1 {
                    break;
                }
                // A month without that day (31st, 29 Feb) has no occurrence.
                if let Some(d) = NaiveDate::from_ymd_opt(y, m, d0.day()) {
                    if !push(start.with_date(d), &mut out) {
                        break;
                    }
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

fn read_events(text: &str, tz: Tz) -> (Vec<Event>, usize) {
    let text = unfold(text);
    let mut events = vec![];
    let mut skipped = 0;
    let mut current: Option<Event> = None;
    let mut broken = false;
    for line in text.lines() {
        match line.trim_end() {
            "BEGIN:VEVENT" => {
                current = Some(Event::default());
                broken = false;
                continue;
            }
            "END:VEVENT" => {
                if let Some(e) = current.take() {
                    if broken || e.start.is_none() || e.uid.is_empty() {
                        skipped += 1;
                    } else {
                        events.push(e);
                    }
                }
                continue;
            }
            _ => {}
        }
        let Some(e) = current.as_mut() else { continue };
        let Some(p) = parse_line(line) else {
            broken = true;
            continue;
        };
        match p.name.as_str() {
            "UID" => e.uid = p.value.to_string(),
            "DTSTART" => {
                e.start = parse_when(&p, tz).or_else(|| {
                    broken = true;
                    None
                })
            }
            "DTEND" => {
                e.end = parse_when(&p, tz).or_else(|| {
                    broken = true;
                    None
                })
            }
            "DURATION" => {
                e.duration = parse_duration(p.value).or_else(|| {
                    broken = true;
                    None
                })
            }
            "RRULE" => e.rrule = Some(p.value.to_string()),
            "EXDATE" => {
                for v in p.value.split(',') {
                    match parse_when(&Prop { name: p.name.clone(), params: p.params.clone(), value: v }, tz) {
                        Some(w) => e.exdates.push(w.instant(tz)),
                        None => broken = true,
                    }
                }
            }
            "RECURRENCE-ID" => e.recurrence_id = parse_when(&p, tz).map(|w| w.instant(tz)),
            "STATUS" => e.cancelled = p.value.eq_ignore_ascii_case("CANCELLED"),
            "TRANSP" => e.free = p.value.eq_ignore_ascii_case("TRANSPARENT"),
            _ => {}
        }
    }
    (events, skipped)
}

/// Busy intervals overlapping `[from, to)` in a calendar `text`, read in business zone `tz`.
pub fn busy(text: &str, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Import {
    let (events, mut skipped) = read_events(text, tz);
    let mut overrides: HashMap<(String, DateTime<Utc>), &Event> = HashMap::new();
    for e in events.iter().filter(|e| e.recurrence_id.is_some()) {
        if let Some(rid) = e.recurrence_id {
            overrides.insert((e.uid.clone(), rid), e);
        }
    }
    let interval = |e: &Event, start: When| -> Option<Busy> {
        let s = start.instant(tz);
        let length = match (e.end, e.duration, e.start) {
            (Some(end), _, Some(first)) => end.instant(tz) - first.instant(tz),
            (None, Some(d), _) => d,
            (None, None, Some(When::Date(_))) => Duration::days(1),
            _ => Duration::zero(),
        };
        // All-day events end at local midnight however long the day was.
        let end = match (start, e.end, e.start) {
            (When::Date(d), Some(When::Date(end)), Some(When::Date(first))) => {
                resolve_local(tz, d + (end - first), NaiveTime::MIN)
            }
            _ => s + length,
        };
        (end > s).then_some(Busy { start: s, end })
    };
    let mut out = vec![];
    for e in events.iter().filter(|e| e.recurrence_id.is_none()) {
        let Some(start) = e.start else { continue };
        let starts = match &e.rrule {
            Some(rule) => match expand(start, rule, tz, to) {
                Some(s) => s,
                None => {
                    tracing::warn!(uid = %e.uid, rule, "calendar: unsupported recurrence; only the first occurrence counts");
                    skipped += 1;
                    vec![start]
                }
            },
            None => vec![start],
        };
        for occurrence in starts {
            let at = occurrence.instant(tz);
            if e.exdates.contains(&at) {
                continue;
            }
            let (source, when) = match overrides.get(&(e.uid.clone(), at)) {
                Some(o) => (*o, o.start.unwrap_or(occurrence)),
                None => (e, occurrence),
            };
            if source.cancelled || source.free {
                continue;
            }
            if let Some(b) = interval(source, when) {
                if b.end > from && b.start < to {
                    out.push(b);
                }
            }
        }
    }
    out.sort();
    Import { busy: out, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Kyiv;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn durations_and_rules() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("1H"), None);
        let start = When::Local(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap().and_hms_opt(9, 0, 0).unwrap(), Kyiv);
        let monthly = expand(start, "FREQ=MONTHLY;COUNT=3", Kyiv, utc("2027-01-01T00:00:00Z")).unwrap();
        assert_eq!(
            monthly.iter().map(|w| w.date().to_string()).collect::<Vec<_>>(),
            ["2026-01-31", "2026-03-31", "2026-05-31"]
        );
        assert!(expand(start, "FREQ=HOURLY", Kyiv, utc("2027-01-01T00:00:00Z")).is_none());
    }

    #[test]
    fn malformed_events_are_skipped_and_the_rest_kept() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:2026134T99\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\n\
DTSTART:20261201T080000Z\r\nDTEND:20261201T090000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:no uid\r\nDTSTART:20261201T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let r = busy(text, Kyiv, utc("2026-11-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"));
        assert_eq!(r.skipped, 2);
        assert_eq!(r.busy, vec![Busy { start: utc("2026-12-01T08:00:00Z"), end: utc("2026-12-01T09:00:00Z") }]);
    }
}
