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
    /// The request headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: Bytes,
    /// The peer's address; `None` when the request did not come over a socket.
    pub peer: Option<std::net::SocketAddr>,
    /// The address the connection came in on.
    pub local: Option<std::net::SocketAddr>,
}

impl RawRequest {
    /// A request not read off a socket (tests, benchmarks, fuzzing): no headers, no peer.
    pub fn new(http_method: http::Method, uri: http::Uri, body: impl Into<Bytes>) -> RawRequest {
        RawRequest {
            http_method,
            uri,
            headers: http::HeaderMap::new(),
            body: body.into(),
            peer: None,
            local: None,
        }
    }

    /// Sets a header.
    pub fn with_header(mut self, name: http::HeaderName, value: http::HeaderValue) -> RawRequest {
        self.headers.insert(name, value);
        self
    }
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
        // Header values can carry the control token (Authorization) or a bot token.
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = match *name {
                    http::header::AUTHORIZATION => "<redacted>".to_owned(),
                    _ => hide(&String::from_utf8_lossy(value.as_bytes())),
                };
                (name.as_str(), value)
            })
            .collect();
        f.debug_struct("RawRequest")
            .field("http_method", &self.http_method)
            .field("uri", &hide(&self.uri.to_string()))
            .field("headers", &headers)
            .field("body", &hide(&String::from_utf8_lossy(&self.body)))
            .field("peer", &self.peer)
            .field("local", &self.local)
            .finish()
    }
}
