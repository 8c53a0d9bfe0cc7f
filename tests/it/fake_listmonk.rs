//! A fake Listmonk (v6 API shapes from `shared/reference/listmonk.md`) on loopback: lists,
//! subscribers with per-list subscription status, the `token user:token` check (403 otherwise),
//! 409 on a duplicate address, and failures scripted per `METHOD /path`. Every request is kept
//! with its auth and cookie headers and its JSON body, for the tests to assert on. `add` sets the
//! given status even for a blocklisted subscriber, as Listmonk's `add-subscribers-to-lists` does.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const USER: &str = "crm";
pub const TOKEN: &str = "lm-secret-token-0123456789";
/// A list the owner had before the CRM (subscribers on it must stay there).
pub const OWNER_LIST: i64 = 1;

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub auth: Option<String>,
    pub cookie: Option<String>,
    pub body: Value,
}

#[derive(Debug, Clone)]
pub struct Sub {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub status: String,
    pub attribs: Value,
    /// (list, subscription status)
    pub lists: Vec<(i64, String)>,
}

impl Sub {
    fn json(&self) -> Value {
        let lists: Vec<Value> =
            self.lists.iter().map(|(id, st)| json!({ "id": id, "subscription_status": st, "name": "l" })).collect();
        json!({ "id": self.id, "uuid": format!("uuid-{}", self.id), "email": self.email, "name": self.name,
                "status": self.status, "attribs": self.attribs, "lists": lists })
    }

    pub fn on(&self, list: i64) -> Option<&str> {
        self.lists.iter().find(|(l, _)| *l == list).map(|(_, s)| s.as_str())
    }
}

#[derive(Default)]
pub struct Data {
    pub seen: Vec<Seen>,
    pub lists: Vec<(i64, String)>,
    pub subs: Vec<Sub>,
    /// (`METHOD /path`, status, how many more times)
    pub fail: Vec<(String, u16, usize)>,
}

#[derive(Clone)]
pub struct FakeListmonk {
    pub url: String,
    pub data: Arc<Mutex<Data>>,
}

fn answer(status: u16, body: Value) -> Response {
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

fn q<'a>(query: &'a [(String, String)], k: &str) -> Option<&'a str> {
    query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

async fn handle(
    State(data): State<Arc<Mutex<Data>>>,
    method: Method,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let path = uri.path().to_string();
    let mut d = data.lock().unwrap();
    d.seen.push(Seen {
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        auth: header("authorization"),
        cookie: header("cookie"),
        body: body.clone(),
    });
    let route = format!("{method} {path}");
    if let Some(rule) = d.fail.iter_mut().find(|(r, _, n)| *r == route && *n > 0) {
        rule.2 -= 1;
        return answer(rule.1, json!({ "message": "scripted failure" }));
    }
    if header("authorization") != Some(format!("token {USER}:{TOKEN}")) {
        return answer(403, json!({ "message": "invalid API credentials" }));
    }
    let page = |items: Vec<Value>| {
        let total = items.len();
        let per: usize = q(&query, "per_page").and_then(|v| v.parse().ok()).unwrap_or(20);
        let p: usize = q(&query, "page").and_then(|v| v.parse().ok()).unwrap_or(1);
        let results: Vec<Value> = items.into_iter().skip((p - 1) * per).take(per).collect();
        answer(200, json!({ "data": { "results": results, "total": total, "page": p, "per_page": per, "query": "" } }))
    };
    match (method.as_str(), path.as_str()) {
        ("GET", "/api/lists") => {
            let name = q(&query, "query").unwrap_or("").to_lowercase();
            let items = d
                .lists
                .iter()
                .filter(|(_, n)| n.to_lowercase().contains(&name))
                .map(|(id, n)| json!({ "id": id, "name": n, "type": "private", "optin": "single" }))
                .collect();
            page(items)
        }
        ("POST", "/api/lists") => {
            let id = d.lists.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
            let name = body["name"].as_str().unwrap_or("").to_string();
            d.lists.push((id, name.clone()));
            answer(200, json!({ "data": { "id": id, "name": name } }))
        }
        ("POST", "/api/subscribers") => {
            let email = body["email"].as_str().unwrap_or("").to_lowercase();
            if d.subs.iter().any(|s| s.email == email) {
                return answer(409, json!({ "message": "E-mail already exists." }));
            }
            let status = if body["preconfirm_subscriptions"] == json!(true) { "confirmed" } else { "unconfirmed" };
            let id = d.subs.iter().map(|s| s.id).max().unwrap_or(100) + 1;
            let sub = Sub {
                id,
                email,
                name: body["name"].as_str().unwrap_or("").to_string(),
                status: body["status"].as_str().unwrap_or("enabled").to_string(),
                attribs: body["attribs"].clone(),
                lists: body["lists"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_i64)
                    .map(|l| (l, status.to_string()))
                    .collect(),
            };
            let out = sub.json();
            d.subs.push(sub);
            answer(200, json!({ "data": out }))
        }
        ("GET", "/api/subscribers") => {
            let items = d
                .subs
                .iter()
                .filter(|s| match q(&query, "search") {
                    Some(re) => {
                        let plain = re.trim_start_matches('^').trim_end_matches('$').replace('\\', "");
                        s.email == plain.to_lowercase()
                    }
                    None => true,
                })
                .filter(|s| match (q(&query, "list_id"), q(&query, "subscription_status")) {
                    (Some(l), Some(st)) => s.on(l.parse().unwrap_or(0)) == Some(st),
                    (Some(l), None) => s.on(l.parse().unwrap_or(0)).is_some(),
                    _ => true,
                })
                .map(Sub::json)
                .collect();
            page(items)
        }
        ("PUT", "/api/subscribers/lists") => {
            let ids: Vec<i64> = body["ids"].as_array().into_iter().flatten().filter_map(Value::as_i64).collect();
            let lists: Vec<i64> =
                body["target_list_ids"].as_array().into_iter().flatten().filter_map(Value::as_i64).collect();
            let action = body["action"].as_str().unwrap_or("").to_string();
            for s in d.subs.iter_mut().filter(|s| ids.contains(&s.id)) {
                for l in &lists {
                    let st = match action.as_str() {
                        "add" => body["status"].as_str().unwrap_or("unconfirmed").to_string(),
                        _ => "unsubscribed".to_string(),
                    };
                    s.lists.retain(|(x, _)| x != l);
                    if action != "remove" {
                        s.lists.push((*l, st));
                    }
                }
            }
            answer(200, json!({ "data": true }))
        }
        ("DELETE", p) if p.starts_with("/api/subscribers/") => {
            let id: i64 = p.trim_start_matches("/api/subscribers/").parse().unwrap_or(0);
            let before = d.subs.len();
            d.subs.retain(|s| s.id != id);
            if d.subs.len() == before {
                answer(404, json!({ "message": "Subscriber not found." }))
            } else {
                answer(200, json!({ "data": true }))
            }
        }
        _ => answer(404, json!({ "message": "not found" })),
    }
}

impl FakeListmonk {
    pub async fn start() -> Self {
        let data = Arc::new(Mutex::new(Data { lists: vec![(OWNER_LIST, "Newsletter".into())], ..Default::default() }));
        let app = axum::Router::new().fallback(handle).with_state(data.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeListmonk { url, data }
    }

    pub fn seen(&self, route: &str) -> Vec<Seen> {
        self.data.lock().unwrap().seen.iter().filter(|s| format!("{} {}", s.method, s.path) == route).cloned().collect()
    }

    pub fn sub(&self, email: &str) -> Option<Sub> {
        self.data.lock().unwrap().subs.iter().find(|s| s.email == email).cloned()
    }

    pub fn list_named(&self, name: &str) -> Option<i64> {
        self.data.lock().unwrap().lists.iter().find(|(_, n)| n == name).map(|(id, _)| *id)
    }

    pub fn fail(&self, route: &str, status: u16, times: usize) {
        self.data.lock().unwrap().fail.push((route.to_string(), status, times));
    }

    /// An unsubscribe made in Listmonk (her own click on its page): off `list`.
    pub fn unsubscribe_there(&self, email: &str, list: i64) {
        let mut d = self.data.lock().unwrap();
        let s = d.subs.iter_mut().find(|s| s.email == email).expect("a subscriber");
        s.lists.retain(|(l, _)| *l != list);
        s.lists.push((list, "unsubscribed".into()));
    }

    pub fn add(&self, sub: Sub) {
        self.data.lock().unwrap().subs.push(sub);
    }
}
