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
    /// server shuts down, so the client's timeout fires. At shutdown the connection is
    /// closed (FIN) at once instead of holding up the drain.
    Hang,
    /// Reset the connection (TCP RST) instead of answering: the client's read fails with
    /// `ECONNRESET`.
    Reset,
    /// Close the connection (FIN) without sending a byte of the answer: the client reads EOF.
    EmptyReply,
    /// Send the head with a `Content-Length` larger than the body, part of the body, then
    /// close. The head is the normal answer's, with the body's full length; the first half
    /// of the body follows, then a FIN.
    TruncatedBody,
    /// `200 application/json` whose body is not valid JSON: the first half of the normal
    /// body, with a correct `Content-Length`.
    MalformedJson,
    /// A reverse proxy's HTML error page with this status (502, 503 or 504): nginx's default
    /// page and reason phrases (`503 Service Temporarily Unavailable`, `504 Gateway
    /// Time-out`), `Content-Type: text/html`, `Server: nginx`.
    ProxyErrorPage {
        /// The HTTP status.
        status: u16,
    },
    /// Bale's edge proxy (Envoy) local rate limit: `429` with the plain-text body
    /// `local_rate_limited` — not JSON — `Content-Type: text/plain` and
    /// `x-envoy-ratelimited: true`; `Retry-After` only if the reply sets one.
    ProxyRateLimited,
    /// The normal answer, its body sent in small pieces spread over `duration`: the head at
    /// once (with the full `Content-Length`), then pieces of at most 8 bytes (larger when
    /// `duration` allows fewer than one piece per 10 ms), the last one `duration` after the
    /// head. At shutdown the rest is sent at once.
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

    /// The HTTP status that goes out when this fault breaks an answer of status `answer`;
    /// `None` when no HTTP answer goes out at all (hang, reset, empty reply).
    pub fn wire_status(&self, answer: u16) -> Option<u16> {
        match self {
            Fault::Hang | Fault::Reset | Fault::EmptyReply => None,
            Fault::TruncatedBody | Fault::Drip { .. } => Some(answer),
            Fault::MalformedJson => Some(200),
            Fault::ProxyErrorPage { status } => Some(*status),
            Fault::ProxyRateLimited => Some(429),
        }
    }

    /// Whether the answer's own body still goes out (cut short or slowly).
    pub fn keeps_the_answer(&self) -> bool {
        matches!(self, Fault::TruncatedBody | Fault::Drip { .. })
    }
}
