//! SMS (a fake TurboSMS over HTTP, which answers 200 even on errors) and e-mail (a real SMTP
//! conversation with a small sink on loopback) for booking reminders, switched on by the owner.

use crate::helpers::*;
use axum::routing::post;
use axum::Json;
use chrono::{Duration, Utc};
use insoles_crm::config::Secret;
use insoles_crm::notify::{EmailConfig, SmsConfig};
use insoles_crm::work::JobSpec;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Sms {
    requests: Arc<Mutex<Vec<(String, Value)>>>,
    /// Canned answers by recipient.
    answers: Arc<Mutex<std::collections::HashMap<String, Value>>>,
}

async fn fake_turbosms() -> (String, Sms) {
    let state = Sms::default();
    let s = state.clone();
    let app = axum::Router::new().route(
        "/message/send.json",
        post(move |headers: axum::http::HeaderMap, Json(body): Json<Value>| {
            let s = s.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let to = body["recipients"][0].as_str().unwrap_or("").to_string();
                s.requests.lock().unwrap().push((auth, body));
                let canned = s.answers.lock().unwrap().get(&to).cloned();
                // TurboSMS answers HTTP 200 whatever happened.
                Json(canned.unwrap_or_else(|| json!({"response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": [{"phone": "380", "response_code": 0, "message_id": "sms-1", "response_status": "OK"}]})))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, state)
}

#[tokio::test]
async fn booking_reminders_go_by_sms_and_email_when_switched_on() {
    let (sms_url, sms) = fake_turbosms().await;
    let (smtp_url, mails) = smtp_sink().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.sms =
            Some(SmsConfig { token: Secret::new("sms-token"), sender: "Ustilky".into(), api_url: sms_url.clone() });
        s.notify.email =
            Some(EmailConfig { url: Secret::new(smtp_url.clone()), from: "Студія <studio@example.com>".into() });
    })
    .await;
    let panel = app.text("/reminders").await;
    assert!(reply_text(&panel).contains("SMS: вимкнено"));
    app.press("rc:0").await;
    let on = app.press("rc:1").await;
    assert!(
        reply_text(&on).contains("SMS: увімкнено") && reply_text(&on).contains("E-mail: увімкнено"),
        "{}",
        reply_text(&on)
    );

    let store = app.core.store();
    app.text("/new_client Роксолана Бойко, 0671239999").await;
    let client =
        store.client_by_phone(&insoles_crm::domain::Phone::parse("0671239999").unwrap()).await.unwrap().unwrap();
    store
        .set_client_field(
            client.id,
            insoles_crm::store::clients::TextField::Email,
            insoles_crm::store::clients::FieldValue::Text(Some("roksolana@example.com".into())),
        )
        .await
        .unwrap();
    let svc = app.core.config().booking.services[0].clone();
    let today = insoles_crm::core::booking::today(&app.core);
    let slot = insoles_crm::core::booking::free(&app.core, &svc, today + Duration::days(2), today + Duration::days(20))
        .await
        .unwrap()[0];
    let services = app.text("/book Роксолана").await;
    let _ = services;
    let booked = app.press(&format!("bt:0:{}", insoles_crm::core::booking::minutes(slot))).await;
    assert!(reply_text(&booked).contains("Записано"), "{}", reply_text(&booked));

    let w = insoles_crm::worker::Worker::new(app.core.clone(), None);
    w.tick(slot - Duration::minutes(90)).await.unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while sms.requests.lock().unwrap().is_empty() || mails.lock().unwrap().is_empty() {
        if std::time::Instant::now() >= deadline {
            let jobs: Vec<(String, String, Option<String>, Option<String>)> =
                sqlx::query_as("SELECT kind, state, result, last_error FROM jobs")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            panic!("no SMS or e-mail: {jobs:#?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    let (auth, body) = sms.requests.lock().unwrap()[0].clone();
    assert_eq!(auth, "Bearer sms-token");
    assert_eq!(body["recipients"], json!(["380671239999"]));
    assert_eq!(body["sms"]["sender"], "Ustilky");
    assert!(body["sms"]["text"].as_str().unwrap().starts_with("Нагадуємо: Діагностика стопи"));
    assert!(body["sequence_id"].as_str().unwrap().ends_with(":sms"), "the job key makes repeats idempotent");
    let mail = mails.lock().unwrap()[0].clone();
    assert!(mail.contains("To: roksolana@example.com") && mail.contains("Message-ID: <booking."), "{mail}");
}

#[tokio::test]
async fn turbosms_errors_inside_http_200_retry_or_fail() {
    let (sms_url, sms) = fake_turbosms().await;
    let app = TestApp::spawn_custom(false, None, |s| {
        s.notify.sms = Some(SmsConfig { token: Secret::new("t"), sender: "Ustilky".into(), api_url: sms_url.clone() });
    })
    .await;
    let store = app.core.store();
    let later = Utc::now() + Duration::hours(1);
    store
        .enqueue(&JobSpec::SendSms { phone: "+380501112233".into(), text: "a".into() }.job(later, "sms:balance"))
        .await
        .unwrap();
    store
        .enqueue(
            &JobSpec::SendSms { phone: "+380501112244".into(), text: "b".into() }
                .job(later + Duration::minutes(1), "sms:token"),
        )
        .await
        .unwrap();
    {
        let mut answers = sms.answers.lock().unwrap();
        answers.insert(
            "380501112233".into(),
            json!({"response_code": 203, "response_status": "REQUIRED_BALANCE", "response_result": null}),
        );
        answers.insert(
            "380501112244".into(),
            json!({"response_code": 301, "response_status": "INVALID_TOKEN", "response_result": null}),
        );
    }
    let w = insoles_crm::worker::Worker::new(app.core.clone(), None);
    w.tick(later + Duration::minutes(1)).await.unwrap();
    let balance = store.job_by_key("sms:balance").await.unwrap().unwrap();
    let token = store.job_by_key("sms:token").await.unwrap().unwrap();
    assert_eq!(balance.0, "pending", "no balance: tried again later");
    assert_eq!(token.0, "failed", "a wrong token will not fix itself");
}
