//! The hyper adapter: collects a request body (bounded), hands a [`RawRequest`] to
//! [`Mock::handle`], and writes the envelope with the real server's headers — after the
//! reply's delay, and broken by its fault if it has one.

use std::future::Future;
use std::sync::Arc;

use bale_api::{ApiError, Envelope};
use bytes::Bytes;
use http::header::{
    HeaderName, HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER,
};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::Body;

use crate::reply::Reply;
use crate::route::{Mock, RawRequest};
use crate::transport::{self, Connection, ResponseBody, Withheld};

/// The largest body the mock reads. The real server spools bigger uploads to disk; a mock
/// has no use for them, so it answers `413` instead (a documented divergence).
pub const MAX_BODY_LEN: usize = 64 << 20;

/// What decides the answers: [`Mock`] in the server, a fixed script in transport tests.
pub(crate) trait Router: Send + Sync + 'static {
    /// Decides the answer to one request.
    fn route(&self, request: RawRequest) -> impl Future<Output = Reply> + Send;

    /// The server begins to shut down: end waits (long polls) and stop background work.
    fn begin_shutdown(&self) {}

    /// Completes when the background work has ended.
    fn drained(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

impl Router for Mock {
    fn route(&self, request: RawRequest) -> impl Future<Output = Reply> + Send {
        self.handle(request)
    }

    fn begin_shutdown(&self) {
        Mock::begin_shutdown(self);
    }

    fn drained(&self) -> impl Future<Output = ()> + Send {
        Mock::drained(self)
    }
}

/// Answers one HTTP request on `connection`. Every problem with the request becomes an error
/// envelope; the only error is a fault that withholds the answer (hyper then drops the
/// connection and [`transport::drive`] ends it as the fault says).
pub(crate) async fn answer<R, B>(
    router: Arc<R>,
    connection: Arc<Connection>,
    request: Request<B>,
) -> Result<Response<ResponseBody>, Withheld>
where
    R: Router,
    B: Body,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (parts, body) = request.into_parts();
    // Most requests (a GET, a POST with no body) have nothing to wait for.
    let body = if body.is_end_stream() {
        Bytes::new()
    } else {
        let collect = Limited::new(body, MAX_BODY_LEN).collect();
        match tokio::time::timeout(connection.body_timeout(), collect).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) => {
                tracing::debug!(%error, "request body not read");
                let error = ApiError::new(413, "Request Entity Too Large");
                return Ok(to_response(&Reply::api(&Envelope::<()>::Err(error))).map(Either::Left));
            }
            Err(_) => {
                // A body that stalls would hold a connection slot for ever.
                tracing::debug!("request body not read in time");
                let error = ApiError::new(408, "Request Timeout");
                return Ok(to_response(&Reply::api(&Envelope::<()>::Err(error))).map(Either::Left));
            }
        }
    };
    let reply = router
        .route(RawRequest {
            http_method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
            peer: connection.peer(),
            local: connection.local(),
        })
        .await;
    // Routing is done and holds no lock any more: sleeping and faults happen from here on.
    transport::carry_out(&connection, reply).await
}

/// The HTTP response for a reply: tdlib's headers in tdlib's order (`Connection`,
/// `Content-Type` — JSON, or a download's `application/octet-stream` — `Retry-After` when
/// positive, `Content-Length`). The reply's delay and fault are not applied here (they are
/// the transport's).
///
/// `Content-Length` is not in the map: hyper writes it from the whole body's length, after
/// every header in the map and in the same title case, so the bytes on the wire are the
/// same without a header value formatted and looked up for every answer. A body of unknown
/// length (a dripped one) must add it (`with_content_length`).
pub fn to_response(reply: &Reply) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Full::new(reply.body.clone()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.append(CONNECTION, HeaderValue::from_static("keep-alive"));
    headers.append(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if let Some(seconds) = reply.retry_after {
        headers.append(RETRY_AFTER, HeaderValue::from(seconds));
    }
    for &(name, value) in reply.headers.copied().unwrap_or_default() {
        headers.append(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

/// `response` with its `Content-Length` in the map, last, as tdlib writes it: for a body
/// hyper cannot measure.
pub(crate) fn with_content_length<B>(mut response: Response<B>, len: usize) -> Response<B> {
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(len));
    response
}
