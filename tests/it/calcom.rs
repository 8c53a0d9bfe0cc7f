//! Cal.com webhooks with the reference fixtures and their published signatures: verified over
//! raw bytes, forged and replayed bodies refused with 401 and nothing stored, created /
//! rescheduled / cancelled bookings in our bookings table, linked to a client by phone.

use crate::helpers::*;
use insoles_crm::domain::Phone;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/fixtures/calcom/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}"))
        .unwrap_or_else(|e| panic!("{name}: {e} (../shared must sit beside the checkout)"))
}

async fn post(app: &TestApp, body: Vec<u8>, signature: Option<&str>) -> u16 {
    let mut req = reqwest::Client::new()
        .post(format!("http://{}/webhooks/calcom", app.http))
        .header("content-type", "application/json")
        .body(body);
    if let Some(s) = signature {
        req = req.header("X-Cal-Signature-256", s);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn calcom_jobs(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'calcom_event'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn calcom_bookings_land_in_our_table_and_forgeries_do_not() {
    let app = TestApp::spawn().await;
    let created = fixture("booking_created.wire.json");
    // Forged, unsigned, signed with another secret, signed over other bytes: 401, nothing stored.
    assert_eq!(post(&app, created.clone(), None).await, 401);
    assert_eq!(post(&app, created.clone(), Some("00")).await, 401);
    assert_eq!(
        post(
            &app,
            fixture("booking_created.json"),
            Some("31545de72774f7bfba40479336c0aa0a46bd2fa9329d2c63aaff027485866ba0")
        )
        .await,
        401
    );
    assert_eq!(calcom_jobs(&app).await, 0);

    assert_eq!(
        post(&app, created.clone(), Some("31545de72774f7bfba40479336c0aa0a46bd2fa9329d2c63aaff027485866ba0")).await,
        200
    );
    // The same delivery again is a replay.
    assert_eq!(
        post(&app, created, Some("31545de72774f7bfba40479336c0aa0a46bd2fa9329d2c63aaff027485866ba0")).await,
        401
    );
    assert_eq!(calcom_jobs(&app).await, 1);

    let store = app.core.store();
    wait_until("the Cal.com event is processed", || async {
        store.booking_by_external("pQ7sX2mRk9aB1cD3eF5gH7").await.unwrap().is_some()
    })
    .await;
    let b = store.booking_by_external("pQ7sX2mRk9aB1cD3eF5gH7").await.unwrap().unwrap();
    assert_eq!(b.client_name, "Іван Петренко");
    assert_eq!(b.client_phone.as_deref(), Some("+380501234567"));
    assert_eq!(b.service, "diagnostics");
    assert_eq!(b.starts_at.to_rfc3339(), "2025-03-28T08:00:00+00:00");
    let client = store.client_by_phone(&Phone::parse("0501234567").unwrap()).await.unwrap().unwrap();
    assert_eq!(client.email.as_deref(), Some("client@example.com"));
    let notice = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("Новий запис") && c.text().contains("Іван Петренко")))
        .await;
    assert!(notice.is_ok());

    assert_eq!(
        post(
            &app,
            fixture("booking_rescheduled.json"),
            Some("481bfc95932de4075a586e73f4abefb7d647b0738dc5e0872c9f11400e5a6120")
        )
        .await,
        200
    );
    wait_until("the Cal.com event is processed", || async {
        store.booking_by_external("Zr3tY6uI9oP2aS4dF6gH8j").await.unwrap().is_some()
    })
    .await;
    let moved = store.booking_by_external("Zr3tY6uI9oP2aS4dF6gH8j").await.unwrap().unwrap();
    assert_eq!(moved.id, b.id, "rescheduling moves the same booking");
    assert_eq!(moved.starts_at.to_rfc3339(), "2025-03-31T07:00:00+00:00");

    assert_eq!(
        post(
            &app,
            fixture("booking_cancelled.json"),
            Some("3eac7d7b3c489b411a953cd90afd31c38319c32f965349095061a616bb9d58cf")
        )
        .await,
        200
    );
    wait_until("the Cal.com event is processed", || async {
        store.booking(b.id).await.unwrap().status == insoles_crm::domain::BookingStatus::Cancelled
    })
    .await;
    assert_eq!(
        post(&app, fixture("ping.json"), Some("0a5e91ac51db59ff2d75cd9ad2245825526ce3fdee46e8866f5ec61449cbe743"))
            .await,
        200
    );
    assert_eq!(store.client_count().await.unwrap(), 1, "one client, found again by phone");

    // Oversize bodies are refused before anything else.
    assert_eq!(post(&app, vec![b' '; 2 * 1024 * 1024], Some("00")).await, 413);
}
