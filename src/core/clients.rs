//! Client commands: create (one line or guided), find, edit profile fields, notes, calls, tags.
//! Which card a person is (find-or-create, for every channel) is `find`.

pub mod find;

pub use find::{find_or_create, Known};

use super::dialog;
use super::{card, parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::ClientCb;
use crate::domain::profile::{self, Condition};
use crate::domain::text::{parse_free_text, parse_tag};
use crate::domain::{ClientName, Phone};
use crate::store::clients::{ClientSummary, FieldValue, TextField};
use crate::store::interactions::{Direction, Kind};
use crate::store::search::Found;
use crate::store::StorageError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The client feature's typed steps (stored as `{"step":"note","client":3}`, see `dialog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ClientDialog {
    Search,
    NewClientName,
    NewClientPhone { name: String },
    NewClientNote { name: String, phone: String },
    EditField { client: i64, field: String },
    Note { client: i64 },
    Call { client: i64 },
    AddTag { client: i64 },
}

impl ClientDialog {
    pub fn skip_label(&self) -> Option<&'static str> {
        match self {
            ClientDialog::NewClientNote { .. } | ClientDialog::Call { .. } => Some("btn-skip"),
            ClientDialog::EditField { .. } => Some("btn-clear-field"),
            _ => None,
        }
    }
}

/// The owner typed `text` while step `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: ClientDialog, text: &str) -> CoreResult {
    match d {
        ClientDialog::Search => {
            dialog::clear(ctx).await?;
            find(ctx, text).await
        }
        ClientDialog::NewClientName => name_step(ctx, text).await,
        ClientDialog::NewClientPhone { name } => phone_step(ctx, name, text).await,
        ClientDialog::NewClientNote { name, phone } => create_from_dialog(ctx, &name, &phone, Some(text)).await,
        ClientDialog::EditField { client, field } => set_field(ctx, client, &field, Some(text)).await,
        ClientDialog::Note { client } => add_note(ctx, client, text, false).await,
        ClientDialog::Call { client } => add_note(ctx, client, text, true).await,
        ClientDialog::AddTag { client } => add_tags(ctx, client, text).await,
    }
}

/// Skip (or Clear) on step `d`.
pub async fn skip(ctx: &Ctx<'_>, d: ClientDialog) -> CoreResult {
    match d {
        ClientDialog::NewClientNote { name, phone } => create_from_dialog(ctx, &name, &phone, None).await,
        ClientDialog::Call { client } => add_note(ctx, client, "", true).await,
        ClientDialog::EditField { client, field } => set_field(ctx, client, &field, None).await,
        _ => dialog::expired(ctx),
    }
}

/// Longest free text kept in a note or a profile field.
pub const MAX_TEXT: usize = 2000;
const LIST_LIMIT: i64 = 20;

/// `/new_client <full name>, <phone>[, <note>]`; bare, it starts the guided flow.
pub async fn new_client(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    if args.trim().is_empty() {
        return dialog::start(ctx, ClientDialog::NewClientName, "ask-client-name").await;
    }
    let mut parts = args.splitn(3, ',').map(str::trim);
    let name = ClientName::parse(parts.next().unwrap_or("")).map_err(|e| parse_error(e, "name"))?;
    let phone = match parts.next().filter(|p| !p.is_empty()) {
        Some(p) => Phone::parse(p).map_err(|e| parse_error(e, "phone"))?,
        None => {
            let text = ctx.t_args("ask-client-phone", &[("name", name.as_str().into())]);
            return dialog::prompt(ctx, ClientDialog::NewClientPhone { name: name.to_string() }, text).await;
        }
    };
    let note = parts.next().filter(|n| !n.is_empty());
    create(ctx, &name, &phone, note).await
}

pub async fn name_step(ctx: &Ctx<'_>, text: &str) -> CoreResult {
    if text.contains(',') {
        return new_client(ctx, text).await;
    }
    let name = ClientName::parse(text).map_err(|e| parse_error(e, "name"))?;
    let prompt = ctx.t_args("ask-client-phone", &[("name", name.as_str().into())]);
    dialog::prompt(ctx, ClientDialog::NewClientPhone { name: name.to_string() }, prompt).await
}

pub async fn phone_step(ctx: &Ctx<'_>, name: String, text: &str) -> CoreResult {
    let phone = Phone::parse(text).map_err(|e| parse_error(e, "phone"))?;
    if let Some(existing) = ctx.store().client_by_phone(&phone).await? {
        dialog::clear(ctx).await?;
        return exists_reply(ctx, existing.id, &existing.full_name).await;
    }
    let prompt = ctx.t("ask-client-note");
    dialog::prompt(ctx, ClientDialog::NewClientNote { name, phone: phone.to_string() }, prompt).await
}

pub async fn create_from_dialog(ctx: &Ctx<'_>, name: &str, phone: &str, note: Option<&str>) -> CoreResult {
    let name = ClientName::parse(name).map_err(|e| parse_error(e, "name"))?;
    let phone = Phone::parse(phone).map_err(|e| parse_error(e, "phone"))?;
    let note = match note {
        Some(n) => Some(parse_free_text(n, MAX_TEXT).map_err(|e| parse_error(e, "note"))?),
        None => None,
    };
    let out = create(ctx, &name, &phone, note.as_deref()).await?;
    dialog::clear(ctx).await?;
    Ok(out)
}

async fn create(ctx: &Ctx<'_>, name: &ClientName, phone: &Phone, note: Option<&str>) -> CoreResult {
    if let Some(n) = note {
        parse_free_text(n, MAX_TEXT).map_err(|e| parse_error(e, "note"))?;
    }
    let made = find::create_with_phone(ctx.store(), name, phone, note, Some("owner"), ctx.channel())
        .await
        .map_err(find::phone_taken)?;
    let id = match made {
        find::WithPhone::Exists { id, name } => return exists_reply(ctx, id, &name).await,
        find::WithPhone::Created { id, fresh_claims } => {
            tracing::info!(client = id, "client created");
            // Someone typed this phone in the bot before the owner made the card: ask whether it was her.
            find::announce_claims(ctx.core, fresh_claims).await?;
            id
        }
    };
    let header = ctx.t("client-created");
    Ok(Output::one(card::render(ctx, id, Some(header)).await?.editing(false)))
}

/// A phone that already exists: no duplicate; show that client's card instead.
async fn exists_reply(ctx: &Ctx<'_>, id: i64, name: &str) -> CoreResult {
    let header = ctx.t_args("client-exists", &[("name", name.into())]);
    Ok(Output::one(card::render(ctx, id, Some(format!("⚠️ {header}"))).await?))
}

/// `/client <query>`: by name fragment, phone fragment or `#tag`.
pub async fn find(ctx: &Ctx<'_>, query: &str) -> CoreResult {
    let query = query.trim();
    if query.is_empty() {
        return dialog::start(ctx, ClientDialog::Search, "ask-search").await;
    }
    if query.chars().count() > 200 {
        return Err(CoreError::user_with(
            "err-too-long",
            vec![("len", query.chars().count().into()), ("max", 200usize.into())],
        ));
    }
    let found = search(ctx, query).await?;
    match found.clients.len() {
        0 => Ok(Output::one(
            Reply::text(ctx.t_args("search-none", &[("query", query.into())]))
                .with_buttons(vec![vec![Button::new(ctx.t("btn-new-client"), ClientCb::NewClient)]]),
        )),
        1 => one_found(ctx, found).await,
        _ => Ok(Output::one(list_reply(ctx, &found.clients, query))),
    }
}

async fn search(ctx: &Ctx<'_>, query: &str) -> CoreResult<Found> {
    if query.starts_with('#') {
        let clients = match parse_tag(query) {
            Ok(tag) => ctx.store().clients_with_tag(&tag, LIST_LIMIT + 1).await?,
            Err(_) => vec![],
        };
        return Ok(Found { clients, card: None });
    }
    Ok(ctx.store().find_clients(query, LIST_LIMIT + 1, card::RECENT).await?)
}

/// Exactly one client matched: her card, read with the search when it could be.
async fn one_found(ctx: &Ctx<'_>, found: Found) -> CoreResult {
    match found.card {
        Some(data) => card::show_data(ctx, data),
        None => card::show(ctx, found.clients[0].id).await,
    }
}

fn list_reply(ctx: &Ctx<'_>, found: &[ClientSummary], query: &str) -> Reply {
    let more = found.len() as i64 > LIST_LIMIT;
    let mut text =
        ctx.t_args("search-many", &[("query", query.into()), ("count", found.len().min(LIST_LIMIT as usize).into())]);
    if more {
        text.push('\n');
        text.push_str(&ctx.t("search-refine"));
    }
    let rows = found
        .iter()
        .take(LIST_LIMIT as usize)
        .map(|c| {
            let phone = c.phone.as_deref().map(|p| Phone::from_stored(p.to_string()).display()).unwrap_or_default();
            vec![Button::new(format!("{} {}", c.full_name, phone).trim().to_string(), ClientCb::Card(c.id))]
        })
        .collect();
    Reply::text(text).with_buttons(rows)
}

/// Text that is neither a command nor an answer: treat it as a search, and say how to do more.
pub async fn free_text(ctx: &Ctx<'_>, text: &str) -> CoreResult {
    if text.chars().count() > 100 {
        return Ok(Output::one(
            Reply::text(ctx.t("hint-not-understood")).with_buttons(super::commands::main_buttons(ctx)),
        ));
    }
    let found = search(ctx, text).await?;
    match found.clients.len() {
        0 => Ok(Output::one(
            Reply::text(ctx.t_args("hint-no-match", &[("query", text.into())]))
                .with_buttons(super::commands::main_buttons(ctx)),
        )),
        1 => one_found(ctx, found).await,
        _ => Ok(Output::one(list_reply(ctx, &found.clients, text))),
    }
}

/// The owner shared a contact card: open that client, or offer to create one.
pub async fn from_contact(ctx: &Ctx<'_>, phone: &str, name: Option<&str>) -> CoreResult {
    let phone = Phone::parse(phone).map_err(|e| parse_error(e, "phone"))?;
    if let Some(c) = ctx.store().client_by_phone(&phone).await? {
        return card::show(ctx, c.id).await;
    }
    match name.and_then(|n| ClientName::parse(n).ok()) {
        Some(name) => create(ctx, &name, &phone, None).await,
        None => {
            dialog::set(ctx, ClientDialog::NewClientName).await?;
            Ok(Output::one(Reply::text(ctx.t("ask-client-name"))))
        }
    }
}

pub async fn ask_field(ctx: &Ctx<'_>, id: i64, field: TextField) -> CoreResult {
    let client = ctx.store().client(id).await?;
    let text = ctx.t_args("ask-field", &[("field", field_label(ctx, field).into()), ("name", client.full_name.into())]);
    dialog::prompt(ctx, ClientDialog::EditField { client: id, field: field.code().to_string() }, text).await
}

pub fn field_label(ctx: &Ctx<'_>, field: TextField) -> String {
    ctx.t(match field {
        TextField::Name => "field-name",
        TextField::Phone => "field-phone",
        TextField::Email => "field-email",
        TextField::Instagram => "field-instagram",
        TextField::BirthDate => "field-birth-date",
        TextField::FootLength => "field-foot-length",
        TextField::ShoeSize => "field-shoe-size",
        TextField::Allergies => "field-allergies",
        TextField::Contraindications => "field-contraindications",
        TextField::Notes => "field-notes",
    })
}

/// Validates `text` for `field` and stores it; `None` clears an optional field.
pub async fn set_field(ctx: &Ctx<'_>, id: i64, field_code: &str, text: Option<&str>) -> CoreResult {
    let field = TextField::from_code(field_code).ok_or(CoreError::NotFound)?;
    let value = match text {
        None => {
            if matches!(field, TextField::Name | TextField::Phone) {
                return Err(CoreError::user("err-required-field"));
            }
            match field {
                TextField::FootLength => FieldValue::Int(None),
                _ => FieldValue::Text(None),
            }
        }
        Some(t) => parse_field(ctx, id, field, t).await?,
    };
    match ctx.store().set_client_field(id, field, value).await {
        Ok(()) => {}
        Err(StorageError::Conflict(_)) => return Err(CoreError::user("err-phone-taken")),
        Err(e) => return Err(e.into()),
    }
    dialog::clear(ctx).await?;
    let header = ctx.t_args("field-saved", &[("field", field_label(ctx, field).into())]);
    Ok(Output::one(card::render(ctx, id, Some(header)).await?))
}

async fn parse_field(ctx: &Ctx<'_>, id: i64, field: TextField, t: &str) -> CoreResult<FieldValue> {
    let text = |s: String| Ok(FieldValue::Text(Some(s)));
    match field {
        TextField::Name => text(ClientName::parse(t).map_err(|e| parse_error(e, "name"))?.to_string()),
        TextField::Phone => {
            let phone = Phone::parse(t).map_err(|e| parse_error(e, "phone"))?;
            if let Some(other) = ctx.store().client_by_phone(&phone).await? {
                if other.id != id {
                    return Err(CoreError::user_with("err-phone-belongs", vec![("name", other.full_name.into())]));
                }
            }
            text(phone.to_string())
        }
        TextField::Email => text(profile::parse_email(t).map_err(|e| parse_error(e, "email"))?),
        TextField::Instagram => {
            let handle =
                t.trim().trim_start_matches('@').trim_start_matches("https://instagram.com/").trim_end_matches('/');
            let ok = (1..=30).contains(&handle.len())
                && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
            if ok {
                text(handle.to_lowercase())
            } else {
                Err(CoreError::user("err-instagram"))
            }
        }
        TextField::BirthDate => {
            let d = NaiveDate::parse_from_str(t.trim(), "%d.%m.%Y").map_err(|_| CoreError::user("err-birth-date"))?;
            let today = crate::store::now().with_timezone(&ctx.tz()).date_naive();
            if d >= today || d < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) {
                return Err(CoreError::user("err-birth-date"));
            }
            text(d.format("%Y-%m-%d").to_string())
        }
        TextField::FootLength => {
            Ok(FieldValue::Int(Some(profile::parse_foot_length_mm(t).map_err(|_| CoreError::user("err-foot-length"))?)))
        }
        TextField::ShoeSize => text(profile::parse_shoe_size(t).map_err(|_| CoreError::user("err-shoe-size"))?),
        TextField::Allergies | TextField::Contraindications | TextField::Notes => {
            text(parse_free_text(t, MAX_TEXT).map_err(|e| parse_error(e, "text"))?)
        }
    }
}

/// Toggles one condition (or, with `None`, the diabetes flag) and redraws the menu in place.
pub async fn toggle_condition(ctx: &Ctx<'_>, id: i64, condition: Option<Condition>) -> CoreResult {
    let client = ctx.store().client(id).await?;
    let mut list = profile::parse_conditions(&client.conditions);
    let mut diabetes = client.diabetes;
    match condition {
        Some(c) if list.contains(&c) => list.retain(|x| *x != c),
        Some(c) => list.push(c),
        None => diabetes = !diabetes,
    }
    ctx.store().set_client_conditions(id, &profile::format_conditions(&list), diabetes).await?;
    card::conditions_menu(ctx, id).await
}

/// Adds a note (or, with `call`, a logged call) to the timeline and shows the card.
pub async fn add_note(ctx: &Ctx<'_>, id: i64, text: &str, call: bool) -> CoreResult {
    let body = if call && text.trim().is_empty() {
        ctx.t("call-logged-empty")
    } else {
        parse_free_text(text, MAX_TEXT).map_err(|e| parse_error(e, "note"))?
    };
    let (direction, kind) = if call { (Direction::Out, Kind::Call) } else { (Direction::Internal, Kind::Note) };
    ctx.store().add_interaction(id, ctx.channel(), direction, kind, &body).await?;
    dialog::clear(ctx).await?;
    let header = ctx.t(if call { "call-logged" } else { "note-added" });
    Ok(Output::one(card::render(ctx, id, Some(header)).await?))
}

pub async fn add_tags(ctx: &Ctx<'_>, id: i64, text: &str) -> CoreResult {
    let words: Vec<&str> = text.split([' ', ',', ';']).filter(|w| !w.trim().is_empty()).collect();
    if words.is_empty() || words.len() > 10 {
        return Err(CoreError::user("err-tag"));
    }
    let tags =
        words.iter().map(|w| parse_tag(w)).collect::<Result<Vec<_>, _>>().map_err(|_| CoreError::user("err-tag"))?;
    for tag in &tags {
        ctx.store().tag_client(id, tag).await?;
    }
    dialog::clear(ctx).await?;
    let header = ctx.t("tags-added");
    Ok(Output::one(card::render(ctx, id, Some(header)).await?))
}

pub async fn remove_tag(ctx: &Ctx<'_>, id: i64, tag: i64) -> CoreResult {
    ctx.store().untag_client(id, tag).await?;
    card::tags_menu(ctx, id).await
}
