//! Slash commands and buttons: the owner's commands registered from the one command table
//! (`core::commands::OWNER`, descriptions from the locales, one optional `args` option carrying
//! the text after the command), and an interaction turned into the core input Telegram would
//! have made (`/name args`, or the button's callback data).

use super::{actor, respond};
use crate::core::commands::owner_menu;
use crate::core::{Core, Input, InputKind};
use crate::i18n::Lang;
use serenity::all::{
    Command, CommandDataOptionValue, CommandInteraction, CommandOptionType, ComponentInteraction, CreateCommand,
    CreateCommandOption, Http,
};
use std::time::Duration;

/// The option that carries what follows the command name (`/client Olha` → `Olha`).
pub const ARGS: &str = "args";

/// Discord's limit on a command's (and an option's) description.
const MAX_DESCRIPTION: usize = 100;

/// The owner's commands as Discord application commands: Ukrainian by default, English for
/// clients set to English.
pub fn commands(core: &Core) -> Vec<CreateCommand> {
    let t =
        |lang: Lang, key: &str| crate::domain::text::ellipsize(&core.i18n().format(lang, key, &[]), MAX_DESCRIPTION);
    owner_menu()
        .into_iter()
        .map(|(name, key)| {
            let args = CreateCommandOption::new(CommandOptionType::String, ARGS, t(Lang::Uk, "dc-args"))
                .description_localized("en-US", t(Lang::En, "dc-args"))
                .description_localized("en-GB", t(Lang::En, "dc-args"))
                .required(false);
            CreateCommand::new(name)
                .description(t(Lang::Uk, key))
                .description_localized("en-US", t(Lang::En, key))
                .description_localized("en-GB", t(Lang::En, key))
                .add_option(args)
        })
        .collect()
}

/// Overwrites the global commands with the table's (one bulk request; Discord keeps the ids of
/// commands that did not change). A failure is logged: the DMs still work.
pub async fn register(http: &Http, core: &Core) {
    match Command::set_global_commands(http, commands(core)).await {
        Ok(list) => tracing::info!(commands = list.len(), "discord: slash commands registered"),
        Err(e) => {
            core.metrics().send_failure();
            tracing::warn!(error = %e, "discord: registering the slash commands failed");
        }
    }
}

/// The text Telegram would have received: `/name args`.
pub fn as_text(c: &CommandInteraction) -> String {
    let args = c.data.options.iter().find(|o| o.name == ARGS).and_then(|o| match &o.value {
        CommandDataOptionValue::String(s) => Some(s.trim()),
        _ => None,
    });
    match args {
        Some(a) if !a.is_empty() => format!("/{} {a}", c.data.name),
        _ => format!("/{}", c.data.name),
    }
}

/// A slash command: the owner's runs the core's command dispatch; a stranger's is refused here
/// (a localized notice only she sees) and nothing runs.
pub async fn on_command(http: &Http, core: &Core, c: &CommandInteraction, defer_after: Duration) -> anyhow::Result<()> {
    let actor = actor(&c.user, Some(&c.locale));
    if !core.is_owner(&actor) {
        tracing::info!(user = c.user.id.get(), command = %c.data.name, "discord: a stranger's slash command refused");
        let text = core.i18n().format(Lang::from_hint(Some(&c.locale)), "dc-owner-only", &[]);
        return respond::refuse(http, c, text).await;
    }
    let pressed = respond::Pressed::Command(c);
    let work = core.handle(Input { actor, kind: InputKind::Text(as_text(c)) });
    let (output, deferred) = respond::within_window(http, pressed, defer_after, work).await?;
    respond::to_interaction(http, core, pressed, output, deferred).await
}

/// A button: its `custom_id` is the callback codec's string; the core decides what this person
/// may press (a client's forged owner button reveals nothing).
pub async fn on_component(
    http: &Http,
    core: &Core,
    c: &ComponentInteraction,
    defer_after: Duration,
) -> anyhow::Result<()> {
    let actor = actor(&c.user, Some(&c.locale));
    let pressed = respond::Pressed::Button(c);
    let work = core.handle(Input { actor, kind: InputKind::Callback(c.data.custom_id.clone()) });
    let (output, deferred) = respond::within_window(http, pressed, defer_after, work).await?;
    respond::to_interaction(http, core, pressed, output, deferred).await
}
