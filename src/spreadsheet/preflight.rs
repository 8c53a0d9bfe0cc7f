//! Looking before calamine leaps: a few kilobytes can describe a table of hundreds of gigabytes.
//!
//! calamine builds a dense `Range` from the bounding box of the cells it sees, reserves cells by
//! the sheet's declared dimensions (`.xls`), expands `.ods` repeat counts, and reads every part
//! of a zip however far it inflates. An allocation that large does not fail politely: the process
//! aborts. So before calamine gets the bytes we read them ourselves with constant memory:
//!
//! - zip (`.xlsx`, `.ods`): the central directory (entry count, declared sizes), then every part
//!   inflated through a hard byte budget (declared sizes can lie); worksheets' `<dimension>` and
//!   every cell position (`<row r>`, `<c r>`), `sharedStrings.xml`'s `count`/`uniqueCount` and
//!   its `<si>` items, `.ods` rows and cells with their repeat counts;
//! - OLE (`.xls`): the compound-file header's table lengths against the file's size, and every
//!   `DIMENSIONS` record (found by its header in the raw bytes; a deliberately fragmented stream
//!   could hide one, which is why `.xls` is also parsed on a blocking thread with the rest).
//!
//! The rule that keeps the guard honest: it must *recognise* at least what calamine recognises
//! (elements by local name whatever the prefix, parts whatever their name or case, references of
//! any length) and be strict only in what it *allows*. `bounded` is the second line for `.xlsx`.
//!
//! The ceiling: at most [`MAX_CELLS`] cells in any table calamine would build (about 64 MB of
//! cells at 32 bytes each), [`MAX_ROWS`](super::MAX_ROWS) rows, [`MAX_INFLATED`] bytes inflated.

use super::{SheetError, MAX_ROWS};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// Cells in the bounding box of any one sheet (rows × columns).
pub const MAX_CELLS: u64 = 2_000_000;
/// Bytes all the parts of one zip may inflate to, together.
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;
/// Parts in one zip (a workbook has a dozen).
const MAX_ENTRIES: usize = 10_000;

fn too_big() -> SheetError {
    SheetError::TooBig
}

/// Refuses a workbook whose reading would allocate beyond the ceiling; `Ok` says calamine may
/// read it.
///
/// calamine tries every format on the same bytes (`.xls` first, then the zip formats), and a zip
/// is found by its directory at the *end* of the file, whatever comes first: so a file is checked
/// as a zip whenever it opens as one, and as a compound file whenever it starts like one.
pub fn check(bytes: &[u8]) -> Result<(), SheetError> {
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => check_zip(zip, MAX_INFLATED)?,
        Err(e) if bytes.starts_with(b"PK") => return Err(SheetError::Corrupt(e.to_string())),
        Err(_) => {}
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        check_ole(bytes)?;
    }
    Ok(())
}

/// Excel's own limits: a reference beyond them is not a real workbook.
const EXCEL_ROWS: u64 = 1_048_576;
const EXCEL_COLUMNS: u64 = 16_384;

fn check_zip(mut zip: zip::ZipArchive<Cursor<&[u8]>>, max_inflated: u64) -> Result<(), SheetError> {
    if zip.len() > MAX_ENTRIES {
        return Err(too_big());
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| SheetError::Corrupt(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > max_inflated {
        return Err(too_big());
    }
    let mut budget = max_inflated;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| SheetError::Corrupt(e.to_string()))?;
        // calamine finds a part by a case-insensitive name, follows relationships to any name,
        // and parses whatever it finds as XML: so every part is scanned, whatever its name. A
        // part that is not XML stops the scan where calamine's parser (same crate, same
        // settings) would stop too; one *named* like XML must be XML.
        let named_xml = {
            let name = entry.name().to_ascii_lowercase();
            name.ends_with(".xml") || name.ends_with(".rels")
        };
        // One byte over the budget is enough to know.
        let mut limited = CountingReader { inner: entry.take(budget + 1), count: 0 };
        match scan_xml(&mut limited) {
            Err(SheetError::Corrupt(_)) if !named_xml => {}
            other => other?,
        }
        std::io::copy(&mut limited, &mut std::io::sink()).map_err(|e| SheetError::Corrupt(e.to_string()))?;
        if limited.count > budget {
            return Err(too_big());
        }
        budget -= limited.count;
    }
    Ok(())
}

struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Bounding box and counts of the cells of one table.
#[derive(Default)]
struct Extent {
    cells: u64,
    min_row: u64,
    max_row: u64,
    min_col: u64,
    max_col: u64,
}

impl Extent {
    fn add(&mut self, row: u64, col: u64) -> Result<(), SheetError> {
        if self.cells == 0 {
            (self.min_row, self.max_row, self.min_col, self.max_col) = (row, row, col, col);
        } else {
            self.min_row = self.min_row.min(row);
            self.max_row = self.max_row.max(row);
            self.min_col = self.min_col.min(col);
            self.max_col = self.max_col.max(col);
        }
        self.cells += 1;
        self.check()
    }

    fn check(&self) -> Result<(), SheetError> {
        if self.cells == 0 {
            return Ok(());
        }
        let rows = (self.max_row - self.min_row).saturating_add(1);
        let cols = (self.max_col - self.min_col).saturating_add(1);
        if self.cells > MAX_CELLS || rows.saturating_mul(cols) > MAX_CELLS {
            return Err(too_big());
        }
        if rows > MAX_ROWS as u64 {
            return Err(SheetError::TooManyRows);
        }
        Ok(())
    }
}

/// Digits as a number, saturating: `99999999999999999999` is "too far", never "unreadable".
fn saturating_digits(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, d| acc.saturating_mul(10).saturating_add((d - b'0') as u64))
}

/// A reference as calamine reads it: any number of letters (either case), then any number of
/// digits; `None` where calamine refuses it (then it fails the whole sheet). Returns the one-based
/// column (0 without letters) and row, saturating.
fn reference(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = r.split_at(letters);
    if row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col
        .iter()
        .fold(0u64, |acc, b| acc.saturating_mul(26).saturating_add((b.to_ascii_uppercase() - b'A' + 1) as u64));
    Some((col, saturating_digits(row)))
}

/// `XFD1048576` → (row 1048575, column 16383), zero-based; `TooBig` beyond Excel's limits.
fn cell_ref(r: &[u8]) -> Result<Option<(u64, u64)>, SheetError> {
    match reference(r) {
        Some((col, row)) if col > 0 && row > 0 => {
            if col > EXCEL_COLUMNS || row > EXCEL_ROWS {
                return Err(too_big());
            }
            Ok(Some((row - 1, col - 1)))
        }
        _ => Ok(None),
    }
}

/// A row's `r` (`7`, or `A7` as calamine also reads it) → zero-based row.
fn row_ref(r: &[u8]) -> Result<Option<u64>, SheetError> {
    match reference(r) {
        Some((_, row)) if row > 0 => {
            if row > EXCEL_ROWS {
                return Err(too_big());
            }
            Ok(Some(row - 1))
        }
        _ => Ok(None),
    }
}

/// Every value of an attribute with this local name, whatever its prefix (calamine wants some
/// unprefixed, some prefixed: the guard takes them all).
fn attrs<'a>(e: &'a BytesStart<'_>, local: &'a [u8]) -> impl Iterator<Item = Vec<u8>> + 'a {
    e.attributes().flatten().filter(move |a| a.key.local_name().as_ref() == local).map(|a| a.value.into_owned())
}

/// A count attribute (repeats, string counts), saturating; `None` when absent or not a number.
fn count(e: &BytesStart<'_>, local: &[u8]) -> Option<u64> {
    attrs(e, local)
        .filter_map(|v| {
            let v = v.trim_ascii();
            let v = v.strip_prefix(b"+").unwrap_or(v);
            (!v.is_empty() && v.iter().all(u8::is_ascii_digit)).then(|| saturating_digits(v))
        })
        .max()
}

/// `.xlsx` worksheet state, as calamine's cell reader keeps it.
#[derive(Default)]
struct Xlsx {
    cells: Extent,
    row: u64,
    col: u64,
    strings: u64,
}

/// `.ods` table state: the current table's rows (with repeats), pending empty rows, the widest
/// row.
#[derive(Default)]
struct Ods {
    cells: Extent,
    row: u64,
    pending_empty: u64,
    row_repeat: u64,
    col: u64,
    width: u64,
}

/// Walks one XML part with a small buffer, refusing as soon as any limit is crossed.
///
/// Elements are matched by their local name whatever the prefix (`<c>`, `<x:c>`, `<s:c>`; ODF's
/// `table:` prefix is only a convention too), attributes likewise: the guard recognises at least
/// what calamine recognises, and more is only stricter.
fn scan_xml(input: &mut impl Read) -> Result<(), SheetError> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, input));
    // calamine's settings (so a part stops parsing where calamine's parse stops), except empty
    // elements, which are handled below as a start and an end.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    let mut buf = Vec::with_capacity(1024);
    let mut x = Xlsx::default();
    let mut ods = Ods::default();
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| SheetError::Corrupt(e.to_string()))?;
        let (start, end) = match &event {
            Event::Start(e) => (Some(e), None),
            Event::Empty(e) => (Some(e), Some(e.local_name().as_ref().to_vec())),
            Event::End(e) => (None, Some(e.local_name().as_ref().to_vec())),
            Event::Eof => return Ok(()),
            _ => continue,
        };
        if let Some(e) = start {
            let children = end.is_none();
            start_element(e, children, &mut x, &mut ods)?;
        }
        match end.as_deref() {
            Some(b"row") => {
                x.row = x.row.saturating_add(1);
                x.col = 0;
            }
            Some(b"table-row") => end_ods_row(&mut ods)?,
            _ => {}
        }
    }
}

fn start_element(e: &BytesStart<'_>, children: bool, x: &mut Xlsx, ods: &mut Ods) -> Result<(), SheetError> {
    match e.local_name().as_ref() {
        b"dimension" => {
            for r in attrs(e, b"ref") {
                let mut declared = Extent::default();
                for corner in r.split(|c| *c == b':') {
                    if let Some((row, col)) = cell_ref(corner)? {
                        declared.add(row, col)?;
                    }
                }
            }
        }
        b"sheetData" => (x.row, x.col) = (0, 0),
        b"row" => {
            for r in attrs(e, b"r") {
                if let Some(row) = row_ref(&r)? {
                    x.row = row;
                }
            }
        }
        b"c" => {
            let mut explicit = false;
            for r in attrs(e, b"r") {
                if let Some((row, col)) = cell_ref(&r)? {
                    x.cells.add(row, col)?;
                    x.col = col;
                    explicit = true;
                }
            }
            if !explicit {
                x.cells.add(x.row, x.col)?;
            }
            x.col = x.col.saturating_add(1);
        }
        b"sst" => {
            for name in [&b"count"[..], b"uniqueCount"] {
                if count(e, name).is_some_and(|n| n > MAX_CELLS) {
                    return Err(too_big());
                }
            }
        }
        b"si" => {
            x.strings += 1;
            if x.strings > MAX_CELLS {
                return Err(too_big());
            }
        }
        b"table" => *ods = Ods::default(),
        b"table-row" => {
            ods.row_repeat = count(e, b"number-rows-repeated").unwrap_or(1).max(1);
            (ods.col, ods.width) = (0, 0);
        }
        b"table-cell" | b"covered-table-cell" => {
            let repeat = count(e, b"number-columns-repeated").unwrap_or(1).max(1);
            let filled = children || attrs(e, b"value-type").next().is_some();
            ods.col = ods.col.saturating_add(repeat);
            if filled {
                ods.width = ods.col;
                if ods.width > MAX_CELLS {
                    return Err(too_big());
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A row counts (with its repeats) once it is non-empty, and so do the empty rows before it.
fn end_ods_row(ods: &mut Ods) -> Result<(), SheetError> {
    let repeat = ods.row_repeat.max(1);
    if ods.width > 0 {
        ods.row = ods.row.saturating_add(ods.pending_empty);
        ods.pending_empty = 0;
        let last = ods.row.saturating_add(repeat - 1);
        ods.cells.add(ods.row, 0)?;
        ods.cells.add(last, ods.width - 1)?;
        ods.row = last.saturating_add(1);
    } else {
        ods.pending_empty = ods.pending_empty.saturating_add(repeat);
    }
    (ods.row_repeat, ods.width, ods.col) = (1, 0, 0);
    Ok(())
}

/// `.xls`: the compound file's table lengths and every DIMENSIONS record.
fn check_ole(bytes: &[u8]) -> Result<(), SheetError> {
    if bytes.len() < 512 {
        return Err(SheetError::Corrupt("short compound file".into()));
    }
    let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as u64;
    // Directory, FAT, mini FAT and DIFAT lengths (in sectors) size calamine's first vectors: a
    // real file has fewer sectors than bytes.
    for at in [40, 44, 62, 64, 72] {
        if u32_at(at) > bytes.len() as u64 {
            return Err(too_big());
        }
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]) as u64;
    // Record 0x0200 DIMENSIONS: BIFF8 (14 bytes: rows u32 ×2, columns u16 ×2) or BIFF5 (10 bytes).
    for (at, w) in bytes.windows(4).enumerate() {
        let (first_row, last_row, first_col, last_col) = match w {
            [0x00, 0x02, 0x0E, 0x00] if at + 4 + 14 <= bytes.len() => {
                let d = at + 4;
                (u32_at(d), u32_at(d + 4), u16_at(d + 8), u16_at(d + 10))
            }
            [0x00, 0x02, 0x0A, 0x00] if at + 4 + 10 <= bytes.len() => {
                let d = at + 4;
                (u16_at(d), u16_at(d + 2), u16_at(d + 4), u16_at(d + 6))
            }
            _ => continue,
        };
        let rows = last_row.saturating_sub(first_row) + 1;
        let cols = if first_col > 0xFF || last_col < first_col { last_col + 1 } else { last_col - first_col + 1 };
        if rows.saturating_mul(cols) > MAX_CELLS {
            return Err(too_big());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            std::io::Write::write_all(&mut w, data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn check_zip_bytes(bytes: &[u8], max_inflated: u64) -> Result<(), SheetError> {
        check_zip(zip::ZipArchive::new(Cursor::new(bytes)).unwrap(), max_inflated)
    }

    fn sheet(cells: &str) -> Vec<u8> {
        format!("<worksheet><sheetData>{cells}</sheetData></worksheet>").into_bytes()
    }

    #[test]
    fn a_normal_sheet_passes() {
        let rows: String = (1..=500).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\"/><c r=\"E{r}\"/></row>")).collect();
        assert_eq!(check_zip_bytes(&zip(&[("xl/worksheets/sheet1.xml", &sheet(&rows))]), MAX_INFLATED), Ok(()));
    }

    #[test]
    fn corner_cells_and_declared_dimensions_are_refused() {
        let corners = sheet(r#"<row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row>"#);
        assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", &corners)])), Err(SheetError::TooBig));
        let declared = br#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>"#;
        assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", declared)])), Err(SheetError::TooBig));
        // Tall and narrow: too many rows rather than too many cells.
        let tall = sheet(r#"<row r="1"><c r="A1"/></row><row r="900000"><c r="A900000"/></row>"#);
        assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", &tall)])), Err(SheetError::TooManyRows));
    }

    #[test]
    fn shared_strings_counts_are_refused() {
        let sst = br#"<sst count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
        assert_eq!(check(&zip(&[("xl/sharedStrings.xml", sst)])), Err(SheetError::TooBig));
    }

    #[test]
    fn inflating_past_the_budget_is_refused() {
        let big = vec![b' '; 2 * 1024 * 1024];
        assert_eq!(check_zip_bytes(&zip(&[("xl/media/blob.bin", &big)]), 1024 * 1024), Err(SheetError::TooBig));
        assert_eq!(check_zip_bytes(&zip(&[("xl/media/blob.bin", &big)]), 4 * 1024 * 1024), Ok(()));
    }

    #[test]
    fn ods_repeats_are_counted() {
        let content = br#"<office:document-content><office:body><office:spreadsheet><table:table>
            <table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(
            check(&zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content)])),
            Err(SheetError::TooBig)
        );
        // LibreOffice's usual tail of empty repeated rows and columns is harmless.
        let normal = br#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1023"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;
        assert_eq!(check(&zip(&[("content.xml", normal)])), Ok(()));
    }

    #[test]
    fn xls_dimensions_and_header_lengths_are_refused() {
        let mut ole = vec![0u8; 2048];
        ole[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        assert_eq!(check(&ole), Ok(()));
        let mut fat = ole.clone();
        fat[44..48].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(check(&fat), Err(SheetError::TooBig));
        // DIMENSIONS: rows 0..4_000_000_000, columns 0..255.
        let mut dims = ole.clone();
        let rec = [0x00, 0x02, 0x0E, 0x00, 0, 0, 0, 0, 0x00, 0x28, 0x6B, 0xEE, 0, 0, 0xFF, 0, 0, 0];
        dims[1024..1024 + rec.len()].copy_from_slice(&rec);
        assert_eq!(check(&dims), Err(SheetError::TooBig));
    }

    const CORNERS: &str = r#"<row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row>"#;

    #[test]
    fn elements_are_matched_by_local_name_whatever_the_prefix() {
        for prefix in ["", "x:", "s:", "main:"] {
            let cells = CORNERS.replace("<row", &format!("<{prefix}row")).replace("<c ", &format!("<{prefix}c "));
            let part = format!("<{prefix}worksheet><{prefix}sheetData>{cells}</{prefix}sheetData></{prefix}worksheet>");
            let bytes = zip(&[("xl/worksheets/sheet1.xml", part.as_bytes())]);
            assert_eq!(check(&bytes), Err(SheetError::TooBig), "cells with prefix {prefix:?}");
            let dim = format!(r#"<{prefix}worksheet><{prefix}dimension ref="A1:XFD1048576"/></{prefix}worksheet>"#);
            let bytes = zip(&[("xl/worksheets/sheet1.xml", dim.as_bytes())]);
            assert_eq!(check(&bytes), Err(SheetError::TooBig), "dimension with prefix {prefix:?}");
        }
    }

    #[test]
    fn row_numbers_place_the_cells_without_a_reference() {
        // `<row r>` in either form calamine reads (`5` or `A5`), then cells without `r`.
        for r in ["1048576", "A1048576", "a1048576"] {
            let part = sheet(&format!(r#"<row r="1"><c r="A1"/></row><row r="{r}"><c/><c/></row>"#));
            assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", &part)])), Err(SheetError::TooManyRows), "{r}");
        }
        // Beyond Excel's limits, in any number of digits, is refused outright.
        let part = sheet(r#"<row r="123456789012"><c/></row>"#);
        assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", &part)])), Err(SheetError::TooBig));
        // Row positions run on from an explicit `r` past the element's end, as in calamine.
        let part = sheet(r#"<row r="1"><c/></row><row r="899999"/><row><c/></row>"#);
        assert_eq!(check(&zip(&[("xl/worksheets/sheet1.xml", &part)])), Err(SheetError::TooManyRows));
    }

    #[test]
    fn every_part_is_scanned_whatever_its_name() {
        let bomb = sheet(CORNERS);
        for name in [
            "xl/worksheets/sheet1.XML",
            "XL/WORKSHEETS/SHEET1.xml",
            "xl\\worksheets\\sheet1.xml",
            "xl/worksheets/sheet1.bin",
            "sheet",
        ] {
            assert_eq!(check(&zip(&[(name, &bomb)])), Err(SheetError::TooBig), "{name}");
        }
        // A part that is not XML at all (a picture) is fine unless it is named like XML.
        let png = b"\x89PNG\r\n\x1a\n\x00\x00<<<>>>\x00&;<!\xff";
        assert_eq!(check(&zip(&[("xl/media/image1.png", png)])), Ok(()));
        assert!(matches!(check(&zip(&[("xl/styles.xml", png)])), Err(SheetError::Corrupt(_))));
    }

    #[test]
    fn a_zip_behind_a_compound_file_header_is_checked_too() {
        // calamine falls back to reading a zip found at the end of a file that starts like `.xls`.
        let mut bytes = vec![0u8; 512];
        bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        bytes.extend(zip(&[("xl/worksheets/sheet1.xml", &sheet(CORNERS))]));
        assert_eq!(check(&bytes), Err(SheetError::TooBig));
    }

    #[test]
    fn ods_with_other_prefixes_and_empty_rows_is_counted() {
        let content = br#"<o:document-content xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><t:table>
            <t:table-row t:number-rows-repeated="1000000"><t:table-cell t:number-columns-repeated="16384" o:value-type="string"/></t:table-row>
            </t:table></o:document-content>"#;
        assert_eq!(check(&zip(&[("content.xml", content)])), Err(SheetError::TooBig));
        // Empty rows written as empty elements still push the next non-empty row down.
        let content =
            br#"<table:table><table:table-row><table:table-cell office:value-type="string"/></table:table-row>
            <table:table-row table:number-rows-repeated="900000"/>
            <table:table-row><table:table-cell office:value-type="string"/></table:table-row></table:table>"#;
        assert_eq!(check(&zip(&[("content.xml", content)])), Err(SheetError::TooManyRows));
        // Repeat counts too long for any integer saturate rather than read as 1.
        let content = br#"<table:table><table:table-row><table:table-cell table:number-columns-repeated="99999999999999999999999" office:value-type="string"/></table:table-row></table:table>"#;
        assert_eq!(check(&zip(&[("content.xml", content)])), Err(SheetError::TooBig));
    }

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(b"A1"), Ok(Some((0, 0))));
        assert_eq!(cell_ref(b"xfd1048576"), Ok(Some((1_048_575, 16_383))));
        assert_eq!(cell_ref(b"A0000000000001"), Ok(Some((0, 0))));
        assert_eq!(cell_ref(b"1A"), Ok(None));
        assert_eq!(cell_ref(b"A0"), Ok(None));
        // Any number of digits or letters: beyond Excel's limits is refused, never skipped.
        assert_eq!(cell_ref(b"A1048577"), Err(SheetError::TooBig));
        assert_eq!(cell_ref(b"A99999999"), Err(SheetError::TooBig));
        assert_eq!(cell_ref(b"A99999999999999999999999999"), Err(SheetError::TooBig));
        assert_eq!(cell_ref(b"XFE1"), Err(SheetError::TooBig));
        assert_eq!(cell_ref(b"AAAAAAAAAAAAAAAAAAAA1"), Err(SheetError::TooBig));
        assert_eq!(row_ref(b"7"), Ok(Some(6)));
        assert_eq!(row_ref(b"C7"), Ok(Some(6)));
        assert_eq!(row_ref(b"100000000"), Err(SheetError::TooBig));
    }
}
