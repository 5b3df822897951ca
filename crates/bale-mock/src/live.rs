//! `GET /__mock/journal/events`: the journal live, as server-sent events (`text/event-stream`).
//!
//! - each recorded request is one event, `data: <the entry as GET /__mock/journal shows it>`,
//!   in the order the entries are recorded; they go out in pieces, one each 20 ms at most,
//!   of the newest [`PIECE_ENTRIES`] entries at most (3 200 a second);
//! - what a piece leaves out — more came in 20 ms than it carries, the reader fell more than
//!   the backlog behind (`--limit journal-stream-backlog`), or the journal's own bounds
//!   dropped them first — is counted in an `event: lagged` with `data: {"skipped":N}`
//!   before the entries that follow it: nothing waits for a reader, and it holds no memory
//!   of its own;
//! - a comment line every [`HEARTBEAT`] keeps proxies and idle timers from closing it;
//! - at most `--limit journal-streams` streams are open at once; one more is refused (429);
//! - the stream ends when the server shuts down, so it never holds the drain up.

use std::time::Duration;

use bytes::Bytes;
use tokio::sync::watch;

use crate::control::error;
use crate::journal::{Read, Subscription};
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

/// What the stream holds between two pieces.
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
        let ready = tokio::select! {
            // Shutdown first: a busy server must not keep a stream alive past it.
            biased;
            _ = feed.stopping.wait_for(|stopping| *stopping) => return None,
            () = feed.entries.ready() => true,
            () = tokio::time::sleep(feed.heartbeat) => false,
        };
        let piece = match ready {
            true => {
                // Let a busy server's next entries gather: one wake-up and one write for
                // many requests, not one each (which slowed the Bot API by a quarter).
                tokio::time::sleep(GATHER).await;
                piece(&mut feed.entries)
            }
            false => Bytes::from_static(b": heartbeat\n\n"),
        };
        Some((piece, feed))
    })
}

/// How long the stream waits after an entry for more to come: too short for a person to
/// notice.
pub const GATHER: Duration = Duration::from_millis(20);

/// The most entries one piece carries: with one piece per [`GATHER`], a stream shows at
/// most 3 200 entries a second — more than a person can read or the console keeps (1 000),
/// and the rest of a flood is counted, not written out for nobody. Writing each entry out
/// costs the Bot API, which waits on the journal's lock meanwhile: at 256 a piece an open
/// console made getMe 8.6 % costlier (callgrind, bench/handler-cost `--console`).
pub const PIECE_ENTRIES: usize = 64;

/// About the most bytes one piece carries.
const PIECE_BYTES: usize = 64 * 1024;

/// The newest events not yet sent, up to [`PIECE_ENTRIES`] and [`PIECE_BYTES`], as one
/// piece of the body; what does not fit in the bytes goes in the next.
fn piece(entries: &mut Subscription) -> Bytes {
    let mut out = Vec::new();
    let mut sent = 0;
    entries.read(PIECE_ENTRIES, |step| {
        match step {
            // An entry is one line of JSON: it escapes every newline.
            Read::Entry(entry) => {
                out.extend_from_slice(b"data: ");
                entry.write_json(&mut out);
                out.extend_from_slice(b"\n\n");
                sent += 1;
            }
            Read::Skipped(skipped) => out.extend_from_slice(
                format!("event: lagged\ndata: {{\"skipped\":{skipped}}}\n\n").as_bytes(),
            ),
        }
        sent < PIECE_ENTRIES && out.len() < PIECE_BYTES
    });
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
            params: Default::default(),
            status: Some(200),
            description: None,
            rule: None,
            fault: None,
            latency_us: 0,
        });
    }

    /// A stream of `journal` past its opening comment, and the sender that stops it.
    async fn opened(
        journal: &Journal,
    ) -> (
        watch::Sender<bool>,
        std::pin::Pin<Box<impl futures_util::Stream<Item = Bytes>>>,
    ) {
        let (stop, stopping) = watch::channel(false);
        let mut events = Box::pin(stream(journal.subscribe().unwrap(), stopping, HEARTBEAT));
        assert!(text(events.next().await).starts_with("retry: 2000\n"));
        (stop, events)
    }

    #[tokio::test]
    async fn a_slow_reader_is_told_what_it_skipped_then_gets_the_newest() {
        let journal = Journal::with_live(100, usize::MAX, 1, 4);
        let (_stop, mut events) = opened(&journal).await;
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

    /// The events of a piece: `(lagged by, entries' methods)`.
    fn events_of(piece: &str) -> (u64, Vec<String>) {
        let (mut lagged, mut methods) = (0, Vec::new());
        for event in piece.split_terminator("\n\n") {
            if let Some(data) = event.strip_prefix("event: lagged\ndata: ") {
                lagged += serde_json::from_str::<serde_json::Value>(data).unwrap()["skipped"]
                    .as_u64()
                    .unwrap();
            } else {
                let entry: serde_json::Value =
                    serde_json::from_str(event.strip_prefix("data: ").unwrap()).unwrap();
                methods.push(entry["method"].as_str().unwrap().to_owned());
            }
        }
        (lagged, methods)
    }

    #[tokio::test]
    async fn a_flood_goes_out_as_its_newest_entries_and_a_count_of_the_rest() {
        let journal = Journal::with_live(100_000, usize::MAX, 1, 4096);
        let (_stop, mut events) = opened(&journal).await;
        for n in 0..2000 {
            record(&journal, &format!("m{n}"));
        }
        let (lagged, methods) = events_of(&text(events.next().await));
        assert_eq!(lagged, 2000 - PIECE_ENTRIES as u64);
        let newest: Vec<_> = (2000 - PIECE_ENTRIES..2000)
            .map(|n| format!("m{n}"))
            .collect();
        assert_eq!(methods, newest);
    }

    #[tokio::test]
    async fn no_piece_is_much_bigger_than_its_bound_and_big_entries_all_go_out() {
        let journal = Journal::with_live(100_000, usize::MAX, 1, 4096);
        let (_stop, mut events) = opened(&journal).await;
        // A method name of 4 KiB: a piece's byte bound comes before its entry bound.
        for n in 0..PIECE_ENTRIES {
            record(&journal, &format!("{n:04}{}", "x".repeat(4096)));
        }
        let (mut pieces, mut methods) = (0, Vec::new());
        while methods.len() < PIECE_ENTRIES {
            let piece = text(events.next().await);
            assert!(piece.len() < PIECE_BYTES + 8192, "{} bytes", piece.len());
            let (lagged, some) = events_of(&piece);
            assert_eq!(lagged, 0, "nothing is skipped within a piece's count");
            methods.extend(some);
            pieces += 1;
        }
        assert!(pieces > 1, "the byte bound split them");
        let sent: Vec<_> = methods
            .iter()
            .map(|m| m[..4].parse::<usize>().unwrap())
            .collect();
        assert_eq!(sent, (0..PIECE_ENTRIES).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_stream_sends_heartbeats_and_ends_at_shutdown() {
        let journal = Journal::with_live(100, usize::MAX, 1, 4);
        let (stop, mut events) = opened(&journal).await;
        assert_eq!(text(events.next().await), ": heartbeat\n\n");
        stop.send_replace(true);
        assert_eq!(events.next().await, None);
        assert!(
            journal.subscribe().is_some(),
            "an ended stream frees its place"
        );
    }
}
