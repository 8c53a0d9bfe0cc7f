//! The cash book's vocabulary: how money moved (cash, card terminal, Monobank), which way
//! (income, expense, refund), and the owner's one-line entries (`/expense 350 матеріали EVA`,
//! `/income 17 1300 термінал вчора`) read word by word.
//!
//! An amount is refused with its reason, never guessed: not a number, zero or negative, or
//! absurd for a one-person studio (over [`MAX_ENTRY`]). A date is `сьогодні`, `вчора`,
//! `позавчора` (and English), `25.11`, `25.11.2026`, `25.11.26` or `2026-11-25`; a day that does
//! not exist (`31.02`) or one still ahead is refused, never moved to another year.

use super::Money;
use chrono::NaiveDate;

/// How the money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayMethod {
    Cash,
    Terminal,
    Monobank,
}

impl PayMethod {
    pub const ALL: [PayMethod; 3] = [PayMethod::Cash, PayMethod::Terminal, PayMethod::Monobank];

    pub fn code(self) -> &'static str {
        match self {
            PayMethod::Cash => "cash",
            PayMethod::Terminal => "terminal",
            PayMethod::Monobank => "monobank",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The Fluent key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            PayMethod::Cash => "pay-method-cash",
            PayMethod::Terminal => "pay-method-terminal",
            PayMethod::Monobank => "pay-method-monobank",
        }
    }

    /// The method the owner typed: `готівка`, `термінал`, `картка`, `cash`, `card`, ...
    pub fn from_word(word: &str) -> Option<Self> {
        match word.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric()) {
            "готівка" | "готівкою" | "нал" | "наличные" | "наличными" | "cash" => {
                Some(PayMethod::Cash)
            }
            "термінал"
            | "терміналом"
            | "картка"
            | "карткою"
            | "карта"
            | "картой"
            | "терминал"
            | "terminal"
            | "card"
            | "pos" => Some(PayMethod::Terminal),
            "монобанк" | "monobank" | "mono" | "моно" => Some(PayMethod::Monobank),
            _ => None,
        }
    }
}

/// Which way the money went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Income,
    Expense,
    Refund,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Income, EntryKind::Expense, EntryKind::Refund];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Income => "income",
            EntryKind::Expense => "expense",
            EntryKind::Refund => "refund",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The largest single entry: a million hryvnias, far beyond anything a studio pays or is paid
/// at once (a typo with three extra zeros is refused, not booked).
pub const MAX_ENTRY: Money = Money::from_kopecks(100_000_000);

/// The longest expense category (one word, e.g. `матеріали`) and note.
pub const MAX_CATEGORY: usize = 40;
pub const MAX_NOTE: usize = 200;

/// Why an entry was refused; each maps to one Fluent message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("no amount")]
    NoAmount,
    #[error("not an amount")]
    Amount,
    #[error("zero or negative amount")]
    NotPositive,
    #[error("absurd amount")]
    Absurd,
    #[error("a day that does not exist")]
    BadDate,
    #[error("a day still ahead")]
    FutureDate,
    #[error("no category")]
    NoCategory,
    #[error("too long")]
    TooLong,
}

/// An amount of a payment, an expense or a refund: more than zero, at most [`MAX_ENTRY`].
pub fn parse_amount(word: &str) -> Result<Money, EntryError> {
    let w = word.trim();
    if w.starts_with('-') || w.starts_with('−') {
        return Err(EntryError::NotPositive);
    }
    match Money::parse(w) {
        Ok(m) => check_amount(m),
        // Digits beyond what `Money` takes at all are an absurd amount, not a malformed one.
        Err(_) if w.chars().all(|c| c.is_ascii_digit() || c == ' ') && w.chars().any(|c| c.is_ascii_digit()) => {
            Err(EntryError::Absurd)
        }
        Err(_) => Err(EntryError::Amount),
    }
}

/// The amount at the head of a line, with the groups of three digits people type after the
/// thousands (`1 300`, `1 000 000,00`): otherwise `1 000 матеріали` would be 1 грн of "000".
fn take_amount<'a, I: Iterator<Item = &'a str>>(words: &mut std::iter::Peekable<I>) -> Result<Money, EntryError> {
    let first = words.next().ok_or(EntryError::NoAmount)?;
    let mut typed = first.to_string();
    let grouped = |w: &str| (1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    if grouped(first) {
        while let Some(next) = words.peek() {
            let (int, frac) = next.split_once([',', '.']).unwrap_or((next, ""));
            let frac_ok = frac.is_empty() && !next.contains([',', '.'])
                || (1..=2).contains(&frac.len()) && frac.bytes().all(|b| b.is_ascii_digit());
            if int.len() != 3 || !int.bytes().all(|b| b.is_ascii_digit()) || !frac_ok {
                break;
            }
            typed.push(' ');
            typed.push_str(next);
            words.next();
            if !frac.is_empty() {
                break;
            }
        }
    }
    parse_amount(&typed)
}

/// The bounds every amount in the cash book keeps.
pub fn check_amount(m: Money) -> Result<Money, EntryError> {
    if m <= Money::ZERO {
        return Err(EntryError::NotPositive);
    }
    if m > MAX_ENTRY {
        return Err(EntryError::Absurd);
    }
    Ok(m)
}

/// True for a word that is meant as a date (then it must be a valid one).
fn looks_like_date(w: &str) -> bool {
    let digits = w.chars().filter(char::is_ascii_digit).count();
    digits > 0 && w.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-')) && w.contains(['.', '/', '-'])
}

/// A day the owner typed, relative to `today` (business time zone), not after it. `Ok(None)`:
/// not a date.
pub fn parse_day(word: &str, today: NaiveDate) -> Result<Option<NaiveDate>, EntryError> {
    let day = parse_date_word(word, today)?;
    if day.is_some_and(|d| d > today) {
        return Err(EntryError::FutureDate);
    }
    Ok(day)
}

/// A day the owner typed (any day since 2000, also ahead of `today`). `Ok(None)`: not a date.
pub fn parse_date_word(word: &str, today: NaiveDate) -> Result<Option<NaiveDate>, EntryError> {
    let w = word.trim().to_lowercase();
    let back = match w.as_str() {
        "сьогодні" | "сегодня" | "today" => Some(0),
        "вчора" | "учора" | "вчера" | "yesterday" => Some(1),
        "позавчора" | "позавчера" => Some(2),
        _ => None,
    };
    if let Some(days) = back {
        return Ok(Some(today - chrono::Duration::days(days)));
    }
    if !looks_like_date(&w) {
        return Ok(None);
    }
    let day = if let Ok(d) = NaiveDate::parse_from_str(&w, "%Y-%m-%d") {
        Some(d)
    } else {
        let parts: Vec<&str> = w.split(['.', '/']).collect();
        let num = |s: &str| s.parse::<u32>().ok().filter(|_| (1..=4).contains(&s.len()));
        match parts.as_slice() {
            [d, m] => {
                num(d).zip(num(m)).and_then(|(d, m)| NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), m, d))
            }
            [d, m, y] => match (num(d), num(m), num(y), y.len()) {
                (Some(d), Some(m), Some(y), 2) => NaiveDate::from_ymd_opt(2000 + y as i32, m, d),
                (Some(d), Some(m), Some(y), 4) => NaiveDate::from_ymd_opt(y as i32, m, d),
                _ => None,
            },
            _ => None,
        }
    };
    let day = day.ok_or(EntryError::BadDate)?;
    if day < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(day) {
        return Err(EntryError::BadDate);
    }
    Ok(Some(day))
}

/// `/expense 350 матеріали EVA вчора`: amount, category (the first word after it), note (the
/// rest), and a date anywhere after the amount (today when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseLine {
    pub amount: Money,
    pub category: String,
    pub note: Option<String>,
    pub day: NaiveDate,
}

impl ExpenseLine {
    pub fn parse(args: &str, today: NaiveDate) -> Result<Self, EntryError> {
        let mut words = args.split_whitespace().peekable();
        let amount = take_amount(&mut words)?;
        let mut day = None;
        let mut rest = vec![];
        for w in words {
            match parse_day(w, today)? {
                Some(d) if day.is_none() => day = Some(d),
                _ => rest.push(w),
            }
        }
        let category = rest.first().map(|c| c.to_lowercase()).ok_or(EntryError::NoCategory)?;
        let note = (rest.len() > 1).then(|| rest[1..].join(" "));
        if category.chars().count() > MAX_CATEGORY || note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(EntryError::TooLong);
        }
        Ok(ExpenseLine { amount, category, note, day: day.unwrap_or(today) })
    }
}

/// `/income 17 1300 термінал вчора`: the order, the amount, the method (cash when none), a date
/// (today when none) and a note (the words left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeLine {
    pub order: i64,
    pub amount: Money,
    pub method: PayMethod,
    pub note: Option<String>,
    pub day: NaiveDate,
}

impl IncomeLine {
    /// `None` when the line does not start with an order number (the usage is shown then).
    pub fn parse(args: &str, today: NaiveDate) -> Option<Result<Self, EntryError>> {
        let mut words = args.split_whitespace();
        let order = words.next()?.trim_start_matches(['#', '№']).parse::<i64>().ok().filter(|n| *n > 0)?;
        Some(Self::rest(order, words, today))
    }

    fn rest<'a>(order: i64, words: impl Iterator<Item = &'a str>, today: NaiveDate) -> Result<Self, EntryError> {
        let mut words = words.peekable();
        let amount = take_amount(&mut words)?;
        let (mut method, mut day, mut note) = (None, None, vec![]);
        for w in words {
            if let (None, Some(m)) = (method, PayMethod::from_word(w)) {
                method = Some(m);
                continue;
            }
            match parse_day(w, today)? {
                Some(d) if day.is_none() => day = Some(d),
                _ => note.push(w),
            }
        }
        let note = (!note.is_empty()).then(|| note.join(" "));
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(EntryError::TooLong);
        }
        // Monobank money arrives through its webhook, never typed.
        let method = match method.unwrap_or(PayMethod::Cash) {
            PayMethod::Monobank => PayMethod::Terminal,
            m => m,
        };
        Ok(IncomeLine { order, amount, method, note, day: day.unwrap_or(today) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn amounts_are_positive_and_sane() {
        assert_eq!(parse_amount("350").unwrap().kopecks(), 35_000);
        assert_eq!(parse_amount("1 300,50").unwrap().kopecks(), 130_050);
        assert_eq!(parse_amount("0"), Err(EntryError::NotPositive));
        assert_eq!(parse_amount("-5"), Err(EntryError::NotPositive));
        assert_eq!(parse_amount("0,00"), Err(EntryError::NotPositive));
        assert_eq!(parse_amount("1000001"), Err(EntryError::Absurd));
        assert_eq!(parse_amount("1000000").unwrap(), MAX_ENTRY);
        assert_eq!(parse_amount("сто"), Err(EntryError::Amount));
        assert_eq!(parse_amount("1e5"), Err(EntryError::Amount));
    }

    #[test]
    fn thousands_typed_with_spaces_are_one_amount() {
        let e = ExpenseLine::parse("1 000 матеріали EVA", today()).unwrap();
        assert_eq!((e.amount.kopecks(), e.category.as_str()), (100_000, "матеріали"));
        let e = ExpenseLine::parse("1 000 000,00 прес", today()).unwrap();
        assert_eq!((e.amount, e.category.as_str()), (MAX_ENTRY, "прес"));
        let e = ExpenseLine::parse("350 матеріали 100 аркушів", today()).unwrap();
        assert_eq!((e.amount.kopecks(), e.note.as_deref()), (35_000, Some("100 аркушів")));
        assert_eq!(ExpenseLine::parse("1 0000 матеріали", today()).unwrap().category, "0000");
        let i = IncomeLine::parse("17 1 300,50 термінал", today()).unwrap().unwrap();
        assert_eq!((i.amount.kopecks(), i.method), (130_050, PayMethod::Terminal));
    }

    #[test]
    fn days_back_and_refusals() {
        let t = today();
        assert_eq!(parse_day("вчора", t), Ok(Some(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())));
        assert_eq!(parse_day("20.11", t), Ok(Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())));
        assert_eq!(parse_day("20.11.2025", t), Ok(Some(NaiveDate::from_ymd_opt(2025, 11, 20).unwrap())));
        assert_eq!(parse_day("20.11.25", t), Ok(Some(NaiveDate::from_ymd_opt(2025, 11, 20).unwrap())));
        assert_eq!(parse_day("2026-11-01", t), Ok(Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())));
        assert_eq!(parse_day("31.02", t), Err(EntryError::BadDate));
        assert_eq!(parse_day("26.11", t), Err(EntryError::FutureDate));
        assert_eq!(parse_day("01.01.1999", t), Err(EntryError::BadDate));
        assert_eq!(parse_day("1.2.3.4", t), Err(EntryError::BadDate));
        assert_eq!(parse_day("EVA", t), Ok(None));
        assert_eq!(parse_day("200", t), Ok(None));
    }

    #[test]
    fn expense_lines() {
        let t = today();
        let e = ExpenseLine::parse("350 матеріали EVA", t).unwrap();
        assert_eq!(
            (e.amount.kopecks(), e.category.as_str(), e.note.as_deref(), e.day),
            (35_000, "матеріали", Some("EVA"), t)
        );
        let e = ExpenseLine::parse("1200,50 Оренда вчора листопад", t).unwrap();
        assert_eq!(e.category, "оренда");
        assert_eq!(e.note.as_deref(), Some("листопад"));
        assert_eq!(e.day, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(ExpenseLine::parse("", t), Err(EntryError::NoAmount));
        assert_eq!(ExpenseLine::parse("350", t), Err(EntryError::NoCategory));
        assert_eq!(ExpenseLine::parse("-350 матеріали", t), Err(EntryError::NotPositive));
        assert_eq!(ExpenseLine::parse("99999999 матеріали", t), Err(EntryError::Absurd));
        assert_eq!(ExpenseLine::parse("350 матеріали 31.02", t), Err(EntryError::BadDate));
        assert_eq!(ExpenseLine::parse("матеріали 350", t), Err(EntryError::Amount));
    }

    #[test]
    fn income_lines() {
        let t = today();
        let i = IncomeLine::parse("#17 1300 термінал вчора", t).unwrap().unwrap();
        assert_eq!((i.order, i.amount.kopecks(), i.method), (17, 130_000, PayMethod::Terminal));
        assert_eq!(i.day, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let i = IncomeLine::parse("17 500", t).unwrap().unwrap();
        assert_eq!((i.method, i.day, i.note), (PayMethod::Cash, t, None));
        assert!(IncomeLine::parse("Ольга 500", t).is_none());
        assert_eq!(IncomeLine::parse("17 0 готівка", t), Some(Err(EntryError::NotPositive)));
        assert_eq!(IncomeLine::parse("17", t), Some(Err(EntryError::NoAmount)));
    }

    #[test]
    fn codes_round_trip() {
        for m in PayMethod::ALL {
            assert_eq!(PayMethod::from_code(m.code()), Some(m));
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(k.code()), Some(k));
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = ExpenseLine::parse(&s, today());
            let _ = IncomeLine::parse(&s, today());
            let _ = parse_day(&s, today());
        }
    }
}
