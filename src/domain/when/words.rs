//! The words of a due time, Ukrainian first, then Russian, surzhyk and a little English. Every
//! word is matched whole, after `text::search_key` (lower case, apostrophes dropped, ё → е):
//! a typo is not a word here, so it is refused rather than guessed.

use chrono::Weekday;

/// A part of the day: alone it is a configured hour; next to an hour it says which half of the
/// clock the hour is on (`о 7 вечора` is 19:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Morning,
    Lunch,
    AfterLunch,
    /// `дня`: only next to an hour (`в 3 дня`); the word is also a unit (`через 3 дня`).
    Afternoon,
    Evening,
    /// `ночі`, `вночі`: next to an hour only; alone it is no time (refused as ambiguous).
    Night,
}

/// What one word means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// `о`, `в`, `на`, `к`, `до`, `at`: marks the number after it as an hour.
    Preposition,
    /// Today plus this many days (`сьогодні`, `завтра`, `післязавтра`).
    Day(i64),
    /// `вчора`, `позавчора`: always in the past.
    PastDay,
    Weekday(Weekday),
    /// A month name with a day (`лютого`, `лютий`, `февраля`).
    Month(u32),
    /// A month in the locative (`в березні`, `в январе`): a whole month, no day.
    InMonth,
    Part(Part),
    /// A fixed clock time said as a word: `опівночі` (0), `опівдні` (12).
    Fixed(u32),
    /// An ordinal hour in `пів на третю` / `пол третьего` (1–12).
    OrdinalHour(u32),
    /// `через`, `in`.
    After,
    Unit(Unit),
    /// `пів години`, `півгодини`, `полчаса` and other amounts said as words, in minutes.
    Amount(i64),
    /// `пів`, `пол`, `півтори`, `полтора` before a unit (`пів години`, `полтора часа`), in halves.
    Halves(i64),
    /// `наступного`, `следующий`, `вихідних`, `тижня`: a period or a choice, never one moment.
    Vague,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

impl Unit {
    pub fn minutes(self) -> i64 {
        match self {
            Unit::Minute => 1,
            Unit::Hour => 60,
            Unit::Day => 24 * 60,
            Unit::Week => 7 * 24 * 60,
        }
    }
}

const MONTHS: [&[&str]; 12] = [
    &["січня", "січень", "января", "январь", "january", "jan"],
    &["лютого", "лютий", "февраля", "февраль", "february", "feb"],
    &["березня", "березень", "марта", "март", "march", "mar"],
    &["квітня", "квітень", "апреля", "апрель", "april", "apr"],
    &["травня", "травень", "мая", "май", "may"],
    &["червня", "червень", "июня", "июнь", "june", "jun"],
    &["липня", "липень", "июля", "июль", "july", "jul"],
    &["серпня", "серпень", "августа", "август", "august", "aug"],
    &["вересня", "вересень", "сентября", "сентябрь", "september", "sep"],
    &["жовтня", "жовтень", "октября", "октябрь", "october", "oct"],
    &["листопада", "листопад", "ноября", "ноябрь", "november", "nov"],
    &["грудня", "грудень", "декабря", "декабрь", "december", "dec"],
];

const IN_MONTH: [&str; 24] = [
    "січні",
    "лютому",
    "березні",
    "квітні",
    "травні",
    "червні",
    "липні",
    "серпні",
    "вересні",
    "жовтні",
    "листопаді",
    "грудні",
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];

const ORDINAL_HOURS: [&[&str]; 12] = [
    &["першу", "первого"],
    &["другу", "второго"],
    &["третю", "третьего"],
    &["четверту", "четвертого"],
    &["пяту", "пятого"],
    &["шосту", "шестого"],
    &["сьому", "седьмого"],
    &["восьму", "восьмого"],
    &["девяту", "девятого"],
    &["десяту", "десятого"],
    &["одинадцяту", "одиннадцатого"],
    &["дванадцяту", "двенадцатого"],
];

fn weekday(w: &str) -> Option<Weekday> {
    use Weekday::*;
    Some(match w.trim_end_matches('.') {
        "пн" | "понеділок" | "понеділка" | "понедельник" | "mon" | "monday" => Mon,
        "вт" | "вівторок" | "вівторка" | "вторник" | "tue" | "tuesday" => Tue,
        "ср" | "середа" | "середу" | "среда" | "среду" | "wed" | "wednesday" => Wed,
        "чт" | "четвер" | "четверга" | "четверг" | "thu" | "thursday" => Thu,
        "пт" | "пятниця" | "пятницю" | "пятниці" | "пятница" | "пятницу" | "fri" | "friday" => {
            Fri
        }
        "сб" | "субота" | "суботу" | "суботи" | "суббота" | "субботу" | "sat" | "saturday" => {
            Sat
        }
        "нд" | "вс" | "неділя" | "неділю" | "неділі" | "воскресенье" | "воскресеньє" | "sun" | "sunday" => {
            Sun
        }
        _ => return None,
    })
}

fn unit(w: &str) -> Option<Unit> {
    Some(match w.trim_end_matches('.') {
        "хв" | "хвилина" | "хвилину" | "хвилини" | "хвилин" | "мин" | "минута" | "минуту" | "минуты" | "минут"
        | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "год" | "година" | "годину" | "години" | "годин" | "час" | "часа" | "часов" | "часік" | "h" | "hour"
        | "hours" => Unit::Hour,
        "день" | "дні" | "днів" | "дня" | "дней" | "доба" | "добу" | "доби" | "діб" | "day" | "days" => {
            Unit::Day
        }
        "тиждень" | "тижні" | "тижнів" | "тижня" | "неделю" | "недели" | "недель" | "неділь" | "week" | "weeks" => {
            Unit::Week
        }
        _ => return None,
    })
}

/// The meaning of one normalised word, if it is a word of time at all.
pub fn word(w: &str) -> Option<Word> {
    if let Some(d) = weekday(w) {
        return Some(Word::Weekday(d));
    }
    if let Some(m) = MONTHS.iter().position(|forms| forms.contains(&w)) {
        return Some(Word::Month(m as u32 + 1));
    }
    if IN_MONTH.contains(&w) {
        return Some(Word::InMonth);
    }
    if let Some(h) = ORDINAL_HOURS.iter().position(|forms| forms.contains(&w)) {
        return Some(Word::OrdinalHour(h as u32 + 1));
    }
    if let Some(u) = unit(w) {
        return Some(Word::Unit(u));
    }
    Some(match w {
        "о" | "об" | "в" | "у" | "во" | "на" | "к" | "до" | "at" | "on" | "by" => Word::Preposition,
        "сьогодні" | "сьодні" | "сегодня" | "сєгодня" | "сьогодня" | "today" => {
            Word::Day(0)
        }
        "завтра" | "tomorrow" => Word::Day(1),
        "післязавтра" | "послезавтра" | "послєзавтра" | "післязавтро" => {
            Word::Day(2)
        }
        "вчора" | "учора" | "вчера" | "позавчора" | "позавчера" | "yesterday" => {
            Word::PastDay
        }
        "вранці" | "зранку" | "уранці" | "ранку" | "утром" | "утра" | "зранка" | "morning" => {
            Word::Part(Part::Morning)
        }
        "обід" | "обед" | "обєд" | "обіді" | "lunch" => Word::Part(Part::Lunch),
        "після" | "после" | "посля" => return None,
        "ввечері" | "увечері" | "вечері" | "вечором" | "вечером" | "вечора" | "вечера" | "вечір" | "evening"
        | "tonight" => Word::Part(Part::Evening),
        "ночі" | "ночи" | "вночі" | "уночі" | "ночью" | "night" => Word::Part(Part::Night),
        "опівночі" | "північ" | "полночь" | "полуночи" | "midnight" => Word::Fixed(0),
        "опівдні" | "полдень" | "полудень" | "midday" | "noon" => Word::Fixed(12),
        "пів" | "пол" => Word::Halves(1),
        "півтори" | "полтора" | "півтора" => Word::Halves(3),
        "півгодини" | "полчаса" | "полчасика" => Word::Amount(30),
        "через" | "in" => Word::After,
        "наступного"
        | "наступної"
        | "наступний"
        | "наступну"
        | "наступна"
        | "следующий"
        | "следующую"
        | "следующей"
        | "следующего"
        | "вихідних"
        | "выходных"
        | "вихідні"
        | "выходные"
        | "неделе"
        | "next"
        | "weekend" => Word::Vague,
        _ => return None,
    })
}

/// `після обіду`, `после обеда`: the one two-word part of the day.
pub fn after_lunch(first: &str, second: &str) -> bool {
    matches!(first, "після" | "после" | "посля")
        && matches!(second, "обіду" | "обіда" | "обєда" | "обеда" | "обід" | "обед" | "обєд")
}
