//! Per-user chat state: the chosen language and the step of a guided flow in progress.
//!
//! Both live in the database so that a restart in the middle of "type the phone" continues where
//! the owner was.

use super::{Result, Store};

impl Store {
    pub async fn lang(&self, actor: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT lang FROM user_prefs WHERE actor = ?")
            .bind(actor)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn set_lang(&self, actor: &str, lang: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO user_prefs (actor, lang) VALUES (?, ?) ON CONFLICT (actor) DO UPDATE SET lang = excluded.lang",
        )
        .bind(actor)
        .bind(lang)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn dialog(&self, actor: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT state FROM dialogs WHERE actor = ?")
            .bind(actor)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn set_dialog(&self, actor: &str, state: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO dialogs (actor, state, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (actor) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(actor)
        .bind(state)
        .bind(super::now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn clear_dialog(&self, actor: &str) -> Result<()> {
        sqlx::query("DELETE FROM dialogs WHERE actor = ?").bind(actor).execute(self.pool()).await?;
        Ok(())
    }
}

impl Store {
    /// Nightly upkeep: forget guided flows untouched for a week, refresh planner statistics,
    /// and fold the write-ahead log back into the database file.
    pub async fn housekeeping(&self) -> Result<()> {
        let cutoff = super::now() - chrono::Duration::days(7);
        sqlx::query("DELETE FROM dialogs WHERE updated_at < ?").bind(cutoff).execute(self.pool()).await?;
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
