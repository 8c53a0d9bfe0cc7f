//! The cash book of a period as one worksheet for the owner's accountant: day, kind, method,
//! category, amount (negative for money out), Monobank's fee, order, client, note, receipt, with
//! every code written in the owner's language and the period's totals under the rows.

use crate::domain::cash::{EntryKind, PayMethod};
use crate::i18n::Tr;
use crate::store::cashbook::Entry;
use chrono_tz::Tz;
use rust_xlsxwriter::{Format, Workbook};

/// The workbook of `rows` (entries with their order's client), oldest first.
pub fn workbook(rows: &[(Entry, Option<String>)], tr: Tr<'_>, tz: Tz) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("pay-export-sheet"))?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0.00");
    let cols = [
        "pay-export-col-day",
        "pay-export-col-kind",
        "pay-export-col-method",
        "pay-export-col-category",
        "pay-export-col-amount",
        "pay-export-col-fee",
        "pay-export-col-order",
        "pay-export-col-client",
        "pay-export-col-note",
        "pay-export-col-receipt",
        "pay-export-col-recorded",
    ];
    for (i, k) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, tr.t(k), &bold)?;
        ws.set_column_width(i as u16, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut total = 0i64;
    for (i, (e, client)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let kind = EntryKind::from_code(&e.kind);
        let signed = if kind == Some(EntryKind::Income) { e.amount_kop } else { -e.amount_kop };
        total += signed - e.fee_kop;
        ws.write_string(r, 0, e.day.format("%d.%m.%Y").to_string())?;
        ws.write_string(r, 1, tr.t(&format!("pay-kind-{}", e.kind)))?;
        let method = PayMethod::from_code(&e.method).map(|m| tr.t(m.label_key())).unwrap_or_else(|| e.method.clone());
        ws.write_string(r, 2, method)?;
        ws.write_string(r, 3, &e.category)?;
        ws.write_number_with_format(r, 4, signed as f64 / 100.0, &money)?;
        if e.fee_kop > 0 {
            ws.write_number_with_format(r, 5, e.fee_kop as f64 / 100.0, &money)?;
        }
        if let Some(o) = e.order_id {
            ws.write_number(r, 6, o as f64)?;
        }
        if let Some(c) = client {
            ws.write_string(r, 7, c)?;
        }
        if let Some(n) = &e.note {
            ws.write_string(r, 8, n)?;
        }
        ws.write_string(r, 9, tr.t(&format!("pay-receipt-{}", e.receipt)))?;
        ws.write_string(r, 10, e.at.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string())?;
    }
    let r = rows.len() as u32 + 2;
    ws.write_string_with_format(r, 3, tr.t("pay-export-total"), &bold)?;
    ws.write_number_with_format(r, 4, total as f64 / 100.0, &money)?;
    wb.save_to_buffer()
}
