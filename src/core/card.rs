//! The client card and its sub-menus (edit, conditions, tags, timeline).
//!
//! The card is the screen the owner lives on: everything about one client in one message, with a
//! button for every action. Sub-menus replace the card in place and always lead back to it.

use super::callback::Cb;
use super::{Button, CoreResult, Ctx, Output, Reply};
use crate::domain::profile::{self, Condition};
use crate::domain::text::ellipsize;
use crate::domain::{OrderStatus, Phone};
use crate::store::clients::TextField;
use chrono::{DateTime, Utc};

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
    ctx.t(match c {
        Condition::FlatFeet => "cond-flat",
        Condition::HeelSpur => "cond-spur",
        Condition::HalluxValgus => "cond-hallux",
        Condition::PlantarFasciitis => "cond-fasc",
        Condition::KneePain => "cond-knee",
        Condition::BackPain => "cond-back",
    })
}

fn kind_icon(kind: &str) -> &'static str {
    match kind {
        "note" => "📝",
        "call" => "📞",
        "status" => "📦",
        "message" => "💬",
        _ => "•",
    }
}

fn back(ctx: &Ctx<'_>, id: i64) -> Vec<Button> {
    vec![Button::new(ctx.t("btn-back-to-card"), Cb::Card(id))]
}

/// Opens the card: in place when a button asked for it, as a new message otherwise.
pub async fn show(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    Ok(Output::one(render(ctx, id, None).await?.editing(ctx.from_button)))
}

pub async fn render(ctx: &Ctx<'_>, id: i64, header: Option<String>) -> CoreResult<Reply> {
    let store = ctx.store();
    let crate::store::card::CardData { client: c, tags, orders, recent, tasks } = store.card_data(id, 5).await?;
    let dash = "—".to_string();
    let mut t = String::new();
    if let Some(h) = header {
        t.push_str(&h);
        t.push_str("\n\n");
    }
    t.push_str(&format!("👤 {}\n", c.full_name));
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
            t.push_str(&format!("🎂 {}\n", d.format("%d.%m.%Y")));
        }
    }

    t.push_str(&format!("\n🦶 {}\n", ctx.t("card-profile")));
    let conditions: Vec<String> =
        profile::parse_conditions(&c.conditions).into_iter().map(|x| condition_label(ctx, x)).collect();
    let conditions = if conditions.is_empty() { dash.clone() } else { conditions.join(", ") };
    t.push_str(&format!("{}: {conditions}\n", ctx.t("card-conditions")));
    if c.diabetes {
        t.push_str(&format!("⚠️ {}\n", ctx.t("card-diabetes")));
    }
    let length = c.foot_length_mm.map(|mm| format!("{},{} см", mm / 10, mm % 10)).unwrap_or_else(|| dash.clone());
    let size = c.shoe_size.clone().unwrap_or_else(|| dash.clone());
    t.push_str(&format!("{}: {length} · {}: {size}\n", ctx.t("field-foot-length"), ctx.t("field-shoe-size")));
    for (key, value) in [
        ("field-allergies", &c.allergies),
        ("field-contraindications", &c.contraindications),
        ("field-notes", &c.profile_notes),
    ] {
        if let Some(v) = value {
            t.push_str(&format!("{}: {}\n", ctx.t(key), ellipsize(v, 300)));
        }
    }

    if !tags.is_empty() {
        t.push_str(&format!("\n🏷 {}\n", tags.iter().map(|x| format!("#{}", x.name)).collect::<Vec<_>>().join(" ")));
    }
    if !orders.is_empty() {
        t.push_str(&format!("\n📦 {}\n", ctx.t("card-open-orders")));
        for o in &orders {
            t.push_str(&format!(
                "#{} {} — {} · {}\n",
                o.id,
                ellipsize(&o.product, 40),
                o.price,
                status_label(ctx, o.status)
            ));
        }
    }
    if !tasks.is_empty() {
        t.push_str(&format!("\n⏰ {}\n", ctx.t("card-tasks")));
        for task in &tasks {
            let due = task.due_at.map(|d| format!(" — {}", fmt_time(ctx, d))).unwrap_or_default();
            t.push_str(&format!("• {}{due}\n", ellipsize(&task.body, 80)));
        }
    }
    if !recent.is_empty() {
        t.push_str(&format!("\n🕓 {}\n", ctx.t("card-recent")));
        for i in &recent {
            t.push_str(&format!("{} {} {}\n", fmt_time(ctx, i.created_at), kind_icon(&i.kind), ellipsize(&i.body, 80)));
        }
    }

    let mut rows = vec![
        vec![
            Button::new(ctx.t("btn-edit"), Cb::EditMenu(id)),
            Button::new(ctx.t("btn-conditions"), Cb::Conditions(id)),
        ],
        vec![Button::new(ctx.t("btn-note"), Cb::Note(id)), Button::new(ctx.t("btn-call"), Cb::Call(id))],
        vec![Button::new(ctx.t("btn-new-order"), Cb::NewOrder(id)), Button::new(ctx.t("btn-task"), Cb::Task(id))],
        vec![Button::new(ctx.t("btn-tags"), Cb::Tags(id)), Button::new(ctx.t("btn-timeline"), Cb::Timeline(id))],
    ];
    for o in orders.iter().take(3) {
        rows.push(vec![Button::new(format!("📦 #{} {}", o.id, ellipsize(&o.product, 24)), Cb::Order(o.id))]);
    }
    for task in tasks.iter().take(3) {
        rows.push(vec![Button::new(format!("✔️ {}", ellipsize(&task.body, 28)), Cb::TaskDone(task.id))]);
    }
    Ok(Reply::text(t.trim_end().to_string()).with_buttons(rows))
}

pub async fn edit_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let mut rows: Vec<Vec<Button>> = TextField::ALL
        .chunks(2)
        .map(|pair| pair.iter().map(|f| Button::new(super::clients::field_label(ctx, *f), Cb::Edit(id, *f))).collect())
        .collect();
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
                        Cb::ToggleCondition(id, *x),
                    )
                })
                .collect()
        })
        .collect();
    rows.push(vec![Button::new(format!("{} {}", mark(c.diabetes), ctx.t("card-diabetes")), Cb::ToggleDiabetes(id))]);
    rows.push(back(ctx, id));
    let text = ctx.t_args("conditions-menu", &[("name", c.full_name.into())]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(true)))
}

pub async fn tags_menu(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let c = ctx.store().client(id).await?;
    let tags = ctx.store().client_tags(id).await?;
    let mut rows = vec![vec![Button::new(ctx.t("btn-add-tag"), Cb::AddTag(id))]];
    for tag in &tags {
        rows.push(vec![Button::new(format!("✖️ #{}", tag.name), Cb::RemoveTag(id, tag.id))]);
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
    Ok(Output::one(Reply::text(text).with_buttons(vec![back(ctx, id)]).editing(true)))
}
