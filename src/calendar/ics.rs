//! The owner's calendar feed (`/calendar/<secret>.ics`), RFC 5545: CRLF lines folded at 75
//! octets on UTF-8 boundaries, escaped TEXT, stable UIDs, and a Europe/Kyiv VTIMEZONE so Google
//! Calendar on her phone shows every visit at the right local time on both sides of DST.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Folds one content line at 75 octets (continuations carry 74 after the leading space).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 74 * 3);
    let mut rest = line;
    let mut limit = 75;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
    out.push_str(rest);
    out
}

/// Escapes a TEXT value: `\`, `;`, `,` and newlines; drops other control characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

const KYIV: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Kyiv\r\nX-LIC-LOCATION:Europe/Kyiv\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0300\r\nTZNAME:EEST\r\nDTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\nDTSTART:19701025T040000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// One event of the feed.
pub struct Event {
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub sequence: i64,
    pub cancelled: bool,
}

/// The whole calendar. Times are local with TZID for Europe/Kyiv (the VTIMEZONE is included);
/// for any other zone they are written in UTC, which every client converts correctly.
pub fn calendar(name: &str, tz: Tz, events: &[Event], now: DateTime<Utc>) -> String {
    let kyiv = matches!(tz.name(), "Europe/Kyiv" | "Europe/Kiev");
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Insoles CRM//Bookings//UK\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape(name))));
    out.push_str("\r\n");
    if kyiv {
        out.push_str("X-WR-TIMEZONE:Europe/Kyiv\r\n");
        out.push_str(KYIV);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let time = |prop: &str, t: DateTime<Utc>| {
        if kyiv {
            format!("{prop};TZID=Europe/Kyiv:{}\r\n", t.with_timezone(&tz).format("%Y%m%dT%H%M%S"))
        } else {
            format!("{prop}:{}\r\n", t.format("%Y%m%dT%H%M%SZ"))
        }
    };
    for e in events {
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{}", e.uid)));
        out.push_str(&format!("\r\nDTSTAMP:{stamp}\r\n"));
        out.push_str(&time("DTSTART", e.start));
        out.push_str(&time("DTEND", e.end));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&e.summary))));
        out.push_str(&format!(
            "\r\nSEQUENCE:{}\r\nSTATUS:{}\r\nEND:VEVENT\r\n",
            e.sequence,
            if e.cancelled { "CANCELLED" } else { "CONFIRMED" }
        ));
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_counts_octets_and_keeps_utf8_whole() {
        let line = format!("SUMMARY:{}", "Діагностика стопи ".repeat(8));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }

    #[test]
    fn escaping_and_kyiv_offsets() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let winter = DateTime::parse_from_rfc3339("2026-03-28T08:00:00Z").unwrap().with_timezone(&Utc);
        let summer = DateTime::parse_from_rfc3339("2026-03-30T07:00:00Z").unwrap().with_timezone(&Utc);
        let ev = |uid: &str, t| Event {
            uid: uid.into(),
            start: t,
            end: t + chrono::Duration::minutes(40),
            summary: "Діагностика, Іван П.".into(),
            sequence: 0,
            cancelled: false,
        };
        let cal = calendar("Записи", chrono_tz::Europe::Kyiv, &[ev("a", winter), ev("b", summer)], winter);
        assert!(cal.contains("DTSTART;TZID=Europe/Kyiv:20260328T100000\r\n"), "UTC+2 before the switch");
        assert!(cal.contains("DTSTART;TZID=Europe/Kyiv:20260330T100000\r\n"), "UTC+3 after it");
        assert!(cal.contains("BEGIN:VTIMEZONE") && cal.contains("SUMMARY:Діагностика\\, Іван П."));
        assert!(cal.ends_with("END:VCALENDAR\r\n") && !cal.replace("\r\n", "").contains('\n'));
        let utc = calendar("x", chrono_tz::Europe::Warsaw, &[ev("a", winter)], winter);
        assert!(utc.contains("DTSTART:20260328T080000Z") && !utc.contains("VTIMEZONE"));
    }
}
