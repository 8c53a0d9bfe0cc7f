//! A fake Discord on loopback for serenity's real client: the HTTP API (gateway URL, the bulk
//! overwrite of application commands, interaction callbacks, webhook follow-ups, channel
//! messages, users/@me, DM channels) and a gateway WebSocket (HELLO, IDENTIFY → READY, heartbeat
//! ACKs; then the test pushes INTERACTION_CREATE and MESSAGE_CREATE dispatches). Every HTTP call
//! is recorded so a test can assert on what the bot sent.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::Message as Ws;

pub const APP_ID: u64 = 700_000_000_000_000_001;
pub const BOT_ID: u64 = 700_000_000_000_000_002;

/// One recorded HTTP call; a multipart call's `body` is its `payload_json`, `files` its file names.
#[derive(Debug, Clone)]
pub struct DCall {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub files: Vec<String>,
}

impl DCall {
    pub fn is(&self, method: &str, path_part: &str) -> bool {
        self.method == method && self.path.contains(path_part)
    }

    /// The message content of a callback (`data.content`) or a message (`content`).
    pub fn content(&self) -> String {
        let v = self.body.pointer("/data/content").or_else(|| self.body.get("content"));
        v.and_then(Value::as_str).unwrap_or("").to_string()
    }

    /// The buttons (label, custom id) this call carries (a callback's or a message's).
    pub fn buttons(&self) -> Vec<(String, String)> {
        let rows = self.body.pointer("/data/components").or_else(|| self.body.get("components"));
        rows.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|r| r.get("components").and_then(Value::as_array).cloned().unwrap_or_default())
            .filter_map(|b| {
                let label = b.get("label").and_then(Value::as_str).unwrap_or("").to_string();
                b.get("custom_id").and_then(Value::as_str).map(|id| (label, id.to_string()))
            })
            .collect()
    }

    /// The custom id of the button whose label contains `label`.
    pub fn button(&self, label: &str) -> String {
        let all = self.buttons();
        all.iter()
            .find(|(l, _)| l.contains(label))
            .map(|(_, id)| id.clone())
            .unwrap_or_else(|| panic!("no button `{label}` in {all:?}"))
    }

    /// Whether only the presser sees this answer (flag EPHEMERAL).
    pub fn ephemeral(&self) -> bool {
        let flags = self.body.pointer("/data/flags").or_else(|| self.body.get("flags"));
        flags.and_then(Value::as_u64).is_some_and(|f| f & 64 != 0)
    }

    /// The interaction response type of a callback (4 message, 6 acknowledge, 7 update).
    pub fn kind(&self) -> i64 {
        self.body.get("type").and_then(Value::as_i64).unwrap_or(-1)
    }
}

#[derive(Default)]
struct St {
    calls: Mutex<Vec<DCall>>,
    new_call: Notify,
    ws_url: Mutex<String>,
    /// Where dispatches go: the connection that identified last.
    gateway: Mutex<Option<mpsc::UnboundedSender<Value>>>,
    identified: Notify,
    ready: AtomicUsize,
    connects: AtomicUsize,
    next_id: AtomicU64,
}

#[derive(Clone)]
pub struct FakeDiscord {
    pub url: String,
    st: Arc<St>,
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let st = Arc::new(St { next_id: AtomicU64::new(900_000_000_000_000_000), ..Default::default() });
        let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        *st.ws_url.lock().unwrap() = format!("ws://{}", ws.local_addr().unwrap());
        let gw = st.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = ws.accept().await {
                gw.connects.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(gateway(gw.clone(), stream));
            }
        });
        let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", http.local_addr().unwrap());
        let app = Router::new().fallback(api).with_state(st.clone());
        tokio::spawn(async move {
            let _ = axum::serve(http, app).await;
        });
        FakeDiscord { url, st }
    }

    pub fn calls(&self) -> Vec<DCall> {
        self.st.calls.lock().unwrap().clone()
    }

    /// Gateway connections opened so far.
    pub fn connects(&self) -> usize {
        self.st.connects.load(Ordering::SeqCst)
    }

    /// Waits until a client has identified and got READY.
    pub async fn wait_ready(&self, wait: Duration) {
        tokio::time::timeout(wait, async {
            while self.st.ready.load(Ordering::SeqCst) == 0 {
                let n = self.st.identified.notified();
                if self.st.ready.load(Ordering::SeqCst) > 0 {
                    break;
                }
                n.await;
            }
        })
        .await
        .expect("the bot connected to the fake gateway");
    }

    /// Waits for a recorded call that `pred` accepts; returns it.
    pub async fn wait_call(&self, wait: Duration, pred: impl Fn(&DCall) -> bool) -> DCall {
        tokio::time::timeout(wait, async {
            loop {
                let n = self.st.new_call.notified();
                if let Some(c) = self.calls().into_iter().find(|c| pred(c)) {
                    return c;
                }
                n.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no such call; calls: {:#?}", self.calls()))
    }

    /// Pushes a gateway dispatch (`t`, `d`) to the connected bot.
    pub fn dispatch(&self, t: &str, d: Value) {
        let tx = self.st.gateway.lock().unwrap().clone().expect("a connected gateway");
        tx.send(json!({ "op": 0, "t": t, "d": d })).expect("the gateway connection is open");
    }

    pub fn id(&self) -> u64 {
        self.st.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// A slash command from `user` in her DM channel; returns the interaction id.
    pub fn slash(&self, user: u64, name: &str, args: Option<&str>) -> u64 {
        let id = self.id();
        let options = match args {
            Some(a) => json!([{ "name": "args", "type": 3, "value": a }]),
            None => json!([]),
        };
        self.dispatch(
            "INTERACTION_CREATE",
            json!({
                "id": id.to_string(), "application_id": APP_ID.to_string(), "type": 2,
                "data": { "id": "1", "name": name, "type": 1, "options": options },
                "channel_id": dm_channel(user).to_string(), "user": user_json(user),
                "token": format!("tok{id}"), "version": 1, "locale": "uk", "entitlements": [],
                "attachment_size_limit": 10485760
            }),
        );
        id
    }

    /// A button press by `user` on message `message` of her DM channel; returns the interaction id.
    pub fn press(&self, user: u64, custom_id: &str, message: u64) -> u64 {
        let id = self.id();
        self.dispatch(
            "INTERACTION_CREATE",
            json!({
                "id": id.to_string(), "application_id": APP_ID.to_string(), "type": 3,
                "data": { "custom_id": custom_id, "component_type": 2 },
                "channel_id": dm_channel(user).to_string(), "user": user_json(user),
                "message": message_json(message, dm_channel(user), BOT_ID, ""),
                "token": format!("tok{id}"), "version": 1, "locale": "uk", "entitlements": [],
                "attachment_size_limit": 10485760
            }),
        );
        id
    }

    /// A DM from `user`.
    pub fn dm(&self, user: u64, text: &str) {
        let id = self.id();
        self.dispatch("MESSAGE_CREATE", message_json(id, dm_channel(user), user, text));
    }
}

/// Each user's DM channel with the bot, by a rule the tests can compute.
pub fn dm_channel(user: u64) -> u64 {
    user + 1
}

fn user_json(id: u64) -> Value {
    json!({ "id": id.to_string(), "username": format!("user{id}"), "global_name": "Ольга Discord", "avatar": null,
            "bot": id == BOT_ID })
}

fn message_json(id: u64, channel: u64, author: u64, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": user_json(author),
        "content": content, "timestamp": "2026-12-01T10:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": false, "type": 0
    })
}

async fn gateway(st: Arc<St>, stream: tokio::net::TcpStream) {
    let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else { return };
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let hello = json!({ "op": 10, "d": { "heartbeat_interval": 41250 } });
    if ws.send(Ws::Text(hello.to_string())).await.is_err() {
        return;
    }
    let mut seq = 1u64;
    loop {
        tokio::select! {
            incoming = ws.next() => {
                let Some(Ok(msg)) = incoming else { return };
                let Ok(text) = msg.to_text() else { continue };
                let Ok(v) = serde_json::from_str::<Value>(text) else { continue };
                match v.get("op").and_then(Value::as_i64) {
                    Some(1) => {
                        let _ = ws.send(Ws::Text(json!({ "op": 11 }).to_string())).await;
                    }
                    Some(2) => {
                        let url = st.ws_url.lock().unwrap().clone();
                        let ready = json!({ "op": 0, "t": "READY", "s": seq, "d": {
                            "v": 10, "user": user_json(BOT_ID), "guilds": [], "session_id": "fake-session",
                            "resume_gateway_url": url, "shard": [0, 1],
                            "application": { "id": APP_ID.to_string(), "flags": 0 } } });
                        seq += 1;
                        let _ = ws.send(Ws::Text(ready.to_string())).await;
                        *st.gateway.lock().unwrap() = Some(tx.clone());
                        st.ready.fetch_add(1, Ordering::SeqCst);
                        st.identified.notify_waiters();
                    }
                    _ => {}
                }
            }
            Some(mut event) = rx.recv() => {
                event["s"] = json!(seq);
                seq += 1;
                if ws.send(Ws::Text(event.to_string())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The `payload_json` part of a multipart body and the file names of the others.
fn multipart(raw: &[u8]) -> (Value, Vec<String>) {
    let text = String::from_utf8_lossy(raw);
    let mut body = Value::Null;
    let mut files = vec![];
    for part in text.split("\r\n--") {
        let Some((head, content)) = part.split_once("\r\n\r\n") else { continue };
        if head.contains("name=\"payload_json\"") {
            body = serde_json::from_str(content.trim_end()).unwrap_or(Value::Null);
        } else if let Some(i) = head.find("filename=\"") {
            let rest = &head[i + 10..];
            files.push(rest[..rest.find('"').unwrap_or(rest.len())].to_string());
        }
    }
    (body, files)
}

async fn api(State(st): State<Arc<St>>, method: Method, uri: Uri, headers: HeaderMap, raw: Bytes) -> Response {
    let path = uri.path().to_string();
    let multi = headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("multipart"));
    let (body, files) =
        if multi { multipart(&raw) } else { (serde_json::from_slice(&raw).unwrap_or(Value::Null), vec![]) };
    let recipient = body.get("recipient_id").and_then(Value::as_str).and_then(|r| r.parse::<u64>().ok());
    st.calls.lock().unwrap().push(DCall { method: method.to_string(), path: path.clone(), body, files });
    st.new_call.notify_waiters();
    let ws_url = st.ws_url.lock().unwrap().clone();
    let seg: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let new_id = st.next_id.fetch_add(1, Ordering::SeqCst);
    match (method.as_str(), seg.as_slice()) {
        ("GET", ["gateway"]) => Json(json!({ "url": ws_url })).into_response(),
        ("GET", ["gateway", "bot"]) => Json(json!({ "url": ws_url, "shards": 1,
            "session_start_limit": { "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1 } }))
        .into_response(),
        ("PUT", ["applications", _, "commands"]) => Json(json!([])).into_response(),
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("POST", ["webhooks", _, _]) => Json(message_json(new_id, 1, BOT_ID, "")).into_response(),
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) => {
            Json(message_json(new_id, 1, BOT_ID, "")).into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            Json(message_json(new_id, channel.parse().unwrap_or(1), BOT_ID, "")).into_response()
        }
        ("GET", ["users", "@me"]) => Json(user_json(BOT_ID)).into_response(),
        ("POST", ["users", "@me", "channels"]) => {
            let to = recipient.unwrap_or(1);
            Json(json!({ "id": dm_channel(to).to_string(), "type": 1, "recipients": [user_json(to)] })).into_response()
        }
        _ => (StatusCode::NOT_FOUND, Json(json!({ "message": "Unknown", "code": 0 }))).into_response(),
    }
}
