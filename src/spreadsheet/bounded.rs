//! Defence in depth for `.xlsx`: calamine never builds a table larger than we allow.
//!
//! calamine's `worksheet_range` collects every cell and then allocates the dense bounding box in
//! one go, so a guard that misreads one cell position (see `preflight`) means an abort. For `.xlsx`
//! we drive calamine's streaming cell reader ourselves and refuse the moment a cell lands outside
//! the ceiling, before anything is allocated; only then does calamine build the (small) range.
//! `.xlsb`, which we do not accept, is refused here: the guard cannot read its binary records.

use super::{preflight::MAX_CELLS, SheetError, MAX_ROWS};
use calamine::{Data, DataRef, Range, Reader, Sheets, Xlsx};
use std::io::{Read, Seek};

/// The first worksheet as calamine's `worksheet_range_at(0)` reads it, within the ceiling.
pub fn first_sheet<RS: Read + Seek>(book: &mut Sheets<RS>) -> Result<Range<Data>, SheetError> {
    let range = match book {
        Sheets::Xlsx(x) => return xlsx_first_sheet(x),
        Sheets::Xlsb(_) => return Err(SheetError::NotSpreadsheet),
        book => book.worksheet_range_at(0),
    };
    match range {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(SheetError::Corrupt(e.to_string())),
        None => Err(SheetError::Empty),
    }
}

fn xlsx_first_sheet<RS: Read + Seek>(book: &mut Xlsx<RS>) -> Result<Range<Data>, SheetError> {
    let name = book.sheet_names().first().cloned().ok_or(SheetError::Empty)?;
    let mut reader = match book.worksheet_cells_reader(&name) {
        Ok(r) => r,
        // As calamine's own `worksheet_range`: a chart sheet reads as an empty table.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(e) => return Err(SheetError::Corrupt(e.to_string())),
    };
    let mut cells = Vec::new();
    let mut bounds = Bounds::default();
    while let Some(cell) = reader.next_cell().map_err(|e| SheetError::Corrupt(e.to_string()))? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        bounds.add(row, col)?;
        cells.push(calamine::Cell::new((row, col), Data::from(cell.get_value().clone())));
    }
    Ok(Range::from_sparse(cells))
}

/// The bounding box of the cells so far, refused past the ceiling.
#[derive(Default)]
struct Bounds {
    cells: u64,
    rows: (u32, u32),
    cols: (u32, u32),
}

impl Bounds {
    fn add(&mut self, row: u32, col: u32) -> Result<(), SheetError> {
        if self.cells == 0 {
            (self.rows, self.cols) = ((row, row), (col, col));
        } else {
            self.rows = (self.rows.0.min(row), self.rows.1.max(row));
            self.cols = (self.cols.0.min(col), self.cols.1.max(col));
        }
        self.cells += 1;
        let height = (self.rows.1 - self.rows.0) as u64 + 1;
        let width = (self.cols.1 - self.cols.0) as u64 + 1;
        if self.cells > MAX_CELLS || height.saturating_mul(width) > MAX_CELLS {
            return Err(SheetError::TooBig);
        }
        if height > MAX_ROWS as u64 {
            return Err(SheetError::TooManyRows);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// A real workbook whose first sheet is replaced by `sheet`.
    fn xlsx(sheet: &str) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        let original = wb.save_to_buffer().unwrap();
        let mut zin = zip::ZipArchive::new(Cursor::new(original)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let name = f.name().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(if name == "xl/worksheets/sheet1.xml" { sheet.as_bytes() } else { &data }).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn read(sheet: &str) -> Result<Range<Data>, SheetError> {
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(xlsx(sheet))).unwrap();
        first_sheet(&mut book)
    }

    #[test]
    fn a_bomb_the_guard_missed_is_refused_before_calamine_allocates_it() {
        // Straight to calamine, no guard: a 512 GB table would abort the test binary.
        let bomb = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>
            <row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
        assert_eq!(read(bomb).err(), Some(SheetError::TooBig));
        let tall = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>
            <row r="900000"><c r="A900000"><v>1</v></c></row></sheetData></worksheet>"#;
        assert_eq!(read(tall).err(), Some(SheetError::TooManyRows));
    }

    #[test]
    fn a_normal_sheet_reads_as_calamine_reads_it() {
        let sheet = r#"<worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>a</t></is></c><c r="D2"><v>7</v></c></row>
            <row r="3"><c r="C3"/></row></sheetData></worksheet>"#;
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(xlsx(sheet))).unwrap();
        let theirs = book.worksheet_range_at(0).unwrap().unwrap();
        let ours = read(sheet).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!((ours.start(), ours.end()), (Some((1, 1)), Some((1, 3))));
    }
}
