//! The first run: on an empty database, `/start` in Telegram and the console's first prompt say
//! what to do first (demo data, the first client, working hours, connecting the bot, where the
//! booking page is) instead of a bare command list. Once there is one client it is `/help` again.

use super::{Channel, Core};
use crate::i18n::Tr;

/// The welcome for an empty database, or `None` once there are clients.
pub async fn first_run(core: &Core, tr: &Tr<'_>, channel: Channel) -> anyhow::Result<Option<String>> {
    if core.store().client_count().await? > 0 {
        return Ok(None);
    }
    let book_url = match &core.config().public_url {
        Some(url) => format!("{}/book", url.trim_end_matches('/')),
        None => tr.t("welcome-book-local"),
    };
    let text = tr.t_args("welcome-empty", &[("channel", channel.code().into()), ("book_url", book_url.into())]);
    Ok(Some(text))
}
