//! The request journal: what the server was asked and what it answered, bounded in entries
//! and in bytes so a long run cannot grow without limit (older entries are dropped and
//! counted). A parameter value longer than [`MAX_VALUE_LEN`] is kept truncated, and says so.
//!
//! Entries name the bot by id only; the token is never stored.
//!
//! The journal can also be read live ([`Journal::subscribe`], by the console's
//! `GET /__mock/journal/events`); [`Subscription`] says why that costs a request next to
//! nothing. Subscribers share one ring of the numbers of the last `backlog` entries
//! recorded: one that falls behind skips entries (and is told how many) instead of
//! holding memory or the request path.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bale_api::{redact, BotId};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Notify;

use crate::request::{Param, Params};

mod json;
mod live;
mod params;

use live::Recorded;
pub use live::{Read, Subscription};
pub use params::JournalParams;

/// One answered request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JournalEntry {
    /// Position in the server's request sequence, from 1.
    pub seq: u64,
    /// Server clock at arrival, in milliseconds since start.
    pub at_ms: u64,
    /// The bot the token names, when the token has a readable bot id.
    pub bot_id: Option<BotId>,
    /// `GET`, `POST`, …
    #[serde(serialize_with = "as_str")]
    pub http_method: http::Method,
    /// The method as the client wrote it (any case); empty when the path named none.
    pub method: String,
    /// The parameters, first occurrence of each name; files as `<file NAME, N bytes>`.
    pub params: JournalParams,
    /// The HTTP status that went out; `None` when a fault sent no HTTP answer (hang, reset,
    /// empty reply).
    pub status: Option<u16>,
    /// The error description, for error answers (as sent: a fault's own text, if any).
    pub description: Option<String>,
    /// The scenario rule or rate limit that answered, if one did.
    pub rule: Option<String>,
    /// The network fault the answer was broken with, if any.
    pub fault: Option<String>,
    /// Microseconds (real time) from the request's arrival to its answer: routing, a long
    /// poll's wait and the scenario's delay.
    pub latency_us: u64,
}

/// The longest parameter value kept whole, in bytes; a longer one is cut there and marked.
pub const MAX_VALUE_LEN: usize = 4096;

/// The longest parameter name or file name kept whole, in bytes.
pub const MAX_NAME_LEN: usize = 256;

/// How many parameters of one request are kept; the rest are counted under `…`.
pub const MAX_PARAMS: usize = 64;

impl JournalEntry {
    /// The parameters as journaled, taken over from the request. A value that holds the
    /// request's token (a webhook URL such as `…/bot<token>`) has it replaced by
    /// `<token>`, and its secret alone (percent-encoded, `…/bot123%3A<secret>`) by
    /// `<redacted>`; a parameter that is a password of its own (a webhook's
    /// `secret_token`) is `<redacted>` whole: the journal never holds a secret (it is printed
    /// when a test's expectations fail). Long names and values are truncated visibly, so one
    /// request cannot fill the journal.
    pub(crate) fn params_of(params: Params, token: &str) -> JournalParams {
        let pairs = params.into_pairs();
        let mut kept: Vec<(String, Value)> = Vec::with_capacity(pairs.len().min(MAX_PARAMS));
        let mut left_out = 0usize;
        for (key, value) in pairs {
            let key = truncate(key, MAX_NAME_LEN);
            // At most `MAX_PARAMS` names are kept, so looking back over them keeps a request
            // of a megabyte of names linear, and costs less than hashing a request's few.
            if kept.iter().any(|(name, _)| *name == key) {
                continue;
            }
            if kept.len() == MAX_PARAMS {
                left_out += 1;
                continue;
            }
            let value = match value {
                Param::Text(_) if SECRET_PARAMS.contains(&key.as_str()) => "<redacted>".to_owned(),
                Param::Text(text) => match redact::known(&text, token) {
                    Cow::Owned(hidden) => hidden,
                    Cow::Borrowed(_) => text,
                },
                // Never the content: a file's name and size are what a test asserts on.
                Param::File(upload) => {
                    let file_name = truncate(upload.file_name, MAX_NAME_LEN);
                    format!("<file {file_name}, {} bytes>", upload.bytes.len())
                }
            };
            kept.push((key, Value::String(truncate(value, MAX_VALUE_LEN))));
        }
        let mut params = JournalParams::from_unique(kept);
        if left_out > 0 {
            let note = format!("<{left_out} more parameters not journaled>");
            params.insert("…".into(), Value::String(note));
        }
        params
    }

    /// Roughly the bytes this entry holds, for the journal's byte budget.
    fn size(&self) -> usize {
        let texts = [&self.description, &self.rule, &self.fault];
        std::mem::size_of::<JournalEntry>()
            + self.method.len()
            + texts
                .iter()
                .filter_map(|t| t.as_ref())
                .map(String::len)
                .sum::<usize>()
            + self
                .params
                .iter()
                .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len) + 48)
                .sum::<usize>()
    }
}

/// `text` cut to at most `max` bytes on a character boundary, saying how long it was.
fn truncate(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… <{} bytes in all>", &text[..end], text.len())
}

/// Parameters whose value is a password.
const SECRET_PARAMS: &[&str] = &["secret_token"];

fn as_str<S: serde::Serializer>(method: &http::Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

/// A bounded, thread-safe journal.
///
/// Sequence numbers are taken apart from recording (`Journal::reserve`): the router takes
/// a request's number where the bot's state machine decides it, under the bot's lock, and
/// records the entry once the answer is known — on a multi-threaded server, requests of
/// one bot may finish in another order than they were decided in, and the journal keeps
/// the decided order.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    byte_budget: usize,
    /// The last number taken.
    last_seq: AtomicU64,
    inner: Arc<Mutex<Inner>>,
    /// Wakes the live subscribers that wait for an entry.
    wake: Arc<Notify>,
    /// How many live subscribers may be open at once.
    max_subscribers: usize,
    /// How many recorded entries the live subscribers may fall behind.
    backlog: usize,
}

#[derive(Debug, Default)]
struct Inner {
    /// In `seq` order, each with its size.
    entries: VecDeque<(JournalEntry, usize)>,
    bytes: usize,
    dropped: u64,
    /// What the live subscribers read.
    live: Recorded,
}

/// The journal's state, whatever a panicking holder left: it is consistent after every
/// step.
fn lock(inner: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Journal {
    /// A journal that keeps at most `capacity` entries and about `byte_budget` bytes of
    /// them, and takes no live subscriber.
    pub fn new(capacity: usize, byte_budget: usize) -> Journal {
        Journal::with_live(capacity, byte_budget, 0, 1)
    }

    /// A journal as [`Journal::new`] that can also be read live by at most
    /// `max_subscribers` subscribers at once, each at most `backlog` entries behind.
    pub fn with_live(
        capacity: usize,
        byte_budget: usize,
        max_subscribers: usize,
        backlog: usize,
    ) -> Journal {
        Journal {
            capacity,
            byte_budget,
            last_seq: AtomicU64::new(0),
            inner: Arc::default(),
            wake: Arc::default(),
            max_subscribers,
            backlog,
        }
    }

    /// Takes the next sequence number, from 1. Two numbers taken under one lock are in
    /// that lock's order: the increments of one atomic are totally ordered, consistently
    /// with the lock's happens-before, so `Relaxed` is enough.
    pub(crate) fn reserve(&self) -> u64 {
        self.last_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Adds an entry numbered by [`Journal::reserve`], in `seq` order (it is almost always
    /// the newest); drops the oldest ones while over a bound.
    pub(crate) fn record(&self, entry: JournalEntry) {
        let size = entry.size();
        let mut inner = lock(&self.inner);
        if inner.live.note(entry.seq, self.backlog) {
            self.wake.notify_waiters();
        }
        if self.capacity == 0 || size > self.byte_budget {
            inner.dropped += 1;
            return;
        }
        let at = inner
            .entries
            .iter()
            .rposition(|(kept, _)| kept.seq < entry.seq)
            .map_or(0, |i| i + 1);
        inner.entries.insert(at, (entry, size));
        inner.bytes += size;
        while inner.entries.len() > self.capacity || inner.bytes > self.byte_budget {
            let Some((_, freed)) = inner.entries.pop_front() else {
                break;
            };
            inner.bytes -= freed;
            inner.dropped += 1;
        }
    }

    /// Every kept entry, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.newest(usize::MAX, |_| true)
    }

    /// The newest `limit` entries that `keep` accepts, oldest first. Only those are copied:
    /// a read of one entry does not copy the journal under its lock.
    pub fn newest(&self, limit: usize, keep: impl Fn(&JournalEntry) -> bool) -> Vec<JournalEntry> {
        let inner = lock(&self.inner);
        let mut found: Vec<JournalEntry> = inner
            .entries
            .iter()
            .rev()
            .map(|(entry, _)| entry)
            .filter(|entry| keep(entry))
            .take(limit)
            .cloned()
            .collect();
        found.reverse();
        found
    }

    /// Forgets every entry and the dropped count (the sequence numbers go on).
    pub fn clear(&self) {
        let mut inner = lock(&self.inner);
        inner.entries.clear();
        inner.bytes = 0;
        inner.dropped = 0;
    }

    /// How many entries were dropped to keep the bound.
    pub fn dropped(&self) -> u64 {
        lock(&self.inner).dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(method: &str) -> JournalEntry {
        JournalEntry {
            seq: 0,
            at_ms: 0,
            bot_id: Some(1),
            http_method: http::Method::POST,
            method: method.into(),
            params: JournalParams::default(),
            status: Some(200),
            description: None,
            rule: None,
            fault: None,
            latency_us: 0,
        }
    }

    fn kept(journal: &Journal) -> Vec<(u64, String)> {
        journal
            .entries()
            .into_iter()
            .map(|e| (e.seq, e.method))
            .collect()
    }

    #[test]
    fn keeps_the_newest_and_counts_the_dropped() {
        let journal = Journal::new(2, usize::MAX);
        for method in ["a", "b", "c"] {
            record(&journal, method);
        }
        assert_eq!(kept(&journal), [(2, "b".to_owned()), (3, "c".to_owned())]);
        assert_eq!(journal.dropped(), 1);
    }

    /// Takes numbers for `a`, `b` and `c`, and records `a` last, as a long poll is.
    fn record_b_c_then_a(journal: &Journal) {
        let seqs: Vec<u64> = (0..3).map(|_| journal.reserve()).collect();
        for (seq, method) in [(seqs[1], "b"), (seqs[2], "c"), (seqs[0], "a")] {
            journal.record(JournalEntry {
                seq,
                ..entry(method)
            });
        }
    }

    #[test]
    fn entries_recorded_out_of_order_are_kept_in_seq_order() {
        let journal = Journal::new(3, usize::MAX);
        record_b_c_then_a(&journal);
        let want = [(1, "a"), (2, "b"), (3, "c")].map(|(s, m)| (s, m.to_owned()));
        assert_eq!(kept(&journal), want);
        assert_eq!(journal.dropped(), 0);
    }

    #[test]
    fn a_late_entry_older_than_every_kept_one_is_the_one_dropped() {
        let journal = Journal::new(2, usize::MAX);
        record_b_c_then_a(&journal);
        assert_eq!(kept(&journal), [(2, "b".to_owned()), (3, "c".to_owned())]);
        assert_eq!(journal.dropped(), 1);
    }

    #[test]
    fn the_byte_budget_drops_the_oldest() {
        let budget = 3 * entry("x").size() + 10;
        let journal = Journal::new(100, budget);
        for method in ["a", "b", "c", "d", "e"] {
            record(&journal, method);
        }
        let kept: Vec<_> = journal.entries().into_iter().map(|e| e.method).collect();
        assert_eq!(kept, ["c", "d", "e"]);
        assert_eq!(journal.dropped(), 2);
    }

    #[test]
    fn long_values_names_and_lists_are_cut_visibly() {
        let mut pairs = vec![("text".to_owned(), "é".repeat(5000))];
        pairs.push(("n".repeat(1000), "v".into()));
        pairs.extend((0..100).map(|i| (format!("p{i}"), "1".to_owned())));
        let params: Params = pairs.into_iter().collect();
        let map = JournalEntry::params_of(params, "");
        let text = map["text"].as_str().unwrap();
        assert!(text.len() < MAX_VALUE_LEN + 40, "{}", text.len());
        assert!(
            text.ends_with("… <10000 bytes in all>"),
            "{}",
            &text[text.len() - 40..]
        );
        assert!(map.keys().all(|k| k.len() < MAX_NAME_LEN + 40));
        assert_eq!(map.len(), MAX_PARAMS + 1);
        assert_eq!(map["…"], "<38 more parameters not journaled>");
    }

    /// Records an entry of `method` with the next number.
    fn record(journal: &Journal, method: &str) {
        journal.record(JournalEntry {
            seq: journal.reserve(),
            ..entry(method)
        });
    }

    /// What a subscription reads now: entries by method, skips as `-N`.
    fn read_all(subscription: &mut Subscription) -> Vec<String> {
        read_newest(subscription, usize::MAX)
    }

    /// [`read_all`] of at most the `most` newest waiting.
    fn read_newest(subscription: &mut Subscription, most: usize) -> Vec<String> {
        let mut read = Vec::new();
        subscription.read(most, |step| {
            read.push(match step {
                Read::Skipped(n) => format!("-{n}"),
                Read::Entry(entry) => entry.method.clone(),
            });
            true
        });
        read
    }

    #[test]
    fn subscribers_read_each_entry_in_the_order_recorded_up_to_the_cap() {
        let journal = Journal::with_live(10, usize::MAX, 2, 8);
        let first = journal.subscribe();
        let mut second = journal.subscribe().expect("two may subscribe");
        assert!(journal.subscribe().is_none(), "a third is refused");
        drop(first);
        let mut third = journal.subscribe().expect("a slot was freed");
        // A long poll's number is taken before a later request's, and recorded after it.
        let (poll, quick) = (journal.reserve(), journal.reserve());
        for (seq, method) in [(quick, "getMe"), (poll, "getUpdates")] {
            journal.record(JournalEntry {
                seq,
                ..entry(method)
            });
        }
        for subscription in [&mut second, &mut third] {
            assert_eq!(read_all(subscription), ["getMe", "getUpdates"]);
            assert!(read_all(subscription).is_empty(), "read once");
        }
    }

    #[test]
    fn a_reader_stopped_early_goes_on_where_it_stopped() {
        let journal = Journal::with_live(10, usize::MAX, 1, 8);
        let mut subscription = journal.subscribe().unwrap();
        for method in ["a", "b", "c"] {
            record(&journal, method);
        }
        // `each` runs under the journal's lock: the expected entry is taken before.
        let a = journal.entries()[0].clone();
        let mut first = Vec::new();
        subscription.read(usize::MAX, |step| {
            first.push(step == Read::Entry(&a));
            false
        });
        assert_eq!(first, [true]);
        assert_eq!(read_all(&mut subscription), ["b", "c"]);
    }

    #[test]
    fn entries_past_the_backlog_or_dropped_by_the_journal_are_counted_as_skipped() {
        let journal = Journal::with_live(3, usize::MAX, 1, 4);
        let mut subscription = journal.subscribe().unwrap();
        for n in 1..=6 {
            record(&journal, &format!("m{n}"));
        }
        // The backlog has m3…m6; the journal keeps only m4…m6.
        assert_eq!(read_all(&mut subscription), ["-3", "m4", "m5", "m6"]);
        record(&journal, "m7");
        journal.clear();
        assert_eq!(read_all(&mut subscription), ["-1"]);
    }

    #[test]
    fn of_more_waiting_than_asked_for_the_newest_are_read() {
        let journal = Journal::with_live(10, usize::MAX, 1, 8);
        let mut subscription = journal.subscribe().unwrap();
        for n in 1..=5 {
            record(&journal, &format!("m{n}"));
        }
        assert_eq!(read_newest(&mut subscription, 2), ["-3", "m4", "m5"]);
        assert!(
            read_all(&mut subscription).is_empty(),
            "the skipped stay skipped"
        );
    }

    #[tokio::test]
    async fn ready_waits_for_an_entry_not_yet_read() {
        let journal = Arc::new(Journal::with_live(10, usize::MAX, 1, 8));
        let mut subscription = journal.subscribe().unwrap();
        let waiting = tokio::spawn(async move {
            subscription.ready().await;
            read_all(&mut subscription)
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        record(&journal, "getMe");
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), waiting);
        assert_eq!(read.await.unwrap().unwrap(), ["getMe"]);
    }

    #[test]
    fn a_journal_without_live_subscribers_refuses_them() {
        let journal = Journal::new(10, usize::MAX);
        assert!(journal.subscribe().is_none());
        journal.record(entry("getMe"));
        assert_eq!(journal.entries().len(), 1);
    }

    #[test]
    fn a_filtered_read_copies_only_what_it_returns() {
        let journal = Journal::new(100, usize::MAX);
        for method in ["a", "b", "a", "c", "a"] {
            record(&journal, method);
        }
        let found = journal.newest(2, |e| e.method == "a");
        assert_eq!(found.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 5]);
    }
}
