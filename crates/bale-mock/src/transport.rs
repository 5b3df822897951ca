//! Carrying out a [`Reply`] on the socket: its delay, then the answer or its [`Fault`], each
//! real on the wire, over plain TCP and over TLS alike.
//!
//! Everything here runs in the connection's own task after routing has returned, so no lock
//! is held while a reply sleeps, hangs or drips, and one slow connection never holds up
//! another.
//!
//! hyper writes every answer that is a well-formed HTTP response, however wrong its body (a
//! proxy's page, malformed JSON, a dripped body). The faults hyper will not produce — a reset,
//! a close without an answer, a body cut short of its `Content-Length` — are carried out by
//! the connection's task once hyper is done: hyper only borrows the stream ([`io::Lent`]),
//! the service records how the connection must [end](Ending) and fails, hyper gives the
//! stream back without writing anything, and [`drive`] ends it:
//!
//! - a reset: linger 0 on the TCP socket, then close, so the kernel sends an RST (over TLS
//!   too: no `close_notify`, the TCP connection is simply reset);
//! - a close, perhaps after some bytes (a truncated answer's head and the first half of its
//!   body): the bytes are written through the stream, so over TLS they are encrypted like
//!   any answer, then the stream is shut down — over TLS a `close_notify` alert, then a FIN.
//!
//! On shutdown nothing waits for the clock: a delay is cut short and its answer sent, a drip
//! sends the rest of its body at once, and a hang closes its connection.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use http::header::{HeaderValue, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, SERVER};
use http::{Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{Either, Full, StreamBody};
use hyper::body::Frame;
use hyper::ext::ReasonPhrase;
use socket2::SockRef;
use tokio::io::AsyncWriteExt;
use tokio::sync::{oneshot, watch};
use tokio::time::Instant;

use bale_api::error::descriptions::LOCAL_RATE_LIMITED;

use crate::fault::Fault;
use crate::reply::{BodyStream, Reply};
use crate::service::{to_response, with_content_length};

pub(crate) mod io;
#[cfg(test)]
mod limit_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tls_tests;

pub(crate) use io::{lend, Stream};

/// The body of every answer: a whole one (the usual case, as cheap as before) or a dripped
/// one.
pub(crate) type ResponseBody = Either<Full<Bytes>, UnsyncBoxBody<Bytes, Infallible>>;

/// The largest piece of a dripped body.
const DRIP_PIECE: usize = 8;
/// The shortest pause between two pieces of a dripped body (a timer's resolution).
const DRIP_TICK: Duration = Duration::from_millis(10);
/// The longest drip carried out as asked: a scenario allows a day, and anything longer (a
/// reply built by hand) is as good as forever, but `Instant + Duration` must not overflow.
const LONGEST_DRIP: Duration = Duration::from_secs(100 * 365 * 86_400);

/// How a connection must end instead of answering, carried out by [`drive`].
#[derive(Clone, Debug)]
pub(crate) enum Ending {
    /// Close with an RST (linger 0).
    Reset,
    /// Write these bytes (perhaps none), then close with a FIN.
    Close(Bytes),
}

/// The service's error: no response this time, the connection ends as [`Connection`] says.
#[derive(Debug, thiserror::Error)]
#[error("answer withheld by a network fault")]
pub(crate) struct Withheld;

/// What the service of one connection shares with the task that drives it.
#[derive(Debug)]
pub(crate) struct Connection {
    stopping: watch::Receiver<bool>,
    ending: OnceLock<Ending>,
    peer: Option<SocketAddr>,
    local: Option<SocketAddr>,
    body_timeout: Duration,
}

impl Connection {
    /// The context of a freshly accepted connection from `peer` to `local`; `stopping` turns
    /// true when the server shuts down, and a request body must arrive within `body_timeout`.
    pub(crate) fn new(
        stopping: watch::Receiver<bool>,
        peer: Option<SocketAddr>,
        local: Option<SocketAddr>,
        body_timeout: Duration,
    ) -> Arc<Connection> {
        Arc::new(Connection {
            stopping,
            ending: OnceLock::new(),
            peer,
            local,
            body_timeout,
        })
    }

    /// How long a request body may take to arrive once its head has.
    pub(crate) fn body_timeout(&self) -> Duration {
        self.body_timeout
    }

    /// The peer's address.
    pub(crate) fn peer(&self) -> Option<SocketAddr> {
        self.peer
    }

    /// The address the connection came in on.
    pub(crate) fn local(&self) -> Option<SocketAddr> {
        self.local
    }

    /// Resolves once the server is shutting down (or gone).
    pub(crate) async fn stopped(&self) {
        stopped(self.stopping.clone()).await;
    }

    /// Sleeps for `duration`, or less if the server shuts down meanwhile.
    async fn sleep(&self, duration: Duration) {
        tokio::select! {
            () = tokio::time::sleep(duration) => {}
            () = self.stopped() => {}
        }
    }

    /// Records how the connection ends; the service then fails with the returned error.
    fn end(&self, ending: Ending) -> Withheld {
        // A connection answers one request at a time and ends at the first ending.
        let _ = self.ending.set(ending);
        Withheld
    }
}

/// Resolves once `stopping` is true or its sender is gone.
async fn stopped(mut stopping: watch::Receiver<bool>) {
    // An error means the server is gone: stopped as well.
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Waits out the reply's delay, then turns it into a response, or into an [`Ending`] and
/// [`Withheld`].
pub(crate) async fn carry_out(
    connection: &Connection,
    reply: Reply,
) -> Result<Response<ResponseBody>, Withheld> {
    if !reply.delay.is_zero() {
        connection.sleep(reply.delay).await;
    }
    let Some(fault) = &reply.fault else {
        if let Some(stream) = reply.stream.as_ref().and_then(BodyStream::take) {
            return Ok(streamed(&reply, stream));
        }
        return Ok(to_response(&reply).map(Either::Left));
    };
    tracing::debug!(fault = fault.name(), "carrying out a fault");
    let response = match fault {
        Fault::Hang => {
            connection.stopped().await;
            return Err(connection.end(Ending::Close(Bytes::new())));
        }
        Fault::Reset => return Err(connection.end(Ending::Reset)),
        Fault::EmptyReply => return Err(connection.end(Ending::Close(Bytes::new()))),
        Fault::TruncatedBody => return Err(connection.end(Ending::Close(truncated(&reply)))),
        Fault::MalformedJson => malformed_json(&reply),
        Fault::ProxyErrorPage { status } => proxy_error_page(*status),
        Fault::ProxyRateLimited => proxy_rate_limited(reply.retry_after),
        Fault::Drip { duration } => {
            return Ok(drip(&reply, *duration, connection.stopping.clone()));
        }
    };
    Ok(response.map(Either::Left))
}

/// Drives one hyper connection to its end, then carries out the [`Ending`] its service asked
/// for on the stream hyper borrowed (`returned` gives it back). Dropping the stream closes
/// the connection for good.
pub(crate) async fn drive<F, S>(
    hyper: F,
    connection: Arc<Connection>,
    returned: oneshot::Receiver<S>,
) where
    F: Future<Output = Result<(), hyper::Error>>,
    S: Stream,
{
    // The hyper connection, and with it the loan of the stream, is dropped as this await
    // completes, so the stream is back by then.
    let result = hyper.await;
    let Some(ending) = connection.ending.get().cloned() else {
        if let Err(error) = result {
            tracing::debug!(%error, "connection ended with an error");
        }
        return;
    };
    let mut returned = returned;
    let Ok(stream) = returned.try_recv() else {
        tracing::debug!("the stream did not come back from hyper: closing");
        return;
    };
    match ending {
        Ending::Reset => {
            // The last close of a socket with linger 0 sends an RST and drops what is unsent.
            let linger = stream
                .tcp()
                .map(|tcp| SockRef::from(tcp).set_linger(Some(Duration::ZERO)));
            if let Some(Err(error)) = linger {
                tracing::debug!(%error, "SO_LINGER not set: closing without a reset");
            }
            drop(stream);
        }
        Ending::Close(bytes) => close(stream, bytes, &connection).await,
    }
}

/// Writes `bytes` through `stream` (encrypted, over TLS), then shuts it down (over TLS a
/// `close_notify`, then a FIN) and closes it.
async fn close<S: Stream>(mut stream: S, bytes: Bytes, connection: &Connection) {
    let finish = async {
        if !bytes.is_empty() {
            stream.write_all(&bytes).await?;
        }
        stream.shutdown().await
    };
    tokio::select! {
        // Tried first: at shutdown (a hang ends then) the close still goes out when the
        // socket takes it at once.
        biased;
        finished = finish => if let Err(error) = finished {
            tracing::debug!(%error, "closing write failed");
        },
        // A client that does not read must not keep the task alive past shutdown.
        () = connection.stopped() => {}
    }
}

/// The reply's head as hyper would write it, with its full `Content-Length`, and the first
/// half of its body.
fn truncated(reply: &Reply) -> Bytes {
    let mut response = to_response(reply);
    let sent = reply.body.len() / 2;
    // An empty body cannot be cut: promise one byte and send none.
    let declared = reply.body.len().max(1);
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(declared));

    let status = response.status();
    let mut raw = BytesMut::with_capacity(256 + sent);
    raw.put_slice(b"HTTP/1.1 ");
    raw.put_slice(status.as_str().as_bytes());
    raw.put_u8(b' ');
    raw.put_slice(status.canonical_reason().unwrap_or("").as_bytes());
    raw.put_slice(b"\r\n");
    for (name, value) in response.headers() {
        put_title_case(&mut raw, name.as_str());
        raw.put_slice(b": ");
        raw.put_slice(value.as_bytes());
        raw.put_slice(b"\r\n");
    }
    raw.put_slice(b"\r\n");
    raw.put_slice(&reply.body[..sent]);
    raw.freeze()
}

/// `content-type` → `Content-Type`, as hyper's `title_case_headers` writes it.
fn put_title_case(raw: &mut BytesMut, name: &str) {
    let mut upper = true;
    for byte in name.bytes() {
        raw.put_u8(if upper {
            byte.to_ascii_uppercase()
        } else {
            byte
        });
        upper = byte == b'-';
    }
}

/// `200 application/json` with the first half of the reply's body: never valid JSON.
fn malformed_json(reply: &Reply) -> Response<Full<Bytes>> {
    let body = &reply.body;
    let mut cut = body.len() / 2;
    // Cut between characters, so the body is still UTF-8, only not JSON.
    while cut > 0 && (body[cut] & 0b1100_0000) == 0b1000_0000 {
        cut -= 1;
    }
    let mut broken = BytesMut::from(&body[..cut]);
    // A proper prefix of an object never parses; a prefix of a number might. A complete
    // value followed by `}` never does.
    if serde_json::from_slice::<serde::de::IgnoredAny>(&broken).is_ok() {
        broken.put_u8(b'}');
    }
    to_response(&Reply {
        status: 200,
        body: broken.freeze(),
        content_type: crate::reply::JSON,
        retry_after: None,
        delay: Duration::ZERO,
        fault: None,
        headers: None,
        stream: None,
    })
}

/// nginx's own error page (with `server_tokens off`) for `status`: `502`, `503` or `504`,
/// or any other 4xx/5xx; anything else becomes `502`.
fn proxy_error_page(status: u16) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|s| s.is_client_error() || s.is_server_error())
        .filter(|s| s.canonical_reason().is_some())
        .unwrap_or(StatusCode::BAD_GATEWAY);
    // nginx's wording where it differs from the RFC's, in the status line and the page.
    let reason = match status.as_u16() {
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => status.canonical_reason().unwrap_or("Bad Gateway"),
    };
    let code = status.as_str();
    let page = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    );
    Response::builder()
        .status(status)
        .extension(ReasonPhrase::from_static(reason.as_bytes()))
        .header(SERVER, HeaderValue::from_static("nginx"))
        .header(CONTENT_TYPE, HeaderValue::from_static("text/html"))
        .header(CONTENT_LENGTH, page.len())
        .header(CONNECTION, HeaderValue::from_static("keep-alive"))
        .body(Full::new(Bytes::from(page)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Envoy's local rate limit answer: `429`, `text/plain`, `local_rate_limited`.
fn proxy_rate_limited(retry_after: Option<u64>) -> Response<Full<Bytes>> {
    let mut response = Response::builder()
        .status(StatusCode::TOO_MANY_REQUESTS)
        .header(CONTENT_LENGTH, LOCAL_RATE_LIMITED.len())
        .header(CONTENT_TYPE, HeaderValue::from_static("text/plain"))
        // Envoy's documentation: the local rate limit filter sets it.
        .header("x-envoy-ratelimited", HeaderValue::from_static("true"));
    if let Some(seconds) = retry_after {
        response = response.header(RETRY_AFTER, seconds);
    }
    response
        .body(Full::new(Bytes::from_static(LOCAL_RATE_LIMITED.as_bytes())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// The normal answer, its head at once and its body in pieces of at most [`DRIP_PIECE`]
/// bytes (more when `duration` is too short for that many [`DRIP_TICK`]s), evenly spread
/// so that the last one leaves `duration` after the head.
fn drip(
    reply: &Reply,
    duration: Duration,
    stopping: watch::Receiver<bool>,
) -> Response<ResponseBody> {
    let duration = duration.min(LONGEST_DRIP);
    let body = reply.body.clone();
    let by_size = body.len().div_ceil(DRIP_PIECE);
    let by_time =
        usize::try_from(duration.as_millis() / DRIP_TICK.as_millis()).unwrap_or(usize::MAX);
    let pieces = u32::try_from(by_size.min(by_time).max(1)).unwrap_or(u32::MAX);
    let piece = body.len().div_ceil(pieces as usize).max(1);
    let start = Instant::now();
    let end = start + duration;

    let state = Drip {
        rest: body,
        sent: 0,
        stopping,
        hurry: false,
    };
    let stream = futures_util::stream::unfold(state, move |mut drip| async move {
        if drip.rest.is_empty() {
            return None;
        }
        drip.sent += 1;
        if !drip.hurry {
            // The last piece leaves at `end`, however the rounding fell.
            let at = if drip.rest.len() <= piece || drip.sent >= pieces {
                end
            } else {
                start + duration / pieces * drip.sent
            };
            tokio::select! {
                () = tokio::time::sleep_until(at) => {}
                () = stopped(drip.stopping.clone()) => drip.hurry = true,
            }
        }
        let take = if drip.hurry {
            drip.rest.len()
        } else {
            piece.min(drip.rest.len())
        };
        let chunk = drip.rest.split_to(take);
        Some((Ok::<_, Infallible>(Frame::data(chunk)), drip))
    });
    let body = UnsyncBoxBody::new(StreamBody::new(stream));
    let len = reply.body.len();
    with_content_length(to_response(reply), len).map(|_| Either::Right(body))
}

/// The reply's head (no `Content-Length`: hyper sends a body of unknown length chunked), and
/// the stream as its body.
fn streamed(
    reply: &Reply,
    stream: impl futures_util::Stream<Item = Bytes> + Send + 'static,
) -> Response<ResponseBody> {
    use futures_util::StreamExt;
    let response = to_response(reply);
    let frames = stream.map(|bytes| Ok::<_, Infallible>(Frame::data(bytes)));
    response.map(|_| Either::Right(UnsyncBoxBody::new(StreamBody::new(frames))))
}

/// A dripped body's progress.
struct Drip {
    rest: Bytes,
    sent: u32,
    stopping: watch::Receiver<bool>,
    hurry: bool,
}
