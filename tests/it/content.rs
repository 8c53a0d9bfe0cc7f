//! Issue 16, Content: `/post` drafts from the knowledge base and the season (offline, and through
//! the fake OpenAI-compatible endpoint: a checked draft used, one inventing a price refused),
//! unknown topics, the approved text's campaign link, and `/plan` with its publish-day reminder
//! (one job per post and day: sent once across ticks and a restart, moved, cancelled, refused in
//! the past, and nothing for a stranger).

use crate::helpers::*;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Kyiv;
use insoles_crm::channels::telegram::make_bot;
use insoles_crm::core::content::{draft, ContentCb};
use insoles_crm::domain::when::resolve_local;
use insoles_crm::worker::Worker;
use std::collections::BTreeSet;

const KB: &str = include_str!("../../config/knowledge.md");
const PUBLIC: &str = "https://crm.example.test";

async fn app() -> TestApp {
    // A webhook app: `PUBLIC_URL` is the booking page's address too.
    TestApp::spawn_custom(true, None, |s| s.knowledge = KB.to_string()).await
}

fn worker(app: &TestApp) -> Worker {
    Worker::new(app.core.clone(), make_bot(&settings(&app.fake, "sqlite::memory:", false)).unwrap())
}

fn numbers(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

fn today() -> NaiveDate {
    Utc::now().with_timezone(&Kyiv).date_naive()
}

/// The id of the newest post.
async fn last_post(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM content_posts")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap()
}

async fn job_state(app: &TestApp, key: &str) -> Option<String> {
    app.core.store().job_by_key(key).await.unwrap().map(|(state, _)| state)
}

async fn post_state(app: &TestApp, id: i64) -> String {
    app.core.store().post(id).await.unwrap().unwrap().state
}

fn reminders_in(app: &TestApp, id: i64) -> usize {
    let needle = format!("(пост #{id})");
    app.fake
        .calls()
        .iter()
        .filter(|c| c.method.eq_ignore_ascii_case("sendMessage") && in_chat(c, OWNER) && c.text().contains(&needle))
        .count()
}

#[tokio::test]
async fn an_offline_draft_has_a_kb_sentence_the_seasons_line_hashtags_and_no_number_the_kb_lacks() {
    let app = app().await;
    let cfg = &app.core.config().content;
    let kb_numbers = numbers(KB);
    for (date, season) in [((2026, 9, 1), "school"), ((2027, 1, 15), "winter")] {
        let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
        let d = draft::draft_for(&app.core, "дитячі устілки", date, 0).await.expect("a draft");
        let line = &cfg.seasons.iter().find(|s| s.code == season).unwrap().line;
        assert_eq!(d.season, season);
        assert!(d.text.caption.starts_with(line.as_str()), "{date}: {}", d.text.caption);
        assert!(
            d.text.caption.contains("Дитячі устілки робимо для дітей з 3 років, їхня вартість — 1500 грн."),
            "a sentence of the KB's children entry: {}",
            d.text.caption
        );
        let tags: Vec<&str> = d.text.hashtags.split(' ').collect();
        assert!((5..=15).contains(&tags.len()) && tags.iter().all(|t| t.starts_with('#')), "{tags:?}");
        assert!(tags.contains(&"#дитячіустілки"), "{tags:?}");
        let all = format!("{} {} {}", d.text.caption, d.text.hashtags, d.text.image_idea);
        assert!(numbers(&all).is_subset(&kb_numbers), "{all}");
        assert!(d.rejected.is_none() && d.text.source == "offline");
    }
    // Another variant is another slice of the entry, as readable.
    let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let first = draft::draft_for(&app.core, "дитячі устілки", date, 0).await.unwrap().text.caption;
    let second = draft::draft_for(&app.core, "дитячі устілки", date, 1).await.unwrap().text.caption;
    assert_ne!(first, second);
    // Through the chat: the card with its four buttons.
    let card = app.text_until("/post дитячі устілки", "📝 Пост #").await;
    assert!(card.text().contains("вартість — 1500 грн"), "{}", card.text());
    let data: Vec<String> = card.buttons().into_iter().map(|(_, d)| d).collect();
    let id = last_post(&app).await;
    for cb in [ContentCb::Approve(id), ContentCb::Variant(id), ContentCb::Schedule(id), ContentCb::Discard(id)] {
        assert!(data.contains(&cb.encode()), "{cb:?} in {data:?}");
    }
}

#[tokio::test]
async fn an_unknown_topic_is_named_and_the_seasons_topics_are_offered() {
    let app = app().await;
    let season = draft::season(&app.core.config().content, today()).clone();
    let reply = app.text_until("/post криптовалюта", "криптовалюта").await;
    assert!(reply.text().contains("немає нічого про «криптовалюта»"), "{}", reply.text());
    let topics: Vec<(String, String)> = reply.buttons();
    assert_eq!(topics.len(), season.topics.len(), "{topics:?}");
    assert!(topics.iter().all(|(_, d)| d.starts_with("qt:")));
    assert_eq!(last_post(&app).await, 0, "no empty draft stored");
    let bare = app.text_until("/post", "Про що пост?").await;
    assert_eq!(bare.buttons().len(), season.topics.len());
    // A season topic's button drafts it.
    app.press(&ContentCb::Topic(0).encode()).await;
    let card = sent_to(&app, OWNER, "📝 Пост #").await;
    assert!(card.text().contains(&season.topics[0]), "{}", card.text());
}

#[tokio::test]
async fn an_llm_draft_that_passes_the_checks_is_used_and_one_inventing_a_price_is_not() {
    use crate::llm::{completion, fake_llm};
    let fake = fake_llm().await;
    let good = r##"{"caption": "Стопа дитини росте, тож контроль потрібен кожні 6 місяців. Дитячі устілки робимо з 3 років.", "hashtags": ["#дитячіустілки", "#дотшколи", "#здоровістопи", "#устілки", "#ортокрок"], "image_idea": "Дитячі кеди на світлому фоні."}"##;
    let invented = r##"{"caption": "Лише цього тижня дитячі устілки за 999 грн!", "hashtags": ["#дитячіустілки", "#дотшколи", "#здоровістопи", "#устілки", "#ортокрок"], "image_idea": "Кеди."}"##;
    fake.script.lock().unwrap().push_back((200, completion(good), 0));
    fake.script.lock().unwrap().push_back((200, completion(invented), 0));
    let url = fake.url.clone();
    let app = TestApp::spawn_custom(false, None, move |s| {
        s.knowledge = KB.to_string();
        s.llm = Some(insoles_crm::config::LlmSettings {
            api_url: url,
            api_key: insoles_crm::config::Secret::new("test-key"),
            model: "test/model".into(),
            timeout: std::time::Duration::from_millis(3000),
            retries: 0,
            daily_budget: 10,
        })
    })
    .await;
    let used = app.text_until("/post дитячі устілки", "📝 Пост #").await;
    assert!(used.text().contains("Стопа дитини росте") && used.text().contains("✍️"), "{}", used.text());
    let first = app.core.store().post(last_post(&app).await).await.unwrap().unwrap();
    assert_eq!(first.source, "llm");
    let refused = app.text_until("/post дитячі устілки", "📝 Пост #").await;
    let text = refused.text();
    assert!(text.contains("Чернетку від LLM відхилено") && text.contains("«999»"), "{text}");
    assert!(!text.contains("999 грн"), "the invented price never reaches the card: {text}");
    assert!(text.contains("Дитячі устілки робимо для дітей з 3 років"), "the offline draft instead: {text}");
    let seen = fake.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let request = seen[0].to_string();
    assert!(request.contains("Invent nothing") && request.contains("1500 грн"), "prompt and KB excerpt sent");
}

#[tokio::test]
async fn an_approved_post_carries_the_campaigns_utm_link() {
    let app = app().await;
    for (command, campaign) in [("/post біг #spring_run", "spring_run"), ("/post дитячі устілки", "dytiachi-ustilky")]
    {
        app.text_until(command, "📝 Пост #").await;
        let id = last_post(&app).await;
        app.press(&ContentCb::Approve(id).encode()).await;
        let text = sent_to(&app, OWNER, &format!("{PUBLIC}/book?")).await;
        let link = text.text().split_whitespace().find(|w| w.starts_with(PUBLIC)).unwrap();
        let url = reqwest::Url::parse(link).unwrap();
        let q: std::collections::BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/book");
        assert_eq!(q.get("utm_source").map(String::as_str), Some("instagram"), "{link}");
        assert_eq!(q.get("utm_medium").map(String::as_str), Some("social"), "{link}");
        assert_eq!(q.get("utm_campaign").map(String::as_str), Some(campaign), "{link}");
        assert!(text.text().contains('#') && text.buttons().is_empty(), "plain text with the hashtags");
        assert_eq!(post_state(&app, id).await, "approved");
        // The next post's link is another message: forget this one.
        app.fake.clear();
    }
}

#[tokio::test]
async fn a_scheduled_post_is_reminded_once_on_its_day_across_ticks_and_a_restart() {
    let app = app().await;
    app.text_until("/post біг", "📝 Пост #").await;
    let id = last_post(&app).await;
    let day = today() + Duration::days(3);
    let reply = app.text_until(&format!("/plan {} {id}", day.format("%d.%m.%Y")), "заплановано на").await;
    assert!(reply.text().contains("о 10:00"), "{}", reply.text());
    let key = format!("content:{id}:{day}");
    assert_eq!(job_state(&app, &key).await.as_deref(), Some("pending"));
    let due: chrono::DateTime<Utc> = sqlx::query_scalar("SELECT due_at FROM jobs WHERE idempotency_key = ?")
        .bind(&key)
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(due, resolve_local(Kyiv, day, NaiveTime::from_hms_opt(10, 0, 0).unwrap()));
    // The day before: nothing.
    worker(&app).tick(due - Duration::hours(1)).await.unwrap();
    assert_eq!(job_state(&app, &key).await.as_deref(), Some("pending"));
    worker(&app).tick(due).await.unwrap();
    let reminder = sent_to(&app, OWNER, &format!("(пост #{id})")).await;
    assert!(reminder.text().contains("utm_campaign=bih"), "the approved text: {}", reminder.text());
    assert!(reminder.buttons().iter().any(|(_, d)| *d == ContentCb::Published(id).encode()));
    worker(&app).tick(due + Duration::hours(1)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reminders_in(&app, id), 1);
    let dir = app.stop().await;
    let app = TestApp::spawn_custom(true, Some(dir), |s| s.knowledge = KB.to_string()).await;
    worker(&app).tick(due + Duration::hours(2)).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reminders_in(&app, id), 0, "not again after the restart");
    assert_eq!(job_state(&app, &key).await.as_deref(), Some("done"));
    // "✅ published" on the reminder.
    app.press(&ContentCb::Published(id).encode()).await;
    assert_eq!(post_state(&app, id).await, "published");
}

#[tokio::test]
async fn rescheduling_moves_the_reminder_and_discarding_cancels_it() {
    let app = app().await;
    app.text_until("/post п'яткова шпора", "📝 Пост #").await;
    let id = last_post(&app).await;
    let (a, b) = (today() + Duration::days(2), today() + Duration::days(5));
    let code = |d: NaiveDate| insoles_crm::core::booking::date_code(d);
    let (ka, kb) = (format!("content:{id}:{a}"), format!("content:{id}:{b}"));
    app.press(&ContentCb::Day(id, code(a)).encode()).await;
    assert_eq!(job_state(&app, &ka).await.as_deref(), Some("pending"));
    app.press(&ContentCb::Day(id, code(b)).encode()).await;
    assert_eq!(job_state(&app, &ka).await.as_deref(), Some("cancelled"));
    assert_eq!(job_state(&app, &kb).await.as_deref(), Some("pending"));
    // Back to the first day: its reminder comes back, the other goes.
    app.press(&ContentCb::Day(id, code(a)).encode()).await;
    assert_eq!(job_state(&app, &ka).await.as_deref(), Some("pending"));
    assert_eq!(job_state(&app, &kb).await.as_deref(), Some("cancelled"));
    app.press(&ContentCb::Discard(id).encode()).await;
    assert_eq!(job_state(&app, &ka).await.as_deref(), Some("cancelled"));
    assert_eq!(post_state(&app, id).await, "discarded");
    worker(&app).tick(resolve_local(Kyiv, b, NaiveTime::from_hms_opt(12, 0, 0).unwrap())).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(reminders_in(&app, id), 0);
    // The plan lists a scheduled post with its day.
    app.text_until("/post біг", "📝 Пост #").await;
    let other = last_post(&app).await;
    app.press(&ContentCb::Day(other, code(b)).encode()).await;
    let plan = app.text_until("/plan", "Контент-план").await;
    assert!(plan.text().contains(&format!("{} — біг · 📅 заплановано", b.format("%d.%m"))), "{}", plan.text());
    assert!(plan.buttons().iter().any(|(_, d)| *d == ContentCb::Open(other).encode()));
}

#[tokio::test]
async fn a_past_date_is_refused() {
    let app = app().await;
    app.text_until("/post біг", "📝 Пост #").await;
    let id = last_post(&app).await;
    let typed = app.text_until(&format!("/plan 01.01.2020 {id}"), "минула").await;
    assert!(typed.text().contains("Ця дата вже минула"), "{}", typed.text());
    let yesterday = insoles_crm::core::booking::date_code(today() - Duration::days(1));
    app.press(&ContentCb::Day(id, yesterday).encode()).await;
    let jobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'content_reminder'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(jobs, 0);
    assert_eq!(post_state(&app, id).await, "draft");
}

#[tokio::test]
async fn a_stranger_gets_nothing_from_posts_and_the_plan() {
    let app = app().await;
    app.text_until("/post біг", "📝 Пост #").await;
    let id = last_post(&app).await;
    let day = insoles_crm::core::booking::date_code(today() + Duration::days(2));
    let presses = [
        ContentCb::Approve(id),
        ContentCb::Variant(id),
        ContentCb::Schedule(id),
        ContentCb::Day(id, day),
        ContentCb::Published(id),
        ContentCb::Discard(id),
        ContentCb::Plan,
        ContentCb::Open(id),
        ContentCb::Topic(0),
    ];
    let mut seen = String::new();
    for cb in presses {
        for c in app.press_from(STRANGER, &cb.encode(), 5000).await {
            seen.push_str(c.text());
        }
    }
    for text in ["/post біг", "/plan", &format!("/plan 12.12 {id}")] {
        for c in app.text_from(STRANGER, "uk", text).await {
            seen.push_str(c.text());
        }
    }
    assert!(!seen.contains("Пост #") && !seen.contains("Контент-план") && !seen.contains("utm_"), "{seen}");
    assert_eq!(post_state(&app, id).await, "draft");
    assert_eq!(last_post(&app).await, id, "no post drafted for her");
    let jobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'content_reminder'")
        .fetch_one(app.core.store().pool())
        .await
        .unwrap();
    assert_eq!(jobs, 0);
}
