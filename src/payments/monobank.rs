//! Monobank acquiring (`MONOBANK_API_URL`, `X-Token: MONOBANK_TOKEN`): create a payment link,
//! read its status, refund it, and the merchant key that verifies webhooks.
//!
//! The key is fetched on the first webhook and cached; when a signature fails with it, the key is
//! fetched again once (Monobank may rotate it), at most once per [`REFETCH_EVERY`] whatever a
//! forger sends, and concurrent failures share that one fetch.
//!
//! Errors: Monobank answers `{errCode, errText}`; 429, 5xx (but `CANCEL_NOT_AVAILABLE`) and network
//! failures are worth retrying, everything else is final and shown to the owner.

use super::signature::{self, PublicKey};
use crate::config::MonobankConfig;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Between two fetches of the key caused by a failed signature.
pub const REFETCH_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("monobank: HTTP {status} {code}: {text}")]
    Http { status: u16, code: String, text: String },
    #[error("monobank: {0}")]
    Network(String),
    #[error("monobank: unreadable answer: {0}")]
    Unreadable(String),
}

impl ApiError {
    /// Worth trying again later (rate limit, server trouble, network).
    pub fn retryable(&self) -> bool {
        match self {
            ApiError::Http { status, code, .. } => *status == 429 || (*status >= 500 && code != "CANCEL_NOT_AVAILABLE"),
            ApiError::Network(_) | ApiError::Unreadable(_) => true,
        }
    }
}

/// `POST /api/merchant/invoice/create`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceRequest {
    pub amount: i64,
    pub ccy: i32,
    pub merchant_paym_info: PaymInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_hook_url: Option<String>,
    pub validity: i64,
    pub payment_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymInfo {
    pub reference: String,
    pub destination: String,
    pub basket_order: Vec<BasketItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BasketItem {
    pub name: String,
    pub qty: i64,
    /// Price of one unit, kopecks.
    pub sum: i64,
    pub total: i64,
    pub code: String,
    pub unit: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub invoice_id: String,
    pub page_url: String,
}

/// An invoice's status: the answer of `GET /invoice/status` and the body of a webhook.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    pub invoice_id: String,
    pub status: String,
    pub amount: i64,
    /// ISO 4217 numeric; our links are all in hryvnias (980).
    pub ccy: Option<i32>,
    pub final_amount: Option<i64>,
    pub failure_reason: Option<String>,
    pub err_code: Option<String>,
    pub created_date: Option<DateTime<Utc>>,
    pub modified_date: Option<DateTime<Utc>>,
    pub reference: Option<String>,
    pub cancel_list: Option<Vec<CancelItem>>,
    pub payment_info: Option<PaymentInfo>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CancelItem {
    pub status: String,
    pub amount: Option<i64>,
    pub created_date: Option<DateTime<Utc>>,
    pub modified_date: Option<DateTime<Utc>>,
    pub ext_ref: Option<String>,
    pub rrn: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentInfo {
    pub masked_pan: Option<String>,
    pub approval_code: Option<String>,
    pub rrn: Option<String>,
    pub bank: Option<String>,
    pub payment_system: Option<String>,
    pub terminal: Option<String>,
    pub fee: Option<i64>,
}

/// The currency of every link we make (ISO 4217 numeric: UAH).
pub const UAH: i32 = 980;

/// `POST /api/merchant/invoice/cancel`: a full refund omits `amount`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    pub invoice_id: String,
    pub ext_ref: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelAnswer {
    pub status: String,
}

/// What a signature check came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// Missing, malformed or not Monobank's.
    Invalid,
    /// The key could not be fetched: nothing can be verified now.
    KeyUnavailable,
}

#[derive(Default)]
struct KeyState {
    /// When a failed signature last made us fetch the key.
    refetched: Option<Instant>,
}

pub struct Monobank {
    cfg: MonobankConfig,
    http: reqwest::Client,
    key: std::sync::RwLock<Option<Arc<PublicKey>>>,
    fetch: tokio::sync::Mutex<KeyState>,
}

impl std::fmt::Debug for Monobank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Monobank").field("api_url", &self.cfg.api_url).finish()
    }
}

impl Monobank {
    pub fn new(cfg: MonobankConfig) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap_or_default();
        Monobank { cfg, http, key: Default::default(), fetch: Default::default() }
    }

    pub fn config(&self) -> &MonobankConfig {
        &self.cfg
    }

    async fn call(&self, req: reqwest::RequestBuilder) -> Result<Value, ApiError> {
        let res = req
            .header("X-Token", self.cfg.token.expose())
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| ApiError::Network(e.to_string()))?;
        let body: Value =
            if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
        if status.is_success() {
            return Ok(body);
        }
        let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().chars().take(200).collect();
        Err(ApiError::Http { status: status.as_u16(), code: text("errCode"), text: text("errText") })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.cfg.api_url)
    }

    pub async fn create_invoice(&self, req: &InvoiceRequest) -> Result<Created, ApiError> {
        let v = self.call(self.http.post(self.url("/api/merchant/invoice/create")).json(req)).await?;
        serde_json::from_value(v).map_err(|e| ApiError::Unreadable(e.to_string()))
    }

    pub async fn status(&self, invoice_id: &str) -> Result<Status, ApiError> {
        let v = self
            .call(self.http.get(self.url("/api/merchant/invoice/status")).query(&[("invoiceId", invoice_id)]))
            .await?;
        serde_json::from_value(v).map_err(|e| ApiError::Unreadable(e.to_string()))
    }

    pub async fn cancel(&self, req: &CancelRequest) -> Result<CancelAnswer, ApiError> {
        let v = self.call(self.http.post(self.url("/api/merchant/invoice/cancel")).json(req)).await?;
        serde_json::from_value(v).map_err(|e| ApiError::Unreadable(e.to_string()))
    }

    async fn fetch_key(&self) -> Result<PublicKey, ApiError> {
        let v = self.call(self.http.get(self.url("/api/merchant/pubkey"))).await?;
        let key = v.get("key").and_then(Value::as_str).ok_or_else(|| ApiError::Unreadable("no key".into()))?;
        signature::parse_key(key).map_err(|e| ApiError::Unreadable(e.to_string()))
    }

    /// Places a key in the cache (a benchmark's warm start).
    pub fn set_key(&self, key: PublicKey) {
        *self.key.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(key));
    }

    fn cached(&self) -> Option<Arc<PublicKey>> {
        self.key.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Checks `X-Sign` over the raw `body` (see the module docs for the one re-fetch).
    pub async fn verify(&self, body: &[u8], x_sign: &str) -> Verdict {
        let Some(sig) = signature::decode_sign(x_sign) else { return Verdict::Invalid };
        let seen = self.cached();
        if let Some(k) = &seen {
            if signature::verify(k, body, &sig) {
                return Verdict::Valid;
            }
        }
        let mut state = self.fetch.lock().await;
        // Another request may have fetched a new key while this one waited.
        let now = self.cached();
        if let Some(k) = now.as_ref().filter(|k| seen.as_ref().is_none_or(|s| !Arc::ptr_eq(s, k))) {
            return if signature::verify(k, body, &sig) { Verdict::Valid } else { Verdict::Invalid };
        }
        if seen.is_some() && state.refetched.is_some_and(|t| t.elapsed() < REFETCH_EVERY) {
            return Verdict::Invalid;
        }
        let fetched = self.fetch_key().await;
        if seen.is_some() {
            state.refetched = Some(Instant::now());
        }
        match fetched {
            Ok(k) => {
                let k = Arc::new(k);
                *self.key.write().unwrap_or_else(|e| e.into_inner()) = Some(k.clone());
                tracing::info!(rotation = seen.is_some(), "monobank: merchant key fetched");
                if signature::verify(&k, body, &sig) {
                    Verdict::Valid
                } else {
                    Verdict::Invalid
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "monobank: could not fetch the merchant key");
                if seen.is_some() {
                    Verdict::Invalid
                } else {
                    Verdict::KeyUnavailable
                }
            }
        }
    }
}
