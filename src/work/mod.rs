//! Durable work as plain data, the protocol every layer shares: what a job is ([`JobSpec`], the
//! [`NewJob`] row it becomes), what running one came to ([`Outcome`]) and how long to wait before
//! a retry ([`backoff`]). A leaf: the store writes these rows, core and notify produce outcomes,
//! and the worker (`worker`), above the core, runs them.

pub mod spec;

pub use spec::JobSpec;

use chrono::{DateTime, Utc};
use std::time::Duration;

/// A job row to insert: kind, payload, due time, idempotency key.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: String,
    pub due_at: DateTime<Utc>,
    pub key: String,
}

/// What running a job came to.
#[derive(Debug)]
pub enum Outcome {
    Done { result: String, follow_ups: Vec<NewJob> },
    Retry { after: Duration, error: String },
    Fail { error: String },
}

impl Outcome {
    pub fn done(result: impl Into<String>) -> Self {
        Outcome::Done { result: result.into(), follow_ups: vec![] }
    }
}

/// 5 s, 10 s, 20 s, ... capped at one hour.
pub fn backoff(attempt: i64) -> Duration {
    let secs = 5u64.saturating_mul(1u64 << (attempt.clamp(1, 20) - 1) as u32);
    Duration::from_secs(secs.min(3600))
}

/// Retry after the backoff for `attempts`, with `error` recorded.
pub fn retry(attempts: i64, error: impl std::fmt::Display) -> Outcome {
    Outcome::Retry { after: backoff(attempts), error: error.to_string() }
}
