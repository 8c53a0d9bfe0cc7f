//! A fake Checkbox cash register API on loopback, for tests (feature `fakes`).
//!
//! Sign-in by PIN (with the licence key) gives a token; a shift opened with `POST /shifts` is
//! `CREATED` and becomes `OPENED` at the next look; a sell or return receipt needs an open shift,
//! is kept by its id (a second POST of the same id returns the first receipt and makes none), and
//! is `DONE` with a `TEST-` fiscal code at its first status read. Every request is recorded, and
//! the next call to a path can be answered with a canned error (optionally after doing the work,
//! as when an answer is lost on the way).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub const LICENSE: &str = "test-license-key";
pub const PIN: &str = "1234567890";

#[derive(Default)]
struct FakeState {
    requests: Mutex<Vec<(String, Value)>>,
    /// The shift: None, or its status.
    shift: Mutex<Option<String>>,
    receipts: Mutex<HashMap<String, Value>>,
    /// Canned failures by path: (status, message, do the work first).
    failures: Mutex<VecDeque<(String, u16, String, bool)>>,
    tokens: Mutex<u32>,
}

#[derive(Clone)]
pub struct FakeCheckbox {
    pub url: String,
    state: Arc<FakeState>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

type Answer = (StatusCode, Json<Value>);

impl FakeCheckbox {
    pub async fn start() -> anyhow::Result<Self> {
        let state = Arc::new(FakeState::default());
        let app = Router::new()
            .route("/api/v1/cashier/signinPinCode", post(signin))
            .route("/api/v1/cashier/signin", post(signin))
            .route("/api/v1/cashier/shift", get(shift))
            .route("/api/v1/shifts", post(open_shift))
            .route("/api/v1/receipts/sell", post(sell))
            .route("/api/v1/receipts/{id}", get(receipt))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeCheckbox { url, state })
    }

    pub fn config(&self) -> crate::config::CheckboxConfig {
        crate::config::CheckboxConfig {
            license_key: crate::config::Secret::new(LICENSE),
            auth: crate::config::CheckboxAuth::Pin(crate::config::Secret::new(PIN)),
            api_url: self.url.clone(),
        }
    }

    /// Bodies of the requests to `path` (`/api/v1/receipts/sell`, ...), in order.
    pub fn requests(&self, path: &str) -> Vec<Value> {
        lock(&self.state.requests).iter().filter(|(p, _)| p == path).map(|(_, b)| b.clone()).collect()
    }

    /// The receipts Checkbox has, by id.
    pub fn receipts(&self) -> HashMap<String, Value> {
        lock(&self.state.receipts).clone()
    }

    pub fn shift_status(&self) -> Option<String> {
        lock(&self.state.shift).clone()
    }

    /// The next call to `path` answers `status` with `message`; with `after_work`, the work (a
    /// receipt made) is done first, as when the answer is lost.
    pub fn fail_next(&self, path: &str, status: u16, message: &str, after_work: bool) {
        lock(&self.state.failures).push_back((path.into(), status, message.into(), after_work));
    }

    pub fn sign_ins(&self) -> u32 {
        *lock(&self.state.tokens)
    }
}

fn failure(s: &FakeState, path: &str) -> Option<(Answer, bool)> {
    let mut f = lock(&s.failures);
    let i = f.iter().position(|(p, ..)| p == path)?;
    let (_, status, message, after) = f.remove(i)?;
    Some((
        (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(json!({ "message": message })),
        ),
        after,
    ))
}

fn record(s: &FakeState, path: &str, body: Value) {
    lock(&s.requests).push((path.into(), body));
}

fn signed_in(s: &FakeState, headers: &HeaderMap) -> bool {
    let n = *lock(&s.tokens);
    let want = format!("Bearer tok-{n}");
    n > 0 && headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(want.as_str())
}

fn unauthorised() -> Answer {
    (StatusCode::UNAUTHORIZED, Json(json!({ "message": "Not authenticated" })))
}

async fn signin(State(s): State<Arc<FakeState>>, headers: HeaderMap, Json(body): Json<Value>) -> Answer {
    record(&s, "/api/v1/cashier/signin", body.clone());
    let license = headers.get("x-license-key").and_then(|v| v.to_str().ok()) == Some(LICENSE);
    if !license || body["pin_code"] != PIN {
        return (StatusCode::FORBIDDEN, Json(json!({ "message": "Invalid credentials" })));
    }
    let mut n = lock(&s.tokens);
    *n += 1;
    (StatusCode::OK, Json(json!({ "type": "bearer", "token_type": "bearer", "access_token": format!("tok-{}", *n) })))
}

async fn shift(State(s): State<Arc<FakeState>>, headers: HeaderMap) -> Answer {
    record(&s, "/api/v1/cashier/shift", Value::Null);
    if !signed_in(&s, &headers) {
        return unauthorised();
    }
    let mut shift = lock(&s.shift);
    // A shift asked for is open by the time anyone looks (the tax service took it).
    if shift.as_deref() == Some("CREATED") {
        *shift = Some("OPENED".into());
    }
    let body = match shift.as_deref() {
        None => Value::Null,
        Some(st) => json!({ "id": "shift-1", "status": st }),
    };
    (StatusCode::OK, Json(body))
}

async fn open_shift(State(s): State<Arc<FakeState>>, headers: HeaderMap, Json(body): Json<Value>) -> Answer {
    record(&s, "/api/v1/shifts", body);
    if !signed_in(&s, &headers) {
        return unauthorised();
    }
    if headers.get("x-license-key").and_then(|v| v.to_str().ok()) != Some(LICENSE) {
        return (StatusCode::FORBIDDEN, Json(json!({ "message": "licence key" })));
    }
    *lock(&s.shift) = Some("CREATED".into());
    (StatusCode::ACCEPTED, Json(json!({ "id": "shift-1", "status": "CREATED" })))
}

async fn sell(State(s): State<Arc<FakeState>>, headers: HeaderMap, Json(body): Json<Value>) -> Answer {
    const PATH: &str = "/api/v1/receipts/sell";
    record(&s, PATH, body.clone());
    if !signed_in(&s, &headers) {
        return unauthorised();
    }
    let fail = failure(&s, PATH);
    if let Some((answer, false)) = fail {
        return answer;
    }
    if lock(&s.shift).as_deref() != Some("OPENED") {
        return (StatusCode::BAD_REQUEST, Json(json!({ "message": "Зміну не відкрито" })));
    }
    let id = body["id"].as_str().unwrap_or_default().to_string();
    let receipt = {
        let mut all = lock(&s.receipts);
        all.entry(id.clone())
            .or_insert_with(|| {
                let kind = if body.pointer("/goods/0/is_return") == Some(&json!(true)) { "RETURN" } else { "SELL" };
                json!({ "id": id, "type": kind, "status": "CREATED", "request": body })
            })
            .clone()
    };
    if let Some((answer, true)) = fail {
        return answer;
    }
    (StatusCode::CREATED, Json(receipt))
}

async fn receipt(State(s): State<Arc<FakeState>>, headers: HeaderMap, Path(id): Path<String>) -> Answer {
    record(&s, "/api/v1/receipts/{id}", json!({ "id": id }));
    if !signed_in(&s, &headers) {
        return unauthorised();
    }
    let mut all = lock(&s.receipts);
    let Some(r) = all.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "message": "Receipt not found" })));
    };
    if r["status"] == "CREATED" {
        r["status"] = json!("DONE");
        r["fiscal_code"] = json!(format!("TEST-{}", &id[..8.min(id.len())]));
        r["tax_url"] = json!(format!("https://cabinet.tax.gov.ua/cashregs/check?id=TEST-{}", &id[..8.min(id.len())]));
    }
    (StatusCode::OK, Json(r.clone()))
}
