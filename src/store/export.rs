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
/// id, client id, name, service code, start, status code, channel, note.
pub type ExportBooking = (i64, i64, String, String, DateTime<Utc>, String, String, Option<String>);
/// id, client id, name (both absent for a task of no client), text, due, done, kind.
pub type ExportTask = (i64, Option<i64>, Option<String>, String, Option<DateTime<Utc>>, Option<DateTime<Utc>>, String);

impl Store {
    pub async fn export_clients(&self) -> Result<Vec<ExportClient>> {
        Ok(sqlx::query_as(
            "SELECT c.id, c.full_name, c.phone, c.email, c.instagram, c.birth_date, c.conditions, c.diabetes, c.foot_length_mm, \
             c.shoe_size, c.allergies, c.contraindications, c.profile_notes, \
             (SELECT GROUP_CONCAT(t.name, ', ') FROM client_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.client_id = c.id) \
             FROM clients c WHERE c.source IS NOT 'deleted' ORDER BY c.id",
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

    pub async fn export_bookings(&self) -> Result<Vec<ExportBooking>> {
        Ok(sqlx::query_as(
            "SELECT b.id, b.client_id, c.full_name, b.service, b.starts_at, b.status, b.channel, b.note \
             FROM bookings b JOIN clients c ON c.id = b.client_id ORDER BY b.starts_at, b.id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn export_tasks(&self) -> Result<Vec<ExportTask>> {
        Ok(sqlx::query_as(
            "SELECT t.id, t.client_id, c.full_name, t.body, t.due_at, t.done_at, t.kind \
             FROM tasks t LEFT JOIN clients c ON c.id = t.client_id ORDER BY t.id",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
