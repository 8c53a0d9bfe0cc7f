//! The arguments inside a sentence: a period ("цього тижня", "в листопаді", "з 1 по 15
//! листопада"), a day and a time (through `domain::when::within`, the due-time vocabulary), an
//! amount (digits, `1 300`, `2к`, or words), an order number (`#17`, `замовлення 17`), a phone
//! (`domain::Phone`). Each reader marks the tokens it used, so what is left is the name or the
//! text.

use super::tokens::{fold_all, number_words, starts, Tok};
use crate::domain::period::Period;
use crate::domain::when::{ordinal_hour, within};
use crate::domain::{Money, Phone};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

/// The sentence with the tokens the readers took.
pub struct Sentence {
    pub toks: Vec<Tok>,
    pub used: Vec<bool>,
    pub today: NaiveDate,
}

const MONTHS: [&str; 12] = [
    "січ январ янв",
    "лют феврал фев",
    "берез март",
    "квіт апрел",
    "трав мая мае май",
    "черв июн",
    "лип июл",
    "серп август",
    "верес сентябр",
    "жовт октябр",
    "листоп ноябр ноябь",
    "грудн грудень декаб",
];

fn month_of(t: &Tok) -> Option<u32> {
    MONTHS.iter().position(|forms| forms.split_whitespace().any(|m| t.key.starts_with(m))).map(|i| i as u32 + 1)
}

fn month_span(year: i32, m: u32) -> Option<Period> {
    let from = NaiveDate::from_ymd_opt(year, m, 1)?;
    let next =
        if m == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(year, m + 1, 1)? };
    Some(Period { from, to: next - Duration::days(1) })
}

fn num(t: &Tok) -> Option<u32> {
    let k = t.key.trim_end_matches(['-', 'г', 'о', 'е', 'й']);
    (!k.is_empty() && k.len() <= 2 && k.bytes().all(|b| b.is_ascii_digit())).then(|| k.parse().ok()).flatten()
}

impl Sentence {
    pub fn new(text: &str, today: NaiveDate) -> Self {
        let toks = super::tokens::tokens(text);
        let used = vec![false; toks.len()];
        Sentence { toks, used, today }
    }

    pub fn has(&self, stems: &str) -> bool {
        let s = fold_all(stems);
        self.toks.iter().any(|t| starts(&t.f, &s))
    }

    /// One of these exact words (folded).
    pub fn word(&self, words: &str) -> bool {
        let s = fold_all(words);
        self.toks.iter().any(|t| s.contains(&t.f))
    }

    /// Two words in a row (`не прийшла`).
    pub fn pair(&self, first: &str, second: &str) -> bool {
        let (a, b) = (fold_all(first), fold_all(second));
        self.toks.windows(2).any(|w| starts(&w[0].f, &a) && starts(&w[1].f, &b))
    }

    /// Marks every token starting with one of `stems` as read.
    pub fn take(&mut self, stems: &str) {
        let s = fold_all(stems);
        for (i, t) in self.toks.iter().enumerate() {
            if starts(&t.f, &s) {
                self.used[i] = true;
            }
        }
    }

    /// Marks the exact words (folded) as read.
    pub fn take_exact(&mut self, words: &str) {
        let s = fold_all(words);
        for (i, t) in self.toks.iter().enumerate() {
            if s.contains(&t.f) {
                self.used[i] = true;
            }
        }
    }

    fn this_or_last(&self, i: usize) -> i64 {
        let prev = |k: usize| if i >= k { Some(self.toks[i - k].f.as_str()) } else { None };
        let last = fold_all("минул прошл попередн предыдущ мінул");
        let next = fold_all("наступн следующ будущ");
        for p in [prev(1), prev(2)].into_iter().flatten() {
            if starts(p, &last) {
                return -1;
            }
            if starts(p, &next) {
                return 1;
            }
        }
        0
    }

    /// The period the sentence names, if any.
    pub fn period(&mut self) -> Option<Period> {
        let today = self.today;
        let single = |d: NaiveDate| Period { from: d, to: d };
        // A range of days in one month: `з 1 по 15 листопада`, `1-15 ноября`.
        for i in 0..self.toks.len() {
            let t = &self.toks[i];
            if let Some((a, b)) = t.key.split_once('-').filter(|(a, b)| !a.is_empty() && !b.is_empty()) {
                let (a, b) = (a.parse::<u32>().ok(), b.parse::<u32>().ok());
                if let (Some(a), Some(b), Some(m)) = (a, b, self.toks.get(i + 1).and_then(month_of)) {
                    let y = if m > today.month() { today.year() - 1 } else { today.year() };
                    if let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(y, m, a), NaiveDate::from_ymd_opt(y, m, b))
                    {
                        self.used[i] = true;
                        self.used[i + 1] = true;
                        return Some(Period { from, to });
                    }
                }
                // `01.11-15.11`
                let (x, y) = (
                    crate::domain::cash::parse_date_word(a_str(&t.key, 0), today),
                    crate::domain::cash::parse_date_word(a_str(&t.key, 1), today),
                );
                if let (Ok(Some(from)), Ok(Some(to))) = (x, y) {
                    if from <= to {
                        self.used[i] = true;
                        return Some(Period { from, to });
                    }
                }
            }
            if let (Some(a), Some(b)) = (num(t), self.toks.get(i + 2).and_then(num)) {
                let by = fold_all("по до");
                if self.toks.get(i + 1).is_some_and(|x| by.contains(&x.f)) {
                    if let Some(m) = self.toks.get(i + 3).and_then(month_of) {
                        let y = if m > today.month() { today.year() - 1 } else { today.year() };
                        if let (Some(from), Some(to)) =
                            (NaiveDate::from_ymd_opt(y, m, a), NaiveDate::from_ymd_opt(y, m, b))
                        {
                            for k in i.saturating_sub(1)..=i + 3 {
                                self.used[k] = true;
                            }
                            return Some(Period { from, to });
                        }
                    }
                }
            }
        }
        let week = fold_all("тижд тижн недел неділ");
        let month = fold_all("місяц месяц міс");
        let year = fold_all("рік року год году");
        for i in 0..self.toks.len() {
            let f = self.toks[i].f.clone();
            let key = self.toks[i].key.clone();
            let shift = self.this_or_last(i);
            let found = match key.as_str() {
                "сьогодні" | "сегодня" | "сьодні" | "сьогодня" | "сегодні" | "today" => {
                    Some(single(today))
                }
                "вчора" | "учора" | "вчера" | "yesterday" => Some(single(today - Duration::days(1))),
                "позавчора" | "позавчера" => Some(single(today - Duration::days(2))),
                "завтра" | "tomorrow" => Some(single(today + Duration::days(1))),
                "післязавтра" | "послезавтра" => Some(single(today + Duration::days(2))),
                _ if starts(&f, &week) && f != "неділя" && f != "неділю" && f != "неділи" => {
                    let monday =
                        today - Duration::days(today.weekday().num_days_from_monday() as i64) + Duration::weeks(shift);
                    Some(Period { from: monday, to: monday + Duration::days(6) })
                }
                _ if starts(&f, &month) => {
                    let (mut y, mut m) = (today.year(), today.month() as i32 + shift as i32);
                    if m < 1 {
                        m += 12;
                        y -= 1;
                    } else if m > 12 {
                        m -= 12;
                        y += 1;
                    }
                    month_span(y, m as u32)
                }
                _ if starts(&f, &year)
                    && shift == 0
                    && i > 0
                    && fold_all("цей цього этот этом цьому").contains(&self.toks[i - 1].f) =>
                {
                    Some(Period {
                        from: NaiveDate::from_ymd_opt(today.year(), 1, 1)?,
                        to: NaiveDate::from_ymd_opt(today.year(), 12, 31)?,
                    })
                }
                _ => None,
            };
            if let Some(p) = found {
                self.used[i] = true;
                if i > 0 && self.toks[i - 1].key.len() <= 12 && self.this_or_last(i) != 0
                    || i > 0
                        && fold_all("цього цей этой эту этот этом цьому поточн текущ за на")
                            .contains(&self.toks[i - 1].f)
                {
                    self.used[i - 1] = true;
                }
                return Some(p);
            }
        }
        // A month by name, or one day of it.
        for i in 0..self.toks.len() {
            if let Some(m) = month_of(&self.toks[i]) {
                if let Some(d) = i.checked_sub(1).and_then(|k| num(&self.toks[k])) {
                    let y = if m > today.month() + 1 { today.year() - 1 } else { today.year() };
                    if let Some(day) = NaiveDate::from_ymd_opt(y, m, d) {
                        self.used[i] = true;
                        self.used[i - 1] = true;
                        return Some(single(day));
                    }
                }
                let y = if m > today.month() { today.year() - 1 } else { today.year() };
                self.used[i] = true;
                return month_span(y, m);
            }
        }
        let (date, _, _) = self.when();
        date.map(single)
    }

    /// The day and the time said (a visit's hour without a part of the day is a working hour:
    /// `на 3` is 15:00), and whether anything was found.
    pub fn when(&mut self) -> (Option<NaiveDate>, Option<NaiveTime>, bool) {
        let keys: Vec<String> = self.toks.iter().map(|t| t.key.clone()).collect();
        let words: Vec<&str> = keys.iter().map(String::as_str).collect();
        let (mut date, mut time) = (None, None);
        for f in within(&words, self.today) {
            if (f.start..f.end).any(|k| self.used[k]) {
                continue;
            }
            for k in f.start..f.end {
                self.used[k] = true;
            }
            date = date.or(f.date);
            if time.is_none() {
                time = f.time.map(|t| {
                    if !f.time_exact && t.format("%H").to_string().parse::<u32>().unwrap_or(9) < 8 {
                        t + Duration::hours(12)
                    } else {
                        t
                    }
                });
            }
        }
        if date.is_none() {
            for i in 0..self.toks.len() {
                if !self.used[i] && matches!(self.toks[i].key.as_str(), "вчора" | "учора" | "вчера") {
                    self.used[i] = true;
                    date = Some(self.today - Duration::days(1));
                }
            }
        }
        if time.is_none() {
            // `на третю`: an ordinal hour alone is a working hour.
            for i in 0..self.toks.len() {
                if let Some(h) = ordinal_hour(&self.toks[i].key).filter(|_| !self.used[i]) {
                    self.used[i] = true;
                    time = NaiveTime::from_hms_opt(if h < 8 { h + 12 } else { h }, 0, 0);
                    break;
                }
            }
        }
        (date, time, date.is_some() || time.is_some())
    }

    /// An order number: `#17`, `№17`, or the number next to `замовлення`/`заказ`.
    pub fn order_number(&mut self) -> Option<i64> {
        let order = fold_all("замовл заказ замовлен номер");
        for i in 0..self.toks.len() {
            let k = &self.toks[i].key;
            if let Some(rest) = k.strip_prefix('#').or_else(|| k.strip_prefix('№')) {
                if let Ok(n) = rest.parse::<i64>() {
                    self.used[i] = true;
                    return Some(n);
                }
            }
        }
        for i in 0..self.toks.len() {
            if starts(&self.toks[i].f, &order) {
                for k in [i + 1, i + 2] {
                    if let Some(t) = self.toks.get(k).filter(|_| !self.used[k]) {
                        let d = t.key.trim_start_matches(['#', '№']);
                        if let Ok(n) = d.parse::<i64>() {
                            if (1..100_000).contains(&n) {
                                self.used[i] = true;
                                self.used[k] = true;
                                return Some(n);
                            }
                        }
                        if let Some((n, took)) = number_words(&self.toks[k..]) {
                            self.used[i] = true;
                            for u in k..k + took {
                                self.used[u] = true;
                            }
                            return Some(n);
                        }
                        if t.key != "№" && t.key != "номер" && t.key != "н" {
                            break;
                        }
                    }
                }
            }
        }
        None
    }

    /// An amount of money: digits (`1 300`, `350грн`, `2к`, `1,5 тис`) or words (`двісті`).
    pub fn amount(&mut self) -> Option<Money> {
        let thousand = |t: Option<&Tok>| {
            t.is_some_and(|t| matches!(t.key.as_str(), "тис" | "тыс" | "тисяч" | "тысяч" | "тисячі" | "тысячи" | "к"))
        };
        for i in 0..self.toks.len() {
            if self.used[i] {
                continue;
            }
            let k = self.toks[i].key.trim_end_matches("грн").trim_end_matches('₴').trim_end_matches("uah");
            let (k, kilo) = match k.strip_suffix('к').or_else(|| k.strip_suffix('k')) {
                Some(x) => (x, true),
                None => (k, false),
            };
            if k.is_empty()
                || !k.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                || !k.starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            if k.matches(['.', ',']).count() > 1 {
                continue;
            }
            let mut typed = k.to_string();
            let mut last = i;
            // `1 300`: groups of three digits after the thousands.
            while typed.len() <= 3 && !kilo {
                match self.toks.get(last + 1) {
                    Some(t) if t.key.len() == 3 && t.key.bytes().all(|b| b.is_ascii_digit()) => {
                        typed.push_str(&t.key);
                        last += 1;
                    }
                    _ => break,
                }
            }
            let Ok(mut m) = Money::parse(&typed) else { continue };
            if kilo || thousand(self.toks.get(last + 1)) {
                m = Money::from_kopecks(m.kopecks() * 1000);
                if !kilo {
                    last += 1;
                }
            }
            for u in i..=last {
                self.used[u] = true;
            }
            return (m.kopecks() > 0).then_some(m);
        }
        for i in 0..self.toks.len() {
            if let Some((n, took)) = number_words(&self.toks[i..]).filter(|_| !self.used[i]) {
                for u in i..i + took {
                    self.used[u] = true;
                }
                return Some(Money::from_kopecks(n * 100));
            }
        }
        None
    }

    /// A whole number still unread.
    pub fn number(&mut self) -> Option<i64> {
        for i in 0..self.toks.len() {
            if let Ok(n) = self.toks[i].key.parse::<i64>() {
                if !self.used[i] {
                    self.used[i] = true;
                    return Some(n);
                }
            }
        }
        None
    }

    /// A Ukrainian phone typed anywhere (`067 123 45 67`, `+38(067)1234567`).
    pub fn phone(&mut self) -> Option<Phone> {
        let is_part = |t: &Tok| {
            t.key.chars().any(|c| c.is_ascii_digit()) && t.key.chars().all(|c| c.is_ascii_digit() || "+()-".contains(c))
        };
        for i in 0..self.toks.len() {
            let mut joined = String::new();
            for j in i..self.toks.len().min(i + 6) {
                if !is_part(&self.toks[j]) {
                    break;
                }
                joined.push_str(&self.toks[j].key);
                if let Ok(p) = Phone::parse(&joined) {
                    for u in i..=j {
                        self.used[u] = true;
                    }
                    return Some(p);
                }
            }
        }
        None
    }

    /// The words nobody read, as typed, without the `exact` words and the words starting with
    /// one of the `stems`.
    pub fn rest(&self, exact: &str, stems: &str) -> Vec<String> {
        let (n, s) = (fold_all(exact), fold_all(stems));
        self.toks
            .iter()
            .zip(&self.used)
            .filter(|(t, used)| !**used && !n.contains(&t.f) && !starts(&t.f, &s))
            .map(|(t, _)| t.raw.clone())
            .collect()
    }
}

fn a_str(s: &str, side: usize) -> &str {
    s.split('-').nth(side).unwrap_or("")
}
