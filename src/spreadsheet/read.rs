//! Reading a spreadsheet the owner sends (xlsx, xls, ods, or csv in any encoding she has) into a
//! plain table of cells, and refusing everything else with a reason.
//!
//! CSV from Ukrainian Excel is often Windows-1251 with `;` separators; some files mix encodings
//! line by line after copy-pasting. Each line is decoded on its own: UTF-8 when it is valid UTF-8,
//! Windows-1251 otherwise. The separator is the one of `;`, `,`, tab that the header line uses most.

use calamine::Data;
use std::io::Cursor;

use super::{bounded, preflight};

/// Largest file accepted (Telegram lets bots download up to 20 MB; a client list is far smaller).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Rows read at most from one file.
///
/// A workbook is parsed only after `preflight` has checked what it declares and inflates to, and
/// callers in async code run [`read`] on a blocking thread ([`read_blocking`]).
pub const MAX_ROWS: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date serial (days since 1899-12-30), already known to be a date.
    Date(f64),
}

impl Cell {
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty) || matches!(self, Cell::Text(s) if s.trim().is_empty())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("file too large: {0} bytes")]
    TooLarge(usize),
    #[error("not a spreadsheet")]
    NotSpreadsheet,
    #[error("damaged spreadsheet: {0}")]
    Corrupt(String),
    #[error("no rows")]
    Empty,
    #[error("too many rows")]
    TooManyRows,
    /// Declares or would inflate to more cells or bytes than we read (see `preflight`).
    #[error("table too big to read")]
    TooBig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Workbook,
    Csv,
}

fn sniff(bytes: &[u8]) -> Result<Format, SheetError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        return Ok(Format::Workbook);
    }
    for magic in [&b"%PDF"[..], b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"RIFF", b"\x1F\x8B", b"Rar!", b"7z\xBC\xAF"] {
        if bytes.starts_with(magic) {
            return Err(SheetError::NotSpreadsheet);
        }
    }
    // Text: no NUL bytes and mostly printable in the first few kilobytes.
    let head = &bytes[..bytes.len().min(4096)];
    let control = head.iter().filter(|b| **b < 0x09 || (**b > 0x0D && **b < 0x20)).count();
    if head.contains(&0) || control * 20 > head.len().max(1) {
        return Err(SheetError::NotSpreadsheet);
    }
    Ok(Format::Csv)
}

pub fn read(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::TooLarge(bytes.len()));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SheetError::Empty);
    }
    let rows = match sniff(bytes)? {
        Format::Workbook => {
            preflight::check(bytes)?;
            read_workbook(bytes)?
        }
        Format::Csv => read_csv(bytes)?,
    };
    if rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
        return Err(SheetError::Empty);
    }
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooManyRows);
    }
    Ok(rows)
}

/// [`read`] on a blocking thread: parsing a large workbook takes a while and must not stall the
/// runtime's workers (nor, if calamine panics on a malformed file, the task that asked).
pub async fn read_blocking(bytes: Vec<u8>) -> Result<Vec<Vec<Cell>>, SheetError> {
    match tokio::task::spawn_blocking(move || read(&bytes)).await {
        Ok(result) => result,
        Err(e) => {
            tracing::warn!(error = %e, "spreadsheet reader panicked");
            Err(SheetError::Corrupt("the reader panicked".into()))
        }
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| SheetError::Corrupt(e.to_string()))?;
    let range = bounded::first_sheet(&mut book)?;
    if range.height() > MAX_ROWS {
        return Err(SheetError::TooManyRows);
    }
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty | Data::Error(_) => Cell::Empty,
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DateTime(d) => Cell::Date(d.as_f64()),
                })
                .collect()
        })
        .collect())
}

/// One line to text: UTF-8 when valid, Windows-1251 otherwise.
fn decode_line(line: &[u8]) -> String {
    match std::str::from_utf8(line) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251.decode_without_bom_handling(line).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    for line in bytes.split(|b| *b == b'\n') {
        text.push_str(&decode_line(line));
        text.push('\n');
    }
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter =
        [b';', b',', b'\t'].into_iter().max_by_key(|d| header.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = vec![];
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Corrupt(e.to_string()))?;
        rows.push(
            record.iter().map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) }).collect(),
        );
        if rows.len() > MAX_ROWS {
            return Err(SheetError::TooManyRows);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(Cell::as_text).collect()).collect()
    }

    #[test]
    fn windows_1251_semicolon_csv() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("ПІБ;Телефон\nОльга Коваль;067 123 45 67\n");
        let rows = read(&bytes).unwrap();
        assert_eq!(texts(&rows), vec![vec!["ПІБ", "Телефон"], vec!["Ольга Коваль", "067 123 45 67"]]);
    }

    #[test]
    fn mixed_encodings_line_by_line_and_bom() {
        let mut bytes = b"\xEF\xBB\xBFName,Phone\n".to_vec();
        bytes.extend_from_slice("Олена,0671112233\n".as_bytes());
        bytes.extend_from_slice(&encoding_rs::WINDOWS_1251.encode("Марія,0502223344\n").0);
        let rows = read(&bytes).unwrap();
        assert_eq!(texts(&rows)[1][0], "Олена");
        assert_eq!(texts(&rows)[2][0], "Марія");
        assert_eq!(texts(&rows)[0][0], "Name");
    }

    #[test]
    fn refuses_what_is_not_a_spreadsheet() {
        assert_eq!(read(b"%PDF-1.7 ...").unwrap_err(), SheetError::NotSpreadsheet);
        assert_eq!(read(&[0x89, b'P', b'N', b'G', 0, 0]).unwrap_err(), SheetError::NotSpreadsheet);
        assert_eq!(read(&[1, 2, 3, 0, 5, 6, 7]).unwrap_err(), SheetError::NotSpreadsheet);
        assert!(matches!(read(b"PK\x03\x04garbage that is no zip").unwrap_err(), SheetError::Corrupt(_)));
        assert_eq!(read(b"  \n ").unwrap_err(), SheetError::Empty);
        assert!(matches!(read(&vec![b'a'; MAX_BYTES + 1]).unwrap_err(), SheetError::TooLarge(_)));
    }
}
