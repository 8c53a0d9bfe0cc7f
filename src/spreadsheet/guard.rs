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
pub fn check(bytes: &[u8]) -> Result<(), SheetError> {
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip(bytes, MAX_INFLATED)
    } else {
        check_ole(bytes)
    }
}

fn check_zip(bytes: &[u8], max_inflated: u64) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Corrupt(e.to_string()))?;
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
        let xml = entry.name().ends_with(".xml");
        // One byte over the budget is enough to know.
        let mut limited = CountingReader { inner: entry.take(budget + 1), count: 0 };
        if xml {
            scan_xml(&mut limited)?;
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
        let rows = self.max_row - self.min_row + 1;
        let cols = self.max_col - self.min_col + 1;
        if self.cells > MAX_CELLS || rows.saturating_mul(cols) > MAX_CELLS {
            return Err(too_big());
        }
        if rows > MAX_ROWS as u64 {
            return Err(SheetError::TooManyRows);
        }
        Ok(())
    }
}

/// `XFD1048576` → (row 1048575, column 16383), zero-based.
fn cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = r.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || row.len() > 7 || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = col.iter().fold(0u64, |acc, b| acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u64);
    let row: u64 = std::str::from_utf8(row).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<Vec<u8>> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.into_owned())
}

fn number(v: &[u8]) -> Option<u64> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// Walks one XML part with a small buffer, refusing as soon as any limit is crossed.
fn scan_xml(input: &mut impl Read) -> Result<(), SheetError> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, input));
    let mut buf = Vec::with_capacity(1024);
    // .xlsx
    let mut sheet = Extent::default();
    let (mut row, mut col) = (0u64, 0u64);
    let mut strings = 0u64;
    // .ods: the current table's rows (with repeats), pending empty rows, the widest row.
    let mut ods = Extent::default();
    let (mut ods_row, mut ods_pending_empty, mut ods_row_repeat) = (0u64, 0u64, 1u64);
    let (mut ods_col, mut ods_width) = (0u64, 0u64);
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf).map_err(|e| SheetError::Corrupt(e.to_string()))?;
        let (e, has_children) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(end) if end.name().as_ref() == b"table:table-row" => {
                // A row counts (with its repeats) once a non-empty row follows or it is non-empty.
                if ods_width > 0 {
                    ods_row += ods_pending_empty;
                    ods_pending_empty = 0;
                    let last = ods_row + ods_row_repeat - 1;
                    ods.add(ods_row, 0)?;
                    ods.add(last, ods_width - 1)?;
                    ods_row = last + 1;
                } else {
                    ods_pending_empty = ods_pending_empty.saturating_add(ods_row_repeat);
                }
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        match e.name().as_ref() {
            b"dimension" | b"x:dimension" => {
                if let Some((a, b)) = attr(e, b"ref").as_deref().and_then(|r| {
                    let mut it = r.split(|c| *c == b':');
                    Some((cell_ref(it.next()?)?, it.next().and_then(cell_ref)))
                }) {
                    let mut declared = Extent::default();
                    declared.add(a.0, a.1)?;
                    if let Some(b) = b {
                        declared.add(b.0, b.1)?;
                    }
                }
            }
            b"sheetData" | b"x:sheetData" => {
                sheet = Extent::default();
                (row, col) = (0, 0);
            }
            b"row" | b"x:row" => {
                row = match attr(e, b"r").as_deref().and_then(number) {
                    Some(r) => r.saturating_sub(1),
                    None => row + 1,
                };
                col = 0;
            }
            b"c" | b"x:c" => {
                let pos = match attr(e, b"r").as_deref().and_then(cell_ref) {
                    Some(p) => p,
                    None => (row, col + 1),
                };
                (row, col) = pos;
                sheet.add(row, col)?;
            }
            b"sst" | b"x:sst" => {
                for name in [&b"count"[..], b"uniqueCount"] {
                    if attr(e, name).as_deref().and_then(number).is_some_and(|n| n > MAX_CELLS) {
                        return Err(too_big());
                    }
                }
            }
            b"si" | b"x:si" => {
                strings += 1;
                if strings > MAX_CELLS {
                    return Err(too_big());
                }
            }
            b"table:table" => {
                ods = Extent::default();
                (ods_row, ods_pending_empty) = (0, 0);
            }
            b"table:table-row" => {
                ods_row_repeat = attr(e, b"table:number-rows-repeated").as_deref().and_then(number).unwrap_or(1).max(1);
                (ods_col, ods_width) = (0, 0);
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let repeat = attr(e, b"table:number-columns-repeated").as_deref().and_then(number).unwrap_or(1).max(1);
                let filled = has_children || attr(e, b"office:value-type").is_some();
                ods_col = ods_col.saturating_add(repeat);
                if filled {
                    ods_width = ods_col;
                    if ods_width > MAX_CELLS {
                        return Err(too_big());
                    }
                }
            }
            _ => {}
        }
    }
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

    fn sheet(cells: &str) -> Vec<u8> {
        format!("<worksheet><sheetData>{cells}</sheetData></worksheet>").into_bytes()
    }

    #[test]
    fn a_normal_sheet_passes() {
        let rows: String = (1..=500).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\"/><c r=\"E{r}\"/></row>")).collect();
        assert_eq!(check_zip(&zip(&[("xl/worksheets/sheet1.xml", &sheet(&rows))]), MAX_INFLATED), Ok(()));
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
        assert_eq!(check_zip(&zip(&[("xl/media/blob.bin", &big)]), 1024 * 1024), Err(SheetError::TooBig));
        assert_eq!(check_zip(&zip(&[("xl/media/blob.bin", &big)]), 4 * 1024 * 1024), Ok(()));
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

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref(b"1A"), None);
        assert_eq!(cell_ref(b"A0"), None);
    }
}
