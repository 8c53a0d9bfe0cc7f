//! The HTTP server's limits over real sockets: half-sent headers and idle connections are cut
//! after the header timeout, a slow body after the request timeout, connections beyond the cap
//! wait until idle ones are reaped or closed, and a shutdown does not wait for slow clients
//! beyond its deadline.

use crate::helpers::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; the time it took, or None if it stayed open
/// for `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

async fn healthz(app: &TestApp, timeout: Duration) -> reqwest::Result<String> {
    let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
    client.get(format!("http://{}/healthz", app.http)).send().await?.text().await
}

async fn open_connections(app: &TestApp) -> String {
    let metrics = reqwest::get(format!("http://{}/metrics", app.http)).await.unwrap().text().await.unwrap();
    metrics.lines().find(|l| l.starts_with("insoles_http_connections ")).unwrap_or("none").to_string()
}

#[tokio::test]
async fn half_sent_headers_and_idle_connections_are_cut_after_the_header_timeout() {
    let app = TestApp::spawn_custom(false, None, |s| s.http.header_read_timeout = Duration::from_millis(600)).await;
    let mut half = TcpStream::connect(app.http).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").await.unwrap();
    let mut idle = TcpStream::connect(app.http).await.unwrap();
    let took = closed_within(&mut half, Duration::from_secs(5)).await.expect("a half-sent request is cut");
    assert!(took >= Duration::from_millis(400), "not before the timeout: {took:?}");
    closed_within(&mut idle, Duration::from_secs(2)).await.expect("an idle connection is cut too");

    // A kept-alive connection that goes quiet after its request is closed the same way.
    let mut kept = TcpStream::connect(app.http).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut buf = [0u8; 512];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "answered first");
    closed_within(&mut kept, Duration::from_secs(5)).await.expect("an idle kept-alive connection is cut");

    assert_eq!(healthz(&app, WAIT).await.unwrap(), "ok", "the server still serves");
    app.stop().await;
}

#[tokio::test]
async fn a_body_that_never_arrives_gets_408_after_the_request_timeout() {
    let app = TestApp::spawn_custom(false, None, |s| s.http.request_timeout = Duration::from_millis(500)).await;
    let mut slow = TcpStream::connect(app.http).await.unwrap();
    slow.write_all(
        b"POST /book HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
          Content-Length: 200\r\n\r\nservice=0&",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(app.core.store().client_count().await.unwrap(), 0);
    app.stop().await;
}

#[tokio::test]
async fn beyond_the_connection_cap_healthz_waits_for_idle_ones_to_be_reaped_or_closed() {
    let app = TestApp::spawn_custom(false, None, |s| {
        s.http.max_connections = 4;
        s.http.header_read_timeout = Duration::from_millis(1500);
    })
    .await;
    // Four clients that connect and say nothing take every slot...
    let started = Instant::now();
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(app.http).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(healthz(&app, Duration::from_millis(400)).await.is_err(), "a fifth connection waits");
    // ...until the header timeout reaps them: then /healthz answers without anyone's help.
    assert_eq!(healthz(&app, WAIT).await.unwrap(), "ok");
    assert!(started.elapsed() < Duration::from_millis(1500 + 2000), "{:?}", started.elapsed());
    for conn in &mut idle {
        closed_within(conn, Duration::from_secs(2)).await.expect("the server closed the idle connection");
    }

    // Full again; clients that hang up free their slots at once.
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(app.http).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(healthz(&app, Duration::from_millis(300)).await.is_err(), "full again");
    drop(idle);
    let freed = Instant::now();
    assert_eq!(healthz(&app, WAIT).await.unwrap(), "ok");
    assert!(freed.elapsed() < Duration::from_millis(1000), "well before the header timeout: {:?}", freed.elapsed());

    // Nothing leaked: only the scrape itself is open, and the app stops cleanly.
    let app_ref = &app;
    wait_until("the connection gauge is back to one (the scrape itself)", move || async move {
        open_connections(app_ref).await == "insoles_http_connections 1"
    })
    .await;
    app.stop().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_a_slow_client_beyond_the_deadline() {
    let deadline = Duration::from_millis(1000);
    let app = TestApp::spawn_custom(false, None, |s| {
        s.http.header_read_timeout = Duration::from_secs(30);
        s.http.shutdown_deadline = deadline;
    })
    .await;
    // A slowloris: a header line every 100 ms, never the blank line that ends them.
    let mut slow = TcpStream::connect(app.http).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    let (mut reader, mut writer) = slow.into_split();
    let dripping = tokio::spawn(async move {
        for i in 0.. {
            if writer.write_all(format!("X-Drip-{i}: 1\r\n").as_bytes()).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(healthz(&app, WAIT).await.unwrap(), "ok");

    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(20), app.stop()).await.expect("run() returns despite the slow client");
    let took = started.elapsed();
    assert!(took < deadline + Duration::from_millis(2000), "stopped in {took:?}");
    let mut buf = [0u8; 64];
    let end = tokio::time::timeout(Duration::from_secs(2), reader.read(&mut buf)).await.expect("the connection is cut");
    assert!(matches!(end, Ok(0) | Err(_)), "{end:?}");
    dripping.abort();
}
