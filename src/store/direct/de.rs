//! A row of the direct connection as a serde map from column name to value, so the structs the
//! store already reads through sqlx (`#[derive(sqlx::FromRow)]`, fields named as the columns)
//! read from the same SQL here with `#[derive(Deserialize)]`, with sqlx's conversions: an integer
//! is a `bool` when non-zero, `NULL` is `None`, a time is its stored RFC 3339 text. Anything
//! that does not convert is an error, and the caller reads the row through sqlx instead.

use super::ffi::{Row, Value};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

/// Why a row did not convert.
#[derive(Debug)]
pub struct DeError(String);

impl std::fmt::Display for DeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// The current row as a `T`.
pub fn from_row<T: DeserializeOwned>(row: &Row<'_>) -> Result<T, String> {
    T::deserialize(RowDe(row)).map_err(|e| e.0)
}

struct RowDe<'a, 'r>(&'a Row<'r>);

impl<'de> de::Deserializer<'de> for RowDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(Columns { row: self.0, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Columns<'a, 'r> {
    row: &'a Row<'r>,
    next: usize,
}

impl<'de> MapAccess<'de> for Columns<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        if self.next >= self.row.columns() {
            return Ok(None);
        }
        let name: &str = self.row.name(self.next);
        seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self.row.value(self.next).map_err(DeError)?;
        self.next += 1;
        seed.deserialize(ValueDe(value))
    }
}

struct ValueDe<'r>(Value<'r>);

impl<'de> de::Deserializer<'de> for ValueDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Int(i) => visitor.visit_i64(i),
            Value::Real(f) => visitor.visit_f64(f),
            Value::Text(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// SQLite has no booleans: sqlx reads an integer column as `value != 0`.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Int(i) => visitor.visit_bool(i != 0),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}
