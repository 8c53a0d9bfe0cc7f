//! A due phrase read into what it names (a day, an hour, a part of the day, an amount of time
//! from now) before any of it is turned into an instant. Reading is order-free (`10:00 завтра`)
//! and strict: an unknown word makes the whole phrase unknown, a word that names a period or a
//! number that could be a day or an hour makes it ambiguous. `mod.rs` resolves what is read.

use super::words::{after_lunch, word, Part, Unit, Word};
use chrono::Weekday;

/// Why a phrase is refused, in the order the rules check them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// No day or time this vocabulary knows (`колись`, a typo).
    Unknown,
    /// A period or more than one reading (`наступного тижня`, `15`, `пів на третю`).
    Ambiguous,
    /// Ambiguous only because the phrase starts with a bare number: in `/task Купити 2 завтра`
    /// the number belongs to the text.
    LeadingNumber,
    /// A date or time that does not exist (`31 лютого`, `25:00`, `о 15 ранку`, the DST gap).
    Impossible,
    /// Not later than now.
    Past,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    /// Today plus days (`сьогодні`, `завтра`, `післязавтра`).
    Offset(i64),
    Weekday(Weekday),
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// `через 3 дні`: calendar days from today, at now's wall time unless an hour is given.
    After(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hour {
    /// An hour and minutes as written (24-hour unless a part of the day says otherwise).
    Clock(u32, u32),
    /// `пів на третю`: the half hour before the ordinal, on the 12-hour clock (1–12).
    HalfBefore(u32),
    /// `опівночі`, `опівдні`: exact, no part of the day applies.
    Fixed(u32),
}

/// What a phrase names.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Read {
    pub days: Vec<Day>,
    pub hours: Vec<Hour>,
    pub parts: Vec<Part>,
    /// `через 2 години`: minutes from now.
    pub minutes: Option<i64>,
    pub past_day: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num {
        n: u32,
        digits: usize,
    },
    Clock(u32, u32),
    /// `10-й`, `10ій`: an hour.
    HourOrd(u32),
    /// `1-го`: a day before a month name.
    DayOrd(u32),
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    Word(Word),
    /// `дня`: a unit after `через`, else the afternoon marker (`в 3 дня`).
    Dnya,
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn token(w: &str) -> Result<Tok, Why> {
    if let Some(n) = digits(w) {
        return Ok(Tok::Num { n, digits: w.len() });
    }
    if let Some((h, m)) = w.split_once(':') {
        return match (digits(h), digits(m)) {
            (Some(h), Some(mm)) if (1..=2).contains(&w.find(':').unwrap_or(0)) && m.len() == 2 => Ok(Tok::Clock(h, mm)),
            _ => Err(Why::Unknown),
        };
    }
    let sep = if w.contains('/') { '/' } else { '.' };
    let parts: Vec<&str> = w.split(sep).collect();
    if (2..=3).contains(&parts.len()) && parts.iter().all(|p| digits(p).is_some()) {
        let (d, m) = (digits(parts[0]).unwrap_or(0), digits(parts[1]).unwrap_or(0));
        if parts[0].len() > 2 || parts[1].len() > 2 {
            return Err(Why::Unknown);
        }
        let year = match parts.get(2) {
            Some(y) if y.len() == 4 => Some(digits(y).unwrap_or(0) as i32),
            Some(y) if y.len() == 2 => Some(2000 + digits(y).unwrap_or(0) as i32),
            Some(_) => return Err(Why::Unknown),
            None => None,
        };
        // Digits with a dot or a slash are a date, day first (`9.30` is refused, not read as 09:30).
        return Ok(Tok::Date { day: d, month: m, year });
    }
    let split = w.find(|c: char| !c.is_ascii_digit()).unwrap_or(w.len());
    if split > 0 && split <= 2 {
        let (n, suffix) = w.split_at(split);
        let n = digits(n).ok_or(Why::Unknown)?;
        return match suffix.trim_start_matches('-') {
            "й" | "ій" | "ї" | "ої" | "ой" | "ом" | "ти" => Ok(Tok::HourOrd(n)),
            "го" | "е" | "ого" => Ok(Tok::DayOrd(n)),
            _ => Err(Why::Unknown),
        };
    }
    if w == "дня" {
        return Ok(Tok::Dnya);
    }
    word(w).map(Tok::Word).ok_or(Why::Unknown)
}

/// Normalised words, with `після обіду` joined into one.
fn tokens(words: &[&str]) -> Result<Vec<Tok>, Why> {
    let mut out = vec![];
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len() && after_lunch(words[i], words[i + 1]) {
            out.push(Tok::Word(Word::Part(Part::AfterLunch)));
            i += 2;
            continue;
        }
        out.push(token(words[i])?);
        i += 1;
    }
    Ok(out)
}

fn unit_of(t: Option<&Tok>) -> Option<Unit> {
    match t {
        Some(Tok::Word(Word::Unit(u))) => Some(*u),
        Some(Tok::Dnya) => Some(Unit::Day),
        _ => None,
    }
}

/// `через ...`: the amount after it, as (minutes, calendar days), and the tokens it took. Days
/// and weeks alone are calendar days (the wall time stays); anything with hours or minutes is
/// elapsed time.
fn amount(toks: &[Tok]) -> Result<(i64, i64, usize), Why> {
    let (mut total, mut calendar, mut i) = (0i64, true, 0usize);
    loop {
        let (add, unit, took) = match (toks.get(i), toks.get(i + 1)) {
            (Some(Tok::Num { n, .. }), next) if unit_of(next).is_some() => {
                let u = unit_of(next).unwrap_or(Unit::Minute);
                (*n as i64 * u.minutes(), u, 2)
            }
            (Some(Tok::Word(Word::Halves(h))), next) if unit_of(next) == Some(Unit::Hour) => (*h * 30, Unit::Minute, 2),
            (Some(Tok::Word(Word::Halves(_))), next) if unit_of(next).is_some() => return Err(Why::Ambiguous),
            (Some(Tok::Word(Word::Amount(m))), _) => (*m, Unit::Minute, 1),
            (Some(t), _) if unit_of(Some(t)).is_some() => {
                let u = unit_of(Some(t)).unwrap_or(Unit::Minute);
                (u.minutes(), u, 1)
            }
            _ => break,
        };
        if add == 0 {
            return Err(Why::Impossible);
        }
        calendar &= matches!(unit, Unit::Day | Unit::Week);
        total += add;
        i += took;
    }
    if i == 0 {
        return Err(Why::Unknown);
    }
    if total > 1000 * 24 * 60 {
        return Err(Why::Impossible);
    }
    Ok(if calendar { (0, total / (24 * 60), i) } else { (total, 0, i) })
}

fn is_marker(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Dnya) | Some(Tok::Word(Word::Part(_))))
}

/// Reads normalised words. Errors are `Unknown` or `Ambiguous`/`LeadingNumber`; ranges,
/// the past and the clock are checked when the phrase is resolved.
pub fn read(words: &[&str]) -> Result<Read, Why> {
    let toks = tokens(words)?;
    let mut r = Read::default();
    let mut ambiguous = None;
    let mut prep = false;
    let mut stray_unit = false;
    let mut vague = false;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let next = toks.get(i + 1);
        let was_prep = std::mem::replace(&mut prep, false);
        match t {
            Tok::Word(Word::Preposition) => prep = true,
            Tok::Word(Word::After) => {
                let (minutes, days, took) = amount(&toks[i + 1..])?;
                if days > 0 {
                    r.days.push(Day::After(days));
                } else {
                    r.minutes = Some(minutes);
                }
                i += took;
            }
            Tok::Num { n, .. } => match next {
                Some(Tok::Word(Word::Month(m))) => {
                    let year = match toks.get(i + 2) {
                        Some(Tok::Num { n: y, digits: 4 }) => Some(*y as i32),
                        _ => None,
                    };
                    r.days.push(Day::Date { day: *n, month: *m, year });
                    i += if year.is_some() { 2 } else { 1 };
                }
                _ if was_prep || is_marker(next) => r.hours.push(Hour::Clock(*n, 0)),
                _ => {
                    ambiguous.get_or_insert(if i == 0 { Why::LeadingNumber } else { Why::Ambiguous });
                }
            },
            Tok::Clock(h, m) => r.hours.push(Hour::Clock(*h, *m)),
            Tok::HourOrd(h) => r.hours.push(Hour::Clock(*h, 0)),
            Tok::DayOrd(d) => match next {
                Some(Tok::Word(Word::Month(m))) => {
                    r.days.push(Day::Date { day: *d, month: *m, year: None });
                    i += 1;
                }
                _ => ambiguous = Some(Why::Ambiguous),
            },
            Tok::Date { day, month, year } => r.days.push(Day::Date { day: *day, month: *month, year: *year }),
            Tok::Dnya => r.parts.push(Part::Afternoon),
            Tok::Word(w) => match w {
                Word::Day(k) => r.days.push(Day::Offset(*k)),
                Word::PastDay => r.past_day = true,
                Word::Weekday(d) => r.days.push(Day::Weekday(*d)),
                Word::Part(p) => r.parts.push(*p),
                Word::Fixed(h) => r.hours.push(Hour::Fixed(*h)),
                Word::Halves(1) => {
                    let at = if next == Some(&Tok::Word(Word::Preposition)) { i + 2 } else { i + 1 };
                    match toks.get(at) {
                        Some(Tok::Word(Word::OrdinalHour(h))) => {
                            r.hours.push(Hour::HalfBefore(*h));
                            i = at;
                        }
                        _ => return Err(Why::Unknown),
                    }
                }
                Word::Vague => {
                    vague = true;
                    ambiguous = Some(Why::Ambiguous);
                }
                Word::Month(_) | Word::InMonth => ambiguous = Some(Why::Ambiguous),
                // A unit outside `через` names a period: with `наступного` it is a vague
                // period (`наступного тижня`), otherwise not a time at all (`на тиждень`).
                Word::Unit(_) => stray_unit = true,
                Word::Halves(_) | Word::OrdinalHour(_) | Word::Amount(_) => return Err(Why::Unknown),
                Word::Preposition | Word::After => {}
            },
        }
        i += 1;
    }
    match ambiguous {
        Some(Why::Ambiguous) if stray_unit && vague => return Err(Why::Ambiguous),
        _ if stray_unit => return Err(Why::Unknown),
        Some(why) => return Err(why),
        None => {}
    }
    if r.days.is_empty() && r.hours.is_empty() && r.parts.is_empty() && r.minutes.is_none() && !r.past_day {
        return Err(Why::Unknown);
    }
    Ok(r)
}
