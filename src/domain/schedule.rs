//! Working hours and free slots.
//!
//! Everything is computed in the business time zone: a day's opening hours are local times, each
//! candidate start is resolved to an instant (a start that falls into the spring DST gap does not
//! exist and is skipped; an autumn repeat takes the earlier instant), and busy time (bookings with
//! their buffers, private calendar events) is a list of instants. A visit fits the day when its
//! real end (start plus duration) is no later than the instant of closing, so one that straddles
//! the spring gap (02:30 + 40 min = 04:10) is not offered at a 04:00 close. Pure functions: the
//! store loads, this decides.

use super::when::resolve_local;
use super::ParseError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Opening hours of one day, `[open, close)` local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
}

impl DayHours {
    /// `10:00-18:00` (also `10-18`, `10:00 – 18:00`).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let cleaned = input.replace(['–', '—'], "-").replace(' ', "");
        let (a, b) = cleaned.split_once('-').ok_or(ParseError::When)?;
        let time = |s: &str| {
            let (h, m) = s.split_once([':', '.']).unwrap_or((s, "0"));
            NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
        };
        let (open, close) = (time(a).ok_or(ParseError::When)?, time(b).ok_or(ParseError::When)?);
        if open >= close {
            return Err(ParseError::When);
        }
        Ok(DayHours { open, close })
    }

    pub fn format(&self) -> String {
        format!("{}-{}", self.open.format("%H:%M"), self.close.format("%H:%M"))
    }
}

/// The studio's week and its exceptions (a day off is `None`, a short day `Some`).
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// Monday first.
    pub weekly: [Option<DayHours>; 7],
    pub exceptions: HashMap<NaiveDate, Option<DayHours>>,
}

impl Schedule {
    pub fn hours_on(&self, day: NaiveDate) -> Option<DayHours> {
        match self.exceptions.get(&day) {
            Some(h) => *h,
            None => self.weekly[day.weekday().num_days_from_monday() as usize],
        }
    }
}

/// A bookable service: how long the visit is, and the pause after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub code: String,
    pub duration: Duration,
    pub buffer: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Distance between candidate starts.
    pub step: Duration,
    pub min_notice: Duration,
    pub horizon: Duration,
}

/// A busy stretch of time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Sorts and merges overlapping busy stretches, so a single forward sweep can test slots.
pub fn merge(mut busy: Vec<Busy>) -> Vec<Busy> {
    busy.sort();
    let mut out: Vec<Busy> = Vec::with_capacity(busy.len());
    for b in busy {
        match out.last_mut() {
            Some(last) if b.start <= last.end => last.end = last.end.max(b.end),
            _ => out.push(b),
        }
    }
    out
}

/// Where and when slots are looked for: the local days `from..=to` in `tz`, as seen at `now`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Local candidate start times of a day: every `step` from opening while the visit fits.
fn candidates(hours: DayHours, duration: Duration, step: Duration) -> Vec<NaiveTime> {
    let mut out = vec![];
    let mut t = hours.open;
    loop {
        let (end, wrapped) = t.overflowing_add_signed(duration);
        if wrapped != 0 || end > hours.close || end <= t {
            return out;
        }
        out.push(t);
        let (next, wrapped) = t.overflowing_add_signed(step);
        if wrapped != 0 || next <= t {
            return out;
        }
        t = next;
    }
}

/// Free starts for `service` in `window`, given merged `busy` time.
pub fn free_slots(
    schedule: &Schedule,
    service: &Service,
    rules: &Rules,
    busy: &[Busy],
    window: Window,
) -> Vec<DateTime<Utc>> {
    let Window { now, tz, from, to } = window;
    let earliest = now + rules.min_notice;
    let latest = now + rules.horizon;
    let mut out = vec![];
    let mut i = 0;
    for day in from.iter_days().take_while(|d| *d <= to) {
        let Some(hours) = schedule.hours_on(day) else { continue };
        for t in candidates(hours, service.duration, rules.step) {
            let start = resolve_local(tz, day, t);
            // A start inside the spring DST gap does not exist.
            if start.with_timezone(&tz).time() != t || start < earliest || start > latest {
                continue;
            }
            // The visit lasts its real duration: one that starts before the spring gap ends an
            // hour later on the clock, and must still end by closing time.
            if start + service.duration > resolve_local(tz, day, hours.close) {
                continue;
            }
            let block_end = start + service.duration + service.buffer;
            while i < busy.len() && busy[i].end <= start {
                i += 1;
            }
            if !busy[i..].iter().take_while(|b| b.start < block_end).any(|b| b.end > start) {
                out.push(start);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Kyiv;
    use proptest::prelude::*;

    fn week() -> Schedule {
        let h = |s| Some(DayHours::parse(s).unwrap());
        Schedule {
            weekly: [
                h("10:00-18:00"),
                h("10:00-18:00"),
                h("10:00-18:00"),
                h("10:00-18:00"),
                h("10:00-18:00"),
                h("10-14"),
                None,
            ],
            exceptions: HashMap::new(),
        }
    }

    fn diag() -> Service {
        Service { code: "diagnostics".into(), duration: Duration::minutes(40), buffer: Duration::minutes(10) }
    }

    fn rules() -> Rules {
        Rules { step: Duration::minutes(30), min_notice: Duration::hours(2), horizon: Duration::days(30) }
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        resolve_local(Kyiv, NaiveDate::from_ymd_opt(y, m, d).unwrap(), NaiveTime::from_hms_opt(h, min, 0).unwrap())
    }

    fn local(ts: &[DateTime<Utc>]) -> Vec<String> {
        ts.iter().map(|t| t.with_timezone(&Kyiv).format("%d.%m %H:%M").to_string()).collect()
    }

    #[test]
    fn hours_parse() {
        assert_eq!(DayHours::parse("10-18").unwrap().format(), "10:00-18:00");
        assert_eq!(DayHours::parse("9:30 – 13:00").unwrap().format(), "09:30-13:00");
        assert!(DayHours::parse("18-10").is_err());
        assert!(DayHours::parse("25:00-26:00").is_err());
    }

    #[test]
    fn saturday_slots_respect_notice_busy_and_closing() {
        let now = at(2026, 11, 27, 12, 0); // Friday noon
        let sat = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let busy = merge(vec![Busy { start: at(2026, 11, 28, 11, 0), end: at(2026, 11, 28, 11, 50) }]);
        let slots = free_slots(&week(), &diag(), &rules(), &busy, Window { now, tz: Kyiv, from: sat, to: sat });
        // 10:00 (ends 10:50 < 11:00), 10:30 clashes (block to 11:20), 11:00 busy, 11:30 clashes (busy to 11:50),
        // 12:00, 12:30, 13:00 (visit ends 13:40 < 14:00); 13:30 would end 14:10.
        assert_eq!(local(&slots), ["28.11 10:00", "28.11 12:00", "28.11 12:30", "28.11 13:00"]);
        let sun = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(free_slots(&week(), &diag(), &rules(), &[], Window { now, tz: Kyiv, from: sun, to: sun }).is_empty());
    }

    #[test]
    fn exceptions_close_or_shorten_a_day() {
        let mut s = week();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        s.exceptions.insert(mon, None);
        let now = at(2026, 11, 27, 12, 0);
        assert!(free_slots(&s, &diag(), &rules(), &[], Window { now, tz: Kyiv, from: mon, to: mon }).is_empty());
        s.exceptions.insert(mon, Some(DayHours::parse("10-11").unwrap()));
        assert_eq!(
            local(&free_slots(&s, &diag(), &rules(), &[], Window { now, tz: Kyiv, from: mon, to: mon })),
            ["30.11 10:00"]
        );
    }

    #[test]
    fn dst_days_have_the_right_instants() {
        let mut s = week();
        let spring = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap(); // last Sunday of March
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(); // last Sunday of October
        s.exceptions.insert(spring, Some(DayHours::parse("02:00-05:00").unwrap()));
        s.exceptions.insert(autumn, Some(DayHours::parse("10:00-12:00").unwrap()));
        let r = Rules { horizon: Duration::days(400), ..rules() };
        let now = at(2026, 10, 1, 9, 0);
        let spring_slots = free_slots(&s, &diag(), &r, &[], Window { now, tz: Kyiv, from: spring, to: spring });
        // 03:00 and 03:30 do not exist that night.
        assert_eq!(local(&spring_slots), ["28.03 02:00", "28.03 02:30", "28.03 04:00"]);
        assert_eq!(spring_slots[2] - spring_slots[0], Duration::hours(1), "02:00 EET to 04:00 EEST is one real hour");
        let autumn_slots = free_slots(&s, &diag(), &r, &[], Window { now, tz: Kyiv, from: autumn, to: autumn });
        assert_eq!(local(&autumn_slots), ["25.10 10:00", "25.10 10:30", "25.10 11:00"]);
        assert_eq!(autumn_slots[0].format("%H:%M").to_string(), "08:00", "UTC+2 after the switch");
    }

    /// The four DST Sundays of 2026 and 2027 in Kyiv: spring 03:00→04:00, autumn 04:00→03:00.
    const DST_DAYS: [(i32, u32, u32); 4] = [(2026, 3, 29), (2026, 10, 25), (2027, 3, 28), (2027, 10, 31)];

    #[test]
    fn a_visit_that_straddles_the_spring_gap_ends_by_closing_time_in_real_time() {
        // 02:00-04:00 on the spring Sunday: 02:30 + 40 min of real time is 04:10 local, after closing.
        let spring = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        let mut s = week();
        s.exceptions.insert(spring, Some(DayHours::parse("02:00-04:00").unwrap()));
        let r = Rules { step: Duration::minutes(10), horizon: Duration::days(400), ..rules() };
        let now = at(2026, 10, 1, 9, 0);
        let slots = free_slots(&s, &diag(), &r, &[], Window { now, tz: Kyiv, from: spring, to: spring });
        assert_eq!(local(&slots), ["28.03 02:00", "28.03 02:10", "28.03 02:20"], "02:20 ends at 04:00 sharp");
        // Autumn, 02:00-04:00: 03:30 (the first one, summer time) + 40 min is 03:10 winter time.
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        s.exceptions.insert(autumn, Some(DayHours::parse("02:00-04:00").unwrap()));
        let slots = free_slots(&s, &diag(), &r, &[], Window { now, tz: Kyiv, from: autumn, to: autumn });
        for slot in &slots {
            assert_eq!(*slot + diag().duration - *slot, Duration::minutes(40));
            let end = (*slot + diag().duration).with_timezone(&Kyiv);
            assert!(end.date_naive() == autumn && end.time() <= NaiveTime::from_hms_opt(4, 0, 0).unwrap());
        }
        assert!(local(&slots).contains(&"25.10 03:20".to_string()), "{:?}", local(&slots));
    }

    proptest! {
        /// Across all four DST switches of 2026-2027, with hours around the night of the switch
        /// and busy time on both sides of it, every slot exists, stays inside the day's hours in
        /// real time, keeps clear of busy time and of the notice, and slots only go forward.
        #[test]
        fn no_slot_crosses_busy_time_or_closing_across_dst(
            which in 0usize..4,
            open_half_hours in 0u32..12,
            len_half_hours in 1u32..12,
            step_min in prop_oneof![Just(10i64), Just(20), Just(30), Just(60)],
            duration_min in 1i64..13,
            raw in proptest::collection::vec((0i64..(3 * 24 * 6), 1i64..12), 0..12),
            now_offset in 0i64..(24 * 6),
        ) {
            let (y, m, d) = DST_DAYS[which];
            let switch = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let open = NaiveTime::from_hms_opt(0, 0, 0).unwrap() + Duration::minutes(30 * open_half_hours as i64);
            let close = (open + Duration::minutes(30 * len_half_hours as i64)).min(NaiveTime::from_hms_opt(23, 59, 0).unwrap());
            prop_assume!(open < close);
            let mut schedule = week();
            for day in [switch.pred_opt().unwrap(), switch, switch.succ_opt().unwrap()] {
                schedule.exceptions.insert(day, Some(DayHours { open, close }));
            }
            let svc = Service { code: "x".into(), duration: Duration::minutes(duration_min * 10), buffer: Duration::minutes(10) };
            let rules = Rules { step: Duration::minutes(step_min), min_notice: Duration::hours(2), horizon: Duration::days(30) };
            let base = at(y, m, d - 1, 0, 0);
            let busy: Vec<Busy> = raw.iter().map(|(s, len)| Busy { start: base + Duration::minutes(s * 10), end: base + Duration::minutes((s + len) * 10) }).collect();
            let now = base - Duration::days(1) + Duration::minutes(now_offset * 10);
            let window = Window { now, tz: Kyiv, from: switch.pred_opt().unwrap(), to: switch.succ_opt().unwrap() };
            let slots = free_slots(&schedule, &svc, &rules, &merge(busy.clone()), window);
            for pair in slots.windows(2) {
                prop_assert!(pair[0] < pair[1], "slots out of order: {pair:?}");
            }
            for s in slots {
                let block = s + svc.duration + svc.buffer;
                prop_assert!(busy.iter().all(|b| b.end <= s || b.start >= block), "{s} clashes");
                prop_assert!(s >= now + rules.min_notice);
                let (start, end) = (s.with_timezone(&Kyiv), (s + svc.duration).with_timezone(&Kyiv));
                prop_assert_eq!(resolve_local(Kyiv, start.date_naive(), start.time()), s, "{} does not exist", start);
                prop_assert!(start.time() >= open, "{start} before opening");
                let closing = resolve_local(Kyiv, start.date_naive(), close);
                prop_assert!(end.date_naive() == start.date_naive() && end <= closing, "{start} ends {end}, after {close}");
            }
        }

        #[test]
        fn no_slot_ever_touches_busy_time_or_leaves_the_day(
            raw in proptest::collection::vec((0i64..(14 * 24 * 6), 1i64..18), 0..60),
            now_offset in 0i64..(24 * 6),
        ) {
            let base = at(2026, 11, 23, 0, 0);
            let busy: Vec<Busy> = raw.iter().map(|(s, len)| Busy { start: base + Duration::minutes(s * 10), end: base + Duration::minutes((s + len) * 10) }).collect();
            let merged = merge(busy.clone());
            let now = base + Duration::minutes(now_offset * 10);
            let from = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let to = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
            let svc = diag();
            for s in free_slots(&week(), &svc, &rules(), &merged, Window { now, tz: Kyiv, from, to }) {
                let block = s + svc.duration + svc.buffer;
                prop_assert!(busy.iter().all(|b| b.end <= s || b.start >= block), "{s} clashes");
                prop_assert!(s >= now + Duration::hours(2));
                let l = s.with_timezone(&Kyiv);
                let hours = week().hours_on(l.date_naive()).unwrap();
                prop_assert!(l.time() >= hours.open && (l + svc.duration).time() <= hours.close);
            }
        }
    }
}
