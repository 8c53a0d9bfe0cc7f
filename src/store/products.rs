//! The product catalogue: what the studio sells and for how much, so that an order is two taps
//! (client → product) instead of typing a name and a price.
//!
//! Products are seeded from the settings by their `code` (`[[products]]` in `config/default.toml`)
//! with `INSERT .. ON CONFLICT DO NOTHING`: a product new in the file appears at the next start,
//! and what the owner changed from the chat (name, price, active) is never overwritten. Products
//! are never deleted, only deactivated, so an old order's product keeps its meaning. An order
//! copies the product's name and price when it is created; later catalogue edits do not touch
//! existing orders.

use super::{Result, StorageError, Store};
use crate::config::SeedProduct;
use crate::domain::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub price: Money,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    code: String,
    name: String,
    price_kop: i64,
    active: bool,
}

impl From<ProductRow> for Product {
    fn from(r: ProductRow) -> Self {
        Product { id: r.id, code: r.code, name: r.name, price: Money::from_kopecks(r.price_kop), active: r.active }
    }
}

const SELECT: &str = "SELECT id, code, name, price_kop, active FROM products";

impl Store {
    /// Adds the products of the settings whose code is not in the table yet; returns how many.
    /// Reads first and writes only when a code is missing, so a start on a read-only database
    /// (already seeded) writes nothing.
    pub async fn seed_products(&self, seed: &[SeedProduct]) -> Result<u64> {
        let known: Vec<String> = sqlx::query_scalar("SELECT code FROM products").fetch_all(self.pool()).await?;
        if seed.iter().all(|p| known.contains(&p.code)) {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let now = super::now();
        let mut added = 0;
        for (i, p) in seed.iter().enumerate() {
            added += sqlx::query(
                "INSERT INTO products (code, name, price_kop, active, position, created_at, updated_at) \
                 VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            )
            .bind(&p.code)
            .bind(&p.name)
            .bind(p.price.kopecks())
            .bind(i as i64)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Every product (active first, then in catalogue order); `active_only` for the order picker.
    pub async fn products(&self, active_only: bool) -> Result<Vec<Product>> {
        let filter = if active_only { " WHERE active = 1" } else { "" };
        Ok(sqlx::query_as::<_, ProductRow>(&format!("{SELECT}{filter} ORDER BY active DESC, position, id LIMIT 100"))
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(Product::from)
            .collect())
    }

    pub async fn product(&self, id: i64) -> Result<Product> {
        sqlx::query_as::<_, ProductRow>(&format!("{SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(Product::from)
            .ok_or(StorageError::NotFound)
    }

    /// A product added from the chat; its code is made from its id (`p<id>`), last in the list.
    pub async fn add_product(&self, name: &str, price: Money) -> Result<i64> {
        let now = super::now();
        let mut tx = self.begin().await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM products").fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO products (code, name, price_kop, active, position, created_at, updated_at) \
             VALUES ('new:' || hex(randomblob(8)), ?, ?, 1, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(price.kopecks())
        .bind(position)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(StorageError::from_sqlx)?;
        sqlx::query("UPDATE products SET code = 'p' || id WHERE id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn rename_product(&self, id: i64, name: &str) -> Result<()> {
        let done = sqlx::query("UPDATE products SET name = ?, updated_at = ? WHERE id = ?")
            .bind(name)
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        found(done.rows_affected())
    }

    pub async fn set_product_price(&self, id: i64, price: Money) -> Result<()> {
        let done = sqlx::query("UPDATE products SET price_kop = ?, updated_at = ? WHERE id = ?")
            .bind(price.kopecks())
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        found(done.rows_affected())
    }

    pub async fn set_product_active(&self, id: i64, active: bool) -> Result<()> {
        let done = sqlx::query("UPDATE products SET active = ?, updated_at = ? WHERE id = ?")
            .bind(active)
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        found(done.rows_affected())
    }
}

fn found(rows: u64) -> Result<()> {
    if rows == 0 {
        return Err(StorageError::NotFound);
    }
    Ok(())
}
