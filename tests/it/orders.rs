//! Orders: creation, one-tap status changes, refused transitions, history and timeline.

use crate::helpers::*;
use insoles_crm::domain::OrderStatus;

#[tokio::test]
async fn order_walks_through_its_statuses() {
    let app = TestApp::spawn().await;
    app.text("/new_client Галина Савчук, 0931234567").await;
    let created = app.text("/new_order 0931234567, Устілки каркасні, 1800, 500").await;
    let text = reply_text(&created);
    assert!(
        text.contains("Замовлення створено") && text.contains("1 800,00 грн") && text.contains("1 300,00 грн"),
        "{text}"
    );

    let prod = app.press(&button(&created, "У виробництві")).await;
    assert_eq!(method_count(&prod, "editMessageText"), 1, "status changes edit the order card in place");
    assert!(reply_text(&prod).contains("Статус: 🛠 У виробництві"));
    let stale_prod = button(&created, "У виробництві");
    let ready = app.press(&button(&prod, "Готове")).await;
    let issued = app.press(&button(&ready, "Видане")).await;
    assert!(reply_text(&issued).contains("Статус: 🤝 Видане"));
    assert!(
        issued.iter().all(|c| c.buttons().iter().all(|(_, d)| !d.starts_with("os:"))),
        "a final status offers no transitions"
    );

    // A stale button cannot move an issued order back.
    let refused = app.press(&stale_prod).await;
    assert!(reply_text(&refused).contains("Не можна змінити статус"), "{}", reply_text(&refused));
    let order_id: i64 = stale_prod.split(':').nth(1).unwrap().parse().unwrap();
    let order = app.core.store().order(order_id).await.unwrap();
    assert_eq!(order.status, OrderStatus::Issued);
    assert_eq!(order.price.kopecks(), 180_000);
    assert_eq!(app.core.store().order_history(order_id).await.unwrap().len(), 4);

    // Every change is in the client's timeline.
    let timeline = app.core.store().recent_interactions(order.client_id, 20).await.unwrap();
    assert_eq!(timeline.iter().filter(|i| i.kind == "status").count(), 4);
    assert!(timeline.iter().any(|i| i.body.contains(&format!("Нове замовлення #{order_id}"))), "{timeline:?}");

    // The history's lines open their order with one tap.
    let history = app.press(&format!("tl:{}", order.client_id)).await;
    assert_eq!(button(&history, &format!("📦 #{order_id}")), format!("o:{order_id}"));
}

#[tokio::test]
async fn guided_order_from_the_card_and_the_open_orders_list() {
    let app = TestApp::spawn().await;
    let card = app.text("/new_client Юрій Бондар, 0501234567").await;
    app.press(&button(&card, "Замовлення")).await;
    assert!(reply_text(&app.text("Устілки спортивні").await).contains("Ціна за «Устілки спортивні»"));
    let ask_prepaid = app.text("2 100,50").await;
    assert!(reply_text(&ask_prepaid).contains("2 100,50 грн"));
    let created = app.press(&button(&ask_prepaid, "Пропустити")).await;
    assert!(reply_text(&created).contains("Замовлення створено"));

    app.text("/new_order Юрій; Корекція устілок; 400,50").await;
    let list = app.text("/orders").await;
    let text = reply_text(&list);
    assert!(text.contains("Відкриті замовлення: 2") && text.contains("🆕 Нове (2)"), "{text}");
    assert!(text.contains("400,50 грн"), "{text}");
    assert_eq!(list.iter().flat_map(|c| c.buttons()).count(), 2);
}

#[tokio::test]
async fn bad_orders_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.text("/new_client Тетяна Поліщук, 0631234567").await;
    let cases = [
        ("/new_order", "Як створити замовлення"),
        ("/new_order 0999999999, Устілки, 1800", "не знайдено"),
        ("/new_order 0631234567, Устілки, дорого", "Не схоже на суму"),
        ("/new_order 0631234567, Устілки, 1800, 2000", "Передоплата не може"),
        ("/new_order 0631234567, , 1800", "вкажіть виріб"),
    ];
    for (input, expected) in cases {
        let text = reply_text(&app.text(input).await);
        assert!(text.contains(expected), "{input}: {text}");
    }
    assert!(app.core.store().open_orders(10).await.unwrap().is_empty());
}
