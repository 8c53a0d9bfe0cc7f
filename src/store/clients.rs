//! Clients and their foot profile, plus the substring search index kept beside them.

use super::{interactions, Result, StorageError, Store};
use crate::domain::text::{digits, search_key};
use crate::domain::{ClientName, Phone};
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Client {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub instagram: Option<String>,
    pub telegram_id: Option<i64>,
    pub birth_date: Option<String>,
    pub conditions: String,
    pub diabetes: bool,
    pub foot_length_mm: Option<i64>,
    pub shoe_size: Option<String>,
    pub allergies: Option<String>,
    pub contraindications: Option<String>,
    pub profile_notes: Option<String>,
    pub source: Option<String>,
    /// A phone she typed in the bot: not proven, never matched as `phone`.
    pub typed_phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize, PartialEq, Eq)]
pub struct ClientSummary {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
}

/// Free-text profile fields the owner edits by typing a new value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Name,
    Phone,
    Email,
    Instagram,
    BirthDate,
    FootLength,
    ShoeSize,
    Allergies,
    Contraindications,
    Notes,
}

impl TextField {
    pub const ALL: [TextField; 10] = [
        TextField::Name,
        TextField::Phone,
        TextField::Email,
        TextField::Instagram,
        TextField::BirthDate,
        TextField::FootLength,
        TextField::ShoeSize,
        TextField::Allergies,
        TextField::Contraindications,
        TextField::Notes,
    ];

    fn column(self) -> &'static str {
        match self {
            TextField::Name => "full_name",
            TextField::Phone => "phone",
            TextField::Email => "email",
            TextField::Instagram => "instagram",
            TextField::BirthDate => "birth_date",
            TextField::FootLength => "foot_length_mm",
            TextField::ShoeSize => "shoe_size",
            TextField::Allergies => "allergies",
            TextField::Contraindications => "contraindications",
            TextField::Notes => "profile_notes",
        }
    }

    /// Short stable code for callback data.
    pub fn code(self) -> &'static str {
        match self {
            TextField::Name => "nm",
            TextField::Phone => "ph",
            TextField::Email => "em",
            TextField::Instagram => "ig",
            TextField::BirthDate => "bd",
            TextField::FootLength => "fl",
            TextField::ShoeSize => "ss",
            TextField::Allergies => "al",
            TextField::Contraindications => "ci",
            TextField::Notes => "nt",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// A value ready to store in a [`TextField`]; `None` clears the field.
#[derive(Debug, Clone)]
pub enum FieldValue {
    Text(Option<String>),
    Int(Option<i64>),
}

#[derive(Clone, Copy)]
pub struct NewClient<'a> {
    pub name: &'a ClientName,
    pub phone: Option<&'a Phone>,
    pub note: Option<&'a str>,
    pub source: Option<&'a str>,
    pub channel: &'a str,
}

pub(crate) const CLIENT_COLUMNS: &str = "id, full_name, phone, email, instagram, telegram_id, birth_date, conditions, diabetes, \
     foot_length_mm, shoe_size, allergies, contraindications, profile_notes, source, typed_phone, created_at, updated_at";

pub(crate) async fn reindex(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    name_key: &str,
    phone: Option<&str>,
) -> Result<()> {
    super::search::unindex(&mut **tx, id).await?;
    sqlx::query("INSERT INTO client_search (rowid, name_key, phone_digits) VALUES (?, ?, ?)")
        .bind(super::search::index_row(id))
        .bind(name_key)
        .bind(phone.map(digits).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inserts a client with its search entry and optional first note inside `tx`.
pub(crate) async fn insert_tx(tx: &mut Transaction<'_, Sqlite>, new: &NewClient<'_>) -> Result<i64> {
    let now = super::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clients (full_name, name_key, phone, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.name.as_str())
    .bind(search_key(new.name.as_str()))
    .bind(new.phone.map(Phone::as_str))
    .bind(new.source)
    .bind(now)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(StorageError::from_sqlx)?;
    reindex(tx, id, &search_key(new.name.as_str()), new.phone.map(Phone::as_str)).await?;
    if let Some(note) = new.note {
        interactions::insert(tx, id, new.channel, interactions::Direction::Internal, interactions::Kind::Note, note)
            .await?;
    }
    Ok(id)
}

impl Store {
    /// Inserts a client in one transaction with its search entry and optional first note.
    /// A phone that already exists gives `StorageError::Conflict`.
    pub async fn create_client(&self, new: NewClient<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = insert_tx(&mut tx, &new).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn client(&self, id: i64) -> Result<Client> {
        client_on(self.pool(), id).await
    }

    pub async fn client_by_phone(&self, phone: &Phone) -> Result<Option<Client>> {
        Ok(sqlx::query_as::<_, Client>(&format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE phone = ?"))
            .bind(phone.as_str())
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn client_by_email(&self, email: &str) -> Result<Option<Client>> {
        Ok(sqlx::query_as::<_, Client>(&format!(
            "SELECT {CLIENT_COLUMNS} FROM clients WHERE email = ? ORDER BY id LIMIT 1"
        ))
        .bind(email)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn instagram_id_of(&self, client_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT instagram_id FROM clients WHERE id = ?")
            .bind(client_id)
            .fetch_optional(self.pool())
            .await?
            .flatten())
    }

    pub async fn client_by_instagram_id(&self, igsid: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM clients WHERE instagram_id = ?")
            .bind(igsid)
            .fetch_optional(self.pool())
            .await?)
    }

    /// A lead from Instagram, known only by her Instagram-scoped id (a repeat finds the same lead).
    pub async fn create_instagram_lead(&self, name: &ClientName, igsid: &str) -> Result<i64> {
        self.create_platform_lead(
            name,
            igsid,
            "INSERT INTO clients (full_name, name_key, instagram_id, source, created_at, updated_at) VALUES (?, ?, ?, 'instagram', ?, ?) \
             ON CONFLICT (instagram_id) WHERE instagram_id IS NOT NULL DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )
        .await
    }

    /// A card made for someone a platform identifies (`insert`: one of the statements above and
    /// below, binding name, name key, platform id, and the time twice), indexed for search.
    async fn create_platform_lead(&self, name: &ClientName, platform_id: &str, insert: &'static str) -> Result<i64> {
        let now = super::now();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(insert)
            .bind(name.as_str())
            .bind(search_key(name.as_str()))
            .bind(platform_id)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        reindex(&mut tx, id, &search_key(name.as_str()), None).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn client_by_discord_id(&self, user: u64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM clients WHERE discord_id = ?")
            .bind(user.to_string())
            .fetch_optional(self.pool())
            .await?)
    }

    /// Her Discord user id, when she wrote from Discord.
    pub async fn discord_id_of(&self, client: i64) -> Result<Option<u64>> {
        let id: Option<Option<String>> = sqlx::query_scalar("SELECT discord_id FROM clients WHERE id = ?")
            .bind(client)
            .fetch_optional(self.pool())
            .await?;
        Ok(id.flatten().and_then(|s| s.parse().ok()))
    }

    /// A lead from Discord, known only by her Discord user id (a repeat finds the same lead).
    pub async fn create_discord_lead(&self, name: &ClientName, user: u64) -> Result<i64> {
        self.create_platform_lead(
            name,
            &user.to_string(),
            "INSERT INTO clients (full_name, name_key, discord_id, source, created_at, updated_at) VALUES (?, ?, ?, 'discord', ?, ?) \
             ON CONFLICT (discord_id) WHERE discord_id IS NOT NULL DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )
        .await
    }

    pub async fn client_count(&self) -> Result<i64> {
        // Anonymised cards (a forgotten client's orders) are not clients any more.
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM clients WHERE source IS NOT 'deleted'")
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn set_client_field(&self, id: i64, field: TextField, value: FieldValue) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = format!("UPDATE clients SET {} = ?, updated_at = ? WHERE id = ?", field.column());
        let q = sqlx::query(&sql);
        let q = match value {
            FieldValue::Text(v) => q.bind(v),
            FieldValue::Int(v) => q.bind(v),
        };
        let done = q.bind(super::now()).bind(id).execute(&mut *tx).await.map_err(StorageError::from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        if matches!(field, TextField::Name | TextField::Phone) {
            let (name, phone): (String, Option<String>) =
                sqlx::query_as("SELECT full_name, phone FROM clients WHERE id = ?")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let key = search_key(&name);
            sqlx::query("UPDATE clients SET name_key = ? WHERE id = ?").bind(&key).bind(id).execute(&mut *tx).await?;
            reindex(&mut tx, id, &key, phone.as_deref()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_client_conditions(&self, id: i64, conditions: &str, diabetes: bool) -> Result<()> {
        let done = sqlx::query("UPDATE clients SET conditions = ?, diabetes = ?, updated_at = ? WHERE id = ?")
            .bind(conditions)
            .bind(diabetes)
            .bind(super::now())
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }
}

/// One client (bind her id).
pub(super) fn client_sql() -> String {
    format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?")
}

pub(super) async fn client_on<'e>(e: impl sqlx::SqliteExecutor<'e>, id: i64) -> Result<Client> {
    sqlx::query_as::<_, Client>(&client_sql()).bind(id).fetch_optional(e).await?.ok_or(StorageError::NotFound)
}

#[cfg(test)]
impl Store {
    /// A client with a name and a phone, straight in the store (the unit tests' twin of
    /// `tests/it/helpers.rs`'s `client_with_phone`).
    pub(crate) async fn client_with_phone(&self, name: &str, phone: &str) -> i64 {
        let name = ClientName::parse(name).unwrap();
        let phone = Phone::parse(phone).unwrap();
        let new = NewClient { name: &name, phone: Some(&phone), note: None, source: None, channel: "test" };
        self.create_client(new).await.unwrap()
    }
}
