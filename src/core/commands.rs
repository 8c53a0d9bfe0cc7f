//! Owner commands: parsing (`/cmd@bot args`), the command menu, and routing of every owner input
//! (command, button, dialog answer, free text, shared contact) to its feature module.

use super::callback::{Cb, CommonCb};
use super::card::ClientCb;
use super::clients::ClientDialog;
use super::dialog::{self, Dialog};
use super::orders::OrderCb;
use super::tasks::TaskCb;
use super::{booking, card, clients, orders, sheets, tasks, Button, CoreResult, Ctx, InputKind, Output, Reply};
use crate::i18n::Lang;

/// An owner command. [`OWNER`] is its one table: the name typed, aliases, and the Fluent key of
/// its menu description; parsing, the Telegram menu and `/help` all come from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerCommand {
    Today,
    Week,
    Client,
    NewClient,
    NewOrder,
    Orders,
    Task,
    Tasks,
    Book,
    Hours,
    DayOff,
    Vacation,
    Reminders,
    Assistant,
    Export,
    Lang,
    Help,
    Cancel,
    Import,
    Order,
    Products,
    Pay,
    Income,
    Expense,
    Finance,
    Report,
    Goal,
    Dashboard,
    Summary,
    Advice,
    Lifecycle,
    Campaign,
    Listmonk,
    Link,
    Ref,
    Post,
    Plan,
}

/// One row of [`OWNER`]; `menu: None` is accepted but not listed.
pub struct CommandInfo {
    pub command: OwnerCommand,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub menu: Option<&'static str>,
}

const fn cmd(
    command: OwnerCommand,
    name: &'static str,
    aliases: &'static [&'static str],
    key: &'static str,
) -> CommandInfo {
    CommandInfo { command, name, aliases, menu: Some(key) }
}

/// The owner's commands, in menu order.
pub const OWNER: &[CommandInfo] = &[
    cmd(OwnerCommand::Today, "today", &[], "cmd-today"),
    cmd(OwnerCommand::Week, "week", &[], "cmd-week"),
    cmd(OwnerCommand::Client, "client", &["c", "find"], "cmd-client"),
    cmd(OwnerCommand::NewClient, "new_client", &["nc"], "cmd-new-client"),
    cmd(OwnerCommand::NewOrder, "new_order", &["no"], "cmd-new-order"),
    cmd(OwnerCommand::Orders, "orders", &[], "cmd-orders"),
    cmd(OwnerCommand::Order, "order", &[], "cmd-order"),
    cmd(OwnerCommand::Products, "products", &[], "cmd-products"),
    cmd(OwnerCommand::Pay, "pay", &[], "cmd-pay"),
    cmd(OwnerCommand::Income, "income", &[], "cmd-income"),
    cmd(OwnerCommand::Expense, "expense", &[], "cmd-expense"),
    cmd(OwnerCommand::Finance, "finance", &[], "cmd-finance"),
    cmd(OwnerCommand::Report, "report", &["reports"], "cmd-report"),
    cmd(OwnerCommand::Goal, "goal", &[], "cmd-goal"),
    cmd(OwnerCommand::Dashboard, "dashboard", &[], "cmd-dashboard"),
    cmd(OwnerCommand::Summary, "summary", &["pidsumok"], "cmd-summary"),
    cmd(OwnerCommand::Advice, "advice", &["porady"], "cmd-advice"),
    cmd(OwnerCommand::Lifecycle, "lifecycle", &["aftercare"], "cmd-lifecycle"),
    cmd(OwnerCommand::Campaign, "campaign", &["rozsylka"], "cmd-campaign"),
    cmd(OwnerCommand::Listmonk, "listmonk", &[], "cmd-listmonk"),
    cmd(OwnerCommand::Link, "link", &["qr"], "cmd-link"),
    cmd(OwnerCommand::Ref, "ref", &["referral"], "cmd-ref"),
    cmd(OwnerCommand::Post, "post", &["dopys"], "cmd-post"),
    cmd(OwnerCommand::Plan, "plan", &["kontent"], "cmd-plan"),
    cmd(OwnerCommand::Task, "task", &[], "cmd-task"),
    cmd(OwnerCommand::Tasks, "tasks", &[], "cmd-tasks"),
    cmd(OwnerCommand::Book, "book", &[], "cmd-book-for"),
    cmd(OwnerCommand::Hours, "hours", &[], "cmd-hours"),
    cmd(OwnerCommand::DayOff, "dayoff", &[], "cmd-dayoff"),
    cmd(OwnerCommand::Vacation, "vacation", &[], "cmd-vacation"),
    cmd(OwnerCommand::Reminders, "reminders", &[], "cmd-reminders"),
    cmd(OwnerCommand::Assistant, "assistant", &[], "cmd-assistant"),
    cmd(OwnerCommand::Export, "export", &[], "cmd-export"),
    cmd(OwnerCommand::Lang, "lang", &[], "cmd-lang"),
    cmd(OwnerCommand::Help, "help", &["start", "menu"], "cmd-help"),
    cmd(OwnerCommand::Cancel, "cancel", &[], "cmd-cancel"),
    CommandInfo { command: OwnerCommand::Import, name: "import", aliases: &[], menu: None },
];

impl OwnerCommand {
    pub fn parse(name: &str) -> Option<Self> {
        OWNER.iter().find(|c| c.name == name || c.aliases.contains(&name)).map(|c| c.command)
    }
}

/// The owner's menu: (name, description key), in order.
pub fn owner_menu() -> Vec<(&'static str, &'static str)> {
    OWNER.iter().filter_map(|c| c.menu.map(|key| (c.name, key))).collect()
}

/// Commands shown to everyone else.
pub const VISITOR_COMMANDS: [(&str, &str); 4] =
    [("start", "cmd-start"), ("book", "cmd-book"), ("my", "cmd-my"), ("lang", "cmd-lang")];

/// Splits `/new_client@InsolesBot Olha, 067...` into (`new_client`, `Olha, 067...`).
/// Returns `None` for text that is not a command.
pub fn parse_command(text: &str) -> Option<(String, &str)> {
    let rest = text.trim_start().strip_prefix('/')?;
    let (head, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let name = head.split('@').next().unwrap_or("").to_lowercase();
    if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((name, args))
}

pub async fn dispatch_owner(ctx: &Ctx<'_>, kind: &InputKind) -> CoreResult {
    if let InputKind::ReplyText { text, to } = kind {
        // A reply to a client's card is an answer to that client; to anything else, plain text.
        for cb in to.iter().filter_map(|d| Cb::parse(d)) {
            match cb {
                Cb::Draft(super::drafts::DraftCb::Edit(id)) => {
                    return super::drafts::reply_to_card(ctx, id, text).await
                }
                Cb::Instagram(super::instagram::InstagramCb::Reply(client)) => {
                    return super::instagram::owner_reply(ctx, client, text).await
                }
                _ => {}
            }
        }
        return Box::pin(dispatch_owner(ctx, &InputKind::Text(text.clone()))).await;
    }
    match kind {
        InputKind::Text(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Ok(Output::one(Reply::text(ctx.t("hint-empty"))));
            }
            if let Some((name, args)) = parse_command(text) {
                dialog::clear(ctx).await?;
                return run_command(ctx, &name, args).await;
            }
            if text.starts_with('/') {
                return Ok(unknown_command(ctx));
            }
            match dialog::current(ctx).await? {
                Some(d) => dialog::answer(ctx, d, text).await,
                None => super::ask::free_text(ctx, text).await,
            }
        }
        InputKind::Callback(data) => match Cb::parse(data) {
            Some(cb) => on_button(ctx, cb).await,
            None => Ok(Output::default().toast(ctx.t("btn-expired"))),
        },
        InputKind::Contact { phone, name, .. } => match dialog::current(ctx).await? {
            Some(d @ Dialog::Client(ClientDialog::NewClientPhone { .. } | ClientDialog::EditField { .. })) => {
                dialog::answer(ctx, d, phone).await
            }
            _ => clients::from_contact(ctx, phone, name.as_deref()).await,
        },
        InputKind::File { name, size, bytes } => sheets::preview(ctx, name, *size, bytes.as_deref()).await,
        InputKind::Unsupported => Ok(Output::one(Reply::text(ctx.t("hint-unsupported")))),
        InputKind::ReplyText { .. } => unreachable!("handled above"),
    }
}

pub(super) async fn run_command(ctx: &Ctx<'_>, name: &str, args: &str) -> CoreResult {
    use OwnerCommand as C;
    let Some(command) = OwnerCommand::parse(name) else { return Ok(unknown_command(ctx)) };
    match command {
        C::Help if name == "start" => match super::welcome::first_run(ctx.core, &ctx.tr, ctx.actor.channel).await? {
            Some(text) => Ok(Output::one(Reply::text(text).with_buttons(main_buttons(ctx)))),
            None => Ok(help(ctx)),
        },
        C::Help => Ok(help(ctx)),
        C::NewClient => clients::new_client(ctx, args).await,
        C::Client => clients::find(ctx, args).await,
        C::NewOrder => orders::new_order(ctx, args).await,
        C::Orders => orders::list(ctx, false).await,
        C::Order => super::order_edit::by_number(ctx, args).await,
        C::Products => super::catalogue::list(ctx, false).await,
        C::Pay => super::payments::pay_command(ctx, args).await,
        C::Income => super::payments::record::income_command(ctx, args).await,
        C::Expense => super::payments::record::expense_command(ctx, args).await,
        C::Finance => super::payments::finance::command(ctx, args).await,
        C::Report => super::reports::command(ctx, args).await,
        C::Goal => super::reports::goal::command(ctx, args).await,
        C::Dashboard => super::reports::web_login::link(ctx).await,
        C::Summary => super::summary::command(ctx, args).await,
        C::Advice => super::summary::advice_list(ctx).await,
        C::Lifecycle => super::product_life::command(ctx, args).await,
        C::Campaign => super::marketing::campaign::command(ctx, args).await,
        C::Listmonk => super::marketing::listmonk::command(ctx).await,
        C::Link => super::attribution::links::command(ctx, args).await,
        C::Ref => super::attribution::links::ref_command(ctx, args).await,
        C::Post => super::content::command(ctx, args).await,
        C::Plan => super::content::plan::command(ctx, args).await,
        C::Task => tasks::new_task(ctx, None, args).await,
        C::Tasks => super::agenda::list(ctx, false).await,
        C::Today => super::agenda::today(ctx, false).await,
        C::Export => sheets::export(ctx).await,
        C::Week => booking::owner::week(ctx, false).await,
        C::Book => booking::owner::book_for(ctx, args).await,
        C::Hours => booking::hours::hours(ctx, args).await,
        C::DayOff => booking::hours::days_off(ctx, args, false).await,
        C::Vacation => booking::hours::days_off(ctx, args, true).await,
        C::Reminders => booking::owner::reminders(ctx, None).await,
        C::Assistant => super::instagram::switch(ctx, args).await,
        C::Import => Ok(Output::one(Reply::text(ctx.t(match ctx.actor.channel {
            super::Channel::Console => "import-how-console",
            super::Channel::Telegram | super::Channel::Discord => "import-how",
        })))),
        C::Lang => lang(ctx, args).await,
        C::Cancel => Ok(Output::one(Reply::text(ctx.t("cancelled")))),
    }
}

fn unknown_command(ctx: &Ctx<'_>) -> Output {
    Output::one(Reply::text(ctx.t("unknown-command")).with_buttons(main_buttons(ctx)))
}

pub fn main_buttons(ctx: &Ctx<'_>) -> Vec<Vec<Button>> {
    vec![
        vec![
            Button::new(ctx.t("btn-find-client"), ClientCb::Search),
            Button::new(ctx.t("btn-new-client"), ClientCb::NewClient),
        ],
        vec![Button::new(ctx.t("btn-today"), TaskCb::Today), Button::new(ctx.t("btn-orders"), OrderCb::List)],
    ]
}

pub fn help(ctx: &Ctx<'_>) -> Output {
    let mut text = ctx.t("help-intro");
    for (name, key) in owner_menu() {
        text.push_str(&format!("\n/{name} — {}", ctx.t(key)));
    }
    text.push_str("\n\n");
    text.push_str(&ctx.t("help-examples"));
    Output::one(Reply::text(text).with_buttons(main_buttons(ctx)))
}

async fn lang(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    match Lang::from_code(args) {
        Some(l) => set_lang(ctx, l).await,
        None => Ok(Output::one(Reply::text(ctx.t("lang-choose")).with_buttons(lang_buttons()))),
    }
}

pub fn lang_buttons() -> Vec<Vec<Button>> {
    vec![vec![
        Button::new("🇺🇦 Українська", CommonCb::Lang(Lang::Uk)),
        Button::new("🇬🇧 English", CommonCb::Lang(Lang::En)),
    ]]
}

pub async fn set_lang(ctx: &Ctx<'_>, lang: Lang) -> CoreResult {
    ctx.store().set_lang(&ctx.actor_key, lang.code()).await?;
    let _ = ctx.switched_lang.set(lang);
    let tr = crate::i18n::Tr { i18n: ctx.core.i18n(), lang };
    Ok(Output::one(Reply::text(tr.t("lang-set")).editing(ctx.from_button)))
}

async fn on_button(ctx: &Ctx<'_>, cb: Cb) -> CoreResult {
    // A button press abandons any half-finished typed flow, except the ones the button continues
    // (`keeps_dialog` in the feature's table).
    if !cb.continues_flow() {
        dialog::clear(ctx).await?;
    }
    let step = if cb.continues_flow() { dialog::current(ctx).await? } else { None };
    super::lifecycle::refuse_forgotten(ctx, Some(&cb), step.as_ref()).await?;
    match cb {
        Cb::Common(c) => on_common_button(ctx, c).await,
        Cb::Client(c) => card::on_button(ctx, c).await,
        Cb::Order(c) => orders::on_button(ctx, c).await,
        Cb::Task(c) => tasks::on_button(ctx, c).await,
        Cb::Import(c) => sheets::on_button(ctx, c).await,
        Cb::Booking(c) => booking::callback::on_owner_button(ctx, c).await,
        Cb::Identity(c) => booking::identity::on_button(ctx, c).await,
        Cb::Draft(c) => super::drafts::on_button(ctx, c).await,
        Cb::Instagram(c) => super::instagram::on_button(ctx, c).await,
        Cb::Lifecycle(c) => super::lifecycle::on_button(ctx, c).await,
        Cb::Product(c) => super::catalogue::on_button(ctx, c).await,
        Cb::Pay(c) => super::payments::on_button(ctx, c).await,
        Cb::Report(c) => super::reports::on_button(ctx, c).await,
        Cb::Summary(c) => super::summary::on_button(ctx, c).await,
        Cb::Marketing(c) => super::marketing::on_button(ctx, c).await,
        Cb::Ask(c) => super::ask::on_button(ctx, c).await,
        Cb::Content(c) => super::content::on_button(ctx, c).await,
        // The client's buttons: nothing for the owner to do with them.
        Cb::ProductLife(_) | Cb::Nps(_) => Ok(Output::default().toast(ctx.t("btn-expired"))),
    }
}

async fn on_common_button(ctx: &Ctx<'_>, cb: CommonCb) -> CoreResult {
    match cb {
        CommonCb::Lang(l) => set_lang(ctx, l).await,
        CommonCb::Skip => match dialog::current(ctx).await? {
            Some(d) => dialog::skip(ctx, d).await,
            None => dialog::expired(ctx),
        },
        CommonCb::Cancel => {
            dialog::clear(ctx).await?;
            Ok(Output::one(Reply::text(ctx.t("cancelled")).editing(true)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_command;

    #[test]
    fn every_command_name_and_alias_is_unique_and_parses_to_its_command() {
        let mut seen = std::collections::BTreeSet::new();
        for c in super::OWNER {
            for name in std::iter::once(c.name).chain(c.aliases.iter().copied()) {
                assert!(seen.insert(name), "{name} twice");
                assert_eq!(super::OwnerCommand::parse(name), Some(c.command), "{name}");
            }
        }
        assert_eq!(super::OwnerCommand::parse("nonsense"), None);
        assert_eq!(super::owner_menu().len(), 36, "the menu lists every command but /import");
    }

    #[test]
    fn commands_with_bot_name_and_args() {
        assert_eq!(parse_command("/client Ольга"), Some(("client".into(), "Ольга")));
        assert_eq!(parse_command("/client@InsolesBot   Ольга  "), Some(("client".into(), "Ольга")));
        assert_eq!(parse_command("/HELP"), Some(("help".into(), "")));
        assert_eq!(parse_command("hello"), None);
        assert_eq!(parse_command("/"), None);
        assert_eq!(parse_command("/кліент"), None);
    }
}
