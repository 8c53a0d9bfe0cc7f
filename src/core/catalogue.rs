//! `/products`: the studio's catalogue, edited from the chat (add, rename, change the price, hide
//! or show again). The catalogue is what the order picker offers (`orders`: client → product is
//! two taps); hiding keeps the product for old orders and takes it out of the picker.
//!
//! Typed values (a name, a price) go through a dialog: names as free text (1-100 characters),
//! prices through `Money::parse`, each refusal a localized message with the step still waiting.

use super::callback::callbacks;
use super::dialog;
use super::{parse_error, Button, CoreResult, Ctx, Output, Reply};
use crate::domain::text::{ellipsize, parse_free_text};
use crate::domain::Money;
use crate::store::products::Product;
use serde::{Deserialize, Serialize};

/// The longest product name (a button label must stay readable).
pub const MAX_NAME: usize = 100;

callbacks! {
    /// Buttons of the catalogue.
    pub enum ProductCb {
        List => "pcl",
        Add => "pca",
        Open(id: i64) => "pco",
        Rename(id: i64) => "pcn",
        Price(id: i64) => "pcp",
        /// Flips shown/hidden (buttons sent before `Hide`/`Unhide`).
        Toggle(id: i64) => "pct",
        /// Hide / show again: a double tap leaves it as the first tap did.
        Hide(id: i64) => "pch",
        Unhide(id: i64) => "pcs",
    }
}

/// The catalogue's typed steps (stored as `{"step":"product_price","product":3}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ProductDialog {
    ProductNewName,
    ProductNewPrice { name: String },
    ProductRename { product: i64 },
    ProductPrice { product: i64 },
}

pub async fn on_button(ctx: &Ctx<'_>, cb: ProductCb) -> CoreResult {
    match cb {
        ProductCb::List => list(ctx, true).await,
        ProductCb::Add => dialog::start(ctx, ProductDialog::ProductNewName, "ask-product-name").await,
        ProductCb::Open(id) => open(ctx, id, None).await,
        ProductCb::Rename(id) => {
            let p = ctx.store().product(id).await?;
            let prompt = ctx.t_args("ask-product-rename", &[("name", p.name.into())]);
            dialog::prompt(ctx, ProductDialog::ProductRename { product: id }, prompt).await
        }
        ProductCb::Price(id) => {
            let p = ctx.store().product(id).await?;
            let prompt =
                ctx.t_args("ask-product-new-price", &[("name", p.name.into()), ("price", p.price.to_string().into())]);
            dialog::prompt(ctx, ProductDialog::ProductPrice { product: id }, prompt).await
        }
        ProductCb::Toggle(id) => {
            let p = ctx.store().product(id).await?;
            set_active(ctx, id, !p.active).await
        }
        ProductCb::Hide(id) => set_active(ctx, id, false).await,
        ProductCb::Unhide(id) => set_active(ctx, id, true).await,
    }
}

async fn set_active(ctx: &Ctx<'_>, id: i64, active: bool) -> CoreResult {
    ctx.store().set_product_active(id, active).await?;
    tracing::info!(product = id, active, "product shown/hidden");
    let key = if active { "product-shown" } else { "product-hidden" };
    open(ctx, id, Some(ctx.t(key))).await
}

/// The owner typed `text` while step `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: ProductDialog, text: &str) -> CoreResult {
    match d {
        ProductDialog::ProductNewName => {
            let name = parse_free_text(text, MAX_NAME).map_err(|e| parse_error(e, "product"))?;
            let prompt = ctx.t_args("ask-product-price", &[("name", name.as_str().into())]);
            dialog::prompt(ctx, ProductDialog::ProductNewPrice { name }, prompt).await
        }
        ProductDialog::ProductNewPrice { name } => {
            let price = Money::parse(text).map_err(|e| parse_error(e, "price"))?;
            let id = ctx.store().add_product(&name, price).await?;
            dialog::clear(ctx).await?;
            tracing::info!(product = id, "product added");
            open(ctx, id, Some(ctx.t("product-added"))).await
        }
        ProductDialog::ProductRename { product } => {
            let name = parse_free_text(text, MAX_NAME).map_err(|e| parse_error(e, "product"))?;
            ctx.store().rename_product(product, &name).await?;
            dialog::clear(ctx).await?;
            open(ctx, product, Some(ctx.t("product-saved"))).await
        }
        ProductDialog::ProductPrice { product } => {
            let price = Money::parse(text).map_err(|e| parse_error(e, "price"))?;
            ctx.store().set_product_price(product, price).await?;
            dialog::clear(ctx).await?;
            open(ctx, product, Some(ctx.t("product-saved"))).await
        }
    }
}

/// A product as a line: `Name — 2 200,00 грн` (hidden ones marked).
pub fn line(ctx: &Ctx<'_>, p: &Product) -> String {
    let hidden = if p.active { String::new() } else { format!(" {}", ctx.t("product-hidden-mark")) };
    format!("{} — {}{hidden}", p.name, p.price)
}

/// `/products`: every product with a button each, and one to add.
pub async fn list(ctx: &Ctx<'_>, edit: bool) -> CoreResult {
    let products = ctx.store().products(false).await?;
    let mut text = ctx.t_args("products-title", &[("count", products.len().into())]);
    if products.is_empty() {
        text.push('\n');
        text.push_str(&ctx.t("products-empty"));
    }
    let mut rows = vec![];
    for p in &products {
        text.push_str(&format!("\n• {}", line(ctx, p)));
        let mark = if p.active { "🛍" } else { "🙈" };
        rows.push(vec![Button::new(format!("{mark} {} · {}", ellipsize(&p.name, 28), p.price), ProductCb::Open(p.id))]);
    }
    rows.push(vec![Button::new(ctx.t("btn-product-add"), ProductCb::Add)]);
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(edit)))
}

async fn open(ctx: &Ctx<'_>, id: i64, header: Option<String>) -> CoreResult {
    let p = ctx.store().product(id).await?;
    let mut text = header.map(|h| format!("{h}\n\n")).unwrap_or_default();
    text.push_str(&format!("🛍 {}\n{}: {}\n", p.name, ctx.t("order-price"), p.price));
    text.push_str(&ctx.t(if p.active { "product-active" } else { "product-inactive" }));
    let toggle = if p.active { "btn-product-hide" } else { "btn-product-show" };
    let rows = vec![
        vec![
            Button::new(ctx.t("btn-product-rename"), ProductCb::Rename(id)),
            Button::new(ctx.t("btn-product-price"), ProductCb::Price(id)),
        ],
        vec![
            Button::new(ctx.t(toggle), if p.active { ProductCb::Hide(id) } else { ProductCb::Unhide(id) }),
            Button::new(ctx.t("btn-products-back"), ProductCb::List),
        ],
    ];
    Ok(Output::one(Reply::text(text).with_buttons(rows).editing(ctx.from_button)))
}
