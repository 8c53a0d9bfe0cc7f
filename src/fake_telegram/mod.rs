//! A fake Telegram Bot API on loopback, for tests and the benchmark.
//!
//! It speaks just enough of the Bot API for teloxide's real client code to run against it:
//! `getUpdates` serves queued updates (long polling included), `sendMessage` and
//! `editMessageText` answer with a plausible `Message`, everything else with `true`. Every call
//! is recorded so a test can assert on what the bot sent. The benchmark turns recording off; the
//! fake then answers its sends, edits and acknowledgements from a few borrowed fields
//! (`counted_only`), as it shares the two cores with the server being measured. A method the bot
//! gives in a webhook's response is run as Telegram runs it ([`FakeBotApi::webhook_response`]).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

mod multipart;
use multipart::{multipart_fields, multipart_files, upload_chat};

/// One recorded Bot API call.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub body: Value,
    /// Uploaded files of a multipart call: (field, file name, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Call {
    /// The `text` parameter of sendMessage / editMessageText (empty otherwise).
    pub fn text(&self) -> &str {
        self.body.get("text").and_then(Value::as_str).unwrap_or("")
    }

    /// All button callback data of an inline keyboard in this call.
    pub fn buttons(&self) -> Vec<(String, String)> {
        let mut out = vec![];
        if let Some(rows) = self.body.pointer("/reply_markup/inline_keyboard").and_then(Value::as_array) {
            for row in rows {
                for b in row.as_array().into_iter().flatten() {
                    let label = b.get("text").and_then(Value::as_str).unwrap_or("").to_string();
                    let data = b.get("callback_data").and_then(Value::as_str).unwrap_or("").to_string();
                    out.push((label, data));
                }
            }
        }
        out
    }
}

/// How often a key was answered, and who waits for its n-th answer.
type AnswerCount = (usize, Vec<(usize, tokio::sync::oneshot::Sender<()>)>);

#[derive(Default)]
struct FakeState {
    calls: Mutex<Vec<Call>>,
    updates: Mutex<VecDeque<Value>>,
    new_update: Notify,
    new_call: Notify,
    next_message_id: AtomicI64,
    record: AtomicBool,
    acks: std::sync::atomic::AtomicU64,
    /// Calls answered by the counting-only path ([`counted_only`]).
    counted_only: std::sync::atomic::AtomicU64,
    /// Canned failures: (method in lower case, JSON body) answered instead of success.
    failures: Mutex<VecDeque<(String, Value)>>,
    /// Files served by getFile and the download route, by file id.
    files: Mutex<std::collections::HashMap<String, Vec<u8>>>,
    /// The `offset` of every getUpdates call, in order (0 when absent).
    offsets: Mutex<Vec<i64>>,
    /// When each update was answered (the benchmark's latency): an answerCallbackQuery by its
    /// query id (`cb:<id>`), a sendMessage by its chat (`chat:<id>`), an editMessageText by its
    /// chat (`edit:<id>`), counted even when not recording.
    answers: Mutex<Vec<(String, std::time::Instant)>>,
    /// Answers counted by key, and who waits for the n-th answer of a key.
    answer_counts: Mutex<std::collections::HashMap<String, AnswerCount>>,
    /// Milliseconds a sendMessage or editMessageText is held after it is recorded (delivered) and
    /// before it is answered: a crash test's kill then lands between delivery and answer.
    send_latency_ms: std::sync::atomic::AtomicU64,
}

#[derive(Clone)]
pub struct FakeBotApi {
    pub url: String,
    state: Arc<FakeState>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl FakeBotApi {
    pub async fn start() -> anyhow::Result<Self> {
        let state = Arc::new(FakeState {
            next_message_id: AtomicI64::new(1000),
            record: AtomicBool::new(true),
            ..Default::default()
        });
        let app = Router::new()
            .route("/{bot}/{method}", post(handle))
            // teloxide sends the file path as one segment (`documents%2F<id>`).
            .route("/file/{bot}/{path}", axum::routing::get(serve_file))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        // As Telegram's servers and ours answer: each answer goes out at once (no Nagle wait).
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeBotApi { url, state })
    }

    /// Runs the method a webhook's response carries (`{"method": .., ..parameters}`), as Telegram
    /// does with it: the same as the bot calling it. An empty or non-JSON body runs nothing.
    pub async fn webhook_response(&self, body: &[u8]) {
        #[derive(serde::Deserialize)]
        struct Method<'a> {
            #[serde(borrow)]
            method: std::borrow::Cow<'a, str>,
        }
        let Ok(Method { method }) = serde_json::from_slice::<Method<'_>>(body) else {
            return;
        };
        // The parameters beside `method` are the call's body; the counting path skips the extra field.
        if counting(&self.state) && counted_only(&self.state, &method, body, false).is_some() {
            return;
        }
        let Ok(Value::Object(mut params)) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        params.remove("method");
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("content-type", axum::http::HeaderValue::from_static("application/json"));
        let params = Bytes::from(Value::Object(params).to_string());
        handle(State(self.state.clone()), Path(("webhook".into(), method.into_owned())), headers, params).await;
    }

    /// Queues an update for the next getUpdates.
    pub fn push_update(&self, update: Value) {
        lock(&self.state.updates).push_back(update);
        self.state.new_update.notify_waiters();
    }

    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state.calls).clone()
    }

    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.method.eq_ignore_ascii_case(method)).collect()
    }

    pub fn clear(&self) {
        lock(&self.state.calls).clear();
    }

    /// Counting only (for the benchmark): calls are answered but not kept.
    pub fn set_recording(&self, on: bool) {
        self.state.record.store(on, Ordering::Relaxed);
    }

    /// Waits until `pred` holds for the recorded calls, or fails after `timeout`.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&[Call]) -> bool) -> anyhow::Result<Vec<Call>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.state.new_call.notified();
            {
                let calls = lock(&self.state.calls);
                if pred(&calls) {
                    return Ok(calls.clone());
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let calls = self.calls();
                anyhow::bail!(
                    "timed out waiting; calls so far: {:#?}",
                    calls.iter().map(|c| (&c.method, c.text())).collect::<Vec<_>>()
                );
            }
        }
    }

    /// Makes a file downloadable under `file_id` (getFile, then the file route).
    pub fn add_file(&self, file_id: &str, bytes: Vec<u8>) {
        lock(&self.state.files).insert(file_id.to_string(), bytes);
    }

    /// Holds every sendMessage and editMessageText answer for `latency` after recording the
    /// call as delivered.
    pub fn set_send_latency(&self, latency: Duration) {
        self.state.send_latency_ms.store(latency.as_millis() as u64, Ordering::Relaxed);
    }

    /// The next `count` calls of `method` get `body` (a Bot API error) instead of success.
    pub fn fail_next(&self, method: &str, count: usize, body: Value) {
        let mut f = lock(&self.state.failures);
        for _ in 0..count {
            f.push_back((method.to_ascii_lowercase(), body.clone()));
        }
    }

    /// answerCallbackQuery calls so far, counted even when not recording.
    pub fn acks(&self) -> u64 {
        self.state.acks.load(Ordering::Relaxed)
    }

    /// Calls answered from a few borrowed fields while not recording (the benchmark's path).
    pub fn counted_only(&self) -> u64 {
        self.state.counted_only.load(Ordering::Relaxed)
    }

    /// The `offset` of every getUpdates call so far: what the bot has confirmed.
    pub fn update_offsets(&self) -> Vec<i64> {
        lock(&self.state.offsets).clone()
    }

    /// The answers so far (see [`FakeState::answers`]): acknowledged buttons, sent and edited
    /// messages.
    pub fn answers(&self) -> usize {
        lock(&self.state.answers).len()
    }

    /// How often `key` (as in [`Self::answer_log`]) has been answered so far.
    pub fn answer_log_count(&self, key: &str) -> usize {
        lock(&self.state.answer_counts).get(key).map_or(0, |(n, _)| *n)
    }

    /// Resolves once `key` (as in [`Self::answer_log`]) has been answered `nth` times.
    pub async fn answered(&self, key: &str, nth: usize) {
        let rx = {
            let mut counts = lock(&self.state.answer_counts);
            let (count, waiters) = counts.entry(key.to_string()).or_default();
            if *count >= nth {
                return;
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            waiters.push((nth, tx));
            rx
        };
        let _ = rx.await;
    }

    /// When each update was answered: `cb:<query id>` (its acknowledgement), `chat:<chat id>` (a
    /// message sent) or `edit:<chat id>` (a message edited), in arrival order.
    pub fn answer_log(&self) -> Vec<(String, std::time::Instant)> {
        lock(&self.state.answers).clone()
    }

    pub fn sent_messages(&self) -> u64 {
        self.state.next_message_id.load(Ordering::Relaxed) as u64 - 1000
    }
}

async fn serve_file(
    State(s): State<Arc<FakeState>>,
    Path((_bot, path)): Path<(String, String)>,
) -> Result<Vec<u8>, axum::http::StatusCode> {
    let id = path.rsplit('/').next().unwrap_or("");
    lock(&s.files).get(id).cloned().ok_or(axum::http::StatusCode::NOT_FOUND)
}

/// What the counting-only path reads of a JSON call: the fields that answer and key it, borrowed
/// from the body; everything else is skipped instead of built into a `Value` tree.
#[derive(serde::Deserialize)]
struct Peek<'a> {
    chat_id: Option<i64>,
    #[serde(borrow)]
    callback_query_id: Option<std::borrow::Cow<'a, str>>,
    message_id: Option<i64>,
    #[serde(borrow)]
    text: Option<std::borrow::Cow<'a, str>>,
}

/// The `Message` a send or an edit is answered with, on both paths: the chat id and the text
/// borrowed from the call (a JSON value on the recording path, a peeked field on the other).
#[derive(serde::Serialize)]
struct SentMessage<C, T> {
    message_id: i64,
    date: i64,
    chat: SentChat<C>,
    from: SentFrom,
    text: T,
}

#[derive(serde::Serialize)]
struct SentChat<C> {
    id: C,
    r#type: &'static str,
    first_name: &'static str,
}

#[derive(serde::Serialize)]
struct SentFrom {
    id: i64,
    is_bot: bool,
    first_name: &'static str,
}

fn sent_message<C, T>(message_id: i64, chat: C, text: T) -> SentMessage<C, T> {
    SentMessage {
        message_id,
        date: 1_764_000_000,
        chat: SentChat { id: chat, r#type: "private", first_name: "Owner" },
        from: SentFrom { id: 1, is_bot: true, first_name: "Insoles" },
        text,
    }
}

/// A successful Bot API answer.
#[derive(serde::Serialize)]
struct Answer<R> {
    ok: bool,
    result: R,
}

/// Whether a JSON call may take the counting-only path: not recording, and no canned failure or
/// latency to play.
fn counting(s: &FakeState) -> bool {
    !s.record.load(Ordering::Relaxed) && s.send_latency_ms.load(Ordering::Relaxed) == 0 && lock(&s.failures).is_empty()
}

/// The benchmark's calls while not recording (a button's answer, a send, an edit): answered as
/// [`handle`] answers them, from the few fields they need. The fake shares the benchmark's two
/// cores with the server it measures, so its own cost is kept small. A method from a webhook's
/// response (`respond` false) has nobody to answer: its answer is not built. `None`: take the
/// full path.
fn counted_only(s: &FakeState, method: &str, body: &[u8], respond: bool) -> Option<axum::response::Response> {
    use axum::response::IntoResponse;
    let m = method.to_ascii_lowercase();
    if !matches!(m.as_str(), "answercallbackquery" | "sendmessage" | "editmessagetext") {
        return None;
    }
    let peek: Peek<'_> = serde_json::from_slice(body).ok()?;
    let text = peek.text.as_deref().unwrap_or("");
    let (bytes, key) = match m.as_str() {
        "answercallbackquery" => {
            s.acks.fetch_add(1, Ordering::Relaxed);
            let key = ack_key(peek.callback_query_id.as_deref().unwrap_or(""));
            (br#"{"ok":true,"result":true}"#.to_vec(), key)
        }
        send_or_edit => {
            // A send gets a new message id; an edit keeps the one it names.
            let id = match send_or_edit {
                "sendmessage" => s.next_message_id.fetch_add(1, Ordering::Relaxed),
                _ => peek.message_id.unwrap_or(1),
            };
            let key = message_key(send_or_edit, peek.chat_id.unwrap_or(0));
            if !respond {
                (vec![], key)
            } else {
                let message = sent_message(id, peek.chat_id.unwrap_or(1), text);
                (serde_json::to_vec(&Answer { ok: true, result: message }).ok()?, key)
            }
        }
    };
    answered(s, key);
    s.counted_only.fetch_add(1, Ordering::Relaxed);
    s.new_call.notify_waiters();
    Some(([(axum::http::header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The answer log's key of a button's acknowledgement (`cb:<query id>`).
pub fn ack_key(query: &str) -> String {
    format!("cb:{query}")
}

/// The answer log's key of a sendMessage (`chat:<chat id>`) or an editMessageText
/// (`edit:<chat id>`); `method` in lower case.
pub fn message_key(method: &str, chat: impl std::fmt::Display) -> String {
    let kind = if method == "sendmessage" { "chat" } else { "edit" };
    format!("{kind}:{chat}")
}

/// Logs an answer to `key` (an acknowledged button, a sent or edited message) and wakes who
/// waits for it.
fn answered(s: &FakeState, key: String) {
    lock(&s.answers).push((key.clone(), std::time::Instant::now()));
    let mut counts = lock(&s.answer_counts);
    let (count, waiters) = counts.entry(key).or_default();
    *count += 1;
    let n = *count;
    for (_, tx) in waiters.extract_if(.., |(nth, _)| *nth <= n) {
        let _ = tx.send(());
    }
}

async fn handle(
    State(s): State<Arc<FakeState>>,
    Path((_bot, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("application/json") && counting(&s) {
        if let Some(response) = counted_only(&s, &method, &body, true) {
            return response;
        }
    }
    let files = match content_type.split_once("boundary=") {
        Some((_, boundary)) if content_type.starts_with("multipart/form-data") => {
            multipart_files(&body, boundary.trim_matches('"'))
        }
        _ => vec![],
    };
    let body: Value = match content_type.split_once("boundary=") {
        Some((_, boundary)) if content_type.starts_with("multipart/form-data") => {
            multipart_fields(&body, boundary.trim_matches('"'))
        }
        _ => serde_json::from_slice(&body).unwrap_or_else(|_| json!({ "raw": String::from_utf8_lossy(&body) })),
    };
    let m = method.to_ascii_lowercase();
    let canned = {
        let mut f = lock(&s.failures);
        match f.iter().position(|(fm, _)| *fm == m) {
            Some(i) => f.remove(i).map(|(_, b)| b),
            None => None,
        }
    };
    if let Some(error) = canned {
        if s.record.load(Ordering::Relaxed) {
            lock(&s.calls).push(Call { method: format!("{method}!failed"), body, files });
        }
        s.new_call.notify_waiters();
        return Json(error).into_response();
    }
    let result = match m.as_str() {
        "getupdates" => {
            lock(&s.offsets).push(body.get("offset").and_then(Value::as_i64).unwrap_or(0));
            let wait = body.get("timeout").and_then(Value::as_u64).unwrap_or(0).min(2);
            let pending = s.new_update.notified();
            let ready = !lock(&s.updates).is_empty();
            if !ready && wait > 0 {
                let _ = tokio::time::timeout(Duration::from_secs(wait), pending).await;
            }
            let batch: Vec<Value> = lock(&s.updates).drain(..).collect();
            return Json(json!({ "ok": true, "result": batch })).into_response();
        }
        "getme" => {
            json!({ "id": 1, "is_bot": true, "first_name": "Insoles", "username": "insoles_test_bot" })
        }
        "getfile" => {
            let id = body.get("file_id").and_then(Value::as_str).unwrap_or("").to_string();
            let size = lock(&s.files).get(&id).map(Vec::len).unwrap_or(0);
            json!({ "file_id": id, "file_unique_id": format!("u{id}"), "file_size": size, "file_path": format!("documents/{id}") })
        }
        "sendphoto" => json!({
            "message_id": s.next_message_id.fetch_add(1, Ordering::Relaxed),
            "date": 1_764_000_000,
            "chat": { "id": upload_chat(&body), "type": "private", "first_name": "Owner" },
            "photo": [{ "file_id": "p", "file_unique_id": "up", "width": 800, "height": 500, "file_size": 1 }],
        }),
        "senddocument" => json!({
            "message_id": s.next_message_id.fetch_add(1, Ordering::Relaxed),
            "date": 1_764_000_000,
            "chat": { "id": body.get("chat_id").cloned().unwrap_or(json!(1)), "type": "private", "first_name": "Owner" },
            "document": { "file_id": "sent", "file_unique_id": "usent", "file_size": 1 },
        }),
        "sendmessage" | "editmessagetext" => {
            let id = match m.as_str() {
                "sendmessage" => s.next_message_id.fetch_add(1, Ordering::Relaxed),
                _ => body.get("message_id").and_then(Value::as_i64).unwrap_or(1),
            };
            let chat = body.get("chat_id").cloned().unwrap_or(json!(1));
            let text = body.get("text").cloned().unwrap_or(json!(""));
            serde_json::to_value(sent_message(id, chat, text)).unwrap_or(Value::Null)
        }
        _ => json!(true),
    };
    let answer = match m.as_str() {
        "answercallbackquery" => {
            s.acks.fetch_add(1, Ordering::Relaxed);
            Some(ack_key(body.get("callback_query_id").and_then(Value::as_str).unwrap_or("")))
        }
        "sendmessage" | "editmessagetext" => Some(message_key(&m, body.get("chat_id").cloned().unwrap_or(json!(0)))),
        _ => None,
    };
    if let Some(key) = answer {
        answered(&s, key);
    }
    if s.record.load(Ordering::Relaxed) {
        lock(&s.calls).push(Call { method, body, files });
    }
    s.new_call.notify_waiters();
    let latency = s.send_latency_ms.load(Ordering::Relaxed);
    if (m == "sendmessage" || m == "editmessagetext") && latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    Json(json!({ "ok": true, "result": result })).into_response()
}

/// Update JSON builders, shaped like Telegram's.
pub mod updates {
    use serde_json::{json, Value};

    fn user(id: i64, lang: &str) -> Value {
        json!({ "id": id, "is_bot": false, "first_name": "Оля", "last_name": "Власниця", "language_code": lang })
    }

    /// A message in the private chat with `user_id` whose content is `field: value`.
    fn private(update_id: i64, user_id: i64, lang: &str, field: &str, value: Value) -> Value {
        let mut message = json!({
            "message_id": update_id,
            "date": 1_764_000_000,
            "chat": { "id": user_id, "type": "private", "first_name": "Оля" },
            "from": user(user_id, lang),
        });
        message[field] = value;
        json!({ "update_id": update_id, "message": message })
    }

    pub fn text(update_id: i64, user_id: i64, lang: &str, text: &str) -> Value {
        private(update_id, user_id, lang, "text", json!(text))
    }

    /// `text` sent as a Telegram reply to the bot's message `replied` (a recorded sendMessage body:
    /// its text and inline keyboard come along, as Telegram sends them).
    pub fn reply(update_id: i64, user_id: i64, text: &str, replied: &Value) -> Value {
        let mut u = private(update_id, user_id, "uk", "text", json!(text));
        u["message"]["reply_to_message"] = json!({
            "message_id": 4242,
            "date": 1_764_000_000,
            "chat": { "id": user_id, "type": "private", "first_name": "Оля" },
            "from": { "id": 1, "is_bot": true, "first_name": "Bot", "username": "insoles_bot" },
            "text": replied.get("text").cloned().unwrap_or(json!("")),
            "reply_markup": replied.get("reply_markup").cloned().unwrap_or(json!({"inline_keyboard": []})),
        });
        u
    }

    pub fn group_text(update_id: i64, user_id: i64, text: &str) -> Value {
        json!({
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1_764_000_000,
                "chat": { "id": -100_123, "type": "group", "title": "Friends" },
                "from": user(user_id, "uk"),
                "text": text,
            }
        })
    }

    pub fn callback(update_id: i64, user_id: i64, lang: &str, message_id: i64, data: &str) -> Value {
        json!({
            "update_id": update_id,
            "callback_query": {
                "id": format!("cb{update_id}"),
                "from": user(user_id, lang),
                "chat_instance": "42",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": 1_764_000_000,
                    "chat": { "id": user_id, "type": "private", "first_name": "Оля" },
                    "from": { "id": 1, "is_bot": true, "first_name": "Insoles" },
                    "text": "card",
                }
            }
        })
    }

    pub fn contact(update_id: i64, user_id: i64, phone: &str, first_name: &str) -> Value {
        private(update_id, user_id, "uk", "contact", json!({ "phone_number": phone, "first_name": first_name }))
    }

    pub fn document(update_id: i64, user_id: i64, file_id: &str, file_name: &str, size: u64) -> Value {
        let doc = json!({ "file_id": file_id, "file_unique_id": format!("u{file_id}"), "file_name": file_name, "file_size": size });
        private(update_id, user_id, "uk", "document", doc)
    }

    /// The sender shares her own number with the request_contact button.
    pub fn own_contact(update_id: i64, user_id: i64, phone: &str) -> Value {
        let contact =
            json!({ "phone_number": phone, "first_name": "Оля", "last_name": "Власниця", "user_id": user_id });
        private(update_id, user_id, "uk", "contact", contact)
    }

    pub fn sticker(update_id: i64, user_id: i64) -> Value {
        let sticker = json!({
            "file_id": "f", "file_unique_id": "u", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false
        });
        private(update_id, user_id, "uk", "sticker", sticker)
    }
}
