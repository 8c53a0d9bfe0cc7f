//! The rows of the `/export` workbook, read in one place so the workbook writer
//! (`spreadsheet::export`) never touches SQL.

use super::{Result, Store};
use chrono::{DateTime, Utc};

pub type ExportClient = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    bool,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub type ExportOrder = (i64, i64, String, String, i64, i64, String, DateTime<Utc>);
pub type ExportEvent = (i64, String, String, String, String, String, DateTime<Utc>);

impl Store {
    pub async fn export_clients(&self) -> Result<Vec<ExportClient>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.full_name, c.phone, c.email, c.instagram, c.birth_date, c.conditions, c.diabetes, c.foot_length_mm, \
             c.shoe_size, c.allergies, c.contraindications, c.profile_notes, \
             (SELECT GROUP_CONCAT(t.name, ', ') FROM client_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.client_id = c.id) \
             FROM clients c ORDER BY c.id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn export_orders(&self) -> Result<Vec<ExportOrder>> {
        Ok(sqlx::query_as(
            "SELECT o.id, o.client_id, c.full_name, o.product, o.price_kop, o.prepaid_kop, o.status, o.created_at \
             FROM orders o JOIN clients c ON c.id = o.client_id ORDER BY o.id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn export_events(&self) -> Result<Vec<ExportEvent>> {
        Ok(sqlx::query_as(
            "SELECT i.client_id, c.full_name, i.channel, i.direction, i.kind, i.body, i.created_at \
             FROM interactions i JOIN clients c ON c.id = i.client_id ORDER BY i.created_at, i.id",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
