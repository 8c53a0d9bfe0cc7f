//! Spawning the app against a fake Bot API and talking to it the way Telegram would.

use insoles_crm::config::{Secret, Settings};
use insoles_crm::core::Core;
use insoles_crm::fake_telegram::{updates, Call, FakeBotApi};
use insoles_crm::App;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const OWNER: i64 = 111_222;
pub const STRANGER: i64 = 999_888;
pub const WAIT: Duration = Duration::from_secs(10);
pub const WEBHOOK_SECRET: &str = "test_secret-123";
pub const CALENDAR_SECRET: &str = "feed_0123456789abcdef";
pub const IG_SECRET: &str = "test_app_secret_do_not_use";

/// Update ids are unique across the apps of one test run (an app restarted on the same database
/// must not see its earlier ids again: handled updates are recognised as redeliveries).
static NEXT_UPDATE_BASE: AtomicI64 = AtomicI64::new(1);

pub struct TestApp {
    pub fake: FakeBotApi,
    pub http: SocketAddr,
    pub core: Core,
    pub webhook: bool,
    next_update: AtomicI64,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    pub dir: tempfile::TempDir,
}

pub fn settings(fake: &FakeBotApi, db_url: &str, webhook: bool) -> Settings {
    let mut s =
        Settings { database_url: db_url.to_string(), http_addr: "127.0.0.1:0".parse().unwrap(), ..Default::default() };
    s.telegram.bot_token = Some(Secret::new("123456:TEST-token"));
    s.telegram.api_url = fake.url.clone();
    s.telegram.owner_ids = vec![OWNER];
    s.calcom_webhook_secret = Some(Secret::new("test_cal_webhook_secret"));
    s.calendar_feed_secret = Some(Secret::new(CALENDAR_SECRET));
    s.instagram_verify_token = Some(Secret::new("meatyhamhock"));
    s.instagram_app_secret = Some(Secret::new(IG_SECRET));
    if webhook {
        s.public_url = Some("https://crm.example.test".into());
        s.telegram.webhook_secret = Some(Secret::new(WEBHOOK_SECRET));
    }
    s
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(false, None).await
    }

    pub async fn spawn_webhook() -> Self {
        Self::spawn_with(true, None).await
    }

    /// Starts the app; with `reuse`, on the database (and temp dir) of a stopped app.
    pub async fn spawn_with(webhook: bool, reuse: Option<tempfile::TempDir>) -> Self {
        Self::spawn_custom(webhook, reuse, |_| {}).await
    }

    /// Starts the app with settings adjusted by `adjust`.
    pub async fn spawn_custom(
        webhook: bool,
        reuse: Option<tempfile::TempDir>,
        adjust: impl FnOnce(&mut Settings),
    ) -> Self {
        let fake = FakeBotApi::start().await.expect("fake bot api");
        let dir = reuse.unwrap_or_else(|| tempfile::tempdir().expect("tempdir"));
        let db_url = format!("sqlite://{}", dir.path().join("crm.db").display());
        let mut s = settings(&fake, &db_url, webhook);
        adjust(&mut s);
        let app = App::build(s).await.expect("app builds");
        let http = app.http_addr();
        let core = app.core();
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app.run(async move {
            let _ = rx.await;
        }));
        TestApp {
            fake,
            http,
            core,
            webhook,
            next_update: AtomicI64::new(NEXT_UPDATE_BASE.fetch_add(10_000, Ordering::Relaxed)),
            stop: Some(tx),
            handle: Some(handle),
            dir,
        }
    }

    /// Stops the app cleanly and returns its directory (with the database) for a restart.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("app task").expect("app stopped cleanly");
        }
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.dir, dir)
    }

    pub fn next_id(&self) -> i64 {
        self.next_update.fetch_add(1, Ordering::Relaxed)
    }

    /// Delivers an update the way the app is configured to receive it. A method in the
    /// webhook's response (a button's acknowledgement) reaches the fake as Telegram runs it.
    pub async fn deliver(&self, update: serde_json::Value) {
        if self.webhook {
            let (status, body) = self.post_webhook(&update).await;
            assert_eq!(status, 200);
            self.fake.webhook_response(&body).await;
        } else {
            self.fake.push_update(update);
        }
    }

    /// Posts `update` to the webhook as Telegram does: the status and the response's body.
    pub async fn post_webhook(&self, update: &serde_json::Value) -> (u16, Vec<u8>) {
        let response = reqwest::Client::new()
            .post(format!("http://{}/webhooks/telegram", self.http))
            .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
            .json(update)
            .send()
            .await
            .expect("webhook post");
        let status = response.status().as_u16();
        (status, response.bytes().await.expect("webhook response").to_vec())
    }

    /// Sends `text` from `user` and waits for the first reply message in her chat; returns the
    /// new calls of that chat (messages the outbox sends elsewhere meanwhile are left out).
    pub async fn text_from(&self, user: i64, lang: &str, text: &str) -> Vec<Call> {
        let before = self.fake.calls().len();
        self.deliver(updates::text(self.next_id(), user, lang, text)).await;
        let calls = self
            .fake
            .wait_for(WAIT, |c| {
                c[before..].iter().any(|c| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, user))
            })
            .await
            .expect("a reply");
        calls[before..].iter().filter(|c| in_chat(c, user)).cloned().collect()
    }

    /// Sends `text` from the owner and waits for her reply that `pred` accepts (a notice the
    /// outbox sends meanwhile is not taken for the answer); returns that reply.
    pub async fn text_matching(&self, text: &str, pred: impl Fn(&Call) -> bool) -> Call {
        let before = self.fake.calls().len();
        self.deliver(updates::text(self.next_id(), OWNER, "uk", text)).await;
        let is_reply = |c: &Call| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, OWNER) && pred(c);
        let calls = self.fake.wait_for(WAIT, |c| c[before..].iter().any(is_reply)).await;
        let calls =
            calls.unwrap_or_else(|_| panic!("no matching reply to {text:?}: {:#?}", &self.fake.calls()[before..]));
        calls[before..].iter().find(|c| is_reply(c)).cloned().unwrap()
    }

    /// [`TestApp::text_matching`] the reply containing `needle`.
    pub async fn text_until(&self, text: &str, needle: &str) -> Call {
        self.text_matching(text, |c| c.text().contains(needle)).await
    }

    pub async fn text(&self, text: &str) -> Vec<Call> {
        self.text_from(OWNER, "uk", text).await
    }

    /// Presses a button with `data` on message `message_id`; waits for the acknowledgement,
    /// which the adapter sends last.
    pub async fn press_from(&self, user: i64, data: &str, message_id: i64) -> Vec<Call> {
        let before = self.fake.calls().len();
        self.deliver(updates::callback(self.next_id(), user, "uk", message_id, data)).await;
        let calls = self
            .fake
            .wait_for(WAIT, |c| c[before..].iter().any(|c| c.method.eq_ignore_ascii_case("answerCallbackQuery")))
            .await
            .expect("an acknowledgement");
        calls[before..].iter().filter(|c| in_chat(c, user)).cloned().collect()
    }

    pub async fn press(&self, data: &str) -> Vec<Call> {
        self.press_from(OWNER, data, 5000).await
    }

    /// Delivers a message update and waits for the first reply in the sender's chat.
    pub async fn update(&self, update: serde_json::Value) -> Vec<Call> {
        let chat = update["message"]["chat"]["id"].as_i64().unwrap_or(OWNER);
        let before = self.fake.calls().len();
        self.deliver(update).await;
        let calls = self
            .fake
            .wait_for(WAIT, |c| {
                c[before..].iter().any(|c| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, chat))
            })
            .await
            .expect("a reply");
        calls[before..].iter().filter(|c| in_chat(c, chat)).cloned().collect()
    }

    pub fn next_update_id(&self) -> i64 {
        self.next_id()
    }
}

/// Calls addressed to `chat`, and callback acknowledgements (they name no chat). Other calls
/// without a chat (the menu's `setMyCommands`, which starts `CATCH_UP_AFTER` after the server
/// and may land in any test's window) belong to no chat.
pub fn in_chat(call: &Call, chat: i64) -> bool {
    match call.body.get("chat_id") {
        Some(id) => *id == chat,
        None => call.method.eq_ignore_ascii_case("answerCallbackQuery"),
    }
}

/// The text of the first sendMessage/editMessageText among `calls`.
pub fn reply_text(calls: &[Call]) -> String {
    calls
        .iter()
        .find(|c| c.method.eq_ignore_ascii_case("sendMessage") || c.method.eq_ignore_ascii_case("editMessageText"))
        .map(|c| c.text().to_string())
        .unwrap_or_default()
}

/// The callback data of the button whose label contains `label`, in the last message with buttons.
pub fn button(calls: &[Call], label: &str) -> String {
    calls.iter().rev().flat_map(|c| c.buttons()).find(|(l, _)| l.contains(label)).map(|(_, d)| d).unwrap_or_else(|| {
        panic!("no button `{label}` in {:#?}", calls.iter().map(|c| c.buttons()).collect::<Vec<_>>())
    })
}

pub fn method_count(calls: &[Call], method: &str) -> usize {
    calls.iter().filter(|c| c.method.eq_ignore_ascii_case(method)).count()
}

/// Waits (up to [`WAIT`]) until `check` holds; fails the test naming `what` otherwise.
pub async fn wait_until<F: std::future::Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    let deadline = std::time::Instant::now() + WAIT;
    while !check().await {
        assert!(std::time::Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// An order for `client` straight in the database (status code as stored: new, prod, ready, ...).
pub async fn insert_order(store: &insoles_crm::store::Store, client: i64, product: &str, status: &str) {
    sqlx::query(
        "INSERT INTO orders (client_id, product, price_kop, prepaid_kop, status, created_at, updated_at) \
         VALUES (?, ?, 180000, 0, ?, ?, ?)",
    )
    .bind(client)
    .bind(product)
    .bind(status)
    .bind(chrono::Utc::now())
    .bind(chrono::Utc::now())
    .execute(store.pool())
    .await
    .expect("insert an order");
}

/// The owner's latest message with buttons that contains `needle` (a card, a notice).
pub async fn owner_card(app: &TestApp, needle: &str) -> insoles_crm::fake_telegram::Call {
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, OWNER) && c.text().contains(needle) && !c.buttons().is_empty()))
        .await
        .expect("the owner's card");
    calls.into_iter().rev().find(|c| in_chat(c, OWNER) && c.text().contains(needle)).unwrap()
}

/// A client card with a name and a phone, straight in the store.
pub async fn client_with_phone(store: &insoles_crm::store::Store, name: &str, phone: &str) -> i64 {
    let name = insoles_crm::domain::ClientName::parse(name).unwrap();
    let phone = insoles_crm::domain::Phone::parse(phone).unwrap();
    let new = insoles_crm::store::clients::NewClient {
        name: &name,
        phone: Some(&phone),
        note: None,
        source: None,
        channel: "test",
    };
    store.create_client(new).await.unwrap()
}

/// An order of the client with `phone` taken by the owner and moved to issued with her buttons
/// (production, ready, issued: what schedules the follow-up, the NPS question and the product's
/// life); the order's id.
pub async fn order_taken_to_issued(app: &TestApp, phone: &str) -> i64 {
    let new = format!("/new_order {phone}, Устілки каркасні, 1800");
    let order = vec![app.text_matching(&new, |c| c.buttons().iter().any(|(l, _)| l.contains("У виробництві"))).await];
    let prod = app.press(&button(&order, "У виробництві")).await;
    let ready = app.press(&button(&prod, "Готове")).await;
    let issued = app.press(&button(&ready, "Видане")).await;
    // The order's card, not a notice that may reach her chat first.
    let card = issued.iter().find(|c| c.text().contains("Устілки каркасні")).map(|c| c.text().to_string());
    assert!(card.unwrap_or_default().contains("Видане"), "{issued:#?}");
    sqlx::query_scalar("SELECT MAX(id) FROM orders").fetch_one(app.core.store().pool()).await.unwrap()
}

/// A minimal SMTP server on loopback: accepts every message and keeps its DATA (lines joined by
/// `\n`, dot-stuffing undone).
pub async fn smtp_sink() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let mails = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let store = mails.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = socket.into_split();
                let mut lines = tokio::io::BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap_or_default());
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            buf.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                            buf.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (url, mails)
}

/// The last message to `chat` containing `needle`, waiting for it.
pub async fn sent_to(app: &TestApp, chat: i64, needle: &str) -> Call {
    let found = |c: &Call| {
        c.method.eq_ignore_ascii_case("sendMessage") && c.body["chat_id"] == chat && c.text().contains(needle)
    };
    let calls =
        app.fake.wait_for(WAIT, |c| c.iter().any(found)).await.unwrap_or_else(|_| panic!("no `{needle}` to {chat}"));
    calls.into_iter().rev().find(found).unwrap()
}

/// A time still inside today's business day (Kyiv): in half an hour, or, late in the evening,
/// a little before midnight; in the day's last minutes, an hour ago (overdue counts as today).
pub fn later_today() -> chrono::DateTime<chrono::Utc> {
    use chrono_tz::Europe::Kyiv;
    let now = chrono::Utc::now();
    let midnight = insoles_crm::domain::when::resolve_local(
        Kyiv,
        now.with_timezone(&Kyiv).date_naive() + chrono::Duration::days(1),
        chrono::NaiveTime::MIN,
    );
    let at = (now + chrono::Duration::minutes(30)).min(midnight - chrono::Duration::minutes(2));
    if at > now + chrono::Duration::seconds(30) {
        at
    } else {
        now - chrono::Duration::hours(1)
    }
}
