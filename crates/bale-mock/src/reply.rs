//! [`Reply`]: what routing decided and the transport must do — an answer (status, JSON body,
//! `Retry-After`), when to send it, and whether to break it with a [`Fault`].

use std::time::Duration;

use bale_api::Envelope;
use bytes::Bytes;
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
        }
    }
}
