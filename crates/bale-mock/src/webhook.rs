//! Webhook deliveries: one task per bot and webhook, owned by the server and drained at
//! shutdown. Updates go out one at a time, oldest first, as JSON POSTs with the real
//! server's headers (`X-Telegram-Bot-Api-Secret-Token` when a secret is set); any 2xx takes
//! the update off the queue.
//!
//! A failure is recorded for `getWebhookInfo` in the real wording (`Wrong response from the
//! webhook: 502 Bad Gateway`, `Connection refused`, `Read timeout expired`, …) and retried
//! as tdlib retries it: the first retry at once, then after 2, 4, 8 … seconds (at most 60)
//! on the server clock, or after the receiver's `Retry-After`. An update whose next try
//! would come after it expires is dropped.
//!
//! The connection is kept open between deliveries while the receiver keeps it alive (tdlib
//! keeps its webhook connections too); a kept connection that turns out closed when reused
//! is replaced by a new one at once, without counting a failure.
//!
//! Divergences: deliveries are sequential per bot (tdlib runs different chats in parallel
//! over up to `max_connections` connections), the method call a webhook may put in its
//! answer is not executed, and `https://` receivers are not supported (the failure says so).

use std::sync::Arc;
use std::time::Duration;

use bale_api::BotId;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::conversation::Webhook;
use crate::route::Mock;

/// How long the server waits to connect, and for an answer (tdlib: 60 s idle timeout).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest wait between two tries.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Starts delivering the bot's updates to its webhook of `generation`.
pub(crate) fn start(mock: &Mock, bot: BotId, generation: u64) {
    if let Some(shared) = mock.shared() {
        mock.spawn(deliver(shared, bot, generation));
    }
}

/// A failed try: what `getWebhookInfo` shows, and the receiver's `Retry-After`.
struct Failure {
    message: String,
    retry_after: Option<u64>,
}

async fn deliver(mock: Arc<Mock>, bot: BotId, generation: u64) {
    let mut kept: Option<Kept> = None;
    let mut failures: u32 = 0;
    let mut retry_at: Option<Duration> = None;
    loop {
        let now = mock.clock().now();
        let next = mock.bots().with_existing(bot, |state| {
            let conversation = &mut state.conversation;
            let webhook = conversation
                .webhook
                .clone()
                .filter(|w| w.generation == generation)?;
            Some((
                conversation.inbox.head(now),
                conversation.inbox.head_expires(),
                conversation.subscribe(),
                webhook,
            ))
        });
        // The webhook was deleted or replaced (a newer task, if any, takes over), or the bot
        // was forgotten.
        let Some((head, expires, mut activity, webhook)) = next.flatten() else {
            return;
        };
        let Some((id, update)) = head else {
            tokio::select! {
                _ = activity.changed() => continue,
                () = mock.stopping() => return,
            }
        };
        if let Some(at) = retry_at {
            tokio::select! {
                () = mock.clock().sleep_until(at) => {}
                () = mock.stopping() => return,
            }
        }
        let outcome = tokio::select! {
            outcome = post(&webhook, update, &mut kept) => outcome,
            () = mock.stopping() => return,
        };
        let now = mock.clock().now();
        let date = mock.clock().unix(now);
        mock.bots().with_existing(bot, |state| {
            let conversation = &mut state.conversation;
            if conversation.webhook.as_ref().map(|w| w.generation) != Some(generation) {
                return;
            }
            match outcome {
                Ok(()) => {
                    conversation.inbox.forget(id);
                    failures = 0;
                    retry_at = None;
                }
                Err(failure) => {
                    conversation.last_error = Some((date, failure.message));
                    failures = failures.saturating_add(1);
                    let wait = match failure.retry_after {
                        Some(seconds) => Duration::from_secs(seconds.min(3600)),
                        None if failures == 1 => Duration::ZERO,
                        None => Duration::from_secs(1u64 << (failures - 1).min(6)).min(MAX_BACKOFF),
                    };
                    let at = now.saturating_add(wait);
                    if expires.is_some_and(|expires| at > expires) {
                        conversation.inbox.forget(id);
                        failures = 0;
                        retry_at = None;
                    } else {
                        retry_at = Some(at);
                    }
                }
            }
            conversation.touch();
        });
    }
}

/// A connection to the receiver kept for the next delivery, with the address it goes to.
struct Kept {
    to: (String, u16),
    sender: http1::SendRequest<Full<Bytes>>,
    connection: tokio::task::JoinHandle<()>,
}

impl Drop for Kept {
    fn drop(&mut self) {
        self.connection.abort();
    }
}

fn fail(message: &str) -> Failure {
    Failure {
        message: message.to_owned(),
        retry_after: None,
    }
}

/// Connects to the receiver.
async fn connect(address: &str, port: u16) -> Result<Kept, Failure> {
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((address, port)))
        .await
        .map_err(|_| fail("Connection timed out"))?
        .map_err(|e| fail(&os_message(&e)))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|_| fail("Connection reset by peer"))?;
    Ok(Kept {
        to: (address.to_owned(), port),
        sender,
        connection: tokio::spawn(async move {
            let _ = connection.await;
        }),
    })
}

/// One try: POST the update, `Ok` on any 2xx. A kept connection to the same address is
/// used when it is still open; if it fails before any answer, the try is made once more
/// on a new connection (the receiver may have closed it between deliveries).
async fn post(webhook: &Webhook, update: Bytes, kept: &mut Option<Kept>) -> Result<(), Failure> {
    let url = url::Url::parse(&webhook.url).map_err(|_| fail("Invalid URL"))?;
    if url.scheme() != "http" {
        return Err(fail(
            "SSL error {bale-mock delivers webhooks over http:// only}",
        ));
    }
    let host = url.host_str().unwrap_or("127.0.0.1");
    let port = url.port_or_known_default().unwrap_or(80);
    let address = webhook.ip_address.as_deref().unwrap_or(host);
    let address = address.trim_start_matches('[').trim_end_matches(']');
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    let host_header = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let request = || {
        let mut request = http::Request::post(&path).header(http::header::HOST, &host_header);
        if let Some(secret) = &webhook.secret_token {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret.expose());
        }
        request
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::CONTENT_LENGTH, update.len())
            .header(http::header::CONNECTION, "keep-alive")
            .header(http::header::ACCEPT_ENCODING, "gzip, deflate")
            .body(Full::new(update.clone()))
            .map_err(|_| fail("Invalid URL"))
    };
    let reusable = kept.take().filter(|k| {
        k.to.0 == address && k.to.1 == port && !k.sender.is_closed() && k.sender.is_ready()
    });
    let mut answered = match reusable {
        Some(mut reused) => {
            let answered = exchange(&mut reused, request()?).await;
            if matches!(answered, Ok(Ok(_))) {
                *kept = Some(reused);
            }
            answered
        }
        None => Ok(Err(None)),
    };
    // No kept connection, or it failed before answering: a new one.
    if matches!(answered, Ok(Err(_))) {
        let mut fresh = connect(address, port).await?;
        answered = exchange(&mut fresh, request()?).await;
        if matches!(answered, Ok(Ok(_))) {
            *kept = Some(fresh);
        }
    }
    let parts = match answered {
        Err(_) => return Err(fail("Read timeout expired")),
        Ok(Err(_)) => return Err(fail("Connection reset by peer")),
        Ok(Ok(parts)) => parts,
    };
    if parts.status.is_success() {
        return Ok(());
    }
    let reason = parts
        .extensions
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .or_else(|| parts.status.canonical_reason().map(str::to_owned))
        .unwrap_or_default();
    let retry_after = parts
        .headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    Err(Failure {
        message: format!(
            "Wrong response from the webhook: {} {reason}",
            parts.status.as_u16()
        ),
        retry_after,
    })
}

/// Sends one request and reads the answer whole (so the receiver sees its connection used
/// properly). `Err` is the answer timeout; `Ok(Err)` a connection that failed.
async fn exchange(
    kept: &mut Kept,
    request: http::Request<Full<Bytes>>,
) -> Result<Result<http::response::Parts, Option<hyper::Error>>, tokio::time::error::Elapsed> {
    tokio::time::timeout(ANSWER_TIMEOUT, async {
        let response = kept.sender.send_request(request).await.map_err(Some)?;
        let (parts, body) = response.into_parts();
        let _ = body.collect().await;
        Ok(parts)
    })
    .await
}

/// The OS's words for a socket error, as tdlib reports them (`strerror`).
fn os_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "Connection refused".to_owned(),
        std::io::ErrorKind::ConnectionReset => "Connection reset by peer".to_owned(),
        std::io::ErrorKind::TimedOut => "Connection timed out".to_owned(),
        _ => error.to_string(),
    }
}
