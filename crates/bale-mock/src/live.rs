//! `GET /__mock/journal/events`: the journal live, as server-sent events (`text/event-stream`).
//!
//! - each recorded request is one event, `data: <the entry as GET /__mock/journal shows it>`,
//!   in the order the entries are recorded;
//! - a reader that falls more than the backlog behind (`--limit journal-stream-backlog`)
//!   gets `event: lagged` with `data: {"skipped":N}` and goes on with the newest entries:
//!   nothing waits for it, and it holds no memory of its own;
//! - a comment line every [`HEARTBEAT`] keeps proxies and idle timers from closing it;
//! - at most `--limit journal-streams` streams are open at once; one more is refused (429);
//! - the stream ends when the server shuts down, so it never holds the drain up.

use std::time::Duration;

use bytes::Bytes;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;

use crate::control::error;
use crate::journal::Subscription;
use crate::reply::{BodyStream, Headers, Reply};
use crate::route::Mock;

/// The content type of an event stream.
pub const EVENT_STREAM: &str = "text/event-stream";

/// How often an idle stream sends a comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// What an event stream's answer says beside its type: never cached, never buffered by a
/// proxy (nginx reads `X-Accel-Buffering`).
const HEADERS: Headers = &[
    ("cache-control", "no-store"),
    ("x-accel-buffering", "no"),
    ("x-content-type-options", "nosniff"),
];

/// Answers `GET /__mock/journal/events`.
pub(crate) fn events(mock: &Mock) -> Reply {
    let Some(entries) = mock.journal().subscribe() else {
        return error(
            429,
            "Too Many Requests: as many live journal streams are open as --limit journal-streams allows",
        );
    };
    let stream = stream(entries, mock.stopping_signal(), HEARTBEAT);
    Reply {
        content_type: EVENT_STREAM,
        headers: Some(&HEADERS),
        stream: Some(BodyStream::new(stream)),
        ..Reply::file(Bytes::new())
    }
}

/// What the stream is doing between two events.
struct Feed {
    entries: Subscription,
    stopping: watch::Receiver<bool>,
    heartbeat: Duration,
    started: bool,
}

/// The events: an opening comment (so the client knows it is connected before any request
/// comes), then one per entry, lag notices and heartbeats, until shutdown.
fn stream(
    entries: Subscription,
    stopping: watch::Receiver<bool>,
    heartbeat: Duration,
) -> impl futures_util::Stream<Item = Bytes> + Send {
    let feed = Feed {
        entries,
        stopping,
        heartbeat,
        started: false,
    };
    futures_util::stream::unfold(feed, |mut feed| async move {
        if !feed.started {
            feed.started = true;
            // `retry`: how long an EventSource waits before reconnecting.
            return Some((
                Bytes::from_static(b"retry: 2000\n: bale-mock journal\n\n"),
                feed,
            ));
        }
        let first = tokio::select! {
            // Shutdown first: a busy server must not keep a stream alive past it.
            biased;
            _ = feed.stopping.wait_for(|stopping| *stopping) => return None,
            received = feed.entries.recv() => match received {
                Ok(json) => Some(Event::Entry(json)),
                Err(RecvError::Lagged(skipped)) => Some(Event::Lagged(skipped)),
                Err(RecvError::Closed) => return None,
            },
            () = tokio::time::sleep(feed.heartbeat) => None,
        };
        let event = match first {
            Some(first) => {
                // Let a busy server's next entries gather: one wake-up and one write for
                // many requests, not one each (which slowed the Bot API by a quarter).
                tokio::time::sleep(GATHER).await;
                batch(&mut feed.entries, first)
            }
            None => Bytes::from_static(b": heartbeat\n\n"),
        };
        Some((event, feed))
    })
}

/// How long the stream waits after an entry for more to come: too short for a person to
/// notice.
const GATHER: Duration = Duration::from_millis(20);

/// The most one write carries: a busy server's entries go out many to a write.
const BATCH_BYTES: usize = 64 * 1024;

/// What the stream sends for one thing received.
enum Event {
    Entry(Bytes),
    Lagged(u64),
}

/// `first`, then every event already waiting (up to [`BATCH_BYTES`]), as one piece of the
/// body: under load a write (and a wake-up of the reader) per request would cost the
/// server, and the browser, more than the entries themselves.
fn batch(entries: &mut Subscription, first: Event) -> Bytes {
    let mut out = Vec::new();
    let mut next = Some(first);
    while let Some(event) = next.take() {
        match event {
            // An entry is one line of JSON: serde_json escapes every newline.
            Event::Entry(json) => {
                out.extend_from_slice(b"data: ");
                out.extend_from_slice(&json);
                out.extend_from_slice(b"\n\n");
            }
            Event::Lagged(skipped) => out.extend_from_slice(
                format!("event: lagged\ndata: {{\"skipped\":{skipped}}}\n\n").as_bytes(),
            ),
        }
        if out.len() < BATCH_BYTES {
            next = match entries.try_recv() {
                Ok(json) => Some(Event::Entry(json)),
                Err(TryRecvError::Lagged(skipped)) => Some(Event::Lagged(skipped)),
                Err(_) => None,
            };
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;
    use crate::journal::{Journal, JournalEntry};

    fn text(bytes: Option<Bytes>) -> String {
        String::from_utf8(bytes.expect("an event").to_vec()).unwrap()
    }

    fn record(journal: &Journal, method: &str) {
        journal.record(JournalEntry {
            seq: journal.reserve(),
            at_ms: 0,
            bot_id: Some(1),
            http_method: http::Method::GET,
            method: method.into(),
            params: serde_json::Map::new(),
            status: Some(200),
            description: None,
            rule: None,
            fault: None,
            latency_us: 0,
        });
    }

    #[tokio::test]
    async fn a_slow_reader_is_told_what_it_skipped_then_gets_the_newest() {
        let journal = Journal::with_live(100, usize::MAX, 1, 4);
        let (_stop, stopping) = watch::channel(false);
        let events = stream(journal.subscribe().unwrap(), stopping, HEARTBEAT);
        futures_util::pin_mut!(events);
        assert!(text(events.next().await).starts_with("retry: 2000\n"));
        for n in 1..=10 {
            record(&journal, &format!("m{n}"));
        }
        // Everything waiting comes as one piece: the lag notice, then the newest four.
        let piece = text(events.next().await);
        let (lagged, rest) = piece.split_once("\n\n").unwrap();
        assert_eq!(lagged, "event: lagged\ndata: {\"skipped\":6}");
        let entries: Vec<serde_json::Value> = rest
            .split_terminator("\n\n")
            .map(|event| serde_json::from_str(event.strip_prefix("data: ").unwrap()).unwrap())
            .collect();
        let seen: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e["seq"].as_u64().unwrap(),
                    e["method"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: Vec<_> = (7..=10).map(|n| (n, format!("m{n}"))).collect();
        assert_eq!(seen, expected);
    }

    #[tokio::test]
    async fn a_busy_journal_goes_out_many_entries_to_a_piece_and_no_piece_too_big() {
        let journal = Journal::with_live(100_000, usize::MAX, 1, 4096);
        let (_stop, stopping) = watch::channel(false);
        let events = stream(journal.subscribe().unwrap(), stopping, HEARTBEAT);
        futures_util::pin_mut!(events);
        events.next().await;
        for n in 0..2000 {
            record(&journal, &format!("method{n}"));
        }
        let (mut pieces, mut entries) = (0, 0);
        while entries < 2000 {
            let piece = text(events.next().await);
            assert!(piece.len() < BATCH_BYTES + 1024, "{} bytes", piece.len());
            entries += piece.matches("data: ").count();
            pieces += 1;
        }
        assert_eq!(entries, 2000);
        assert!(pieces < 20, "{pieces} pieces for 2000 entries");
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_stream_sends_heartbeats_and_ends_at_shutdown() {
        let journal = Journal::with_live(100, usize::MAX, 1, 4);
        let (stop, stopping) = watch::channel(false);
        let events = stream(
            journal.subscribe().unwrap(),
            stopping,
            Duration::from_secs(15),
        );
        futures_util::pin_mut!(events);
        events.next().await;
        assert_eq!(text(events.next().await), ": heartbeat\n\n");
        stop.send_replace(true);
        assert_eq!(events.next().await, None);
        assert!(
            journal.subscribe().is_some(),
            "an ended stream frees its place"
        );
    }
}
