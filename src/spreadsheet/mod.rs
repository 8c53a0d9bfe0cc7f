//! Spreadsheets, the one feature folder for the owner's tables: `read` turns a file she sends
//! (xlsx, xls, ods, csv in any encoding) into cells after `preflight` and `bounded` have checked its
//! sizes; `import` turns cells into clients (columns, rows, duplicates, problems); `export` writes
//! the `/export` workbook from the store's typed rows; `cash_export` the cash book of a period. The chat flow (`/import` preview and
//! confirm, `/export`) is `core::sheets`; the store keeps pending imports (`store::imports`).

mod bounded;
pub mod cash_export;
pub mod export;
pub mod import;
mod preflight;
mod read;

pub use preflight::{MAX_CELLS, MAX_INFLATED};
pub use read::{read, read_blocking, Cell, SheetError, MAX_BYTES, MAX_ROWS};
