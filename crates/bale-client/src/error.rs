//! [`Error`]: everything a call can end in besides a result, classified so that callers (and
//! the CLI's exit codes) can react without parsing messages.
//!
//! No variant ever holds the bot token: transport errors are stored as text taken from
//! [`reqwest::Error::without_url`] (the token is in the URL path), and every excerpt of a
//! response body has the token replaced by `<token>`.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use bale_api::error::descriptions;
use bale_api::{ApiError, ApiErrorKind};

use crate::redact::redact;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an `ok:false` envelope, whatever the HTTP status.
    ///
    /// When the body has no `parameters.retry_after` but the answer is a 429 with a
    /// `Retry-After: <seconds>` header, the client fills `parameters.retry_after` in from the
    /// header, so [`ApiError::retry_after`] and [`Error::retry_after`] agree.
    #[error("API error {0}")]
    Api(ApiError),

    /// HTTP 429 whose body is not a JSON envelope, such as the plain-text
    /// `local_rate_limited` of the Envoy proxy in front of tapi.bale.ai.
    #[error("rate limited (HTTP 429{}): {body_excerpt:?}", RetryAfter(*retry_after))]
    RateLimited {
        /// Seconds to wait, from the `Retry-After` header, if any.
        retry_after: Option<u64>,
        /// The start of the body, with the token redacted.
        body_excerpt: String,
    },

    /// No complete response head arrived: the request could not be sent, or the connection
    /// failed before the server answered. See [`NetworkErrorKind`].
    #[error("network error ({kind}): {message}")]
    Network {
        /// What went wrong.
        kind: NetworkErrorKind,
        /// The underlying error chain, without the URL.
        message: String,
    },

    /// A response head arrived, but the body is not a usable envelope: an HTML proxy page,
    /// malformed, truncated or empty JSON, or a `result` of the wrong type.
    ///
    /// A body cut short after the head (fewer bytes than `Content-Length`, or a reset
    /// mid-body) is [`InvalidReason::Truncated`], with the bytes that did arrive as the
    /// excerpt; only a body read that *times out* is [`Error::Network`] with
    /// [`NetworkErrorKind::Timeout`].
    #[error("invalid response (HTTP {status}, {reason}): {excerpt:?}")]
    InvalidResponse {
        /// The HTTP status of the response.
        status: u16,
        /// The first ~200 characters of the body, with the token redacted.
        excerpt: String,
        /// Why the body was rejected.
        reason: InvalidReason,
    },

    /// The base URL cannot be used (not http(s), has a query or fragment, or does not parse).
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was rejected.
        reason: String,
    },

    /// The client could not be set up (for example the TLS backend failed to initialise).
    #[error("cannot build the client: {0}")]
    Usage(String),

    /// The call cannot be sent as asked, and was not: files with parameters that are not a
    /// JSON object, or a file's content type that does not parse.
    #[error("invalid parameters: {0}")]
    InvalidParameters(String),
}

/// Formats `, retry after N s` when a wait is known.
struct RetryAfter(Option<u64>);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(seconds) => write!(f, ", retry after {seconds} s"),
            None => Ok(()),
        }
    }
}

/// What kind of transport failure an [`Error::Network`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NetworkErrorKind {
    /// The connection could not be made: refused, unreachable, or the host name did not
    /// resolve.
    Connect,
    /// The connect timeout or the total request timeout elapsed.
    Timeout,
    /// The peer reset the connection (`ECONNRESET`, `ECONNABORTED`, `EPIPE`).
    Reset,
    /// The server closed the connection before sending a complete response head (an "empty
    /// reply").
    Closed,
    /// The TLS handshake failed: the server's certificate is not trusted (unknown issuer —
    /// see [`ClientBuilder::ca_cert_pem`](crate::ClientBuilder::ca_cert_pem) — another
    /// name, expired), the two sides share no protocol version, cipher suite or ALPN
    /// protocol, or the server does not speak TLS. The message says which.
    Tls,
    /// Anything else (protocol errors, a malformed response head, …).
    Other,
}

impl NetworkErrorKind {
    /// A short lower-case name: `connect`, `timeout`, `reset`, `closed`, `tls`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            NetworkErrorKind::Connect => "connect",
            NetworkErrorKind::Timeout => "timeout",
            NetworkErrorKind::Reset => "reset",
            NetworkErrorKind::Closed => "closed",
            NetworkErrorKind::Tls => "tls",
            NetworkErrorKind::Other => "other",
        }
    }
}

impl fmt::Display for NetworkErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an [`Error::InvalidResponse`] body was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvalidReason {
    /// The body is empty (or only whitespace).
    Empty,
    /// The body is not JSON: an HTML page, plain text, or malformed JSON.
    NotJson,
    /// The body is JSON but not an envelope (no `ok`, or `ok` without `result`/`error_code`).
    NotEnvelope,
    /// The body ended before `Content-Length` bytes arrived, or the connection failed
    /// mid-body.
    Truncated,
    /// The envelope is `ok:true` but `result` is not of the type the method returns.
    UnexpectedResult,
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InvalidReason::Empty => "empty body",
            InvalidReason::NotJson => "not JSON",
            InvalidReason::NotEnvelope => "JSON but not a Bot API envelope",
            InvalidReason::Truncated => "truncated body",
            InvalidReason::UnexpectedResult => "unexpected result type",
        })
    }
}

impl Error {
    /// The API error, if the server answered with an `ok:false` envelope.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Seconds to wait before retrying: `parameters.retry_after` of an API error, or the
    /// `Retry-After` header of a non-JSON 429.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::Api(error) => error.retry_after(),
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the server asked us to slow down: any [`Error::RateLimited`], or an API error
    /// with code 429 or Bale's rate-limit wording (`bot limit exceed`, `local_rate_limited`).
    pub fn is_rate_limited(&self) -> bool {
        match self {
            Error::RateLimited { .. } => true,
            Error::Api(error) => {
                let description = error.description.to_ascii_lowercase();
                error.kind() == ApiErrorKind::TooManyRequests
                    || description.contains("bot limit exceed")
                    || description.contains(descriptions::LOCAL_RATE_LIMITED)
            }
            _ => false,
        }
    }

    /// Whether the server rejected the token (Bale's `Token not found`, Telegram's 401/421).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api(error) if error.kind() == ApiErrorKind::Unauthorized)
    }

    /// The kind of transport failure, for an [`Error::Network`].
    pub fn network_kind(&self) -> Option<NetworkErrorKind> {
        match self {
            Error::Network { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The HTTP status of the response, when one arrived (for [`Error::Api`], its
    /// `error_code`, which the server sets equal to the status).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(error) => Some(error.error_code),
            Error::RateLimited { .. } => Some(429),
            Error::InvalidResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// An [`Error::Network`] from a reqwest error; the URL is dropped first and the token
    /// is redacted from the message.
    pub(crate) fn network(error: reqwest::Error, token: &str) -> Error {
        let error = error.without_url();
        Error::Network {
            kind: classify(&error),
            message: redact(&chain_message(&error), token),
        }
    }
}

/// Classifies a transport failure by walking its `source()` chain down to `io::Error` kinds,
/// rustls errors and hyper's own error kinds.
pub(crate) fn classify(error: &reqwest::Error) -> NetworkErrorKind {
    if error.is_timeout() {
        return NetworkErrorKind::Timeout;
    }
    let mut found = None;
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(current) = next {
        if is_tls(current) {
            return NetworkErrorKind::Tls;
        }
        if let Some(io) = current.downcast_ref::<io::Error>() {
            found = match io.kind() {
                io::ErrorKind::TimedOut => Some(NetworkErrorKind::Timeout),
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::AddrNotAvailable => Some(NetworkErrorKind::Connect),
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe => Some(NetworkErrorKind::Reset),
                io::ErrorKind::UnexpectedEof => Some(NetworkErrorKind::Closed),
                _ => found,
            };
        } else if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
            if hyper.is_timeout() {
                found = Some(NetworkErrorKind::Timeout);
            } else if hyper.is_incomplete_message() {
                found = found.or(Some(NetworkErrorKind::Closed));
            }
        }
        next = current.source();
    }
    match found {
        Some(kind) => kind,
        None if error.is_connect() => NetworkErrorKind::Connect,
        None => NetworkErrorKind::Other,
    }
}

/// Whether `error` is a rustls error, or an `io::Error` carrying one, perhaps inside another
/// `io::Error` (`io::Error::source` skips the error it carries, so `source()` alone never
/// reaches it).
fn is_tls(error: &(dyn StdError + 'static)) -> bool {
    let mut current = error;
    loop {
        if current.is::<rustls::Error>() {
            return true;
        }
        match current
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
        {
            Some(inner) => current = inner,
            None => return false,
        }
    }
}

/// The `Display` of an error and all its sources, joined by `: `.
pub(crate) fn chain_message(error: &(dyn StdError + 'static)) -> String {
    let mut message = error.to_string();
    let mut next = error.source();
    while let Some(current) = next {
        let text = current.to_string();
        if !message.ends_with(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        next = current.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_wording_counts_as_rate_limited() {
        assert!(Error::Api(ApiError::too_many_requests(3)).is_rate_limited());
        assert!(Error::Api(ApiError::new(400, "bot limit exceed")).is_rate_limited());
        assert!(!Error::Api(ApiError::new(400, "Bad Request: chat not found")).is_rate_limited());
        let limited = Error::RateLimited {
            retry_after: Some(3),
            body_excerpt: "local_rate_limited".into(),
        };
        assert!(limited.is_rate_limited());
        assert_eq!(limited.retry_after(), Some(3));
        assert_eq!(
            limited.to_string(),
            "rate limited (HTTP 429, retry after 3 s): \"local_rate_limited\""
        );
    }

    #[test]
    fn unauthorized_covers_both_dialects() {
        assert!(Error::Api(ApiError::new(403, "Bad Request: Token not found")).is_unauthorized());
        assert!(Error::Api(ApiError::new(401, "Unauthorized")).is_unauthorized());
        assert!(!Error::Api(ApiError::logged_out()).is_unauthorized());
    }
}
