//! Client lists from Excel/CSV: which columns mean what, which rows are good, which are
//! duplicates and why the rest are refused. Pure functions over a table of cells; the core shows
//! the preview and the store writes the rows in one transaction.

use crate::domain::profile::{parse_email, parse_shoe_size};
use crate::domain::text::{parse_tag, search_key};
use crate::domain::{ClientName, ParseError, Phone};
use crate::spreadsheet::Cell;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstName,
    LastName,
    Phone,
    Note,
    BirthDate,
    Email,
    Instagram,
    ShoeSize,
    Tags,
    /// Consent to marketing e-mail (issue 16): `так`, `yes`, `1`, `+`, ... count as given.
    Consent,
}

/// Header words in Ukrainian, Russian and English, compared after `search_key` and dropping
/// punctuation.
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "піб",
            "пiб",
            "фио",
            "фіо",
            "пib",
            "name",
            "full name",
            "fullname",
            "client",
            "клієнт",
            "клиент",
            "прізвище імя",
            "фамилия имя",
            "прізвище імя по батькові",
            "фамилия имя отчество",
            "контакт",
        ],
    ),
    (Field::FirstName, &["імя", "имя", "first name", "firstname"]),
    (Field::LastName, &["прізвище", "фамилия", "last name", "lastname", "surname"]),
    (
        Field::Phone,
        &[
            "телефон",
            "тел",
            "phone",
            "phone number",
            "mobile",
            "мобільний",
            "мобильный",
            "номер",
            "номер телефону",
            "номер телефона",
            "моб",
        ],
    ),
    (
        Field::Note,
        &[
            "примітка",
            "примітки",
            "примечание",
            "примечания",
            "коментар",
            "комментарий",
            "note",
            "notes",
            "comment",
            "comments",
            "нотатка",
            "нотатки",
        ],
    ),
    (
        Field::BirthDate,
        &[
            "дата народження",
            "дата рождения",
            "birthday",
            "birth date",
            "date of birth",
            "др",
            "дн",
            "день народження",
            "день рождения",
        ],
    ),
    (Field::Email, &["email", "e mail", "пошта", "почта", "електронна пошта", "электронная почта", "ел пошта"]),
    (Field::Instagram, &["instagram", "інстаграм", "инстаграм", "ig", "insta"]),
    (Field::ShoeSize, &["розмір", "размер", "розмір взуття", "размер обуви", "size", "shoe size"]),
    (Field::Tags, &["теги", "тег", "tags", "tag", "група", "группа", "мітки"]),
    (
        Field::Consent,
        &[
            "згода",
            "згода на розсилку",
            "розсилка",
            "согласие",
            "согласие на рассылку",
            "рассылка",
            "consent",
            "newsletter",
        ],
    ),
];

/// A consent cell that says yes.
fn yes(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "так" | "да" | "yes" | "y" | "1" | "+" | "true" | "x" | "х" | "✓" | "✔" | "✅" | "згода" | "є"
    )
}

pub fn recognise(header: &str) -> Option<Field> {
    let key: String = search_key(header).chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    SYNONYMS.iter().find(|(_, words)| words.contains(&key.as_str())).map(|(f, _)| *f)
}

pub use crate::store::imports::ImportRow;

/// Why a row is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingName,
    Name(ParseError),
    Phone(String),
    Date(String),
    Email(String),
    ShoeSize(String),
    DuplicateInFile { first_line: usize },
    Exists { name: String },
}

#[derive(Debug, Default)]
pub struct Plan {
    pub rows_read: usize,
    pub columns: Vec<(String, Field)>,
    pub ignored_columns: Vec<String>,
    pub ready: Vec<ImportRow>,
    pub duplicates: Vec<(usize, Problem)>,
    pub errors: Vec<(usize, Problem)>,
    /// Optional fields (birth date, e-mail, shoe size) that could not be read: the row is
    /// imported without that field, and the preview says which.
    pub warnings: Vec<(usize, Problem)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("no recognised name column")]
    NoNameColumn,
}

/// Excel serial → date (the 1900 system; serial 60 is Excel's phantom 29.02.1900).
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

fn parse_birth_date(cell: &Cell, today: NaiveDate) -> Result<Option<String>, Problem> {
    let date = match cell {
        Cell::Empty => return Ok(None),
        Cell::Date(s) | Cell::Number(s) => serial_date(*s),
        Cell::Text(t) if t.trim().is_empty() => return Ok(None),
        Cell::Text(t) => {
            let t = t.trim();
            ["%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        }
    };
    match date {
        Some(d) if d < today && d.year_ce().1 >= 1900 => Ok(Some(d.format("%Y-%m-%d").to_string())),
        _ => Err(Problem::Date(cell.as_text())),
    }
}

use chrono::Datelike;

/// The chat's parser: Excel's `671234567` (zero dropped) is one of the forms it accepts.
fn parse_phone(raw: &str) -> Result<Option<String>, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Phone::parse(t).map(|p| Some(p.to_string())).map_err(|_| Problem::Phone(t.to_string()))
}

fn optional(s: String) -> Option<String> {
    let t = s.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// Builds the import plan. `existing` maps stored phones to client names.
pub fn plan(rows: &[Vec<Cell>], existing: &HashMap<String, String>, today: NaiveDate) -> Result<Plan, PlanError> {
    // The header is the first of the first five rows that names a column we know.
    let (header_idx, header) = rows
        .iter()
        .enumerate()
        .take(5)
        .find(|(_, r)| r.iter().any(|c| recognise(&c.as_text()).is_some()))
        .ok_or(PlanError::NoNameColumn)?;
    let mut plan = Plan::default();
    let mut by_index: Vec<Option<Field>> = vec![];
    for cell in header {
        let title = cell.as_text();
        let field = recognise(&title).filter(|f| !plan.columns.iter().any(|(_, g)| g == f));
        match field {
            Some(f) => plan.columns.push((title.clone(), f)),
            None if !title.is_empty() => plan.ignored_columns.push(title.clone()),
            None => {}
        }
        by_index.push(field);
    }
    let has = |f: Field| by_index.contains(&Some(f));
    if !has(Field::Name) && !has(Field::FirstName) && !has(Field::LastName) {
        return Err(PlanError::NoNameColumn);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(header_idx + 1) {
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let line = i + 1;
        plan.rows_read += 1;
        let get = |f: Field| -> Option<&Cell> { by_index.iter().position(|x| *x == Some(f)).and_then(|j| row.get(j)) };
        let text = |f: Field| get(f).map(Cell::as_text).unwrap_or_default();
        let name = match text(Field::Name) {
            n if !n.is_empty() => n,
            _ => format!("{} {}", text(Field::FirstName), text(Field::LastName)).trim().to_string(),
        };
        if name.is_empty() {
            plan.errors.push((line, Problem::MissingName));
            continue;
        }
        let name = match ClientName::parse(&name) {
            Ok(n) => n.to_string(),
            Err(e) => {
                plan.errors.push((line, Problem::Name(e)));
                continue;
            }
        };
        let phone = match parse_phone(&text(Field::Phone)) {
            Ok(p) => p,
            Err(p) => {
                plan.errors.push((line, p));
                continue;
            }
        };
        // A bad optional field drops that field, not the row (the warning says which).
        let mut warnings = vec![];
        let birth_date = parse_birth_date(get(Field::BirthDate).unwrap_or(&Cell::Empty), today).unwrap_or_else(|p| {
            warnings.push(p);
            None
        });
        let email = optional(text(Field::Email)).and_then(|e| match parse_email(&e) {
            Ok(e) => Some(e),
            Err(_) => {
                warnings.push(Problem::Email(e));
                None
            }
        });
        let shoe_size = optional(text(Field::ShoeSize)).and_then(|s| match parse_shoe_size(&s) {
            Ok(s) => Some(s),
            Err(_) => {
                warnings.push(Problem::ShoeSize(s));
                None
            }
        });
        if let Some(p) = &phone {
            if let Some(first_line) = seen.get(p) {
                plan.duplicates.push((line, Problem::DuplicateInFile { first_line: *first_line }));
                continue;
            }
            seen.insert(p.clone(), line);
            if let Some(existing_name) = existing.get(p) {
                plan.duplicates.push((line, Problem::Exists { name: existing_name.clone() }));
                continue;
            }
        }
        let instagram = optional(text(Field::Instagram)).map(|s| s.trim_start_matches('@').to_lowercase());
        let tags = text(Field::Tags).split([',', ';', ' ']).filter_map(|t| parse_tag(t).ok()).collect();
        plan.warnings.extend(warnings.into_iter().map(|w| (line, w)));
        plan.ready.push(ImportRow {
            line,
            name,
            phone,
            note: optional(text(Field::Note)).map(|n| n.chars().take(2000).collect()),
            birth_date,
            email,
            instagram,
            shoe_size,
            tags,
            consent: yes(&text(Field::Consent)),
        });
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn headers_in_three_languages() {
        for (h, f) in [
            ("ПІБ", Field::Name),
            ("ФИО", Field::Name),
            ("Full name", Field::Name),
            ("Телефон", Field::Phone),
            ("тел.", Field::Phone),
            ("Примітка", Field::Note),
            ("Дата народження", Field::BirthDate),
            ("Дата рождения", Field::BirthDate),
            ("E-mail", Field::Email),
            ("Ім'я", Field::FirstName),
            ("Прізвище", Field::LastName),
        ] {
            assert_eq!(recognise(h), Some(f), "{h}");
        }
        assert_eq!(recognise("Колір очей"), None);
    }

    #[test]
    fn rows_are_sorted_into_ready_duplicates_and_errors() {
        let rows = vec![
            vec![t("Список клієнтів"), t(""), t("")],
            vec![t("ПІБ"), t("Телефон"), t("Дата народження"), t("Улюблений колір")],
            vec![t("Ольга Коваль"), Cell::Number(671234567.0), Cell::Date(31120.0), t("синій")],
            vec![t("Ірина Ткачук"), t("+38 (050) 111-22-33"), t("31.02.2025"), t("")],
            vec![t("Ірина Ткачук 2"), t("0501112233"), t("12.03.1985"), t("")],
            vec![t("Олена Савчук"), t("0501112233"), t(""), t("")],
            vec![t("Марія Бондар"), t("0671119999"), t(""), t("")],
            vec![t(""), t("0930000000"), t(""), t("")],
            vec![t("Петро"), t("12345"), t(""), t("")],
            vec![t(""), t(""), t(""), t("")],
        ];
        let existing: HashMap<String, String> = [("+380671119999".to_string(), "Марія Бондар".to_string())].into();
        let p = plan(&rows, &existing, today()).unwrap();
        assert_eq!(p.rows_read, 7);
        assert_eq!(p.ignored_columns, vec!["Улюблений колір"]);
        assert_eq!(p.ready.len(), 2, "an impossible birth date drops the date, not the row");
        assert_eq!(p.ready[0].phone.as_deref(), Some("+380671234567"), "the zero Excel dropped is restored");
        assert_eq!(p.ready[0].birth_date.as_deref(), Some("1985-03-14"));
        assert_eq!(p.ready[0].line, 3);
        assert_eq!(
            p.duplicates,
            vec![
                (5, Problem::DuplicateInFile { first_line: 4 }),
                (6, Problem::DuplicateInFile { first_line: 4 }),
                (7, Problem::Exists { name: "Марія Бондар".into() })
            ]
        );
        assert_eq!(p.errors, vec![(8, Problem::MissingName), (9, Problem::Phone("12345".into()))]);
        assert_eq!(p.warnings, vec![(4, Problem::Date("31.02.2025".into()))]);
        assert_eq!((p.ready[1].line, p.ready[1].birth_date.as_deref()), (4, None));
    }

    #[test]
    fn separate_first_and_last_name_columns() {
        let rows = vec![vec![t("Ім'я"), t("Прізвище"), t("Phone")], vec![t("Анна"), t("Гнатюк"), t("0661234567")]];
        let p = plan(&rows, &HashMap::new(), today()).unwrap();
        assert_eq!(p.ready[0].name, "Анна Гнатюк");
        assert_eq!(
            plan(&[vec![t("Телефон")], vec![t("0661234567")]], &HashMap::new(), today()).unwrap_err(),
            PlanError::NoNameColumn
        );
    }
}
