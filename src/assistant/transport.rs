//! rig-core's HTTP transport over the reqwest client the rest of the program uses (rig's own
//! bundle would bring a second reqwest and a second TLS stack into the build).

use bytes::Bytes;
use rig_core::http_client::{
    Error, HttpClientExt, LazyBody, MultipartForm, Request, Response, Result, StreamingResponse,
};
use std::future::Future;

#[derive(Clone, Debug)]
pub struct Transport(pub reqwest::Client);

#[derive(Debug, thiserror::Error)]
#[error("multipart requests are not used by this program")]
struct NoMultipart;

async fn exchange(client: reqwest::Client, req: Request<Bytes>) -> Result<(http::response::Parts, Bytes)> {
    let (parts, body) = req.into_parts();
    let mut builder = client.request(parts.method, parts.uri.to_string()).body(body);
    for (k, v) in &parts.headers {
        builder = builder.header(k, v);
    }
    let resp = builder.send().await.map_err(Error::instance)?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.map_err(Error::instance)?;
    if !status.is_success() {
        return Err(Error::non_success_with_details(status, headers, String::from_utf8_lossy(&bytes).into_owned()));
    }
    let mut out = http::Response::builder().status(status);
    if let Some(h) = out.headers_mut() {
        *h = headers;
    }
    let (parts, _) = out.body(()).map_err(Error::Protocol)?.into_parts();
    Ok((parts, bytes))
}

impl HttpClientExt for Transport {
    fn send<T, U>(&self, req: Request<T>) -> impl Future<Output = Result<Response<LazyBody<U>>>> + Send + 'static
    where
        T: Into<Bytes> + Send,
        U: From<Bytes> + Send + 'static,
    {
        let client = self.0.clone();
        let (parts, body) = req.into_parts();
        let req = Request::from_parts(parts, body.into());
        async move {
            let (parts, bytes) = exchange(client, req).await?;
            let body: LazyBody<U> = Box::pin(async move { Ok(U::from(bytes)) });
            Ok(Response::from_parts(parts, body))
        }
    }

    // Not `async fn`: the future must be 'static, so it cannot borrow `self`.
    #[allow(clippy::manual_async_fn)]
    fn send_multipart<U>(
        &self,
        _req: Request<MultipartForm>,
    ) -> impl Future<Output = Result<Response<LazyBody<U>>>> + Send + 'static
    where
        U: From<Bytes> + Send + 'static,
    {
        async { Err(Error::instance(NoMultipart)) }
    }

    fn send_streaming<T>(&self, req: Request<T>) -> impl Future<Output = Result<StreamingResponse>> + Send
    where
        T: Into<Bytes> + Send,
    {
        let client = self.0.clone();
        let (parts, body) = req.into_parts();
        let req = Request::from_parts(parts, body.into());
        async move {
            let (parts, bytes) = exchange(client, req).await?;
            let stream: rig_core::http_client::BoxedStream =
                Box::pin(futures_util::stream::once(async move { Ok(bytes) }));
            Ok(Response::from_parts(parts, stream))
        }
    }
}
