//! Orders after the first tap: a new order from the catalogue (client → product, two taps), the
//! order card's edits (product, price, prepaid), undoing the last status step, reopening a closed
//! order, `/order <number>`, and a client's list of all her orders.
//!
//! The buttons are `OrderCb` variants (declared in `orders`); the typed values are `OrderDialog`
//! steps. Undo and reopen are recorded in the order's history with who did them
//! (`store::order_edits`), so the history reads as what happened, not as what is left.

use super::dialog;
use super::orders::{self, OrderCb, OrderDialog};
use super::{parse_error, Button, CoreError, CoreResult, Ctx, Output, Reply};
use crate::core::card::status_label;
use crate::domain::text::{ellipsize, parse_free_text};
use crate::domain::Money;
use crate::store::order_edits::{self, Edited, OrderEdit, Stepped};
use crate::store::orders::{HistoryEntry, Order};

/// What the order card's edit buttons change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderField {
    Product,
    Price,
    Prepaid,
}

impl OrderField {
    pub const ALL: [OrderField; 3] = [OrderField::Product, OrderField::Price, OrderField::Prepaid];

    pub fn code(self) -> &'static str {
        match self {
            OrderField::Product => "p",
            OrderField::Price => "c",
            OrderField::Prepaid => "d",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    fn label_key(self) -> &'static str {
        match self {
            OrderField::Product => "order-product",
            OrderField::Price => "order-price",
            OrderField::Prepaid => "order-prepaid",
        }
    }
}

crate::core::callback::coded_field!(OrderField);

/// Catalogue buttons for an order: one per active product, `cb` making each button's callback.
async fn product_rows(ctx: &Ctx<'_>, cb: impl Fn(i64) -> OrderCb) -> CoreResult<Vec<Vec<Button>>> {
    let products = ctx.store().products(true).await?;
    Ok(products
        .iter()
        .map(|p| vec![Button::new(format!("{} · {}", ellipsize(&p.name, 32), p.price), cb(p.id))])
        .collect())
}

/// "📦 Order" on the card: the catalogue as buttons (+ "other" to type a product); typing a
/// product name right away works too (the typed flow is waiting).
pub async fn pick_product(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    let mut rows = product_rows(ctx, |p| OrderCb::FromProduct(client, p)).await?;
    if rows.is_empty() {
        return dialog::start(ctx, OrderDialog::OrderProduct { client }, "ask-order-product").await;
    }
    ctx.store().client(client).await?;
    dialog::set(ctx, OrderDialog::OrderProduct { client }).await?;
    rows.push(vec![
        Button::new(ctx.t("btn-product-other"), OrderCb::OtherProduct(client)),
        Button::new(ctx.t("btn-cancel"), super::callback::CommonCb::Cancel),
    ]);
    Ok(Output::one(Reply::text(ctx.t("ask-order-pick-product")).with_buttons(rows)))
}

/// The active catalogue product named `typed` (its name in any case, or its code), for an order
/// typed without a price; refused with a hint when there is none.
pub async fn catalogue_product(ctx: &Ctx<'_>, typed: &str) -> CoreResult<crate::store::products::Product> {
    let key = typed.trim().to_lowercase();
    ctx.store()
        .products(true)
        .await?
        .into_iter()
        .find(|p| p.name.to_lowercase() == key || p.code == key)
        .ok_or_else(|| CoreError::user_with("order-no-price", vec![("product", typed.to_string().into())]))
}

/// The second tap: the order exists at the catalogue price; its card has the edit buttons.
/// Only while the picker's step waits: a second tap on the same picker (a double tap) is a repeat.
pub async fn from_product(ctx: &Ctx<'_>, client: i64, product: i64) -> CoreResult {
    let p = ctx.store().product(product).await?;
    if !p.active {
        return Err(CoreError::user("err-product-hidden"));
    }
    let picking = dialog::Dialog::Order(OrderDialog::OrderProduct { client });
    if dialog::current(ctx).await?.as_ref() != Some(&picking) {
        return Ok(Output::default().toast(ctx.t("btn-expired")));
    }
    dialog::clear(ctx).await?;
    orders::create(ctx, client, &p.name, p.price, Money::ZERO).await
}

pub async fn ask(ctx: &Ctx<'_>, id: i64, field: OrderField) -> CoreResult {
    let o = ctx.store().order(id).await?;
    let id_arg = ("id", o.id.into());
    match field {
        OrderField::Product => {
            let mut rows = product_rows(ctx, |p| OrderCb::SetProduct(id, p)).await?;
            rows.push(vec![Button::new(ctx.t("btn-cancel"), super::callback::CommonCb::Cancel)]);
            dialog::set(ctx, OrderDialog::OrderEditProduct { order: id }).await?;
            let text = ctx.t_args("ask-order-edit-product", &[id_arg, ("product", o.product.into())]);
            Ok(Output::one(Reply::text(text).with_buttons(rows)))
        }
        OrderField::Price => {
            let text = ctx.t_args("ask-order-edit-price", &[id_arg, ("price", o.price.to_string().into())]);
            dialog::prompt(ctx, OrderDialog::OrderEditPrice { order: id }, text).await
        }
        OrderField::Prepaid => {
            let text = ctx.t_args("ask-order-edit-prepaid", &[id_arg, ("prepaid", o.prepaid.to_string().into())]);
            dialog::prompt(ctx, OrderDialog::OrderEditPrepaid { order: id }, text).await
        }
    }
}

/// A catalogue product chosen for an existing order: its name and its price.
pub async fn set_product(ctx: &Ctx<'_>, id: i64, product: i64) -> CoreResult {
    let p = ctx.store().product(product).await?;
    if !p.active {
        return Err(CoreError::user("err-product-hidden"));
    }
    apply(ctx, id, OrderEdit { product: Some(p.name), price: Some(p.price), prepaid: None }).await
}

/// The owner typed a value for one of the edit steps.
pub async fn answer(ctx: &Ctx<'_>, d: OrderDialog, text: &str) -> CoreResult {
    let (id, edit) = match d {
        OrderDialog::OrderEditProduct { order } => {
            let product = parse_free_text(text, orders::MAX_PRODUCT).map_err(|e| parse_error(e, "product"))?;
            (order, OrderEdit { product: Some(product), ..Default::default() })
        }
        OrderDialog::OrderEditPrice { order } => {
            let price = Money::parse(text).map_err(|e| parse_error(e, "price"))?;
            (order, OrderEdit { price: Some(price), ..Default::default() })
        }
        OrderDialog::OrderEditPrepaid { order } => {
            let prepaid = Money::parse(text).map_err(|e| parse_error(e, "prepaid"))?;
            (order, OrderEdit { prepaid: Some(prepaid), ..Default::default() })
        }
        _ => return dialog::expired(ctx),
    };
    let out = apply(ctx, id, edit).await?;
    dialog::clear(ctx).await?;
    Ok(out)
}

async fn apply(ctx: &Ctx<'_>, id: i64, edit: OrderEdit) -> CoreResult {
    let timeline = |a: &Order, b: &Order| {
        let mut changes = vec![];
        for (field, old, new) in [
            (OrderField::Product, a.product.clone(), b.product.clone()),
            (OrderField::Price, a.price.to_string(), b.price.to_string()),
            (OrderField::Prepaid, a.prepaid.to_string(), b.prepaid.to_string()),
        ] {
            if old != new {
                changes.push(format!("{}: {old} → {new}", ctx.t(field.label_key())));
            }
        }
        ctx.t_args("timeline-order-edited", &[("id", a.id.into()), ("changes", changes.join("; ").into())])
    };
    match ctx.store().edit_order(id, edit, ctx.channel(), timeline).await? {
        Edited::Done(order) => {
            tracing::info!(order = id, "order edited");
            Ok(Output::one(orders::render(ctx, &order, Some(ctx.t("order-edited"))).await?))
        }
        Edited::PrepaidOverPrice => Err(CoreError::user("err-prepaid-over")),
    }
}

fn moved_timeline<'a>(ctx: &'a Ctx<'_>, key: &'static str) -> impl FnOnce(&Order) -> String + 'a {
    move |o: &Order| {
        ctx.t_args(
            key,
            &[
                ("id", o.id.into()),
                ("product", o.product.as_str().into()),
                ("status", status_label(ctx, o.status).into()),
            ],
        )
    }
}

/// Takes back the last status step; with `from`, only while the order is still in that status.
pub async fn undo(ctx: &Ctx<'_>, id: i64, from: Option<crate::domain::OrderStatus>) -> CoreResult {
    let timeline = moved_timeline(ctx, "timeline-order-undo");
    let result = ctx.store().undo_order_step(id, from, &ctx.actor_key, ctx.channel(), timeline).await?;
    stepped(ctx, id, result, "order-undone", "order-undo-none").await
}

pub async fn reopen(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let timeline = moved_timeline(ctx, "timeline-order-reopen");
    let result = ctx.store().reopen_order(id, &ctx.actor_key, ctx.channel(), timeline).await?;
    stepped(ctx, id, result, "order-reopened", "order-reopen-open").await
}

async fn stepped(ctx: &Ctx<'_>, id: i64, result: Stepped, done: &str, refused: &str) -> CoreResult {
    match result {
        Stepped::Done { order, from } => {
            tracing::info!(order = id, from = %from, to = %order.status, "order status taken back");
            let header = ctx.t_args(
                done,
                &[("from", status_label(ctx, from).into()), ("to", status_label(ctx, order.status).into())],
            );
            Ok(Output::one(orders::render(ctx, &order, Some(header)).await?.editing(ctx.from_button)))
        }
        Stepped::Refused { .. } => {
            let order = ctx.store().order(id).await?;
            let header = ctx.t(refused);
            Ok(Output::one(orders::render(ctx, &order, Some(format!("⚠️ {header}"))).await?.editing(ctx.from_button))
                .toast(header))
        }
    }
}

/// The order card's extra buttons: edits, undo (when there is a step to take back), reopen.
pub fn buttons(ctx: &Ctx<'_>, o: &Order, history: &[HistoryEntry]) -> Vec<Vec<Button>> {
    let mut rows = vec![OrderField::ALL
        .iter()
        .map(|f| {
            let key = match f {
                OrderField::Product => "btn-order-product",
                OrderField::Price => "btn-order-price",
                OrderField::Prepaid => "btn-order-prepaid",
            };
            Button::new(ctx.t(key), OrderCb::Edit(o.id, *f))
        })
        .collect::<Vec<_>>()];
    let mut row = vec![];
    if order_edits::undoable(history, o.status).is_some() {
        row.push(Button::new(ctx.t("btn-order-undo"), OrderCb::UndoFrom(o.id, o.status)));
    }
    if !o.status.is_open() {
        row.push(Button::new(ctx.t("btn-order-reopen"), OrderCb::Reopen(o.id)));
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

/// What a history line adds for an undo or a reopening.
pub fn history_mark(ctx: &Ctx<'_>, h: &HistoryEntry) -> String {
    match h.kind.as_str() {
        order_edits::UNDO => format!(" ({})", ctx.t("history-undo")),
        order_edits::REOPEN => format!(" ({})", ctx.t("history-reopen")),
        _ => String::new(),
    }
}

/// `/order 17` (also `#17`); bare, the open orders.
pub async fn by_number(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let arg = args.trim().trim_start_matches(['#', '№']).trim();
    if arg.is_empty() {
        return orders::list(ctx, false).await;
    }
    let id: i64 = arg.parse().ok().filter(|n| *n > 0).ok_or_else(|| CoreError::user("order-number-bad"))?;
    match ctx.store().order(id).await {
        Ok(o) => Ok(Output::one(orders::render(ctx, &o, None).await?)),
        Err(crate::store::StorageError::NotFound) => {
            Err(CoreError::user_with("order-not-found", vec![("id", id.into())]))
        }
        Err(e) => Err(e.into()),
    }
}

/// Every order of a client, newest first, each a button.
pub async fn client_orders(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    let c = ctx.store().client(client).await?;
    let list = ctx.store().orders_for_client(client, 30).await?;
    let name = ("name", c.full_name.clone().into());
    if list.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t_args("client-orders-none", &[name])).editing(ctx.from_button)));
    }
    let mut text = ctx.t_args("client-orders-title", &[name, ("count", list.len().into())]);
    let mut rows = vec![];
    for o in &list {
        let when = o.created_at.with_timezone(&ctx.tz()).format("%d.%m.%Y");
        text.push_str(&format!(
            "\n#{} {when} {} — {} · {}",
            o.id,
            ellipsize(&o.product, 40),
            o.price,
            status_label(ctx, o.status)
        ));
        rows.push(vec![Button::new(
            format!("#{} {} · {}", o.id, ellipsize(&o.product, 24), status_label(ctx, o.status)),
            OrderCb::Show(o.id),
        )]);
    }
    rows.push(vec![Button::new(ctx.t("btn-back-to-card"), crate::core::card::ClientCb::Card(client))]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}
