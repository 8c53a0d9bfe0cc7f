//! Issue 16, the optional Listmonk sync, against a fake Listmonk on loopback
//! (`tests/it/fake_listmonk.rs`): consent makes a confirmed subscriber (body and auth header as
//! sent), a duplicate address is found and added, an unsubscribe on either side reaches the other
//! (and stops the sequence), a forgotten client is deleted there, a 500 is retried and a 403
//! fails once without the token in its error; without the settings nothing of it runs, and a
//! partial set is refused at start-up.

use crate::fake_listmonk::{FakeListmonk, Sub, OWNER_LIST, TOKEN, USER};
use crate::helpers::*;
use crate::sequences::{came_to_diagnostics, client, enrolled, marketing_mails, Mails};
use chrono::{Duration, Utc};
use insoles_crm::config::{ListmonkSettings, Secret, Settings};
use insoles_crm::work::JobSpec;
use insoles_crm::worker::Worker;
use serde_json::json;

/// The app with SMTP to a sink, the shipped sequences, and Listmonk at `fake` (with `token`,
/// list `list_id` or, without, the list named "Insoles CRM"); the start-up sync has run.
async fn lm_app(fake: Option<&FakeListmonk>, token: &str, list_id: Option<i64>) -> (TestApp, Mails) {
    let (app, mails) = crate::sequences::marketing_app_with(None, |s| {
        s.listmonk = fake.map(|f| ListmonkSettings {
            url: f.url.clone(),
            user: USER.into(),
            token: Secret::new(token),
            list_id,
            list_name: "Insoles CRM".into(),
            sync_minutes: 10,
        });
    })
    .await;
    if fake.is_some() {
        // The scheduler catches the last missed sync up at start: let it finish first.
        wait_until("the start-up sync ran", || async {
            count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'listmonk_sync' AND state IN ('pending', 'running')")
                .await
                == 0
        })
        .await;
    }
    (app, mails)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.core.store().pool()).await.unwrap()
}

/// The owner's consent switch on the card (a core path: the push is enqueued at once).
async fn switch_consent(app: &TestApp, client: i64) {
    app.press(&format!("mc:{client}")).await;
}

/// Waits until every Listmonk job has finished (done or failed).
async fn settled(app: &TestApp) {
    wait_until("listmonk jobs settled", || async {
        count(app, "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'listmonk%' AND state IN ('pending', 'running')").await
            == 0
    })
    .await;
}

async fn sync_now(app: &TestApp, key: &str) {
    app.core.store().enqueue(&JobSpec::ListmonkSync.job(Utc::now(), key)).await.unwrap();
    wait_until(key, || async {
        matches!(app.core.store().job_by_key(key).await.unwrap(), Some((s, _)) if s == "done")
    })
    .await;
    settled(app).await;
}

#[tokio::test]
async fn consent_creates_a_confirmed_subscriber_with_minimal_attribs_and_the_token_header() {
    let fake = FakeListmonk::start().await;
    let (app, _) = lm_app(Some(&fake), TOKEN, None).await;
    let id = client(&app, "Олена Підписана", "0671700001", "Olena.Sub@example.com", false).await;
    switch_consent(&app, id).await;
    wait_until("a subscriber in Listmonk", || async { fake.sub("olena.sub@example.com").is_some() }).await;
    settled(&app).await;

    let list = fake.list_named("Insoles CRM").expect("the CRM's list was created once");
    assert_eq!(fake.seen("POST /api/lists").len(), 1);
    let posts = fake.seen("POST /api/subscribers");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].body,
        json!({
            "email": "Olena.Sub@example.com", "name": "Олена Підписана", "status": "enabled", "lists": [list],
            "preconfirm_subscriptions": true, "attribs": { "crm_id": id, "language": "uk" },
        })
    );
    assert_eq!(posts[0].auth.as_deref(), Some(format!("token {USER}:{TOKEN}").as_str()));
    assert!(fake.data.lock().unwrap().seen.iter().all(|s| s.cookie.is_none()), "no cookie is ever sent");
    let sub = fake.sub("olena.sub@example.com").unwrap();
    assert_eq!(sub.on(list), Some("confirmed"));
    let mapped = app.core.store().listmonk_mapped(id).await.unwrap().expect("her subscriber id is kept");
    assert_eq!((mapped.subscriber_id, mapped.state.as_str()), (sub.id, "subscribed"));

    // Consent recorded where nothing enqueues a push (an import): the next sync pushes it; a
    // second sync pushes nothing again.
    let imported = client(&app, "Ганна Імпорт", "0671700011", "ganna@example.com", true).await;
    sync_now(&app, "test:lm:import").await;
    assert_eq!(fake.sub("ganna@example.com").unwrap().attribs["crm_id"], json!(imported));
    sync_now(&app, "test:lm:again").await;
    assert_eq!(fake.seen("POST /api/subscribers").len(), 2);
    let status = reply_text(&app.text("/listmonk").await);
    assert!(status.contains("Підписані: 2") && status.contains("з помилкою: 0"), "{status}");
    assert!(!status.contains("ще не було"), "the last sync is shown: {status}");
}

#[tokio::test]
async fn a_duplicate_address_is_found_and_added_to_the_list_not_failed() {
    let fake = FakeListmonk::start().await;
    fake.add(Sub {
        id: 77,
        email: "dana+news@example.com".into(),
        name: "Dana".into(),
        status: "enabled".into(),
        attribs: json!({}),
        lists: vec![(OWNER_LIST, "confirmed".into())],
    });
    let (app, _) = lm_app(Some(&fake), TOKEN, Some(OWNER_LIST + 1)).await;
    let id = client(&app, "Дана Дубль", "0671700002", "dana+news@example.com", false).await;
    switch_consent(&app, id).await;
    settled(&app).await;

    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'listmonk_push' AND state = 'failed'").await, 0);
    let search = fake.seen("GET /api/subscribers");
    let anchored = search.iter().filter_map(|s| s.query.iter().find(|(k, _)| k == "search")).next();
    assert_eq!(anchored.map(|(_, v)| v.as_str()), Some("^dana\\+news@example\\.com$"));
    let sub = fake.sub("dana+news@example.com").unwrap();
    assert_eq!(sub.on(OWNER_LIST + 1), Some("confirmed"), "added to the CRM's list: {sub:?}");
    assert_eq!(sub.on(OWNER_LIST), Some("confirmed"), "the owner's own list is kept");
    assert_eq!(app.core.store().listmonk_mapped(id).await.unwrap().unwrap().subscriber_id, 77);
}

#[tokio::test]
async fn an_unsubscribe_in_the_crm_unsubscribes_her_from_the_list_and_forgetting_deletes_her() {
    let fake = FakeListmonk::start().await;
    let list = OWNER_LIST + 1;
    let (app, _) = lm_app(Some(&fake), TOKEN, Some(list)).await;
    let id = client(&app, "Ірина Відписка", "0671700003", "iryna@example.com", false).await;
    switch_consent(&app, id).await;
    wait_until("subscribed", || async { fake.sub("iryna@example.com").is_some_and(|s| s.on(list).is_some()) }).await;
    settled(&app).await;

    // Her one-click unsubscribe from a CRM e-mail.
    let token = insoles_crm::core::marketing::unsubscribe::token(&app.core, id).await.unwrap();
    let r = reqwest::Client::new()
        .post(format!("http://{}/unsubscribe/{token}", app.http))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    wait_until("unsubscribed in Listmonk", || async {
        fake.sub("iryna@example.com").and_then(|s| s.on(list).map(str::to_string)).as_deref() == Some("unsubscribed")
    })
    .await;
    settled(&app).await;
    let put = fake.seen("PUT /api/subscribers/lists");
    assert_eq!(put.last().unwrap().body["action"], "unsubscribe");
    assert_eq!(app.core.store().listmonk_mapped(id).await.unwrap().unwrap().state, "unsubscribed");
    // Reading Listmonk back does not count her unsubscribe twice.
    sync_now(&app, "test:lm:read").await;
    assert_eq!(app.core.store().unsubscribe_count(id).await.unwrap(), 1);

    // Forgotten (the store's path, which enqueues nothing): the next sync deletes her there.
    app.core.store().forget_client(id, "Клієнтка", "test").await.unwrap().expect("forgotten");
    sync_now(&app, "test:lm:forget").await;
    assert!(fake.sub("iryna@example.com").is_none(), "deleted from Listmonk");
    assert_eq!(fake.seen("DELETE /api/subscribers/101").len(), 1);
    assert!(app.core.store().listmonk_mapped(id).await.unwrap().is_none());
}

#[tokio::test]
async fn an_unsubscribe_in_listmonk_is_recorded_and_her_next_sequence_step_is_not_sent() {
    let fake = FakeListmonk::start().await;
    let list = OWNER_LIST + 1;
    let (app, mails) = lm_app(Some(&fake), TOKEN, Some(list)).await;
    let id = client(&app, "Марта Послідовна", "0671700004", "marta@example.com", false).await;
    switch_consent(&app, id).await;
    wait_until("subscribed", || async { fake.sub("marta@example.com").is_some() }).await;
    settled(&app).await;
    // A second card with her address (not merged yet) shares the subscriber (the 409 path).
    let twin = client(&app, "Марта Друга", "0671700014", "marta@example.com", false).await;
    switch_consent(&app, twin).await;
    settled(&app).await;
    let sub = fake.sub("marta@example.com").unwrap().id;
    assert_eq!(app.core.store().listmonk_mapped(twin).await.unwrap().unwrap().subscriber_id, sub);
    came_to_diagnostics(&app, id, Utc::now() - Duration::hours(3)).await;
    let e = enrolled(&app, id).await;
    assert_eq!(app.core.store().job_by_key(&format!("seq:{e}:0")).await.unwrap().unwrap().0, "pending");

    fake.unsubscribe_there("marta@example.com", list);
    sync_now(&app, "test:lm:pull").await;
    let store = app.core.store();
    assert!(store.consent(id).await.unwrap().is_none(), "her consent is withdrawn in the CRM");
    assert!(store.consent(twin).await.unwrap().is_none(), "on both her cards");
    let via: String = sqlx::query_scalar("SELECT via FROM unsubscribes WHERE client_id = ?")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(via, "listmonk");
    // Her step due tomorrow never goes: not even with the clock two weeks on.
    Worker::new(app.core.clone(), None).tick(Utc::now() + Duration::days(14)).await.unwrap();
    assert_ne!(store.job_by_key(&format!("seq:{e}:0")).await.unwrap().unwrap().0, "done");
    assert!(marketing_mails(&mails).is_empty(), "no marketing e-mail was sent");
    assert_eq!(store.enrolment(e).await.unwrap().unwrap().status, "stopped");
    // Nor does the sync push her back.
    assert_eq!(fake.sub("marta@example.com").unwrap().on(list), Some("unsubscribed"));
}

#[tokio::test]
async fn a_server_error_is_retried_then_the_subscriber_is_created() {
    let fake = FakeListmonk::start().await;
    let (app, _) = lm_app(Some(&fake), TOKEN, Some(OWNER_LIST)).await;
    fake.fail("POST /api/subscribers", 500, 1);
    let id = client(&app, "Ніна Повтор", "0671700005", "nina@example.com", false).await;
    switch_consent(&app, id).await;
    let pool = app.core.store().pool().clone();
    wait_until("the push waits for a retry", || async {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT state, last_error FROM jobs WHERE kind = 'listmonk_push'")
                .fetch_optional(&pool)
                .await
                .unwrap();
        matches!(row, Some((s, Some(err))) if s == "pending" && err.contains("500"))
    })
    .await;
    // Its backoff is due now rather than in 5 s.
    sqlx::query("UPDATE jobs SET due_at = ? WHERE kind = 'listmonk_push'")
        .bind(Utc::now())
        .execute(&pool)
        .await
        .unwrap();
    app.core.store().jobs_changed();
    settled(&app).await;
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM jobs WHERE kind = 'listmonk_push'").fetch_one(&pool).await.unwrap();
    assert_eq!((state.as_str(), attempts), ("done", 2));
    assert_eq!(fake.seen("POST /api/subscribers").len(), 2);
    assert_eq!(fake.sub("nina@example.com").unwrap().on(OWNER_LIST), Some("confirmed"));
}

#[tokio::test]
async fn a_forbidden_answer_fails_once_and_its_error_names_no_token() {
    let fake = FakeListmonk::start().await;
    let wrong = "wrong-token-XYZ-987654";
    let (app, _) = lm_app(Some(&fake), wrong, Some(OWNER_LIST)).await;
    let id = client(&app, "Віра Заборона", "0671700006", "vira@example.com", false).await;
    switch_consent(&app, id).await;
    settled(&app).await;
    let (state, attempts, error): (String, i64, String) =
        sqlx::query_as("SELECT state, attempts, last_error FROM jobs WHERE kind = 'listmonk_push'")
            .fetch_one(app.core.store().pool())
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("failed", 1), "not retried: {error}");
    assert!(error.contains("403") && error.contains("invalid API credentials"), "{error}");
    assert!(!error.contains(wrong), "the token is not in the error: {error}");
    assert_eq!(fake.seen("POST /api/subscribers").len(), 1);
    assert!(fake.sub("vira@example.com").is_none());
    // The owner sees the failures (this push, and the start-up sync refused the same way).
    let failed = count(&app, "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'listmonk%' AND state = 'failed'").await;
    assert_eq!(failed, 2);
    let status = reply_text(&app.text("/listmonk").await);
    assert!(status.contains("з помилкою: 2"), "{status}");
}

#[tokio::test]
async fn without_listmonk_settings_no_listmonk_job_is_ever_enqueued() {
    let (app, _) = lm_app(None, TOKEN, None).await;
    let id = client(&app, "Ліля Без", "0671700007", "lilia@example.com", false).await;
    switch_consent(&app, id).await;
    switch_consent(&app, id).await;
    switch_consent(&app, id).await;
    app.core.store().forget_client(id, "Клієнтка", "test").await.unwrap().expect("forgotten");
    let schedules = insoles_crm::scheduler::schedules_for(&app.core);
    assert!(schedules.iter().all(|(t, _)| *t != insoles_crm::scheduler::Task::Listmonk));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'listmonk%'").await, 0);
    assert!(app.core.store().consent(id).await.unwrap().is_none());
    let status = reply_text(&app.text("/listmonk").await);
    assert!(status.contains("LISTMONK_URL"), "{status}");
}

#[test]
fn a_partial_listmonk_environment_is_a_config_error_naming_the_missing_variable() {
    let dir = tempfile::tempdir().unwrap();
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    };
    let err =
        Settings::load_from(dir.path(), env(&[("LISTMONK_URL", "http://127.0.0.1:9000"), ("LISTMONK_USER", "crm")]))
            .unwrap_err();
    assert!(format!("{err:#}").contains("LISTMONK_TOKEN"), "{err:#}");
    let err =
        Settings::load_from(dir.path(), env(&[("LISTMONK_URL", "http://127.0.0.1:9000"), ("LISTMONK_TOKEN", "t")]))
            .unwrap_err();
    assert!(format!("{err:#}").contains("LISTMONK_USER") && !format!("{err:#}").contains("LISTMONK_TOKEN:"), "{err:#}");
    assert!(Settings::load_from(dir.path(), env(&[])).unwrap().listmonk.is_none());
    let all: &'static [(&str, &str)] =
        &[("LISTMONK_URL", "http://127.0.0.1:9000"), ("LISTMONK_USER", "crm"), ("LISTMONK_TOKEN", "t")];
    assert!(Settings::load_from(dir.path(), env(all)).unwrap().listmonk.is_some());
}
