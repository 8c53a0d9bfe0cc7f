//! Attribution end to end (issue 16): a Telegram deep link's campaign follows the lead through
//! her booking, order and payment into the Marketing report; the booking page's `utm_*` are her
//! card's first touch (cleaned, a garbage value dropped); `/link` answers with the booking page's
//! UTM link and the bot's deep link, each with a QR code photo.

use crate::helpers::*;
use insoles_crm::charts;
use insoles_crm::domain::Phone;
use insoles_crm::fake_telegram::updates;

const LEAD: i64 = 710_001;

/// The owner's message answering `text` that contains `needle`.
pub async fn ask(app: &TestApp, text: &str, needle: &str) -> String {
    app.text_matching(text, |c| c.text().contains(needle)).await.text().to_string()
}

/// `/new_order` for a phone: (the order's id, the order's text).
pub async fn new_order(app: &TestApp, phone: &str, price: &str) -> (i64, String) {
    let text = format!("/new_order {phone}, Устілки каркасні, {price}");
    let call = app.text_matching(&text, |c| c.buttons().iter().any(|(l, _)| l.contains("💳 Оплата"))).await;
    let data = call.buttons().into_iter().find(|(l, _)| l.contains("💳 Оплата")).unwrap().1;
    (data.split(':').nth(1).unwrap().parse().unwrap(), call.text().to_string())
}
const BOT: &str = "insoles_test_bot";

fn with_bot_name(s: &mut insoles_crm::config::Settings) {
    s.referrals.bot_username = Some(BOT.into());
}

#[tokio::test]
async fn a_deep_link_lead_books_orders_pays_and_the_marketing_report_shows_her_campaign() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    // The deep link `/link` makes: the lead's card exists at once, her campaign on it.
    let welcome = app.text_from(LEAD, "uk", "/start c-spring_2027").await;
    let card = store.lead_by_telegram(LEAD).await.unwrap().expect("a lead card from the deep link");
    let (source, campaign, medium) = store.attribution_of(card).await.unwrap().unwrap();
    assert_eq!(
        (source.as_deref(), campaign.as_deref(), medium.as_deref()),
        (Some("telegram"), Some("spring_2027"), Some("deeplink"))
    );

    // She books with the buttons and her own contact.
    let services = app.press_from(LEAD, &button(&welcome, "Записатися"), 10).await;
    let days = app.press_from(LEAD, &button(&services, "Діагностика стопи (40 хв)"), 10).await;
    let day = days.iter().flat_map(|c| c.buttons()).next().expect("a day with free slots").1;
    let times = app.press_from(LEAD, &day, 10).await;
    let time = times.iter().flat_map(|c| c.buttons()).next().unwrap().1;
    app.press_from(LEAD, &time, 10).await;
    app.update(updates::own_contact(app.next_update_id(), LEAD, "+380671230001")).await;
    let calls = app
        .fake
        .wait_for(WAIT, |c| c.iter().any(|c| in_chat(c, LEAD) && c.text().contains("Підтверджуєте")))
        .await
        .unwrap();
    let confirm = calls.iter().rev().find(|c| c.text().contains("Підтверджуєте")).unwrap().buttons()[0].1.clone();
    let done = app.press_from(LEAD, &confirm, 11).await;
    assert!(reply_text(&done).contains("Ви записані"), "{}", reply_text(&done));
    let client = store.client_by_phone(&Phone::parse("0671230001").unwrap()).await.unwrap().unwrap();
    assert_eq!(client.id, card, "the booking is on the card the deep link made");

    // The owner takes the order and the money (cash through /income).
    let (order, _) = new_order(&app, "0671230001", "1800").await;
    let paid = ask(&app, &format!("/income {order} 1800 готівка"), "1 800,00 грн").await;
    assert!(paid.contains(&format!("{order}")), "{paid}");

    let report = ask(&app, "/report маркетинг сьогодні", "Джерела").await;
    let line = report.lines().find(|l| l.contains("spring_2027")).unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains("Telegram") || line.contains("telegram"), "{line}");
    assert!(line.contains("— 1 · 1 · 1 · 1 800,00 грн"), "1 lead, 1 booking, 1 order, its revenue: {line}");
    assert!(report.contains("Разом — 1 · 1 · 1 · 1 800,00 грн"), "{report}");

    // The same figures from the summary table: nothing else was counted anywhere.
    let now = chrono::Utc::now();
    let rows = store.attribution(now - chrono::Duration::hours(2), now + chrono::Duration::hours(2)).await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].source.as_str(), rows[0].campaign.as_str(), rows[0].leads, rows[0].bookings, rows[0].orders),
        ("telegram", "spring_2027", 1, 1, 1)
    );
    assert_eq!(rows[0].revenue_kop, 180_000);
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub async fn get(app: &TestApp, path_and_query: &str) -> String {
    let r = client().get(format!("http://{}{path_and_query}", app.http)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path_and_query}");
    r.text().await.unwrap()
}

fn field(html: &str, name: &str) -> String {
    let rest = html.split(&format!("name=\"{name}\"")).nth(1).unwrap_or_else(|| panic!("no {name}"));
    let tag = rest.split('>').next().unwrap();
    tag.split("value=\"").nth(1).map(|v| v.split('"').next().unwrap()).unwrap_or("").replace("&amp;", "&")
}

/// Books the first free time of the second day on the page opened with `query`.
pub async fn book_on_page(app: &TestApp, query: &str, name: &str, phone: &str) -> String {
    book_on_page_with(app, query, name, phone, &[]).await
}

/// The same with `extra` fields typed into the form.
pub async fn book_on_page_with(app: &TestApp, query: &str, name: &str, phone: &str, extra: &[(&str, &str)]) -> String {
    let days = get(app, &format!("/book?service=0&{query}")).await;
    let day = days.split("day=").nth(2).unwrap().split(['"', '&']).next().unwrap().to_string();
    let form = get(app, &format!("/book?service=0&day={day}&{query}")).await;
    let start = form.split("name=\"start\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut fields: Vec<(String, String)> =
        ["service", "day", "lang", "track", "token"].iter().map(|n| (n.to_string(), field(&form, n))).collect();
    fields.extend([("start".into(), start), ("name".into(), name.into()), ("phone".into(), phone.into())]);
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let r = client().post(format!("http://{}/book", app.http)).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_booking_page_utm_parameters_are_the_new_cards_first_touch() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let done =
        book_on_page(&app, "utm_source=Instagram&utm_medium=bio&utm_campaign=autumn_sale", "Уляна Утм", "0671230002")
            .await;
    assert!(done.contains("Ви записані"), "{done}");
    let c = store.client_by_phone(&Phone::parse("0671230002").unwrap()).await.unwrap().unwrap();
    let (source, campaign, medium) = store.attribution_of(c.id).await.unwrap().unwrap();
    assert_eq!(
        (source.as_deref(), campaign.as_deref(), medium.as_deref()),
        (Some("instagram"), Some("autumn_sale"), Some("bio"))
    );
    let report = ask(&app, "/report маркетинг сьогодні", "Джерела").await;
    assert!(report.lines().any(|l| l.contains("autumn_sale") && l.contains("— 1 · 1 · 0 ·")), "{report}");

    // A value that is not a clean code (markup, spaces, Cyrillic) is dropped, never stored.
    let done = book_on_page(
        &app,
        "utm_source=%3Cscript%3E&utm_campaign=%D0%B2%D0%B5%D1%81%D0%BD%D0%B0",
        "Гаяна Сміття",
        "0671230003",
    )
    .await;
    assert!(done.contains("Ви записані"), "{done}");
    let c = store.client_by_phone(&Phone::parse("0671230003").unwrap()).await.unwrap().unwrap();
    let (source, campaign, _) = store.attribution_of(c.id).await.unwrap().unwrap();
    assert_eq!((source.as_deref(), campaign), (Some("web"), None));
}

#[tokio::test]
async fn link_answers_with_the_utm_link_and_the_deep_link_each_with_a_qr_photo() {
    let app = TestApp::spawn_custom(true, None, with_bot_name).await;
    let page = ask(&app, "/link spring_2027 flyer", "/book?").await;
    assert!(
        page.contains("https://crm.example.test/book?utm_source=flyer&utm_medium=qr&utm_campaign=spring_2027"),
        "{page}"
    );
    let deep = app.fake.wait_for(WAIT, |c| c.iter().any(|c| c.text().contains("https://t.me/"))).await.unwrap();
    let deep = deep.iter().find(|c| c.text().contains("https://t.me/")).unwrap().text().to_string();
    assert!(deep.contains(&format!("https://t.me/{BOT}?start=c-spring_2027")), "{deep}");
    app.fake
        .wait_for(WAIT, |c| c.iter().filter(|c| c.method.eq_ignore_ascii_case("sendPhoto")).count() >= 2)
        .await
        .unwrap();
    let photos = app.fake.calls_to("sendPhoto");
    assert_eq!(photos.len(), 2, "one QR code per link");
    for p in &photos {
        let (_, _, bytes) = p.files.first().expect("the photo's file");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
        assert!(bytes.len() > 100 && bytes.len() < 20_000, "{} bytes", bytes.len());
        let (w, h, rgb) = charts::png::decode_rgb(bytes).expect("decodes");
        assert!(w == h && w >= 200, "{w}×{h}");
        assert!(rgb.iter().all(|b| *b == 0 || *b == 255), "black and white");
    }
    // The payload the deep link carries is what /start reads back as the campaign.
    app.text_from(LEAD, "uk", "/start c-spring_2027").await;
    let lead = app.core.store().lead_by_telegram(LEAD).await.unwrap().unwrap();
    assert_eq!(app.core.store().attribution_of(lead).await.unwrap().unwrap().1.as_deref(), Some("spring_2027"));

    // A campaign that cannot travel in a deep link is refused, with no photo.
    ask(&app, "/link весна", "латиниця").await;
    ask(&app, &format!("/link {}", "a".repeat(61)), "латиниця").await;
    assert_eq!(app.fake.calls_to("sendPhoto").len(), 2);
}

/// The summary table the report reads, against a recount from the base tables (per hour, source
/// and campaign; cancelled orders left out).
async fn summary_matches_a_recount(store: &insoles_crm::store::Store) {
    let kept: Vec<(String, String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT hour, source, campaign, leads, bookings, orders, revenue_kop FROM attribution_hours \
         WHERE leads != 0 OR bookings != 0 OR orders != 0 OR revenue_kop != 0 ORDER BY 1, 2, 3",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let recount: Vec<(String, String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "WITH k AS (SELECT id, COALESCE(source, '') AS s, COALESCE(campaign, '') AS c FROM clients), \
         e AS ( \
           SELECT substr(created_at, 1, 13) AS h, COALESCE(source, '') AS s, COALESCE(campaign, '') AS c, 1 AS l, 0 AS b, 0 AS o, 0 AS r FROM clients \
           UNION ALL SELECT substr(b.created_at, 1, 13), k.s, k.c, 0, 1, 0, 0 FROM bookings b JOIN k ON k.id = b.client_id \
           UNION ALL SELECT substr(o.created_at, 1, 13), k.s, k.c, 0, 0, 1, o.price_kop FROM orders o JOIN k ON k.id = o.client_id WHERE o.status != 'cancel') \
         SELECT h, s, c, SUM(l), SUM(b), SUM(o), SUM(r) FROM e GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(kept, recount);
}

#[tokio::test]
async fn the_summary_matches_a_recount_through_cancels_price_edits_a_moved_source_and_a_merge() {
    let app = TestApp::spawn().await;
    let store = app.core.store();
    let a = client_with_phone(store, "Анна Перша", "0671230011").await;
    let b = client_with_phone(store, "Богдана Друга", "0671230012").await;
    let touch = |s: &str, c: &str| insoles_crm::store::attribution::Touch {
        source: s.into(),
        campaign: Some(c.into()),
        medium: None,
    };
    assert!(store.attribute(a, &touch("telegram", "spring")).await.unwrap());
    assert!(!store.attribute(a, &touch("web", "later")).await.unwrap(), "first touch only");
    for (client, status) in [(a, "new"), (a, "issued"), (b, "new"), (b, "cancel")] {
        insert_order(store, client, "Устілки", status).await;
    }
    summary_matches_a_recount(store).await;
    let pool = store.pool();
    sqlx::query("UPDATE orders SET status = 'cancel' WHERE client_id = ? AND status = 'new'")
        .bind(a)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET status = 'new' WHERE client_id = ? AND status = 'cancel'")
        .bind(b)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET price_kop = 99900 WHERE client_id = ?").bind(b).execute(pool).await.unwrap();
    summary_matches_a_recount(store).await;
    // A card's attribution changing after its orders (the page's card, a forget) takes them along.
    assert!(!store.attribute_new_card(b, &touch("instagram", "bio")).await.unwrap(), "she has orders");
    sqlx::query("UPDATE clients SET source = 'fb', campaign = 'x' WHERE id = ?").bind(b).execute(pool).await.unwrap();
    summary_matches_a_recount(store).await;
    // A merge moves the orders, then deletes the card.
    sqlx::query("UPDATE orders SET client_id = ? WHERE client_id = ?").bind(a).bind(b).execute(pool).await.unwrap();
    // The search index's row of a client is minus her id (`store/search.rs`).
    sqlx::query("DELETE FROM client_search WHERE rowid = ?").bind(-b).execute(pool).await.unwrap();
    sqlx::query("DELETE FROM clients WHERE id = ?").bind(b).execute(pool).await.unwrap();
    summary_matches_a_recount(store).await;
}
