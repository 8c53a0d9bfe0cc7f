//! The Checkbox cash register (`CHECKBOX_API_URL`, paths under `/api/v1`): the cashier's sign-in
//! (PIN with the licence key, or login and password; the token is cached and renewed once when
//! refused), the shift (a receipt needs one `OPENED`), sell and return receipts by our own UUID,
//! and their status.
//!
//! Every call sends `X-Client-Name`, `X-Client-Version` and `X-License-Key`. Money is kopecks,
//! quantities thousandths. Errors: `{message, detail?}`; 429, 5xx and network failures are worth
//! retrying (with the same receipt id), everything else is final.

use crate::config::{CheckboxAuth, CheckboxConfig};
use serde_json::{json, Value};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("checkbox: HTTP {status}: {message}")]
    Http { status: u16, message: String },
    #[error("checkbox: {0}")]
    Network(String),
}

impl ApiError {
    pub fn retryable(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => *status == 429 || *status >= 500,
            ApiError::Network(_) => true,
        }
    }

    fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            ApiError::Network(_) => None,
        }
    }
}

/// A receipt as Checkbox reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptState {
    /// `CREATED`, `DONE`, `ERROR`, ...
    pub status: String,
    pub fiscal_code: Option<String>,
    pub tax_url: Option<String>,
    pub error: Option<String>,
}

impl ReceiptState {
    fn from(v: &Value) -> Self {
        let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        ReceiptState {
            status: s("/status").unwrap_or_default(),
            fiscal_code: s("/fiscal_code"),
            tax_url: s("/tax_url"),
            error: s("/transaction/response_error_message"),
        }
    }
}

pub struct Checkbox {
    cfg: CheckboxConfig,
    http: reqwest::Client,
    token: tokio::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for Checkbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkbox").field("api_url", &self.cfg.api_url).finish()
    }
}

impl Checkbox {
    pub fn new(cfg: CheckboxConfig) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default();
        Checkbox { cfg, http, token: Default::default() }
    }

    /// The public page of a receipt (no sign-in needed): what the client gets.
    pub fn receipt_url(&self, id: &str) -> String {
        format!("{}/api/v1/receipts/{id}/html", self.cfg.api_url)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/api/v1{path}", self.cfg.api_url))
            .header("X-Client-Name", "insoles-crm")
            .header("X-Client-Version", env!("CARGO_PKG_VERSION"))
            .header("X-License-Key", self.cfg.license_key.expose())
    }

    async fn send(req: reqwest::RequestBuilder) -> Result<(u16, Value), ApiError> {
        let res = req.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
        let status = res.status().as_u16();
        let bytes = res.bytes().await.map_err(|e| ApiError::Network(e.to_string()))?;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok((status, body));
        }
        let message = body.get("message").and_then(Value::as_str).unwrap_or_default().chars().take(300).collect();
        Err(ApiError::Http { status, message })
    }

    async fn sign_in(&self) -> Result<String, ApiError> {
        let req = match &self.cfg.auth {
            CheckboxAuth::Pin(pin) => {
                self.request(reqwest::Method::POST, "/cashier/signinPinCode").json(&json!({ "pin_code": pin.expose() }))
            }
            CheckboxAuth::Login { login, password } => self
                .request(reqwest::Method::POST, "/cashier/signin")
                .json(&json!({ "login": login, "password": password.expose() })),
        };
        let (_, v) = Self::send(req).await?;
        v.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| ApiError::Http { status: 200, message: "sign-in answer without access_token".into() })
    }

    /// A call as the signed-in cashier; a refused token is renewed once.
    async fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), ApiError> {
        for attempt in 0..2 {
            let token = {
                let mut t = self.token.lock().await;
                match t.as_ref() {
                    Some(tok) => tok.clone(),
                    None => {
                        let tok = self.sign_in().await?;
                        *t = Some(tok.clone());
                        tok
                    }
                }
            };
            let mut req = self.request(method.clone(), path).bearer_auth(&token);
            if let Some(b) = body {
                req = req.json(b);
            }
            match Self::send(req).await {
                Err(e) if attempt == 0 && matches!(e.status(), Some(401 | 403)) => {
                    *self.token.lock().await = None;
                }
                other => return other,
            }
        }
        Err(ApiError::Http { status: 401, message: "signed in twice, refused twice".into() })
    }

    /// The cashier's current shift status (`OPENED`, `CREATED`, ...), `None` when there is none.
    pub async fn shift(&self) -> Result<Option<String>, ApiError> {
        match self.authed(reqwest::Method::GET, "/cashier/shift", None).await {
            Ok((_, v)) => Ok(v.get("status").and_then(Value::as_str).map(str::to_string)),
            Err(ApiError::Http { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Opens a shift (it is `CREATED` first, `OPENED` once the tax service has it), closed by
    /// Checkbox at `auto_close_at` (a shift must end the day it began).
    pub async fn open_shift(
        &self,
        id: &str,
        auto_close_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<String, ApiError> {
        let mut body = json!({ "id": id });
        if let Some(at) = auto_close_at {
            body["auto_close_at"] = json!(at.to_rfc3339());
        }
        let (_, v) = self.authed(reqwest::Method::POST, "/shifts", Some(&body)).await?;
        Ok(v.get("status").and_then(Value::as_str).unwrap_or("CREATED").to_string())
    }

    /// Creates a sell or return receipt (`payload` carries our `id`).
    pub async fn sell(&self, payload: &Value) -> Result<ReceiptState, ApiError> {
        let (_, v) = self.authed(reqwest::Method::POST, "/receipts/sell", Some(payload)).await?;
        Ok(ReceiptState::from(&v))
    }

    /// A receipt by our id; `None` when Checkbox has none.
    pub async fn receipt(&self, id: &str) -> Result<Option<ReceiptState>, ApiError> {
        match self.authed(reqwest::Method::GET, &format!("/receipts/{id}"), None).await {
            Ok((_, v)) => Ok(Some(ReceiptState::from(&v))),
            Err(ApiError::Http { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
