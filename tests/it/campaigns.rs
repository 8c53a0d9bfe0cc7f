//! Issue 16, campaigns: `/campaign` to a segment (tag, last visit, product age) of the clients
//! with consent: a preview (the count and the first e-mail), a test to the owner's address, a
//! send only on the confirmation tap, once; the e-mails scheduled at the SMTP server's rate and
//! never sent before their place in it.

use crate::helpers::*;
use crate::report_email::header;
use crate::sequences::{client, marketing_app, marketing_mails, wait_for_mails};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use insoles_crm::core::marketing::campaign;
use insoles_crm::domain::segment::Segment;

async fn campaign_jobs(app: &TestApp, id: i64) -> Vec<(String, DateTime<Utc>, String)> {
    sqlx::query_as(
        "SELECT idempotency_key, due_at, state FROM jobs WHERE kind = 'campaign_email' AND idempotency_key LIKE ? \
         ORDER BY due_at, id",
    )
    .bind(format!("campaign:{id}:%"))
    .fetch_all(app.core.store().pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn campaign_preview_test_send_and_a_confirmed_send_to_the_tagged_clients_with_consent() {
    let (app, mails) = marketing_app(None, Some(600)).await;
    let store = app.core.store();
    let mut tagged = vec![];
    for (i, name) in ["Анна Спортивна", "Богдана Бігова", "Віра Марафон"].iter().enumerate()
    {
        let id = client(&app, name, &format!("067170000{i}"), &format!("c{i}@example.com"), true).await;
        store.tag_client(id, "спорт").await.unwrap();
        tagged.push(id);
    }
    let no_consent = client(&app, "Галина Беззгоди", "0671700010", "g@example.com", false).await;
    store.tag_client(no_consent, "спорт").await.unwrap();
    client(&app, "Дарина Безтегу", "0671700011", "d@example.com", true).await;

    let preview = app.text("/campaign #спорт\nНові устілки для бігу\nВітаю, {name}!\n\nМаємо нові моделі.").await;
    let text = reply_text(&preview);
    assert!(text.contains("3 отримувачки"), "{text}");
    assert!(text.contains("Анна Спортивна <c0@example.com>"), "the first e-mail: {text}");
    assert!(text.contains("Вітаю, Анна Спортивна!"), "{text}");
    assert!(text.contains("Відписатися: https://crm.example.test/unsubscribe/"), "{text}");
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM campaigns").fetch_one(store.pool()).await.unwrap();
    assert!(campaign_jobs(&app, id).await.is_empty(), "nothing sent before the confirmation");

    // The test e-mail to the owner.
    app.press(&button(&preview, "Тестовий")).await;
    wait_until("the test e-mail", || {
        let n = mails.lock().unwrap().len();
        async move { n >= 1 }
    })
    .await;
    let test = crate::report_email::Mail::parse(&mails.lock().unwrap()[0]);
    assert_eq!(header(&test.headers, "to"), Some("owner@example.com"));
    assert!(test.subject().starts_with("[ТЕСТ] Нові устілки"), "{}", test.subject());
    assert!(campaign_jobs(&app, id).await.is_empty(), "a test sends no campaign");

    // ✉️ asks; ✅ sends.
    let ask = app.press(&button(&preview, "Надіслати (3)")).await;
    assert!(reply_text(&ask).contains("Скасувати потім не вийде"), "{}", reply_text(&ask));
    assert!(campaign_jobs(&app, id).await.is_empty());
    let confirm = button(&ask, "Так, надіслати");
    let queued = app.press(&confirm).await;
    assert!(reply_text(&queued).contains("У черзі: 3"), "{}", reply_text(&queued));
    let jobs = campaign_jobs(&app, id).await;
    let keys: Vec<String> = jobs.iter().map(|j| j.0.clone()).collect();
    assert_eq!(keys, tagged.iter().map(|c| format!("campaign:{id}:{c}")).collect::<Vec<_>>());
    wait_for_mails(&mails, 3).await;
    let to: Vec<String> =
        marketing_mails(&mails).iter().map(|m| header(&m.headers, "to").unwrap().to_string()).collect();
    assert_eq!(to, ["c0@example.com", "c1@example.com", "c2@example.com"]);
    assert_eq!(marketing_mails(&mails)[1].subject(), "Нові устілки для бігу");

    // A second tap sends nothing more.
    let again = app.press(&confirm).await;
    assert!(reply_text(&again).contains("вже надіслано"), "{}", reply_text(&again));
    assert_eq!(campaign_jobs(&app, id).await.len(), 3);
}

#[tokio::test]
async fn sends_are_scheduled_at_the_configured_rate_and_the_worker_never_sends_one_early() {
    // 600 a minute: one every 100 ms.
    let (app, mails) = marketing_app(None, Some(600)).await;
    for i in 0..20 {
        client(
            &app,
            &format!("Клієнтка Темп{}", "а".repeat(i + 1)),
            &format!("06718000{i:02}"),
            &format!("r{i}@example.com"),
            true,
        )
        .await;
    }
    let first = app.core.store().create_campaign("all", "Тема", "Текст").await.unwrap();
    let (n, _) = campaign::enqueue(&app.core, first).await.unwrap().unwrap();
    assert_eq!(n, 20);
    // A second campaign right after queues behind the first, at the same rate.
    let second = app.core.store().create_campaign("all", "Друга", "Текст").await.unwrap();
    campaign::enqueue(&app.core, second).await.unwrap().unwrap();
    let mut due: Vec<DateTime<Utc>> = campaign_jobs(&app, first).await.into_iter().map(|j| j.1).collect();
    due.extend(campaign_jobs(&app, second).await.into_iter().map(|j| j.1));
    assert_eq!(due.len(), 40);
    for pair in due.windows(2) {
        assert_eq!(pair[1] - pair[0], Duration::milliseconds(100), "spaced to the rate");
    }
    wait_for_mails(&mails, 40).await;
    // The sink has the last e-mail a moment before its job is recorded done: wait for the records.
    let pool = app.core.store().pool().clone();
    wait_until("every campaign job recorded", || {
        let pool = pool.clone();
        async move {
            let open: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'campaign_email' AND state IN ('pending', 'running')",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            open == 0
        }
    })
    .await;
    // Every e-mail went at or after its place in the rate.
    let early: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'campaign_email' AND (state <> 'done' OR updated_at < due_at)",
    )
    .fetch_one(app.core.store().pool())
    .await
    .unwrap();
    assert_eq!(early, 0);
}

#[tokio::test]
async fn segments_pick_by_last_visit_and_product_age() {
    let (app, _mails) = marketing_app(None, None).await;
    let store = app.core.store();
    let now = Utc::now();
    let old_visit = client(&app, "Стара Візит", "0671900001", "a@example.com", true).await;
    let new_visit = client(&app, "Нова Візит", "0671900002", "b@example.com", true).await;
    for (c, at) in [(old_visit, now - Duration::days(200)), (new_visit, now - Duration::days(10))] {
        sqlx::query(
            "INSERT INTO bookings (client_id, service, starts_at, ends_at, block_until, status, channel, created_at, updated_at) \
             VALUES (?, 'diagnostics', ?, ?, ?, 'came', 'owner', ?, ?)",
        )
        .bind(c)
        .bind(at)
        .bind(at)
        .bind(at)
        .bind(at)
        .bind(at)
        .execute(store.pool())
        .await
        .unwrap();
    }
    // Old insoles (issued 11 months ago) and new ones (a month ago).
    for (c, months) in [(old_visit, 11), (new_visit, 1)] {
        insert_order(store, c, "Устілки", "issued").await;
        let order: i64 = sqlx::query_scalar("SELECT MAX(id) FROM orders").fetch_one(store.pool()).await.unwrap();
        sqlx::query(
            "INSERT INTO order_history (order_id, from_status, to_status, at) VALUES (?, 'ready', 'issued', ?)",
        )
        .bind(order)
        .bind(now.checked_sub_months(Months::new(months)).unwrap())
        .execute(store.pool())
        .await
        .unwrap();
    }
    let pick = |s: &str| {
        let q = campaign::query(&app.core, &Segment::parse(s).unwrap(), now);
        async move { store.segment(&q).await.unwrap().into_iter().map(|m| m.id).collect::<Vec<_>>() }
    };
    let cut = (now - Duration::days(100)).date_naive();
    let day = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    assert_eq!(pick(&format!("visit<{}", day(cut))).await, [old_visit]);
    assert_eq!(pick(&format!("visit>{}", day(cut))).await, [new_visit]);
    assert_eq!(pick("age>=10").await, [old_visit]);
    assert_eq!(pick("age<=2").await, [new_visit]);
    assert_eq!(pick("all").await, [old_visit, new_visit]);
    // A bad word is refused in the chat, with the word.
    let r = app.text("/campaign all vip\nТема\nТекст").await;
    assert!(reply_text(&r).contains("«vip»"), "{}", reply_text(&r));
}

#[tokio::test]
async fn campaign_emails_overdue_after_downtime_are_spaced_again_at_restart_not_sent_in_a_burst() {
    let (app, _mails) = marketing_app(None, Some(600)).await;
    let dir = app.stop().await;
    // While it was down: twenty e-mails fell due during an hour, and one is still ahead.
    let url = format!("sqlite://{}", dir.path().join("crm.db").display());
    let store = insoles_crm::store::Store::open(&url).await.unwrap();
    let now = Utc::now();
    let mut jobs: Vec<_> = (0..20)
        .map(|i| {
            insoles_crm::work::JobSpec::CampaignEmail { campaign: 99, client: 1000 + i }
                .job(now - Duration::hours(1) + Duration::milliseconds(100 * i), format!("campaign:99:{i}"))
        })
        .collect();
    jobs.push(
        insoles_crm::work::JobSpec::CampaignEmail { campaign: 99, client: 2000 }
            .job(now + Duration::hours(1), "campaign:99:later"),
    );
    store.enqueue_many(&jobs).await.unwrap();
    store.close().await;

    let (app, _mails) = marketing_app(Some(dir), Some(600)).await;
    let pool = app.core.store().pool().clone();
    let due = || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, DateTime<Utc>>(
                "SELECT due_at FROM jobs WHERE kind = 'campaign_email' ORDER BY due_at, id",
            )
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    wait_until("the worker spaced them at start", || {
        let due = due();
        async move { due.await[0] >= now }
    })
    .await;
    let due = due().await;
    assert_eq!(due.len(), 21);
    for pair in due.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::milliseconds(100), "{pair:?}");
    }
    assert_eq!(due[20], now + Duration::hours(1), "a later one keeps its time");
    assert_eq!(campaign::respace(&app.core, Utc::now()).await.unwrap(), 0, "on time: nothing to move");
}
