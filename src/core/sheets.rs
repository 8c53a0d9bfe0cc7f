//! Excel in, Excel out from the chat: a sent `.xlsx`/`.csv` gets a preview (rows read, columns
//! recognised, duplicates, rows with errors and why) and imports on one tap, all or nothing;
//! `/export` answers with a workbook.

use super::{Attachment, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::callback::CommonCb;
use crate::i18n::Tr;
use crate::spreadsheet::import::{plan, Field, Plan, PlanError, Problem};
use crate::spreadsheet::{self, SheetError};

/// How many problem rows the preview lists by line.
const SHOWN: usize = 10;

pub fn field_label(tr: &Tr<'_>, f: Field) -> String {
    tr.t(match f {
        Field::Name => "field-name",
        Field::FirstName => "import-first-name",
        Field::LastName => "import-last-name",
        Field::Phone => "field-phone",
        Field::Note => "field-notes",
        Field::BirthDate => "field-birth-date",
        Field::Email => "field-email",
        Field::Instagram => "field-instagram",
        Field::ShoeSize => "field-shoe-size",
        Field::Tags => "btn-tags",
    })
}

pub fn problem_text(tr: &Tr<'_>, p: &Problem) -> String {
    match p {
        Problem::MissingName => tr.t("import-problem-no-name"),
        Problem::Name(_) => tr.t("import-problem-name"),
        Problem::Phone(v) => tr.t_args("import-problem-phone", &[("value", v.into())]),
        Problem::Date(v) => tr.t_args("import-problem-date", &[("value", v.into())]),
        Problem::Email(v) => tr.t_args("import-problem-email", &[("value", v.into())]),
        Problem::ShoeSize(v) => tr.t_args("import-problem-shoe-size", &[("value", v.into())]),
        Problem::DuplicateInFile { first_line } => {
            tr.t_args("import-problem-dup-file", &[("line", (*first_line).into())])
        }
        Problem::Exists { name } => tr.t_args("import-problem-exists", &[("name", name.into())]),
    }
}

/// The preview text, shared by the chat and the command line.
pub fn preview_text(tr: &Tr<'_>, file: &str, p: &Plan) -> String {
    let mut t = tr.t_args("import-preview", &[("file", file.into()), ("rows", p.rows_read.into())]);
    let cols: Vec<String> = p.columns.iter().map(|(h, f)| format!("{h} → {}", field_label(tr, *f))).collect();
    t.push_str(&format!("\n{}: {}", tr.t("import-columns"), cols.join(", ")));
    if !p.ignored_columns.is_empty() {
        t.push_str(&format!("\n{}: {}", tr.t("import-ignored"), p.ignored_columns.join(", ")));
    }
    t.push_str(&format!("\n\n✅ {}", tr.t_args("import-ready", &[("count", p.ready.len().into())])));
    for (key, list) in
        [("import-duplicates", &p.duplicates), ("import-errors", &p.errors), ("import-warnings", &p.warnings)]
    {
        if list.is_empty() {
            continue;
        }
        t.push_str(&format!("\n\n{}", tr.t_args(key, &[("count", list.len().into())])));
        for (line, problem) in list.iter().take(SHOWN) {
            t.push_str(&format!(
                "\n• {}",
                tr.t_args("import-line", &[("line", (*line).into()), ("problem", problem_text(tr, problem).into())])
            ));
        }
        if list.len() > SHOWN {
            t.push_str(&format!("\n{}", tr.t_args("import-more", &[("count", (list.len() - SHOWN).into())])));
        }
    }
    t
}

pub fn sheet_error(e: &SheetError) -> CoreError {
    match e {
        SheetError::TooLarge(_) => {
            CoreError::user_with("import-too-large", vec![("max", (spreadsheet::MAX_BYTES / 1024 / 1024).into())])
        }
        SheetError::NotSpreadsheet => CoreError::user("import-not-spreadsheet"),
        SheetError::Corrupt(_) => CoreError::user("import-corrupt"),
        SheetError::Empty => CoreError::user("import-empty"),
        SheetError::TooBig => CoreError::user_with(
            "import-sheet-too-big",
            vec![("rows", spreadsheet::MAX_ROWS.into()), ("cells", (spreadsheet::MAX_CELLS as usize).into())],
        ),
        SheetError::TooManyRows => {
            CoreError::user_with("import-too-many-rows", vec![("max", spreadsheet::MAX_ROWS.into())])
        }
    }
}

pub async fn preview(ctx: &Ctx<'_>, name: &str, size: u64, bytes: Option<&[u8]>) -> CoreResult {
    let Some(bytes) = bytes else {
        if size as usize > spreadsheet::MAX_BYTES {
            return Err(sheet_error(&SheetError::TooLarge(size as usize)));
        }
        return Err(CoreError::user("import-download-failed"));
    };
    let rows = spreadsheet::read_blocking(bytes.to_vec()).await.map_err(|e| {
        tracing::info!(file = name, error = %e, "spreadsheet refused");
        sheet_error(&e)
    })?;
    let existing = ctx.store().phone_index().await?;
    let today = crate::store::now().with_timezone(&ctx.tz()).date_naive();
    let plan = plan(&rows, &existing, today).map_err(|PlanError::NoNameColumn| CoreError::user("import-no-columns"))?;
    let text = preview_text(&ctx.tr, name, &plan);
    if plan.ready.is_empty() {
        return Ok(Output::one(Reply::text(format!("{text}\n\n{}", ctx.t("import-nothing")))));
    }
    let id = ctx.store().save_import(&ctx.actor_key, &plan.ready).await?;
    let buttons = vec![vec![
        Button::new(ctx.t_args("btn-import", &[("count", plan.ready.len().into())]), ImportCb::Confirm(id)),
        Button::new(ctx.t("btn-cancel"), CommonCb::Cancel),
    ]];
    Ok(Output::one(Reply::text(text).with_buttons(buttons)))
}

crate::core::callback::callbacks! {
    /// Buttons of the import preview.
    pub enum ImportCb {
        Confirm(id: i64) => "ic",
    }
}

pub async fn on_button(ctx: &Ctx<'_>, cb: ImportCb) -> CoreResult {
    match cb {
        ImportCb::Confirm(id) => confirm(ctx, id).await,
    }
}

pub async fn confirm(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let Some(rows) = ctx.store().pending_import(id, &ctx.actor_key).await? else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    let added = ctx.store().import_clients(&rows, ctx.channel(), Some(id)).await?;
    tracing::info!(import = id, added, "clients imported");
    let text = ctx.t_args("import-done", &[("count", added.into()), ("skipped", (rows.len() - added).into())]);
    Ok(Output::one(Reply::text(text).editing(true)))
}

pub async fn export(ctx: &Ctx<'_>) -> CoreResult {
    let bytes = crate::spreadsheet::export::workbook(ctx.store(), ctx.tr, ctx.tz()).await?;
    let name = format!("insoles-{}.xlsx", crate::store::now().with_timezone(&ctx.tz()).format("%Y-%m-%d"));
    let count = ctx.store().client_count().await?;
    let mut reply = Reply::text(ctx.t_args("export-done", &[("count", count.into())]));
    reply.attachment = Some(Attachment { name, bytes });
    Ok(Output::one(reply))
}
