//! Per-user chat state: the chosen language and the step of a guided flow in progress.
//!
//! Both live in the database so that a restart in the middle of "type the phone" continues where
//! the owner was. Telegram actors' values are also cached in memory ([`PrefsCache`]): every
//! update reads both, and only the one server process on a database (the instance lock) handles
//! Telegram actors, through this store, so the cache is written through and never stale.

use super::{Result, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Entries kept at most; past that the cache starts over (strangers cannot grow it unbounded).
const CACHE_MAX: usize = 4096;

#[derive(Clone, Copy)]
enum Field {
    Lang,
    Dialog,
}

/// What is known of one actor: `Some(value)` once read or written (`Some(None)`: no row).
#[derive(Default)]
struct Known {
    lang: Option<Option<String>>,
    dialog: Option<Option<String>>,
}

/// The language and dialog step of Telegram actors, as the database has them.
#[derive(Clone, Debug, Default)]
pub struct PrefsCache {
    known: Arc<Mutex<HashMap<String, Known>>>,
    /// Bumped by every write, so a read that raced a write does not cache the older value.
    writes: Arc<AtomicU64>,
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Known")
    }
}

impl PrefsCache {
    fn cacheable(actor: &str) -> bool {
        actor.starts_with("telegram:")
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Known>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, actor: &str, field: Field) -> Option<Option<String>> {
        if !Self::cacheable(actor) {
            return None;
        }
        let known = self.lock();
        let k = known.get(actor)?;
        match field {
            Field::Lang => k.lang.clone(),
            Field::Dialog => k.dialog.clone(),
        }
    }

    fn put(&self, actor: &str, field: Field, value: Option<String>) {
        if !Self::cacheable(actor) {
            return;
        }
        let mut known = self.lock();
        if known.len() >= CACHE_MAX && !known.contains_key(actor) {
            known.clear();
        }
        let k = known.entry(actor.to_string()).or_default();
        match field {
            Field::Lang => k.lang = Some(value),
            Field::Dialog => k.dialog = Some(value),
        }
    }

    /// A value read from the database, cached unless a write happened since `seen_writes`.
    fn put_read(&self, actor: &str, field: Field, value: Option<String>, seen_writes: u64) {
        let known = self.lock();
        if self.writes.load(Ordering::SeqCst) == seen_writes {
            drop(known);
            self.put(actor, field, value);
        }
    }

    /// A value just written to the database.
    fn put_written(&self, actor: &str, field: Field, value: Option<String>) {
        {
            let _known = self.lock();
            self.writes.fetch_add(1, Ordering::SeqCst);
        }
        self.put(actor, field, value);
    }

    /// Forgets everything (after writes that bypass the per-actor methods).
    fn clear(&self) {
        let mut known = self.lock();
        self.writes.fetch_add(1, Ordering::SeqCst);
        known.clear();
    }
}

impl Store {
    async fn cached_pref(&self, actor: &str, field: Field, sql: &'static str) -> Result<Option<String>> {
        if let Some(v) = self.prefs.get(actor, field) {
            return Ok(v);
        }
        let seen = self.prefs.writes.load(Ordering::SeqCst);
        let v: Option<String> = sqlx::query_scalar(sql).bind(actor).fetch_optional(self.pool()).await?;
        self.prefs.put_read(actor, field, v.clone(), seen);
        Ok(v)
    }

    pub async fn lang(&self, actor: &str) -> Result<Option<String>> {
        self.cached_pref(actor, Field::Lang, "SELECT lang FROM user_prefs WHERE actor = ?").await
    }

    pub async fn set_lang(&self, actor: &str, lang: &str) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO user_prefs (actor, lang) VALUES (?, ?) ON CONFLICT (actor) DO UPDATE SET lang = excluded.lang",
        )
        .bind(actor)
        .bind(lang)
        .execute(self.pool())
        .await;
        self.prefs.put_written(actor, Field::Lang, Some(lang.to_string()));
        if done.is_err() {
            self.prefs.clear();
        }
        done?;
        Ok(())
    }

    pub async fn dialog(&self, actor: &str) -> Result<Option<String>> {
        self.cached_pref(actor, Field::Dialog, "SELECT state FROM dialogs WHERE actor = ?").await
    }

    pub async fn set_dialog(&self, actor: &str, state: &str) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO dialogs (actor, state, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (actor) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(actor)
        .bind(state)
        .bind(super::now())
        .execute(self.pool())
        .await;
        self.prefs.put_written(actor, Field::Dialog, Some(state.to_string()));
        if done.is_err() {
            self.prefs.clear();
        }
        done?;
        Ok(())
    }

    pub async fn clear_dialog(&self, actor: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM dialogs WHERE actor = ?").bind(actor).execute(self.pool()).await;
        self.prefs.put_written(actor, Field::Dialog, None);
        if done.is_err() {
            self.prefs.clear();
        }
        done?;
        Ok(())
    }
}

impl Store {
    /// Nightly upkeep: forget guided flows untouched for a week, merge the client search index
    /// ([`Store::compact_search`]), refresh planner statistics, and fold the write-ahead log
    /// back into the database file.
    pub async fn housekeeping(&self) -> Result<()> {
        let cutoff = super::now() - chrono::Duration::days(7);
        let forgot = sqlx::query("DELETE FROM dialogs WHERE updated_at < ?").bind(cutoff).execute(self.pool()).await;
        self.prefs.clear();
        forgot?;
        self.compact_search().await?;
        sqlx::query("PRAGMA optimize").execute(self.pool()).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(self.pool()).await?;
        Ok(())
    }
}

impl Store {
    pub async fn set_visitor_ref(&self, actor: &str, code: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO visitor_refs (actor, ref_code, created_at) VALUES (?, ?, ?) \
             ON CONFLICT (actor) DO UPDATE SET ref_code = excluded.ref_code, created_at = excluded.created_at",
        )
        .bind(actor)
        .bind(code)
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn visitor_ref(&self, actor: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT ref_code FROM visitor_refs WHERE actor = ?")
            .bind(actor)
            .fetch_optional(self.pool())
            .await?)
    }
}

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?").bind(key).fetch_optional(self.pool()).await?)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A switch the owner flips; off until she turns it on.
    pub async fn switch_on(&self, key: &str) -> Result<bool> {
        Ok(self.setting(key).await?.as_deref() == Some("on"))
    }
}
