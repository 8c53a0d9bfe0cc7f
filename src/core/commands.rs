//! Owner commands: parsing (`/cmd@bot args`), the command menu, and routing of every owner input
//! (command, button, dialog answer, free text, shared contact) to its feature module.

use super::callback::Cb;
use super::dialog::{self, Dialog};
use super::{booking, card, clients, import, orders, tasks, Button, CoreResult, Ctx, InputKind, Output, Reply};
use crate::i18n::Lang;

/// Commands shown in the owner's menu, with the Fluent key of their description.
pub const OWNER_COMMANDS: [(&str, &str); 18] = [
    ("today", "cmd-today"),
    ("week", "cmd-week"),
    ("client", "cmd-client"),
    ("new_client", "cmd-new-client"),
    ("new_order", "cmd-new-order"),
    ("orders", "cmd-orders"),
    ("task", "cmd-task"),
    ("tasks", "cmd-tasks"),
    ("book", "cmd-book-for"),
    ("hours", "cmd-hours"),
    ("dayoff", "cmd-dayoff"),
    ("vacation", "cmd-vacation"),
    ("reminders", "cmd-reminders"),
    ("assistant", "cmd-assistant"),
    ("export", "cmd-export"),
    ("lang", "cmd-lang"),
    ("help", "cmd-help"),
    ("cancel", "cmd-cancel"),
];

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
                Cb::DraftEdit(id) => return super::drafts::reply_to_card(ctx, id, text).await,
                Cb::IgReply(client) => return super::instagram::owner_reply(ctx, client, text).await,
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
                None => clients::free_text(ctx, text).await,
            }
        }
        InputKind::Callback(data) => match Cb::parse(data) {
            Some(cb) => on_button(ctx, cb).await,
            None => Ok(Output::default().toast(ctx.t("btn-expired"))),
        },
        InputKind::Contact { phone, name, .. } => match dialog::current(ctx).await? {
            Some(d @ Dialog::NewClientPhone { .. }) | Some(d @ Dialog::EditField { .. }) => {
                dialog::answer(ctx, d, phone).await
            }
            _ => clients::from_contact(ctx, phone, name.as_deref()).await,
        },
        InputKind::File { name, size, bytes } => import::preview(ctx, name, *size, bytes.as_deref()).await,
        InputKind::Unsupported => Ok(Output::one(Reply::text(ctx.t("hint-unsupported")))),
        InputKind::ReplyText { .. } => unreachable!("handled above"),
    }
}

async fn run_command(ctx: &Ctx<'_>, name: &str, args: &str) -> CoreResult {
    match name {
        "start" | "help" | "menu" => Ok(help(ctx)),
        "new_client" | "nc" => clients::new_client(ctx, args).await,
        "client" | "c" | "find" => clients::find(ctx, args).await,
        "new_order" | "no" => orders::new_order(ctx, args).await,
        "orders" => orders::list(ctx, false).await,
        "task" => tasks::new_task(ctx, None, args).await,
        "tasks" => tasks::list(ctx, false).await,
        "today" => tasks::today(ctx, false).await,
        "export" => import::export(ctx).await,
        "week" => booking::owner::week(ctx, false).await,
        "book" => booking::owner::book_for(ctx, args).await,
        "hours" => booking::owner::hours(ctx, args).await,
        "dayoff" => booking::owner::days_off(ctx, args, false).await,
        "vacation" => booking::owner::days_off(ctx, args, true).await,
        "reminders" => booking::owner::reminders(ctx, None).await,
        "assistant" => super::instagram::switch(ctx, args).await,
        "import" => Ok(Output::one(Reply::text(ctx.t("import-how")))),
        "lang" => lang(ctx, args).await,
        "cancel" => Ok(Output::one(Reply::text(ctx.t("cancelled")))),
        _ => Ok(unknown_command(ctx)),
    }
}

fn unknown_command(ctx: &Ctx<'_>) -> Output {
    Output::one(Reply::text(ctx.t("unknown-command")).with_buttons(main_buttons(ctx)))
}

pub fn main_buttons(ctx: &Ctx<'_>) -> Vec<Vec<Button>> {
    vec![
        vec![Button::new(ctx.t("btn-find-client"), Cb::Search), Button::new(ctx.t("btn-new-client"), Cb::NewClient)],
        vec![Button::new(ctx.t("btn-today"), Cb::Today), Button::new(ctx.t("btn-orders"), Cb::Orders)],
    ]
}

pub fn help(ctx: &Ctx<'_>) -> Output {
    let mut text = ctx.t("help-intro");
    for (name, key) in OWNER_COMMANDS {
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
    vec![vec![Button::new("🇺🇦 Українська", Cb::Lang(Lang::Uk)), Button::new("🇬🇧 English", Cb::Lang(Lang::En))]]
}

pub async fn set_lang(ctx: &Ctx<'_>, lang: Lang) -> CoreResult {
    ctx.store().set_lang(&ctx.actor_key, lang.code()).await?;
    let _ = ctx.switched_lang.set(lang);
    let tr = crate::i18n::Tr { i18n: ctx.core.i18n(), lang };
    Ok(Output::one(Reply::text(tr.t("lang-set")).editing(ctx.from_button)))
}

async fn on_button(ctx: &Ctx<'_>, cb: Cb) -> CoreResult {
    // A button press abandons any half-finished typed flow, except the ones the button continues.
    let continues_flow = matches!(
        cb,
        Cb::Skip
            | Cb::PickOrderClient(_)
            | Cb::Cancel
            | Cb::BookService(_)
            | Cb::BookDay(..)
            | Cb::BookTime(..)
            | Cb::BookConfirm(..)
    );
    if !continues_flow {
        dialog::clear(ctx).await?;
    }
    match cb {
        Cb::Card(id) => card::show(ctx, id).await,
        Cb::EditMenu(id) => card::edit_menu(ctx, id).await,
        Cb::Edit(id, field) => clients::ask_field(ctx, id, field).await,
        Cb::Conditions(id) => card::conditions_menu(ctx, id).await,
        Cb::ToggleCondition(id, c) => clients::toggle_condition(ctx, id, Some(c)).await,
        Cb::ToggleDiabetes(id) => clients::toggle_condition(ctx, id, None).await,
        Cb::Note(id) => dialog::start(ctx, Dialog::Note { client: id }, "ask-note").await,
        Cb::Call(id) => dialog::start(ctx, Dialog::Call { client: id }, "ask-call").await,
        Cb::NewOrder(id) => dialog::start(ctx, Dialog::OrderProduct { client: id }, "ask-order-product").await,
        Cb::PickOrderClient(id) => orders::pick_client(ctx, id).await,
        Cb::Task(id) => dialog::start(ctx, Dialog::Task { client: Some(id) }, "ask-task").await,
        Cb::TaskDone(id) => tasks::done(ctx, id).await,
        Cb::TaskSnooze(id, how) => tasks::snooze(ctx, id, how).await,
        Cb::Tasks => tasks::list(ctx, true).await,
        Cb::Today => tasks::today(ctx, true).await,
        Cb::ImportConfirm(id) => import::confirm(ctx, id).await,
        Cb::BookStart => Err(super::CoreError::user("book-for-usage")),
        Cb::BookService(s) => booking::client::choose_day(ctx, s).await,
        Cb::BookDay(s, d) => booking::client::choose_time(ctx, s, d).await,
        Cb::BookTime(s, m) | Cb::BookConfirm(s, m) => booking::owner::book_time(ctx, s, m).await,
        Cb::MyBookings | Cb::BookCancel(_) | Cb::BookMove(_) | Cb::MoveDay(..) | Cb::MoveTime(..) | Cb::VisitOk(_) => {
            Ok(Output::default().toast(ctx.t("btn-expired")))
        }
        Cb::Came(id) => booking::owner::outcome(ctx, id, true).await,
        Cb::NoShow(id) => booking::owner::outcome(ctx, id, false).await,
        Cb::OwnerCancel(id) => booking::owner::ask_cancel_reason(ctx, id).await,
        Cb::OwnerConfirm(id) => booking::owner::confirm(ctx, id).await,
        Cb::ClaimMerge(id) => booking::identity::resolve(ctx, id, crate::store::identity::Resolution::Merge).await,
        Cb::ClaimSeparate(id) => {
            booking::identity::resolve(ctx, id, crate::store::identity::Resolution::Separate).await
        }
        Cb::ToggleReminderChannel(c) => booking::owner::reminders(ctx, Some(c)).await,
        Cb::IgReply(id) => {
            let name = ctx.store().client(id).await?.full_name;
            dialog::prompt(ctx, Dialog::IgReply { client: id }, ctx.t_args("ig-ask-reply", &[("name", name.into())]))
                .await
        }
        Cb::DraftSend(id) => super::drafts::send_draft(ctx, id).await,
        Cb::DraftEdit(id) => super::drafts::edit_draft(ctx, id).await,
        Cb::DraftIgnore(id) => super::drafts::ignore_draft(ctx, id).await,
        Cb::DraftSave(id) => super::drafts::save_draft(ctx, id).await,
        Cb::ChatPause(id) => super::drafts::toggle_pause(ctx, id).await,
        Cb::Week => booking::owner::week(ctx, true).await,
        Cb::Tags(id) => card::tags_menu(ctx, id).await,
        Cb::AddTag(id) => dialog::start(ctx, Dialog::AddTag { client: id }, "ask-tag").await,
        Cb::RemoveTag(id, tag) => clients::remove_tag(ctx, id, tag).await,
        Cb::Timeline(id) => card::timeline(ctx, id).await,
        Cb::Order(id) => orders::show(ctx, id).await,
        Cb::SetStatus(id, s) => orders::set_status(ctx, id, s).await,
        Cb::Orders => orders::list(ctx, true).await,
        Cb::NewClient => dialog::start(ctx, Dialog::NewClientName, "ask-client-name").await,
        Cb::Search => dialog::start(ctx, Dialog::Search, "ask-search").await,
        Cb::Lang(l) => set_lang(ctx, l).await,
        Cb::Skip => match dialog::current(ctx).await? {
            Some(d) => dialog::skip(ctx, d).await,
            None => Ok(Output::default().toast(ctx.t("btn-expired"))),
        },
        Cb::Cancel => {
            dialog::clear(ctx).await?;
            Ok(Output::one(Reply::text(ctx.t("cancelled")).editing(true)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_command;

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
