//! Health, readiness, metrics, and a clean shutdown.

use crate::helpers::*;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let base = format!("http://{}", app.http);
    let get = |path: &str| reqwest::get(format!("{base}{path}"));
    assert_eq!(get("/healthz").await.unwrap().text().await.unwrap(), "ok");
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), 200);
    app.text("/new_client Світлана Бондар, 0975554433").await;
    let metrics = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(metrics.contains("insoles_updates_total 1"), "{metrics}");
    assert!(metrics.contains("insoles_clients 1"));
    assert!(metrics.contains("insoles_handler_seconds_bucket{le=\"+Inf\"} 1"));
    assert_eq!(get("/nope").await.unwrap().status(), 404);
    app.stop().await;
}
