//! Nothing missed in Instagram Direct (issue 16): the reconcile job reads the conversations back
//! from a fake Graph API on loopback, handles a DM no webhook delivered exactly once (run twice),
//! leaves a webhook-delivered one alone, and tells the owner once about DMs unanswered > 2 h.

use crate::helpers::*;
use crate::instagram::{message, post, sign};
use insoles_crm::work::JobSpec;
use serde_json::json;

const ACCOUNT: &str = "17841400000000001";

/// A fake Graph API listing two conversations: one with a DM the webhook never delivered (3 h
/// old, unanswered, and one 30 h old), one with a DM that did arrive by webhook and was answered since.
async fn fake_inbox() -> String {
    let ago = |h: i64| (chrono::Utc::now() - chrono::Duration::hours(h)).format("%Y-%m-%dT%H:%M:%S%z").to_string();
    let list = json!({ "data": [
        { "id": "c1", "messages": { "data": [
            { "id": "m_missed", "created_time": ago(3), "from": { "id": "5550001" }, "message": "Скільки коштують устілки?" },
            { "weird": true },
            { "id": "m_old", "created_time": ago(30), "from": { "id": "5550001" }, "message": "Давнє" },
        ]}},
        { "id": "c2", "messages": { "data": [
            { "id": "m_answer", "created_time": ago(1), "from": { "id": ACCOUNT }, "message": "Вітаю!" },
            { "id": "m_hooked", "created_time": ago(3), "from": { "id": "7770001" }, "message": "Привіт" },
        ]}},
    ]});
    let graph = axum::Router::new()
        .route(
            "/v22.0/me",
            axum::routing::get(|| async { axum::Json(json!({ "user_id": ACCOUNT, "username": "studio" })) }),
        )
        .route("/v22.0/me/conversations", axum::routing::get(move || async move { axum::Json(list) }))
        .route(
            "/v22.0/me/messages",
            axum::routing::post(|| async { axum::Json(json!({ "recipient_id": "1", "message_id": "m_out" })) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v22.0", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, graph).await });
    api
}

async fn done(app: &TestApp, key: &str) {
    wait_until(key, || async {
        matches!(app.core.store().job_by_key(key).await.unwrap(), Some((s, _)) if s == "done")
    })
    .await;
}

async fn inbound(app: &TestApp, ig: &str) -> usize {
    let store = app.core.store();
    let client = store.client_by_instagram_id(ig).await.unwrap().expect("a client for the sender");
    let all = store.recent_interactions(client, 20).await.unwrap();
    all.iter().filter(|i| i.channel == "instagram" && i.direction == "in").count()
}

#[tokio::test]
async fn a_missed_dm_is_handled_once_and_the_owner_is_told_once() {
    let api = fake_inbox().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.instagram = Some(insoles_crm::notify::InstagramConfig {
            api_url: api.clone(),
            token: insoles_crm::config::Secret::new("ig-token"),
        });
    })
    .await;
    // The webhook delivered one of the two DMs.
    let body = message("7770001", "m_hooked", "Привіт");
    assert_eq!(post(&app, body.clone(), &sign(&body)).await, 200);
    done(&app, "ig:message:m_hooked").await;

    for run in ["test:reconcile:1", "test:reconcile:2"] {
        app.core.store().enqueue(&JobSpec::InstagramReconcile.job(chrono::Utc::now(), run)).await.unwrap();
        done(&app, run).await;
        done(&app, "ig:message:m_missed").await;
    }
    assert_eq!(inbound(&app, "5550001").await, 1, "the missed DM is handled once, the day-old one not replayed");
    assert_eq!(inbound(&app, "7770001").await, 1, "the webhook's DM is not handled again");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'instagram_event'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(events, 2);
    let notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE idempotency_key LIKE 'ig:unanswered:%:tg:%'")
            .fetch_one(app.core.store().pool())
            .await
            .unwrap();
    assert_eq!(notices, 1, "one notice for the same messages, however often the job runs");
    let notice = |c: &insoles_crm::fake_telegram::Call| in_chat(c, OWNER) && c.text().starts_with("⏰ Instagram");
    let calls = app.fake.wait_for(WAIT, |c| c.iter().any(notice)).await.unwrap();
    let told: Vec<_> = calls.iter().filter(|c| notice(c)).collect();
    assert_eq!(told.len(), 1, "told once for the same messages");
    assert!(told[0].text().contains("2 повідомлення чекають відповіді понад 2 год"), "{}", told[0].text());
}

#[tokio::test]
async fn a_graph_api_error_is_retried_by_the_jobs_backoff() {
    let graph = axum::Router::new()
        .route("/v22.0/me", axum::routing::get(|| async { (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v22.0", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, graph).await });
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.instagram =
            Some(insoles_crm::notify::InstagramConfig { api_url: api, token: insoles_crm::config::Secret::new("t") });
    })
    .await;
    let key = "test:reconcile:down";
    app.core.store().enqueue(&JobSpec::InstagramReconcile.job(chrono::Utc::now(), key)).await.unwrap();
    let state = || async {
        sqlx::query_as::<_, (String, i64, Option<String>)>(
            "SELECT state, attempts, last_error FROM jobs WHERE idempotency_key = ?",
        )
        .bind(key)
        .fetch_one(app.core.store().pool())
        .await
        .unwrap()
    };
    wait_until("the job fails once", || async { state().await.1 >= 1 && state().await.0 == "pending" }).await;
    let (state, _, error) = state().await;
    assert_eq!(state, "pending", "waits for its retry, not failed for good");
    assert!(error.unwrap_or_default().contains("503"));
}
