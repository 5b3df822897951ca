//! Network faults: answers that break the HTTP exchange on purpose, each real on the socket.
//!
//! A fault is data decided under the state lock (by a scenario rule or a rate limit) and
//! carried out by the transport after every lock is released, so a slow or hanging fault
//! never holds up other requests.

use std::time::Duration;

/// One way to break an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Never answer: the connection stays open, silent, until the client gives up or the
    /// server shuts down, so the client's timeout fires.
    Hang,
    /// Reset the connection (TCP RST) instead of answering.
    Reset,
    /// Close the connection without sending a byte of the answer.
    EmptyReply,
    /// Send the head with a `Content-Length` larger than the body, part of the body, then
    /// close.
    TruncatedBody,
    /// `200 application/json` whose body is not valid JSON.
    MalformedJson,
    /// A reverse proxy's HTML error page with this status (502, 503 or 504).
    ProxyErrorPage {
        /// The HTTP status.
        status: u16,
    },
    /// Bale's edge proxy (Envoy) local rate limit: `429` with the plain-text body
    /// `local_rate_limited` — not JSON.
    ProxyRateLimited,
    /// The normal answer, its body sent in small pieces spread over `duration`.
    Drip {
        /// How long the whole body takes.
        duration: Duration,
    },
}

impl Fault {
    /// The name used in scenario files and the journal.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Hang => "hang",
            Fault::Reset => "reset",
            Fault::EmptyReply => "empty-reply",
            Fault::TruncatedBody => "truncated-body",
            Fault::MalformedJson => "malformed-json",
            Fault::ProxyErrorPage { .. } => "proxy-error-page",
            Fault::ProxyRateLimited => "proxy-rate-limited",
            Fault::Drip { .. } => "drip",
        }
    }
}
