//! The HTTP accept loop: hyper's HTTP/1 connection driver under our own limits, because
//! `axum::serve` has none of them.
//!
//! - **Header timeout**: a client must send its request headers within `header_read_timeout`,
//!   and the same limit closes a kept-alive connection that sits idle; a half-open or slowloris
//!   connection is dropped instead of holding a file descriptor forever.
//! - **Request timeout**: reading the body and answering must finish within `request_timeout`
//!   (408 otherwise).
//! - **Write deadline**: a write that makes no progress for `request_timeout` fails the
//!   connection. Without it a client that pipelines requests and never reads the answers ("slow
//!   read") holds its connection for ever: the header timeout does not apply (the heads arrived
//!   at once) and the request timeout covers the handler, not the socket.
//! - **Connection cap**: at most `max_connections` are served at once. The loop does not even
//!   accept beyond the cap, so the extra ones wait in the kernel's queue (no descriptor spent);
//!   idle ones are reaped by the header timeout, so `/healthz` gets its turn.
//! - **Shutdown deadline**: on stop the listener closes, idle connections close at once, busy ones
//!   finish their request, and whatever is still open after `shutdown_deadline` is cut.

use crate::config::HttpSettings;
use crate::metrics::Metrics;
use crate::shutdown::{stopped, Shutdown};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// The limits of [`serve`], taken from [`HttpSettings`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_deadline: Duration,
}

impl From<&HttpSettings> for Limits {
    fn from(h: &HttpSettings) -> Self {
        Limits {
            header_read_timeout: h.header_read_timeout,
            request_timeout: h.request_timeout,
            max_connections: h.max_connections.max(1),
            shutdown_deadline: h.shutdown_deadline,
        }
    }
}

/// Serves `router` on `listener` until `stop`, then drains connections within the deadline.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, metrics: Arc<Metrics>, stop: Shutdown) {
    let router = router.layer(axum::middleware::from_fn_with_state(limits.request_timeout, request_timeout));
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    loop {
        let accepted = async {
            let permit = permits.clone().acquire_owned().await.expect("the semaphore is never closed");
            (listener.accept().await, permit)
        };
        tokio::select! {
            biased;
            _ = stopped(stop.clone()) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            (accepted, permit) = accepted => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(
                        stream,
                        peer,
                        router.clone(),
                        limits,
                        stop.clone(),
                        metrics.clone(),
                        permit,
                    ));
                }
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: wait a little
                    // rather than spin.
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
        }
    }
    drop(listener);
    let open = connections.len();
    let drained =
        tokio::time::timeout(limits.shutdown_deadline, async { while connections.join_next().await.is_some() {} })
            .await;
    if drained.is_err() {
        tracing::warn!(
            open_at_stop = open,
            still_open = connections.len(),
            "HTTP shutdown deadline passed: closing the remaining connections"
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

/// Counts an open connection for `/metrics` while alive (also when the task is aborted).
struct Open(Arc<Metrics>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.http_connections.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    stop: Shutdown,
    metrics: Arc<Metrics>,
    _permit: OwnedSemaphorePermit,
) {
    metrics.http_connections.fetch_add(1, Ordering::Relaxed);
    let _open = Open(metrics);
    let _ = stream.set_nodelay(true);
    let inner = TowerToHyperService::new(router.into_service::<Incoming>());
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        hyper::service::Service::call(&inner, req)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let stream = WriteDeadline::new(stream, limits.request_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let result = tokio::select! {
        r = conn.as_mut() => r,
        _ = stopped(stop) => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        // Timeouts and resets are what clients do; nothing for the owner to act on.
        tracing::debug!(%peer, error = %e, "HTTP connection ended with an error");
    }
}

/// Bounds the time to read a request's body and answer it.
async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "HTTP request timed out");
            (StatusCode::REQUEST_TIMEOUT, [(axum::http::header::CONNECTION, "close")], "request timeout\n")
                .into_response()
        }
    }
}

/// A socket whose writes fail with `TimedOut` after `limit` without progress: the timer is armed
/// when a write would block and disarmed by any byte written.
struct WriteDeadline<S> {
    inner: S,
    limit: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, limit: Duration) -> Self {
        WriteDeadline { inner, limit, timer: None }
    }

    /// After a write attempt: disarm on progress, arm (or check) while blocked.
    fn watch<T>(&mut self, cx: &mut Context<'_>, r: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if r.is_ready() {
            self.timer = None;
            return r;
        }
        let limit = self.limit;
        let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_write_without_progress_times_out_and_progress_resets_the_timer() {
        let limit = Duration::from_millis(300);
        // Fills the pipe, then nobody reads: TimedOut after the limit, not before.
        let (_client, server) = tokio::io::duplex(64);
        let mut server = WriteDeadline::new(server, limit);
        let started = std::time::Instant::now();
        let err = tokio::time::timeout(Duration::from_secs(10), server.write_all(&[0u8; 1024]))
            .await
            .expect("the write deadline fires")
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= limit, "{:?}", started.elapsed());

        // A reader slower than the limit in total but never stalled that long: no error.
        let (mut client, server) = tokio::io::duplex(64);
        let mut server = WriteDeadline::new(server, limit);
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let mut got = 0;
            while got < 1024 {
                tokio::time::sleep(Duration::from_millis(150)).await;
                got += client.read(&mut buf).await.unwrap();
            }
        });
        server.write_all(&[0u8; 1024]).await.expect("progress resets the deadline");
        reader.await.unwrap();
    }
}
