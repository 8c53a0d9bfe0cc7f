//! A fake Monobank acquiring API on loopback, for tests and the benchmark (feature `fakes`).
//!
//! It makes invoices (`p2_fake<n>`, page `https://pay.mbnk.biz/<id>`), answers their status,
//! refunds them (each refund at once `success`, the invoice `reversed` when nothing is left), and
//! serves the merchant key of a P-256 key pair generated at start (rotated on demand). It signs
//! webhook bodies with that key the way Monobank does, records every request, and can answer the
//! next call to a path with a canned error.

use crate::payments::signature::PublicKey;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "test-monobank-token";

/// A P-256 key pair that signs like Monobank.
pub struct SigningKey {
    pair: EcdsaKeyPair,
    rng: SystemRandom,
}

impl SigningKey {
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).expect("a P-256 key");
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).expect("its pair");
        SigningKey { pair, rng }
    }

    pub fn public(&self) -> PublicKey {
        let mut p = [0u8; 65];
        p.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey::from_point(p)
    }

    /// `X-Sign` of `body`: base64 of the DER ECDSA signature over SHA-256 of the bytes.
    pub fn sign(&self, body: &[u8]) -> String {
        let sig = self.pair.sign(&self.rng, body).expect("signing");
        base64::engine::general_purpose::STANDARD.encode(sig.as_ref())
    }
}

#[derive(Default)]
struct FakeState {
    requests: Mutex<Vec<(String, Value)>>,
    invoices: Mutex<HashMap<String, Value>>,
    key: Mutex<Option<Arc<SigningKey>>>,
    /// A public key served instead of the signing key's (the documentation's example key).
    served: Mutex<Option<String>>,
    pubkey_fetches: AtomicUsize,
    next_id: AtomicU64,
    failures: Mutex<VecDeque<(String, u16, Value)>>,
}

#[derive(Clone)]
pub struct FakeMonobank {
    pub url: String,
    state: Arc<FakeState>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl FakeMonobank {
    pub async fn start() -> anyhow::Result<Self> {
        let state = Arc::new(FakeState::default());
        *lock(&state.key) = Some(Arc::new(SigningKey::generate()));
        let app = Router::new()
            .route("/api/merchant/invoice/create", post(create))
            .route("/api/merchant/invoice/status", get(status))
            .route("/api/merchant/invoice/cancel", post(cancel))
            .route("/api/merchant/pubkey", get(pubkey))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeMonobank { url, state })
    }

    /// Settings for an app that talks to this fake.
    pub fn config(&self) -> crate::config::MonobankConfig {
        crate::config::MonobankConfig {
            token: crate::config::Secret::new(TOKEN),
            api_url: self.url.clone(),
            validity: chrono::Duration::hours(24),
        }
    }

    /// The key signing now.
    pub fn key(&self) -> Arc<SigningKey> {
        lock(&self.state.key).clone().expect("a key")
    }

    /// A new merchant key: webhooks are signed with it from now on, `/pubkey` serves it.
    pub fn rotate_key(&self) {
        *lock(&self.state.key) = Some(Arc::new(SigningKey::generate()));
    }

    /// Serves `key_b64` (Monobank's format) from `/pubkey` instead of the signing key's.
    pub fn serve_key(&self, key_b64: &str) {
        *lock(&self.state.served) = Some(key_b64.to_string());
    }

    pub fn pubkey_fetches(&self) -> usize {
        self.state.pubkey_fetches.load(Ordering::SeqCst)
    }

    /// The bodies of every request to `path` (e.g. `/api/merchant/invoice/create`), in order.
    pub fn requests(&self, path: &str) -> Vec<Value> {
        lock(&self.state.requests).iter().filter(|(p, _)| p == path).map(|(_, b)| b.clone()).collect()
    }

    /// The next request to `path` is answered with `status` and `{errCode, errText}`.
    pub fn fail_next(&self, path: &str, status: u16, code: &str, text: &str) {
        lock(&self.state.failures).push_back((path.into(), status, json!({ "errCode": code, "errText": text })));
    }

    /// Invoice ids made so far, oldest first.
    pub fn invoice_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.state.invoices).keys().cloned().collect();
        ids.sort_by_key(|id| id.trim_start_matches("p2_fake").parse::<u64>().unwrap_or(0));
        ids
    }

    /// The status body of invoice `id`, as the status call and a webhook give it.
    pub fn status_of(&self, id: &str) -> Value {
        lock(&self.state.invoices).get(id).cloned().unwrap_or(Value::Null)
    }

    /// Moves invoice `id` to `status` at `modified` (RFC 3339), with `extra` fields merged in
    /// (e.g. `paymentInfo`, `failureReason`); returns the body a webhook would carry.
    pub fn set_status(&self, id: &str, status: &str, modified: &str, extra: Value) -> Vec<u8> {
        let mut all = lock(&self.state.invoices);
        let body = all.entry(id.to_string()).or_insert_with(|| json!({ "invoiceId": id, "amount": 0, "ccy": 980 }));
        body["status"] = json!(status);
        body["modifiedDate"] = json!(modified);
        if status == "success" {
            body["finalAmount"] = body["amount"].clone();
        }
        if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
            b.extend(extra);
        }
        serde_json::to_vec(body).unwrap_or_default()
    }

    /// A webhook body signed with the current key: (body, X-Sign).
    pub fn signed(&self, body: &[u8]) -> String {
        self.key().sign(body)
    }
}

fn take_failure(state: &FakeState, path: &str) -> Option<(StatusCode, Json<Value>)> {
    let mut f = lock(&state.failures);
    let i = f.iter().position(|(p, _, _)| p == path)?;
    let (_, status, body) = f.remove(i)?;
    Some((StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), Json(body)))
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("x-token").and_then(|v| v.to_str().ok()) == Some(TOKEN)
}

fn forbidden() -> (StatusCode, Json<Value>) {
    (StatusCode::FORBIDDEN, Json(json!({ "errCode": "FORBIDDEN", "errText": "forbidden" })))
}

async fn create(
    State(s): State<Arc<FakeState>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    const PATH: &str = "/api/merchant/invoice/create";
    lock(&s.requests).push((PATH.into(), body.clone()));
    if !authorised(&headers) {
        return forbidden();
    }
    if let Some(f) = take_failure(&s, PATH) {
        return f;
    }
    let n = s.next_id.fetch_add(1, Ordering::SeqCst) + 1;
    let id = format!("p2_fake{n}");
    let t = now();
    let status = json!({
        "invoiceId": id, "status": "created", "amount": body["amount"], "ccy": 980, "finalAmount": body["amount"],
        "createdDate": t, "modifiedDate": t, "reference": body.pointer("/merchantPaymInfo/reference"), "cancelList": [],
    });
    lock(&s.invoices).insert(id.clone(), status);
    (StatusCode::OK, Json(json!({ "invoiceId": id, "pageUrl": format!("https://pay.mbnk.biz/{id}") })))
}

async fn status(
    State(s): State<Arc<FakeState>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    const PATH: &str = "/api/merchant/invoice/status";
    let id = q.get("invoiceId").cloned().unwrap_or_default();
    lock(&s.requests).push((PATH.into(), json!({ "invoiceId": id })));
    if !authorised(&headers) {
        return forbidden();
    }
    if let Some(f) = take_failure(&s, PATH) {
        return f;
    }
    match lock(&s.invoices).get(&id) {
        Some(v) => (StatusCode::OK, Json(v.clone())),
        None => (StatusCode::NOT_FOUND, Json(json!({ "errCode": "NOT_FOUND", "errText": "invoice not found" }))),
    }
}

async fn cancel(
    State(s): State<Arc<FakeState>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    const PATH: &str = "/api/merchant/invoice/cancel";
    lock(&s.requests).push((PATH.into(), body.clone()));
    if !authorised(&headers) {
        return forbidden();
    }
    if let Some(f) = take_failure(&s, PATH) {
        return f;
    }
    let id = body["invoiceId"].as_str().unwrap_or_default().to_string();
    let mut all = lock(&s.invoices);
    let Some(inv) = all.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "errCode": "NOT_FOUND", "errText": "invoice not found" })));
    };
    let left = inv["finalAmount"].as_i64().unwrap_or(0);
    let amount = body["amount"].as_i64().unwrap_or(left);
    if inv["status"] != "success" || amount <= 0 || amount > left {
        return (StatusCode::BAD_REQUEST, Json(json!({ "errCode": "WRONG_CANCEL_AMOUNT", "errText": "wrong amount" })));
    }
    let t = now();
    let item = json!({ "status": "success", "amount": amount, "ccy": 980, "createdDate": t, "modifiedDate": t, "extRef": body["extRef"] });
    if let Some(list) = inv["cancelList"].as_array_mut() {
        list.push(item);
    } else {
        inv["cancelList"] = json!([item]);
    }
    inv["finalAmount"] = json!(left - amount);
    inv["modifiedDate"] = json!(t);
    if left - amount == 0 {
        inv["status"] = json!("reversed");
    }
    (StatusCode::OK, Json(json!({ "status": "success", "createdDate": t, "modifiedDate": t })))
}

async fn pubkey(State(s): State<Arc<FakeState>>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    s.pubkey_fetches.fetch_add(1, Ordering::SeqCst);
    if !authorised(&headers) {
        return (StatusCode::BAD_REQUEST, Json(json!({ "errCode": "BAD_REQUEST", "errText": "token missing" })));
    }
    if let Some(k) = lock(&s.served).clone() {
        return (StatusCode::OK, Json(json!({ "key": k })));
    }
    let key = lock(&s.key).clone().expect("a key");
    (StatusCode::OK, Json(json!({ "key": key.public().to_monobank() })))
}
