//! [`RawRequest`]: a request as read off the wire, whose `Debug` never shows the token its
//! path carries (nor an echo of it in the query or the body).

use std::fmt;

use bale_api::redact;
use bytes::Bytes;

use crate::request::decode_path;

/// A request as read off the wire: what routing needs and nothing else.
#[derive(Clone)]
pub struct RawRequest {
    /// The HTTP method.
    pub http_method: http::Method,
    /// The request target. Its path holds the bot token: never log it.
    pub uri: http::Uri,
    /// The `Content-Type` header, if any.
    pub content_type: Option<http::HeaderValue>,
    /// The whole body.
    pub body: Bytes,
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = decode_path(self.uri.path());
        // `/bot<token>/…`, as routing reads it; anything else shaped like a token (a
        // misplaced one, `/bot/<token>/getMe`) is caught by its shape.
        let token = path
            .strip_prefix("/bot")
            .and_then(|rest| rest.split_once('/'))
            .map_or("", |(token, _)| token);
        let hide = |text: &str| redact::token_like(&redact::known(text, token)).into_owned();
        f.debug_struct("RawRequest")
            .field("http_method", &self.http_method)
            .field("uri", &hide(&self.uri.to_string()))
            .field("content_type", &self.content_type)
            .field("body", &hide(&String::from_utf8_lossy(&self.body)))
            .finish()
    }
}
