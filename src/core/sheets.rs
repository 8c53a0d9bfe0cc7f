//! Excel in, Excel out from the chat: a sent `.xlsx`/`.csv` gets a preview (rows read, columns
//! recognised, duplicates, rows with errors and why) and imports on one tap, all or nothing;
//! `/export` answers with a workbook. The import itself is the use case `core::import` (the
//! command line runs the same); this file renders it as buttons.

use super::import;
use super::{Attachment, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::callback::CommonCb;

pub async fn preview(ctx: &Ctx<'_>, name: &str, size: u64, bytes: Option<&[u8]>) -> CoreResult {
    let Some(bytes) = bytes else {
        import::check_size(size)?;
        return Err(CoreError::user("import-download-failed"));
    };
    let rows = import::read(bytes.to_vec()).await.map_err(|e| {
        tracing::info!(file = name, error = %e, "spreadsheet refused");
        import::sheet_error(&e)
    })?;
    let today = crate::store::now().with_timezone(&ctx.tz()).date_naive();
    let then = import::Then::AwaitConfirm { actor: &ctx.actor_key };
    let run = import::run(ctx.store(), &ctx.tr, name, rows, today, then).await?;
    match run.after {
        import::After::Pending { id, ready } => {
            let buttons = vec![vec![
                Button::new(ctx.t_args("btn-import", &[("count", ready.into())]), ImportCb::Confirm(id)),
                Button::new(ctx.t("btn-cancel"), CommonCb::Cancel),
            ]];
            Ok(Output::one(Reply::text(run.preview).with_buttons(buttons)))
        }
        _ => Ok(Output::one(Reply::text(format!("{}\n\n{}", run.preview, ctx.t("import-nothing"))))),
    }
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
    let Some(done) = import::confirm(ctx.store(), id, &ctx.actor_key, ctx.channel()).await? else {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    };
    Ok(Output::one(Reply::text(done.text(&ctx.tr)).editing(true)))
}

pub async fn export(ctx: &Ctx<'_>) -> CoreResult {
    let bytes = crate::spreadsheet::export::workbook(ctx.store(), ctx.tr, ctx.tz()).await?;
    let name = format!("insoles-{}.xlsx", crate::store::now().with_timezone(&ctx.tz()).format("%Y-%m-%d"));
    let count = ctx.store().client_count().await?;
    let mut reply = Reply::text(ctx.t_args("export-done", &[("count", count.into())]));
    reply.attachment = Some(Attachment { name, bytes });
    Ok(Output::one(reply))
}
