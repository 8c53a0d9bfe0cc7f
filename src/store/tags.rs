//! Tags for segmentation: one shared vocabulary, many clients per tag.

use super::clients::ClientSummary;
use super::{Result, Store};

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize, PartialEq, Eq)]
pub struct Tag {
    pub id: i64,
    pub name: String,
}

impl Store {
    pub async fn client_tags(&self, client_id: i64) -> Result<Vec<Tag>> {
        client_tags_on(self.pool(), client_id).await
    }

    /// Adds tag `name` (already normalised) to a client; idempotent.
    pub async fn tag_client(&self, client_id: i64, name: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        self.client_exists(&mut tx, client_id).await?;
        sqlx::query("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO client_tags (client_id, tag_id) SELECT ?, id FROM tags WHERE name = ? ON CONFLICT DO NOTHING",
        )
        .bind(client_id)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn untag_client(&self, client_id: i64, tag_id: i64) -> Result<()> {
        sqlx::query("DELETE FROM client_tags WHERE client_id = ? AND tag_id = ?")
            .bind(client_id)
            .bind(tag_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn clients_with_tag(&self, name: &str, limit: i64) -> Result<Vec<ClientSummary>> {
        Ok(sqlx::query_as::<_, ClientSummary>(
            "SELECT c.id, c.full_name, c.phone FROM client_tags ct JOIN clients c ON c.id = ct.client_id \
             WHERE ct.tag_id = (SELECT id FROM tags WHERE name = ?) ORDER BY ct.client_id DESC LIMIT ?",
        )
        .bind(name)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}

/// A client's tags by name (bind her id).
pub(super) const CLIENT_TAGS: &str =
    "SELECT t.id, t.name FROM tags t JOIN client_tags ct ON ct.tag_id = t.id WHERE ct.client_id = ? ORDER BY t.name";

pub(super) async fn client_tags_on<'e>(e: impl sqlx::SqliteExecutor<'e>, client_id: i64) -> Result<Vec<Tag>> {
    Ok(sqlx::query_as::<_, Tag>(CLIENT_TAGS).bind(client_id).fetch_all(e).await?)
}
