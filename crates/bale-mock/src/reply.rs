//! [`Reply`]: what routing decided and the transport must do — an answer (status, JSON body,
//! `Retry-After`), when to send it, and whether to break it with a [`Fault`]. The console's
//! answers add their own headers, and its live journal a body that is a stream of events.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bale_api::Envelope;
use bytes::Bytes;
use futures_util::Stream;
use serde_json::Value;

use crate::fault::Fault;

/// The content type of every API and control answer.
pub const JSON: &str = "application/json";

/// The content type of a downloaded file.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// One decided answer, ready for the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body: JSON, or a downloaded file's bytes.
    pub body: Bytes,
    /// The body's `Content-Type`: `application/json` but for a download.
    pub content_type: &'static str,
    /// Seconds for the `Retry-After` header, when positive.
    pub retry_after: Option<u64>,
    /// How long to wait before answering (slept outside every lock).
    pub delay: Duration,
    /// How to break the answer, if at all.
    pub fault: Option<Fault>,
    /// Headers beyond tdlib's (the console's security headers); `None` for the Bot API. A
    /// reference to a slice, so that a reply stays small: it is moved on every request.
    pub headers: Option<&'static Headers>,
    /// A body sent as it comes instead of [`Reply::body`], with no `Content-Length`.
    pub stream: Option<BodyStream>,
}

/// Header names and values, added as they are.
pub type Headers = &'static [(&'static str, &'static str)];

/// A body that is sent piece by piece as it is produced (server-sent events); taken once.
#[derive(Clone)]
pub struct BodyStream(Arc<Mutex<Option<PinnedStream>>>);

/// A body stream as the server polls it.
pub type PinnedStream = Pin<Box<dyn Stream<Item = Bytes> + Send>>;

impl BodyStream {
    /// Wraps `stream`; the body ends when it does.
    pub fn new(stream: impl Stream<Item = Bytes> + Send + 'static) -> BodyStream {
        BodyStream(Arc::new(Mutex::new(Some(Box::pin(stream)))))
    }

    /// The stream, the first time it is asked for (the server sends it as the body; a
    /// caller of [`crate::Mock::handle`] reads it from here).
    pub fn take(&self) -> Option<PinnedStream> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyStream")
    }
}

/// Two replies are equal only if they carry the very same stream.
impl PartialEq for BodyStream {
    fn eq(&self, other: &BodyStream) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Reply {
    /// A Bot API answer: status equal to `error_code`, `Retry-After` from
    /// `parameters.retry_after`.
    pub fn api<T: serde::Serialize>(envelope: &Envelope<T>) -> Reply {
        let retry_after = match envelope {
            Envelope::Ok(_) => None,
            Envelope::Err(error) => error.retry_after().filter(|s| *s > 0),
        };
        Reply {
            status: envelope.http_status(),
            body: Bytes::from(envelope.to_bytes()),
            content_type: JSON,
            retry_after,
            delay: Duration::ZERO,
            fault: None,
            headers: None,
            stream: None,
        }
    }

    /// A success whose whole `{"ok":true,"result":…}` body was serialised before.
    pub fn ok_body(body: Bytes) -> Reply {
        Reply {
            status: 200,
            body,
            content_type: JSON,
            retry_after: None,
            delay: Duration::ZERO,
            fault: None,
            headers: None,
            stream: None,
        }
    }

    /// A success with a `description` beside the result
    /// (`{"ok":true,"result":…,"description":…}`, tdlib's key order).
    pub fn described(result: &serde_json::value::RawValue, description: &str) -> Reply {
        #[derive(serde::Serialize)]
        struct Described<'a> {
            ok: bool,
            result: &'a serde_json::value::RawValue,
            description: &'a str,
        }
        let body = serde_json::to_vec(&Described {
            ok: true,
            result,
            description,
        })
        .unwrap_or_default();
        Reply {
            status: 200,
            body: Bytes::from(body),
            content_type: JSON,
            retry_after: None,
            delay: Duration::ZERO,
            fault: None,
            headers: None,
            stream: None,
        }
    }

    /// A control-API answer: any status, any JSON.
    pub fn control(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            body: Bytes::from(serde_json::to_vec(body).unwrap_or_default()),
            content_type: JSON,
            retry_after: None,
            delay: Duration::ZERO,
            fault: None,
            headers: None,
            stream: None,
        }
    }

    /// A file download: its bytes as they are, `application/octet-stream`.
    pub fn file(bytes: Bytes) -> Reply {
        Reply {
            status: 200,
            body: bytes,
            content_type: OCTET_STREAM,
            retry_after: None,
            delay: Duration::ZERO,
            fault: None,
            headers: None,
            stream: None,
        }
    }
}
