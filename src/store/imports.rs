//! Bulk client import (one transaction: all rows or none) and the pending imports that wait for
//! the owner's tap.

use super::{Result, Store};
use crate::domain::text::{digits, search_key};
use serde::{Deserialize, Serialize};
use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

/// One client ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: usize,
    pub name: String,
    pub phone: Option<String>,
    pub note: Option<String>,
    pub birth_date: Option<String>,
    pub email: Option<String>,
    pub instagram: Option<String>,
    pub shoe_size: Option<String>,
    pub tags: Vec<String>,
    /// Consent to marketing e-mail, recorded with source `import` (with an address only).
    #[serde(default)]
    pub consent: bool,
}

/// Rows per multi-row INSERT (well under SQLite's bound-parameter limit).
const CHUNK: usize = 500;

impl Store {
    /// Every stored phone with its client's name: what an import checks duplicates against.
    pub async fn phone_index(&self) -> Result<HashMap<String, String>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT phone, full_name FROM clients WHERE phone IS NOT NULL")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn save_import(&self, actor: &str, rows: &[ImportRow]) -> Result<i64> {
        let json =
            serde_json::to_string(rows).map_err(|e| super::StorageError::Other(sqlx::Error::Decode(Box::new(e))))?;
        Ok(sqlx::query_scalar("INSERT INTO imports (actor, rows, created_at) VALUES (?, ?, ?) RETURNING id")
            .bind(actor)
            .bind(json)
            .bind(super::now())
            .fetch_one(self.pool())
            .await?)
    }

    /// A pending import of `actor`; `None` when unknown, someone else's, or already imported.
    pub async fn pending_import(&self, id: i64, actor: &str) -> Result<Option<Vec<ImportRow>>> {
        let raw: Option<String> =
            sqlx::query_scalar("SELECT rows FROM imports WHERE id = ? AND actor = ? AND done_at IS NULL")
                .bind(id)
                .bind(actor)
                .fetch_optional(self.pool())
                .await?;
        Ok(raw.and_then(|r| serde_json::from_str(&r).ok()))
    }

    /// Inserts the rows as new clients (with notes and tags) in one transaction and marks the
    /// pending import done. Phones taken since the preview are skipped. Returns how many were added.
    pub async fn import_clients(&self, rows: &[ImportRow], channel: &str, import_id: Option<i64>) -> Result<usize> {
        let now = super::now();
        let mut tx = self.begin().await?;
        if let Some(id) = import_id {
            let done = sqlx::query("UPDATE imports SET done_at = ? WHERE id = ? AND done_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Ok(0);
            }
        }
        let taken: HashSet<String> =
            sqlx::query_scalar::<_, String>("SELECT phone FROM clients WHERE phone IS NOT NULL")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let rows: Vec<&ImportRow> =
            rows.iter().filter(|r| r.phone.as_ref().is_none_or(|p| !taken.contains(p))).collect();
        let first_id: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM clients").fetch_one(&mut *tx).await?;
        let with_ids: Vec<(i64, &ImportRow)> =
            rows.iter().enumerate().map(|(i, r)| (first_id + i as i64, *r)).collect();
        for chunk in with_ids.chunks(CHUNK) {
            let mut q = QueryBuilder::new(
                "INSERT INTO clients (id, full_name, name_key, phone, email, instagram, birth_date, shoe_size, source, created_at, updated_at) ",
            );
            q.push_values(chunk, |mut b, (id, r)| {
                b.push_bind(*id)
                    .push_bind(&r.name)
                    .push_bind(search_key(&r.name))
                    .push_bind(&r.phone)
                    .push_bind(&r.email)
                    .push_bind(&r.instagram)
                    .push_bind(&r.birth_date)
                    .push_bind(&r.shoe_size)
                    .push_bind("import")
                    .push_bind(now)
                    .push_bind(now);
            });
            q.build().execute(&mut *tx).await?;
            let mut q = QueryBuilder::new("INSERT INTO client_search (rowid, name_key, phone_digits) ");
            q.push_values(chunk, |mut b, (id, r)| {
                b.push_bind(super::search::index_row(*id))
                    .push_bind(search_key(&r.name))
                    .push_bind(r.phone.as_deref().map(digits).unwrap_or_default());
            });
            q.build().execute(&mut *tx).await?;
            let notes: Vec<&(i64, &ImportRow)> = chunk.iter().filter(|(_, r)| r.note.is_some()).collect();
            if !notes.is_empty() {
                let mut q = QueryBuilder::new(
                    "INSERT INTO interactions (client_id, channel, direction, kind, body, created_at) ",
                );
                q.push_values(notes, |mut b, (id, r)| {
                    b.push_bind(*id)
                        .push_bind(channel)
                        .push_bind("internal")
                        .push_bind("note")
                        .push_bind(&r.note)
                        .push_bind(now);
                });
                q.build().execute(&mut *tx).await?;
            }
        }
        let tag_names: HashSet<&str> = with_ids.iter().flat_map(|(_, r)| r.tags.iter().map(String::as_str)).collect();
        if !tag_names.is_empty() {
            for name in &tag_names {
                sqlx::query("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
            }
            let ids: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM tags")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            let pairs: Vec<(i64, i64)> = with_ids
                .iter()
                .flat_map(|(cid, r)| r.tags.iter().filter_map(|t| ids.get(t).map(|tid| (*cid, *tid))))
                .collect();
            for chunk in pairs.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO client_tags (client_id, tag_id) ");
                q.push_values(chunk, |mut b, (c, t)| {
                    b.push_bind(*c).push_bind(*t);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(&mut *tx).await?;
            }
        }
        for (cid, _) in with_ids.iter().filter(|(_, r)| r.consent && r.email.is_some()) {
            sqlx::query(
                "INSERT OR IGNORE INTO marketing_consent (client_id, given_at, source) VALUES (?, ?, 'import')",
            )
            .bind(cid)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // Hundreds of new clients at once leave the search index in many segments until the
        // night; merged now, searches are at full speed at once. Imported either way.
        if let Err(e) = self.compact_search().await {
            tracing::warn!(error = %e, "could not merge the search index after an import");
        }
        Ok(with_ids.len())
    }
}
