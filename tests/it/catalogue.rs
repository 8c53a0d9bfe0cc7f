//! Issue 12: the product catalogue (`/products`), an order in two taps from the card, editing an
//! order (product, price, prepaid), undoing a status step (with its history), reopening a closed
//! order, `/order <number>`, a client's list of all orders, and strangers pressing all of it.

use crate::helpers::*;
use insoles_crm::channels::console;
use insoles_crm::domain::OrderStatus;

/// The order id in a button's data (`o:17`, `ouf:17:ready`, ...).
fn id_in(data: &str) -> i64 {
    data.split(':').nth(1).unwrap().parse().unwrap()
}

fn has_button(calls: &[insoles_crm::fake_telegram::Call], prefix: &str) -> bool {
    calls.iter().flat_map(|c| c.buttons()).any(|(_, d)| d.starts_with(prefix))
}

#[tokio::test]
async fn an_order_from_the_catalogue_is_two_taps_and_its_price_and_prepaid_can_change() {
    let app = TestApp::spawn().await;
    let card = app.text("/new_client Олена Гнатюк, 0671230001").await;

    // Tap 1: "📦 Замовлення" on the card shows the catalogue (seeded from the settings).
    let picker = app.press(&button(&card, "📦 Замовлення")).await;
    let text = reply_text(&picker);
    assert!(text.contains("Оберіть з каталогу"), "{text}");
    for product in ["Діагностика стопи", "Індивідуальні устілки", "Спортивні устілки", "Дитячі устілки", "Корекція"]
    {
        button(&picker, product);
    }
    button(&picker, "Інше");
    // Tap 2: a product makes the order at its catalogue price.
    let created = app.press(&button(&picker, "Індивідуальні устілки")).await;
    let text = reply_text(&created);
    assert!(text.contains("Замовлення створено") && text.contains("1 800,00 грн"), "{text}");
    let id = id_in(&button(&created, "Ціна"));
    let order = app.core.store().order(id).await.unwrap();
    assert_eq!(
        (order.product.as_str(), order.price.kopecks(), order.prepaid.kopecks()),
        ("Індивідуальні устілки", 180_000, 0)
    );
    assert_eq!(order.status, OrderStatus::New);

    // The price can still be changed: a bad amount is refused and the question keeps waiting.
    let ask = app.press(&button(&created, "💰 Ціна")).await;
    assert!(reply_text(&ask).contains("1 800,00 грн"), "{}", reply_text(&ask));
    assert!(reply_text(&app.text("дорого").await).contains("Не схоже на суму"));
    let priced = app.text("2 000").await;
    assert!(reply_text(&priced).contains("Замовлення змінено") && reply_text(&priced).contains("2 000,00 грн"));
    app.press(&button(&priced, "Передоплата")).await;
    let over = reply_text(&app.text("2500").await);
    assert!(over.contains("Передоплата не може"), "{over}");
    let prepaid = app.text("500").await;
    assert!(reply_text(&prepaid).contains("До сплати: 1 500,00 грн"), "{}", reply_text(&prepaid));

    // Another product from the catalogue: its name and its price.
    let pick = app.press(&button(&prepaid, "✏️ Виріб")).await;
    let changed = app.press(&button(&pick, "Спортивні устілки")).await;
    assert!(reply_text(&changed).contains("Спортивні устілки"), "{}", reply_text(&changed));
    let order = app.core.store().order(id).await.unwrap();
    assert_eq!(
        (order.product.as_str(), order.price.kopecks(), order.prepaid.kopecks()),
        ("Спортивні устілки", 220_000, 50_000)
    );
    // Every edit is in the client's timeline.
    let timeline = app.core.store().recent_interactions(order.client_id, 20).await.unwrap();
    let edits: Vec<&str> = timeline.iter().map(|i| i.body.as_str()).filter(|b| b.contains("змінено")).collect();
    assert_eq!(edits.len(), 3, "{edits:?}");
    assert!(edits.iter().any(|b| b.contains("1 800,00 грн → 2 000,00 грн")), "{edits:?}");
}

#[tokio::test]
async fn undo_takes_back_status_steps_one_by_one_and_is_kept_in_the_history() {
    let app = TestApp::spawn().await;
    app.text("/new_client Ірина Коваль, 0671230002").await;
    let created = app.text("/new_order 0671230002, Устілки каркасні, 1800").await;
    assert!(!has_button(&created, "ouf:"), "a new order has no step to undo");
    let prod = app.press(&button(&created, "У виробництві")).await;
    let ready = app.press(&button(&prod, "Готове")).await;
    let stale_undo = button(&ready, "Скасувати крок");
    let id = id_in(&stale_undo);

    let undone = app.press(&stale_undo).await;
    let text = reply_text(&undone);
    assert!(text.contains("Крок скасовано") && text.contains("Статус: 🛠 У виробництві"), "{text}");
    assert!(text.contains("крок скасовано"), "the history line says it was an undo: {text}");
    let again = app.press(&button(&undone, "Скасувати крок")).await;
    assert!(reply_text(&again).contains("Статус: 🆕 Нове"), "{}", reply_text(&again));
    assert!(!has_button(&again, "ouf:"), "back at the creation: nothing left to undo");
    // A stale undo button (from the "ready" card) changes nothing.
    let refused = app.press(&stale_undo).await;
    assert!(reply_text(&refused).contains("Немає кроку"), "{}", reply_text(&refused));

    let history = app.core.store().order_history(id).await.unwrap();
    let rows: Vec<(Option<&str>, &str, &str)> =
        history.iter().map(|h| (h.from_status.as_deref(), h.to_status.as_str(), h.kind.as_str())).collect();
    assert_eq!(
        rows,
        [
            (None, "new", "step"),
            (Some("new"), "prod", "step"),
            (Some("prod"), "ready", "step"),
            (Some("ready"), "prod", "undo"),
            (Some("prod"), "new", "undo"),
        ]
    );
    let who = format!("telegram:{OWNER}");
    assert!(history[1..].iter().all(|h| h.actor.as_deref() == Some(who.as_str())), "who made each change");
    assert_eq!(app.core.store().order(id).await.unwrap().status, OrderStatus::New);
}

#[tokio::test]
async fn a_closed_order_reopens_and_an_issued_ones_follow_up_is_dropped() {
    let app = TestApp::spawn().await;
    app.text("/new_client Марта Шевчук, 0671230003").await;
    let created = app.text("/new_order 0671230003, Устілки спортивні, 2500").await;
    let prod = app.press(&button(&created, "У виробництві")).await;
    let ready = app.press(&button(&prod, "Готове")).await;
    let issued = app.press(&button(&ready, "Видане")).await;
    let id = id_in(&button(&issued, "Відкрити знову"));
    let store = app.core.store();
    let open_follow_ups =
        || async { store.open_tasks(50).await.unwrap().iter().filter(|t| t.order_id == Some(id)).count() };
    assert_eq!(open_follow_ups().await, 1, "issuing made a follow-up");

    let reopened = app.press(&button(&issued, "Відкрити знову")).await;
    let text = reply_text(&reopened);
    assert!(text.contains("знову відкрите") && text.contains("Статус: ✅ Готове"), "{text}");
    assert!(!has_button(&reopened, "orp:"), "an open order is not offered reopening");
    assert_eq!(open_follow_ups().await, 0, "not issued any more: no 'how are the insoles?'");
    assert_eq!(store.order_history(id).await.unwrap().last().unwrap().kind, "reopen");

    // A cancelled order goes back to where it was cancelled from.
    let cancelled = app.press(&button(&reopened, "Скасоване")).await;
    let back = app.press(&button(&cancelled, "Відкрити знову")).await;
    assert!(reply_text(&back).contains("Статус: ✅ Готове"), "{}", reply_text(&back));
    // Reopening an open order (a stale button) changes nothing.
    let stale = app.press(&format!("orp:{id}")).await;
    assert!(reply_text(&stale).contains("й так відкрите"), "{}", reply_text(&stale));
    assert_eq!(store.order(id).await.unwrap().status, OrderStatus::Ready);
}

#[tokio::test]
async fn order_by_number_and_the_clients_orders_open_each_order() {
    let app = TestApp::spawn().await;
    app.text("/new_client Софія Бойко, 0671230004").await;
    let first = app.text("/new_order 0671230004, Устілки дитячі, 1600").await;
    let id = id_in(&button(&first, "Ціна"));
    let cancelled = app.press(&button(&first, "Скасоване")).await;
    assert!(reply_text(&cancelled).contains("Скасоване"));
    app.text("/new_order 0671230004, Корекція устілок, 400").await;

    let opened = app.text(&format!("/order {id}")).await;
    assert!(reply_text(&opened).contains(&format!("Замовлення #{id}")), "{}", reply_text(&opened));
    assert!(reply_text(&app.text(&format!("/order #{id}")).await).contains("Устілки дитячі"));
    let unknown = reply_text(&app.text("/order 999").await);
    assert!(unknown.contains("Замовлення #999 не знайдено"), "{unknown}");
    let bad = reply_text(&app.text("/order сімнадцять").await);
    assert!(bad.contains("Номер замовлення — це число"), "{bad}");
    // Typed without a price, a catalogue product takes its price; anything else asks for one.
    let typed = reply_text(&app.text("/new_order 0671230004, спортивні устілки").await);
    assert!(typed.contains("Спортивні устілки") && typed.contains("2 200,00 грн"), "{typed}");
    let unknown = reply_text(&app.text("/new_order 0671230004, Устілки з космосу").await);
    assert!(unknown.contains("немає в каталозі"), "{unknown}");

    // The card's "all orders" lists the closed one too, each a button to its card.
    let card = app.text("/client Бойко").await;
    let all = app.press(&button(&card, "Усі замовлення")).await;
    let text = reply_text(&all);
    assert!(text.contains("(3)") && text.contains("Устілки дитячі") && text.contains("Корекція устілок"), "{text}");
    let shown = app.press(&button(&all, &format!("#{id} "))).await;
    assert!(reply_text(&shown).contains(&format!("Замовлення #{id}")), "{}", reply_text(&shown));
    // The client's history (timeline) leads to the same list.
    let timeline = app.press(&button(&card, "Історія")).await;
    assert_eq!(button(&timeline, "Усі замовлення"), button(&card, "Усі замовлення"));
}

#[tokio::test]
async fn the_catalogue_is_edited_from_the_chat() {
    let app = TestApp::spawn().await;
    let list = app.text("/products").await;
    assert!(reply_text(&list).contains("Каталог виробів: 5"), "{}", reply_text(&list));

    // Add: name, then a price (a bad one is refused, the question waits).
    app.press(&button(&list, "Додати виріб")).await;
    assert!(reply_text(&app.text("Устілки для діабетичної стопи").await).contains("Ціна за"));
    assert!(reply_text(&app.text("-5").await).contains("Не схоже на суму"));
    let added = app.text("3 100,50").await;
    assert!(reply_text(&added).contains("додано") && reply_text(&added).contains("3 100,50 грн"));
    // Rename and reprice.
    app.press(&button(&added, "Назва")).await;
    let renamed = app.text("Устілки діабетичні").await;
    app.press(&button(&renamed, "Ціна")).await;
    let repriced = app.text("3200").await;
    assert!(reply_text(&repriced).contains("Устілки діабетичні") && reply_text(&repriced).contains("3 200,00 грн"));
    let products = app.core.store().products(true).await.unwrap();
    let new = products.iter().find(|p| p.name == "Устілки діабетичні").expect("in the catalogue");
    assert_eq!(new.price.kopecks(), 320_000);

    // Hide: not offered for new orders; an old picker button for it is refused.
    let card = app.text("/new_client Віра Остапчук, 0671230005").await;
    let picker = app.press(&button(&card, "📦 Замовлення")).await;
    let old_button = button(&picker, "Устілки діабетичні");
    let hidden = app.press(&button(&repriced, "Приховати")).await;
    assert!(reply_text(&hidden).contains("Приховано"), "{}", reply_text(&hidden));
    let picker = app.press(&button(&card, "📦 Замовлення")).await;
    assert!(!picker.iter().flat_map(|c| c.buttons()).any(|(l, _)| l.contains("діабетичні")));
    assert!(reply_text(&app.press(&old_button).await).contains("приховано"));
    assert!(app.core.store().open_orders(10).await.unwrap().is_empty(), "no order from a hidden product");
    // It is still in /products, marked, and can come back.
    assert!(reply_text(&app.text("/products").await).contains("Устілки діабетичні — 3 200,00 грн (приховано)"));
}

#[tokio::test]
async fn a_restart_keeps_the_owners_catalogue_edits() {
    let app = TestApp::spawn().await;
    let diag = app.core.store().products(true).await.unwrap().into_iter().find(|p| p.code == "diagnostics").unwrap();
    app.core.store().set_product_price(diag.id, insoles_crm::domain::Money::from_kopecks(60_000)).await.unwrap();
    let dir = app.stop().await;
    // A product new in the settings appears; the owner's price stays.
    let app = TestApp::spawn_custom(false, Some(dir), |s| {
        s.products.push(insoles_crm::config::SeedProduct {
            code: "diabetic_insoles".into(),
            name: "Устілки для діабетичної стопи".into(),
            price: insoles_crm::domain::Money::from_kopecks(320_000),
        })
    })
    .await;
    let products = app.core.store().products(false).await.unwrap();
    assert_eq!(products.len(), 6, "seeded by code: the five once, the new one added");
    assert!(products.iter().any(|p| p.code == "diabetic_insoles" && p.price.kopecks() == 320_000));
    assert_eq!(products.iter().find(|p| p.code == "diagnostics").unwrap().price.kopecks(), 60_000);
}

#[tokio::test]
async fn a_stranger_pressing_the_new_buttons_changes_nothing() {
    let app = TestApp::spawn().await;
    app.text("/new_client Ніна Руденко, 0671230006").await;
    let created = app.text("/new_order 0671230006, Устілки каркасні, 1800").await;
    let id = id_in(&button(&created, "Ціна"));
    let prod = app.press(&button(&created, "У виробництві")).await;
    let client = app.core.store().order(id).await.unwrap().client_id;
    let store = app.core.store();
    let before = (store.order_history(id).await.unwrap().len(), store.products(true).await.unwrap());
    for data in [
        format!("onp:{client}:1"),
        button(&prod, "Скасувати крок"),
        format!("orp:{id}"),
        format!("oed:{id}:c"),
        format!("oep:{id}:2"),
        format!("ocl:{client}"),
        "pct:1".to_string(),
        "pca".to_string(),
        "pcp:1".to_string(),
    ] {
        let calls = app.press_from(STRANGER, &data, 5000).await;
        let seen: String = calls.iter().map(|c| c.body.to_string()).collect();
        assert!(!seen.contains("Руденко") && !seen.contains("каркасні"), "{data}: {seen}");
    }
    app.text_from(STRANGER, "uk", "/order 1").await;
    app.text_from(STRANGER, "uk", "2000").await;
    let after = (store.order_history(id).await.unwrap().len(), store.products(true).await.unwrap());
    assert_eq!(before, after);
    assert_eq!(store.open_orders(10).await.unwrap().len(), 1);
    assert_eq!(store.order(id).await.unwrap().price.kopecks(), 180_000);
}

#[tokio::test]
async fn the_console_records_an_order_from_the_catalogue_and_opens_orders_by_number() {
    let app = TestApp::spawn().await;
    // The card's buttons: 1 edit, 2 conditions, 3 note, 4 call, 5 order, ...; then the catalogue
    // (2: custom insoles). On the order card: 1 ➡️ in production, 2 cancel, 3 product, 4 price,
    // 5 prepaid, then (after a step) 6 undo.
    let script = "/new_client Леся Кравець, 0671230007\n5\n2\n4\n2 000\n1\n6\n/order 1\n/order 42\n/products\n";
    let mut out = Vec::new();
    console::run(app.core.clone(), tokio::io::BufReader::new(script.as_bytes()), &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Замовлення створено") && out.contains("Індивідуальні устілки"), "{out}");
    assert!(out.contains("Замовлення змінено") && out.contains("2 000,00 грн"), "{out}");
    assert!(out.contains("Крок скасовано: 🛠 У виробництві → 🆕 Нове"), "{out}");
    assert!(out.contains("Замовлення #42 не знайдено"), "{out}");
    assert!(out.contains("Каталог виробів: 5"), "{out}");
    let order = app.core.store().order(1).await.unwrap();
    assert_eq!((order.product.as_str(), order.price.kopecks()), ("Індивідуальні устілки", 200_000));
    assert_eq!(order.status, OrderStatus::New);
    let console_actor = app.core.store().order_history(1).await.unwrap().last().unwrap().actor.clone().unwrap();
    assert!(console_actor.starts_with("console:"), "{console_actor}");
}
