//! The client card and its sub-menus (edit, conditions, tags, timeline).
//!
//! The card is the screen the owner lives on: everything about one client in one message, with a
//! button for every action. Sub-menus replace the card in place and always lead back to it.

use super::callback::callbacks;
use super::clients::{self, ClientDialog};
use super::dialog;
use super::{Button, CoreResult, Ctx, Output, Reply};
use crate::core::orders::OrderCb;
use crate::core::tasks::TaskCb;
use crate::domain::profile::{self, Condition};
use crate::domain::text::ellipsize;
use crate::domain::{OrderStatus, Phone};
use crate::store::card::CardData;
use crate::store::clients::TextField;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// Last events a card lists.
pub const RECENT: i64 = 5;

callbacks! {
    /// Buttons of the client card and its menus.
    pub enum ClientCb {
        /// Open (or refresh in place) a client card.
        Card(id: i64) => "c",
        EditMenu(id: i64) => "em",
        Edit(id: i64, field: TextField) => "e",
        Conditions(id: i64) => "cm",
        ToggleCondition(id: i64, condition: Condition) => "tc",
        ToggleDiabetes(id: i64) => "dm",
        Note(id: i64) => "n",
        Call(id: i64) => "k",
        Tags(id: i64) => "tg",
        AddTag(id: i64) => "ta",
        RemoveTag(id: i64, tag: i64) => "tr",
        Timeline(id: i64) => "tl",
        NewClient => "nc",
        Search => "s",
        /// Her referral code, links and QR (issue 16).
        Referral(id: i64) => "rf",
    }
}

/// The owner pressed one of the client buttons.
pub async fn on_button(ctx: &Ctx<'_>, cb: ClientCb) -> CoreResult {
    match cb {
        ClientCb::Card(id) => show(ctx, id).await,
        ClientCb::EditMenu(id) => edit_menu(ctx, id).await,
        ClientCb::Edit(id, field) => clients::ask_field(ctx, id, field).await,
        ClientCb::Conditions(id) => conditions_menu(ctx, id).await,
        ClientCb::ToggleCondition(id, c) => clients::toggle_condition(ctx, id, Some(c)).await,
        ClientCb::ToggleDiabetes(id) => clients::toggle_condition(ctx, id, None).await,
        ClientCb::Note(id) => dialog::start(ctx, ClientDialog::Note { client: id }, "ask-note").await,
        ClientCb::Call(id) => dialog::start(ctx, ClientDialog::Call { client: id }, "ask-call").await,
        ClientCb::Tags(id) => tags_menu(ctx, id).await,
        ClientCb::AddTag(id) => dialog::start(ctx, ClientDialog::AddTag { client: id }, "ask-tag").await,
        ClientCb::RemoveTag(id, tag) => clients::remove_tag(ctx, id, tag).await,
        ClientCb::Timeline(id) => timeline(ctx, id).await,
        ClientCb::NewClient => dialog::start(ctx, ClientDialog::NewClientName, "ask-client-name").await,
        ClientCb::Search => dialog::start(ctx, ClientDialog::Search, "ask-search").await,
        ClientCb::Referral(id) => super::attribution::links::show(ctx, id).await,
    }
}

pub fn fmt_time(ctx: &Ctx<'_>, t: DateTime<Utc>) -> String {
    t.with_timezone(&ctx.tz()).format("%d.%m %H:%M").to_string()
}

pub fn status_label(ctx: &Ctx<'_>, s: OrderStatus) -> String {
    ctx.t(status_key(s))
}

pub fn status_key(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::New => "status-new",
        OrderStatus::InProduction => "status-prod",
        OrderStatus::Ready => "status-ready",
        OrderStatus::Issued => "status-issued",
        OrderStatus::Cancelled => "status-cancel",
    }
}

pub fn condition_label(ctx: &Ctx<'_>, c: Condition) -> String {
    ctx.t(c.label_key())
}

fn kind_icon(kind: &str) -> &'static str {
    match kind {
        "note" => "📝",
        "call" => "📞",
        "status" => "📦",
        "message" => "💬",
        "visit" => "📅",
        _ => "•",
    }
}

fn back(ctx: &Ctx<'_>, id: i64) -> Vec<Button> {
    vec![Button::new(ctx.t("btn-back-to-card"), ClientCb::Card(id))]
}

/// Opens the card: in place when a button asked for it, as a new message otherwise.
pub async fn show(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    Ok(Output::one(render(ctx, id, None).await?.editing(ctx.from_button)))
}

/// [`show`] with the card's data already read (a search that found exactly one client reads it
/// in the same turn, `Store::find_clients`).
pub fn show_data(ctx: &Ctx<'_>, data: CardData) -> CoreResult {
    Ok(Output::one(render_data(ctx, data, None).editing(ctx.from_button)))
}

pub async fn render(ctx: &Ctx<'_>, id: i64, header: Option<String>) -> CoreResult<Reply> {
    Ok(render_data(ctx, ctx.store().card_data(id, RECENT).await?, header))
}

fn render_data(ctx: &Ctx<'_>, data: CardData, header: Option<String>) -> Reply {
    let CardData { client: c, tags, orders, recent, tasks, visits: visit_list } = data;
    let id = c.id;
    let dash = "—".to_string();
    // Room for a full card without growing.
    let mut t = String::with_capacity(2048);
    if let Some(h) = header {
        t.push_str(&h);
        t.push_str("\n\n");
    }
    let _ = writeln!(t, "👤 {}", c.full_name);
    let mut contacts = vec![];
    if let Some(p) = &c.phone {
        contacts.push(format!("📞 {}", Phone::from_stored(p.clone()).display()));
    } else if let Some(p) = &c.typed_phone {
        let shown = Phone::from_stored(p.clone()).display();
        contacts.push(format!("📞 {}", ctx.t_args("card-typed-phone", &[("phone", shown.into())])));
    }
    if let Some(e) = &c.email {
        contacts.push(format!("✉️ {e}"));
    }
    if let Some(i) = &c.instagram {
        contacts.push(format!("📷 @{i}"));
    }
    if !contacts.is_empty() {
        t.push_str(&contacts.join(" · "));
        t.push('\n');
    }
    if let Some(b) = &c.birth_date {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d") {
            let _ = writeln!(t, "🎂 {}", d.format("%d.%m.%Y"));
        }
    }

    let _ = writeln!(t, "\n🦶 {}", ctx.t("card-profile"));
    let conditions: Vec<String> =
        profile::parse_conditions(&c.conditions).into_iter().map(|x| condition_label(ctx, x)).collect();
    let conditions = if conditions.is_empty() { dash.clone() } else { conditions.join(", ") };
    let _ = writeln!(t, "{}: {conditions}", ctx.t("card-conditions"));
    if c.diabetes {
        let _ = writeln!(t, "⚠️ {}", ctx.t("card-diabetes"));
    }
    let length = c.foot_length_mm.map(|mm| format!("{},{} см", mm / 10, mm % 10)).unwrap_or_else(|| dash.clone());
    let size = c.shoe_size.clone().unwrap_or_else(|| dash.clone());
    let _ = writeln!(t, "{}: {length} · {}: {size}", ctx.t("field-foot-length"), ctx.t("field-shoe-size"));
    for (key, value) in [
        ("field-allergies", &c.allergies),
        ("field-contraindications", &c.contraindications),
        ("field-notes", &c.profile_notes),
    ] {
        if let Some(v) = value {
            let _ = writeln!(t, "{}: {}", ctx.t(key), ellipsize(v, 300));
        }
    }

    if !tags.is_empty() {
        let _ = writeln!(t, "\n🏷 {}", tags.iter().map(|x| format!("#{}", x.name)).collect::<Vec<_>>().join(" "));
    }
    if !orders.is_empty() {
        let _ = writeln!(t, "\n📦 {}", ctx.t("card-open-orders"));
        for o in &orders {
            let _ =
                writeln!(t, "#{} {} — {} · {}", o.id, ellipsize(&o.product, 40), o.price, status_label(ctx, o.status));
        }
    }
    if !tasks.is_empty() {
        let _ = writeln!(t, "\n⏰ {}", ctx.t("card-tasks"));
        for task in &tasks {
            let due = task.due_at.map(|d| format!(" — {}", fmt_time(ctx, d))).unwrap_or_default();
            let _ = writeln!(t, "• {}{due}", ellipsize(&task.body, 80));
        }
    }
    // Visits (issue 12): upcoming with move / cancel, then the last past ones.
    let (visits, visit_rows) = crate::core::booking::visits::card_section(ctx, &visit_list);
    t.push_str(&visits);
    if !recent.is_empty() {
        let _ = writeln!(t, "\n🕓 {}", ctx.t("card-recent"));
        for i in &recent {
            let _ = writeln!(t, "{} {} {}", fmt_time(ctx, i.created_at), kind_icon(&i.kind), ellipsize(&i.body, 80));
        }
    }

    if crate::core::lifecycle::is_forgotten(&c) {
        // Kept for the books only: her orders, and the audit line; nothing to edit or add.
        let mut rows = vec![vec![
            Button::new(ctx.t("btn-timeline"), ClientCb::Timeline(id)),
            Button::new(ctx.t("btn-client-orders"), OrderCb::ClientOrders(id)),
        ]];
        for o in orders.iter().take(3) {
            rows.push(vec![Button::new(format!("📦 #{} {}", o.id, ellipsize(&o.product, 24)), OrderCb::Show(o.id))]);
        }
        t.truncate(t.trim_end().len());
        return Reply::text(t).with_buttons(rows);
    }
    let mut rows = vec![
        vec![
            Button::new(ctx.t("btn-edit"), ClientCb::EditMenu(id)),
            Button::new(ctx.t("btn-conditions"), ClientCb::Conditions(id)),
        ],
        vec![Button::new(ctx.t("btn-note"), ClientCb::Note(id)), Button::new(ctx.t("btn-call"), ClientCb::Call(id))],
        vec![
            Button::new(ctx.t("btn-new-order"), OrderCb::NewOrder(id)),
            Button::new(ctx.t("btn-task"), TaskCb::New(id)),
        ],
        vec![
            Button::new(ctx.t("btn-tags"), ClientCb::Tags(id)),
            Button::new(ctx.t("btn-timeline"), ClientCb::Timeline(id)),
        ],
        vec![
            Button::new(ctx.t("btn-client-orders"), OrderCb::ClientOrders(id)),
            Button::new(ctx.t("btn-referral"), ClientCb::Referral(id)),
        ],
    ];
    rows.extend(visit_rows);
    rows.push(vec![
        Button::new(ctx.t("btn-merge"), crate::core::lifecycle::LifecycleCb::Merge(id)),
        Button::new(ctx.t("btn-delete"), crate::core::lifecycle::LifecycleCb::Delete(id)),
    ]);
    for o in orders.iter().take(3) {
        rows.push(vec![Button::new(format!("📦 #{} {}", o.id, ellipsize(&o.product, 24)), OrderCb::Show(o.id))]);
    }
    for task in tasks.iter().take(3) {
        rows.push(vec![Button::new(format!("✔️ {}", ellipsize(&task.body, 28)), TaskCb::Done(task.id))]);
    }
    t.truncate(t.trim_end().len());
    Reply::text(t).with_buttons(rows)
}

pub async fn edit_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let mut rows: Vec<Vec<Button>> = TextField::ALL
        .chunks(2)
        .map(|pair| {
            pair.iter().map(|f| Button::new(super::clients::field_label(ctx, *f), ClientCb::Edit(id, *f))).collect()
        })
        .collect();
    let consent = super::marketing::consent_label(ctx, id).await?;
    rows.push(vec![Button::new(consent, super::marketing::MarketingCb::Consent(id))]);
    rows.push(back(ctx, id));
    let text = ctx.t_args("edit-menu", &[("name", c.full_name.into())]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

pub async fn conditions_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let active = profile::parse_conditions(&c.conditions);
    let mark = |on: bool| if on { "✅" } else { "▫️" };
    let mut rows: Vec<Vec<Button>> = Condition::ALL
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|x| {
                    Button::new(
                        format!("{} {}", mark(active.contains(x)), condition_label(ctx, *x)),
                        ClientCb::ToggleCondition(id, *x),
                    )
                })
                .collect()
        })
        .collect();
    rows.push(vec![Button::new(
        format!("{} {}", mark(c.diabetes), ctx.t("card-diabetes")),
        ClientCb::ToggleDiabetes(id),
    )]);
    rows.push(back(ctx, id));
    let text = ctx.t_args("conditions-menu", &[("name", c.full_name.into())]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

pub async fn tags_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let tags = ctx.store().client_tags(id).await?;
    let mut rows = vec![vec![Button::new(ctx.t("btn-add-tag"), ClientCb::AddTag(id))]];
    for tag in &tags {
        rows.push(vec![Button::new(format!("✖️ #{}", tag.name), ClientCb::RemoveTag(id, tag.id))]);
    }
    rows.push(back(ctx, id));
    let text = if tags.is_empty() {
        ctx.t_args("tags-none", &[("name", c.full_name.into())])
    } else {
        ctx.t_args("tags-menu", &[("name", c.full_name.into())])
    };
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

pub async fn timeline(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let items = ctx.store().recent_interactions(id, 20).await?;
    let mut text = ctx.t_args("timeline-title", &[("name", c.full_name.into())]);
    if items.is_empty() {
        text.push('\n');
        text.push_str(&ctx.t("timeline-empty"));
    }
    for i in items.iter().rev() {
        text.push_str(&format!("\n{} {} {}", fmt_time(ctx, i.created_at), kind_icon(&i.kind), ellipsize(&i.body, 200)));
    }
    // Each order the history names opens with one tap (newest first, at most eight).
    let mut rows: Vec<Vec<Button>> = vec![];
    let mut seen = std::collections::BTreeSet::new();
    for i in items.iter().filter(|i| i.kind == "status") {
        let Some(order) = order_number(&i.body) else { continue };
        if seen.insert(order) && rows.len() < 8 {
            rows.push(vec![Button::new(format!("📦 #{order}"), OrderCb::Show(order))]);
        }
    }
    rows.push(vec![Button::new(ctx.t("btn-client-orders"), OrderCb::ClientOrders(id))]);
    rows.push(back(ctx, id));
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

/// The order a history line names (`Замовлення #27 …`, `New order #27: …`).
fn order_number(body: &str) -> Option<i64> {
    let rest = &body[body.find('#')? + 1..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}
