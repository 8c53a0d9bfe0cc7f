//! Importing clients from a spreadsheet: the one use case behind a file sent in the chat
//! (`sheets`) and `insoles-crm import clients FILE` (`main.rs`), which only parse and render.
//!
//! [`read`] the file (sizes checked before any parser allocates), [`run`]: plan its rows against
//! the phones already stored, write the preview (rows read, columns recognised, duplicates, rows
//! with errors and why), then, as the caller says, stop there (`--dry-run`), import every ready row
//! at once (the command line), or keep them pending for the owner's one tap ([`confirm`]). Either
//! way the rows go in one transaction, all or none; a phone that turned up on a card since the
//! preview is skipped, never duplicated (the store decides, under the write lock).

use super::{CoreError, CoreResult};
use crate::i18n::Tr;
use crate::spreadsheet::import::{plan, Field, Plan, PlanError, Problem};
use crate::spreadsheet::{self, Cell, SheetError};
use crate::store::Store;
use chrono::NaiveDate;

/// What to do after the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then<'a> {
    /// Only show it (`--dry-run`).
    Preview,
    /// Import every ready row now (the command line: the person at the terminal asked for it).
    ImportNow { channel: &'a str },
    /// Keep the ready rows for `actor`'s one tap ([`confirm`]); nothing is kept when none is ready.
    AwaitConfirm { actor: &'a str },
}

/// What happened after the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Previewed,
    /// No row is ready: nothing kept to confirm.
    NothingReady,
    /// Pending import `id` waits for the tap.
    Pending {
        id: i64,
        ready: usize,
    },
    Imported(Imported),
}

/// How many of the ready rows went in (the rest had a phone that is on a card by now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub ready: usize,
}

impl Imported {
    pub fn text(&self, tr: &Tr<'_>) -> String {
        tr.t_args("import-done", &[("count", self.added.into()), ("skipped", (self.ready - self.added).into())])
    }
}

#[derive(Debug)]
pub struct Run {
    /// The preview, the same words in the chat and on the terminal.
    pub preview: String,
    pub rows_read: usize,
    pub after: After,
}

/// A file of `size` bytes that is too large to read is refused before it is read.
pub fn check_size(size: u64) -> CoreResult<()> {
    if size as usize > spreadsheet::MAX_BYTES {
        return Err(sheet_error(&SheetError::TooLarge(size as usize)));
    }
    Ok(())
}

/// The cells of a spreadsheet file (xlsx, xls, ods, csv), or why it is refused ([`sheet_error`]
/// says it to a person).
pub async fn read(bytes: Vec<u8>) -> Result<Vec<Vec<Cell>>, SheetError> {
    spreadsheet::read_blocking(bytes).await
}

/// Plans `rows` of file `name` against the stored phones, writes the preview, then does `then`.
pub async fn run(
    store: &Store,
    tr: &Tr<'_>,
    name: &str,
    rows: Vec<Vec<Cell>>,
    today: NaiveDate,
    then: Then<'_>,
) -> CoreResult<Run> {
    let existing = store.phone_index().await?;
    let plan = plan(&rows, &existing, today).map_err(|PlanError::NoNameColumn| CoreError::user("import-no-columns"))?;
    // The cells can be large; the plan is all that is needed from here on.
    drop((rows, existing));
    let preview = preview_text(tr, name, &plan);
    let ready = plan.ready.len();
    let after = match then {
        Then::Preview => After::Previewed,
        Then::ImportNow { channel } => {
            let added = store.import_clients(&plan.ready, channel, None).await?;
            After::Imported(Imported { added, ready })
        }
        Then::AwaitConfirm { .. } if ready == 0 => After::NothingReady,
        Then::AwaitConfirm { actor } => After::Pending { id: store.save_import(actor, &plan.ready).await?, ready },
    };
    Ok(Run { preview, rows_read: plan.rows_read, after })
}

/// The tap on a pending import of `actor`: `None` when it is unknown, someone else's, or done.
pub async fn confirm(store: &Store, id: i64, actor: &str, channel: &str) -> CoreResult<Option<Imported>> {
    let Some(rows) = store.pending_import(id, actor).await? else { return Ok(None) };
    let added = store.import_clients(&rows, channel, Some(id)).await?;
    tracing::info!(import = id, added, "clients imported");
    Ok(Some(Imported { added, ready: rows.len() }))
}

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
        Field::Consent => "consent-button",
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
