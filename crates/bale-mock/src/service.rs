//! The hyper adapter: collects a request body (bounded), hands a [`RawRequest`] to
//! [`Mock::handle`], and writes the envelope with the real server's headers.

use std::convert::Infallible;
use std::sync::Arc;

use bale_api::{ApiError, Envelope};
use bytes::Bytes;
use http::header::{HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Body;

use crate::reply::Reply;
use crate::route::{Mock, RawRequest};

/// The largest body the mock reads. The real server spools bigger uploads to disk; a mock
/// has no use for them, so it answers `413` instead (a documented divergence).
pub const MAX_BODY_LEN: usize = 64 << 20;

/// Answers one HTTP request. Never fails: every problem becomes an error envelope.
pub async fn answer<B>(
    mock: Arc<Mock>,
    request: Request<B>,
) -> Result<Response<Full<Bytes>>, Infallible>
where
    B: Body,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_LEN).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            tracing::debug!(%error, "request body not read");
            let error = ApiError::new(413, "Request Entity Too Large");
            return Ok(to_response(&Reply::api(&Envelope::Err(error))));
        }
    };
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let reply = mock
        .handle(RawRequest {
            http_method: parts.method,
            uri: parts.uri,
            content_type,
            body,
        })
        .await;
    Ok(to_response(&reply))
}

/// The HTTP response for a reply: tdlib's headers in tdlib's order (`Connection`,
/// `Content-Type`, `Retry-After` when positive, `Content-Length`).
pub fn to_response(reply: &Reply) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::builder()
        .status(status)
        .header(CONNECTION, HeaderValue::from_static("keep-alive"))
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(seconds) = reply.retry_after {
        response = response.header(RETRY_AFTER, seconds);
    }
    response
        .header(CONTENT_LENGTH, reply.body.len())
        .body(Full::new(reply.body.clone()))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
