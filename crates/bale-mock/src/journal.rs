//! The request journal: what the server was asked and what it answered, bounded so a long
//! run cannot grow without limit (older entries are dropped and counted).
//!
//! Entries name the bot by id only; the token is never stored.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use bale_api::{redact, BotId};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::request::{Param, Params};

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
    pub params: Map<String, Value>,
    /// The HTTP status that went out; `None` when a fault sent no HTTP answer (hang, reset,
    /// empty reply).
    pub status: Option<u16>,
    /// The error description, for error answers (as sent: a fault's own text, if any).
    pub description: Option<String>,
    /// The scenario rule or rate limit that answered, if one did.
    pub rule: Option<String>,
    /// The network fault the answer was broken with, if any.
    pub fault: Option<String>,
}

impl JournalEntry {
    /// The parameters as journaled, taken over from the request. A value that holds the
    /// request's token (a webhook URL such as `…/bot<token>`) has it replaced by
    /// `<token>`, and its secret alone (percent-encoded, `…/bot123%3A<secret>`) by
    /// `<redacted>`; a parameter that is a password of its own (a webhook's
    /// `secret_token`) is `<redacted>` whole: the journal never holds a secret (it is printed
    /// when a test's expectations fail).
    pub(crate) fn params_of(params: Params, token: &str) -> Map<String, Value> {
        let mut map = Map::new();
        for (key, value) in params.into_pairs() {
            if map.contains_key(&key) {
                continue;
            }
            let value = match value {
                Param::Text(_) if SECRET_PARAMS.contains(&key.as_str()) => "<redacted>".to_owned(),
                Param::Text(text) => match redact::known(&text, token) {
                    Cow::Owned(hidden) => hidden,
                    Cow::Borrowed(_) => text,
                },
                Param::File { file_name, size } => format!("<file {file_name}, {size} bytes>"),
            };
            map.insert(key, Value::String(value));
        }
        map
    }
}

/// Parameters whose value is a password.
const SECRET_PARAMS: &[&str] = &["secret_token"];

fn as_str<S: serde::Serializer>(method: &http::Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

/// A bounded, thread-safe journal.
///
/// Sequence numbers are taken apart from recording ([`Journal::reserve`]): the router takes
/// a request's number where the bot's state machine decides it, under the bot's lock, and
/// records the entry once the answer is known — on a multi-threaded server, requests of
/// one bot may finish in another order than they were decided in, and the journal keeps
/// the decided order.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    /// The last number taken.
    last_seq: AtomicU64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// In `seq` order.
    entries: VecDeque<JournalEntry>,
    dropped: u64,
}

impl Journal {
    /// A journal that keeps at most `capacity` entries.
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            last_seq: AtomicU64::new(0),
            inner: Mutex::default(),
        }
    }

    /// Takes the next sequence number, from 1. Two numbers taken under one lock are in
    /// that lock's order: the increments of one atomic are totally ordered, consistently
    /// with the lock's happens-before, so `Relaxed` is enough.
    pub(crate) fn reserve(&self) -> u64 {
        self.last_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Adds an entry numbered by [`Journal::reserve`], in `seq` order (it is almost always
    /// the newest); drops the oldest one when full.
    pub(crate) fn record(&self, entry: JournalEntry) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let at = inner
            .entries
            .iter()
            .rposition(|kept| kept.seq < entry.seq)
            .map_or(0, |i| i + 1);
        inner.entries.insert(at, entry);
        if inner.entries.len() > self.capacity {
            inner.entries.pop_front();
            inner.dropped += 1;
        }
    }

    /// Every kept entry, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.entries.iter().cloned().collect()
    }

    /// Forgets every entry and the dropped count (the sequence numbers go on).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.entries.clear();
        inner.dropped = 0;
    }

    /// How many entries were dropped to keep the bound.
    pub fn dropped(&self) -> u64 {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .dropped
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
            params: Map::new(),
            status: Some(200),
            description: None,
            rule: None,
            fault: None,
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
        let journal = Journal::new(2);
        for method in ["a", "b", "c"] {
            journal.record(JournalEntry {
                seq: journal.reserve(),
                ..entry(method)
            });
        }
        assert_eq!(kept(&journal), [(2, "b".to_owned()), (3, "c".to_owned())]);
        assert_eq!(journal.dropped(), 1);
    }

    #[test]
    fn entries_recorded_out_of_order_are_kept_in_seq_order() {
        let journal = Journal::new(3);
        let seqs: Vec<u64> = (0..3).map(|_| journal.reserve()).collect();
        for (seq, method) in [(seqs[1], "b"), (seqs[2], "c"), (seqs[0], "a")] {
            journal.record(JournalEntry {
                seq,
                ..entry(method)
            });
        }
        let want = [(1, "a"), (2, "b"), (3, "c")].map(|(s, m)| (s, m.to_owned()));
        assert_eq!(kept(&journal), want);
        assert_eq!(journal.dropped(), 0);
    }

    #[test]
    fn a_late_entry_older_than_every_kept_one_is_the_one_dropped() {
        let journal = Journal::new(2);
        let seqs: Vec<u64> = (0..3).map(|_| journal.reserve()).collect();
        for (seq, method) in [(seqs[1], "b"), (seqs[2], "c"), (seqs[0], "a")] {
            journal.record(JournalEntry {
                seq,
                ..entry(method)
            });
        }
        assert_eq!(kept(&journal), [(2, "b".to_owned()), (3, "c".to_owned())]);
        assert_eq!(journal.dropped(), 1);
    }
}
