//! `/export` and `insoles-crm export FILE.xlsx`: clients, orders, bookings, tasks and the
//! timeline as one workbook with headers in the owner's language. The clients sheet reads back
//! through the importer.
//!
//! The workbook is for people (an accountant, the owner in Excel), so every stored code is written
//! as its name in her language: `issued` → «Видане», `flat,spur` → «Плоскостопість, П'яткова
//! шпора», `no_show` → «Не прийшла». A code without a name (a channel added later) is written as
//! it is rather than dropped.

use crate::domain::profile;
use crate::i18n::Tr;
use crate::store::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

fn header(ws: &mut Worksheet, titles: &[String]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    for (i, t) in titles.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, t, &bold)?;
        ws.set_column_width(i as u16, 16)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn text(ws: &mut Worksheet, row: u32, col: u16, value: Option<&str>) -> Result<(), rust_xlsxwriter::XlsxError> {
    if let Some(v) = value {
        ws.write_string(row, col, v)?;
    }
    Ok(())
}

/// The name of a stored code: the message `export-<group>-<code>`, or the code itself.
fn label(tr: &Tr<'_>, group: &str, code: &str) -> String {
    let key = format!("export-{group}-{}", code.replace('_', "-"));
    if tr.i18n.has(tr.lang, &key) {
        tr.t(&key)
    } else {
        code.to_string()
    }
}

/// `flat,spur` → `Плоскостопість, П'яткова шпора`.
fn conditions(tr: &Tr<'_>, codes: &str) -> String {
    profile::parse_conditions(codes).into_iter().map(|c| tr.t(c.label_key())).collect::<Vec<_>>().join(", ")
}

pub async fn workbook(store: &Store, tr: Tr<'_>, tz: Tz) -> anyhow::Result<Vec<u8>> {
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string();
    let mut wb = Workbook::new();

    let clients = store.export_clients().await?;
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("export-sheet-clients"))?;
    let cols = [
        "export-col-id",
        "export-col-name",
        "export-col-phone",
        "export-col-email",
        "export-col-instagram",
        "export-col-birth-date",
        "export-col-conditions",
        "export-col-diabetes",
        "export-col-foot-length",
        "export-col-shoe-size",
        "export-col-allergies",
        "export-col-contraindications",
        "export-col-notes",
        "export-col-tags",
    ];
    header(ws, &cols.map(|k| tr.t(k)))?;
    for (i, c) in clients.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, c.0 as f64)?;
        ws.write_string(r, 1, &c.1)?;
        text(ws, r, 2, c.2.as_deref())?;
        text(ws, r, 3, c.3.as_deref())?;
        text(ws, r, 4, c.4.as_deref())?;
        if let Some(d) = c.5.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
            ws.write_string(r, 5, d.format("%d.%m.%Y").to_string())?;
        }
        text(ws, r, 6, Some(conditions(&tr, &c.6)).filter(|s| !s.is_empty()).as_deref())?;
        if c.7 {
            ws.write_string(r, 7, tr.t("export-yes"))?;
        }
        if let Some(mm) = c.8 {
            ws.write_number(r, 8, mm as f64)?;
        }
        text(ws, r, 9, c.9.as_deref())?;
        text(ws, r, 10, c.10.as_deref())?;
        text(ws, r, 11, c.11.as_deref())?;
        text(ws, r, 12, c.12.as_deref())?;
        text(ws, r, 13, c.13.as_deref())?;
    }

    let orders = store.export_orders().await?;
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("export-sheet-orders"))?;
    let cols = [
        "export-col-id",
        "export-col-client-id",
        "export-col-name",
        "export-col-product",
        "export-col-price",
        "export-col-prepaid",
        "export-col-status",
        "export-col-created",
    ];
    header(ws, &cols.map(|k| tr.t(k)))?;
    for (i, o) in orders.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, o.0 as f64)?;
        ws.write_number(r, 1, o.1 as f64)?;
        ws.write_string(r, 2, &o.2)?;
        ws.write_string(r, 3, &o.3)?;
        ws.write_number(r, 4, o.4 as f64 / 100.0)?;
        ws.write_number(r, 5, o.5 as f64 / 100.0)?;
        ws.write_string(r, 6, label(&tr, "order", &o.6))?;
        ws.write_string(r, 7, local(o.7))?;
    }

    let events = store.export_events().await?;
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("export-sheet-timeline"))?;
    let cols = [
        "export-col-client-id",
        "export-col-name",
        "export-col-channel",
        "export-col-direction",
        "export-col-kind",
        "export-col-text",
        "export-col-created",
    ];
    header(ws, &cols.map(|k| tr.t(k)))?;
    for (i, e) in events.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, e.0 as f64)?;
        ws.write_string(r, 1, &e.1)?;
        ws.write_string(r, 2, label(&tr, "channel", &e.2))?;
        ws.write_string(r, 3, label(&tr, "dir", &e.3))?;
        ws.write_string(r, 4, label(&tr, "kind", &e.4))?;
        ws.write_string(r, 5, &e.5)?;
        ws.write_string(r, 6, local(e.6))?;
    }

    let bookings = store.export_bookings().await?;
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("export-sheet-bookings"))?;
    let cols = [
        "export-col-id",
        "export-col-client-id",
        "export-col-name",
        "export-col-service",
        "export-col-starts",
        "export-col-status",
        "export-col-channel",
        "export-col-text",
    ];
    header(ws, &cols.map(|k| tr.t(k)))?;
    for (i, b) in bookings.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, b.0 as f64)?;
        ws.write_number(r, 1, b.1 as f64)?;
        ws.write_string(r, 2, &b.2)?;
        ws.write_string(r, 3, label(&tr, "service", &b.3))?;
        ws.write_string(r, 4, local(b.4))?;
        ws.write_string(r, 5, label(&tr, "booking", &b.5))?;
        ws.write_string(r, 6, label(&tr, "channel", &b.6))?;
        text(ws, r, 7, b.7.as_deref())?;
    }

    let tasks = store.export_tasks().await?;
    let ws = wb.add_worksheet();
    ws.set_name(tr.t("export-sheet-tasks"))?;
    let cols = [
        "export-col-id",
        "export-col-client-id",
        "export-col-name",
        "export-col-task",
        "export-col-due",
        "export-col-done",
        "export-col-kind",
    ];
    header(ws, &cols.map(|k| tr.t(k)))?;
    for (i, t) in tasks.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, t.0 as f64)?;
        if let Some(id) = t.1 {
            ws.write_number(r, 1, id as f64)?;
        }
        text(ws, r, 2, t.2.as_deref())?;
        ws.write_string(r, 3, &t.3)?;
        text(ws, r, 4, t.4.map(local).as_deref())?;
        text(ws, r, 5, t.5.map(local).as_deref())?;
        ws.write_string(r, 6, label(&tr, "task", &t.6))?;
    }
    Ok(wb.save_to_buffer()?)
}
