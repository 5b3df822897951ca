//! The journal read live ([`Journal::subscribe`], the console's stream).
//!
//! While a subscriber is open, recording an entry also notes its `seq` in a ring of the last
//! `backlog` recorded, in the order they were recorded (a long poll is recorded well after
//! its `seq` was taken). Each subscriber keeps its place in that ring and reads the entries
//! themselves from the journal when it is ready, writing them out under the journal's
//! lock: the request path pays a push onto the ring, under the lock it takes anyway, and no
//! copy, no allocation and no serialising for an entry a reader never reads. A reader that
//! falls more than the backlog behind, or whose entries the journal's own bounds dropped
//! first, is told how many it skipped.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::{lock, Inner, Journal, JournalEntry};

/// What the live subscribers share, inside the journal's lock.
#[derive(Debug, Default)]
pub(super) struct Recorded {
    /// Subscribers open now.
    subscribers: usize,
    /// The `seq` of the last `backlog` entries recorded while a subscriber was open, in the
    /// order they were recorded.
    seqs: VecDeque<u64>,
    /// Entries ever noted: the position after `seqs`'s last.
    count: u64,
    /// A subscriber waits for the next entry.
    waiting: bool,
}

impl Recorded {
    /// Notes a recorded entry for the subscribers, if any; true when one waits for it.
    pub(super) fn note(&mut self, seq: u64, backlog: usize) -> bool {
        if self.subscribers == 0 {
            return false;
        }
        if self.seqs.len() >= backlog.max(1) {
            self.seqs.pop_front();
        }
        self.seqs.push_back(seq);
        self.count += 1;
        std::mem::take(&mut self.waiting)
    }
}

/// One step of a live read ([`Subscription::read`]).
#[derive(Debug, PartialEq)]
pub enum Read<'a> {
    /// This many entries went by unread: the reader fell more than the backlog behind, or
    /// the journal dropped them first.
    Skipped(u64),
    /// The next entry, in the order entries were recorded.
    Entry(&'a JournalEntry),
}

/// A live feed of the journal ([`Journal::subscribe`]); dropping it frees its place.
#[derive(Debug)]
pub struct Subscription {
    inner: Arc<Mutex<Inner>>,
    wake: Arc<Notify>,
    /// The position of the next entry to read.
    next: u64,
}

impl Journal {
    /// A live feed of the entries recorded from now on; `None` when `max_subscribers` are
    /// already open.
    pub fn subscribe(&self) -> Option<Subscription> {
        let mut inner = lock(&self.inner);
        if inner.live.subscribers >= self.max_subscribers {
            return None;
        }
        inner.live.subscribers += 1;
        Some(Subscription {
            inner: Arc::clone(&self.inner),
            wake: Arc::clone(&self.wake),
            next: inner.live.count,
        })
    }
}

impl Subscription {
    /// Waits until an entry this subscription has not read is recorded.
    pub async fn ready(&mut self) {
        loop {
            // Registered before the look, so a record between the two is not missed.
            let notified = self.wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut inner = lock(&self.inner);
                if inner.live.count > self.next {
                    return;
                }
                inner.live.waiting = true;
            }
            notified.await;
        }
    }

    /// Hands what was recorded since the last read to `each`, in order, while it returns
    /// true; what it was not handed is read next time. Of more than `most` waiting, only
    /// the newest `most` are handed, the others counted as skipped: a reader shows what
    /// happens now, not what happened a flood ago. `each` runs under the journal's lock,
    /// which every request takes: keep it to writing the entry out.
    pub fn read(&mut self, most: usize, mut each: impl FnMut(Read<'_>) -> bool) {
        let inner = lock(&self.inner);
        let live = &inner.live;
        // The position of `seqs`'s first, and of the first entry to hand.
        let oldest = live.count - live.seqs.len() as u64;
        let first = oldest.max(live.count.saturating_sub(most as u64));
        let mut skipped = first.saturating_sub(self.next);
        self.next = self.next.max(first);
        while self.next < live.count {
            let seq = live.seqs[(self.next - oldest) as usize];
            let Ok(at) = inner
                .entries
                .binary_search_by_key(&seq, |(kept, _)| kept.seq)
            else {
                skipped += 1;
                self.next += 1;
                continue;
            };
            if skipped > 0 && !each(Read::Skipped(std::mem::take(&mut skipped))) {
                return;
            }
            self.next += 1;
            if !each(Read::Entry(&inner.entries[at].0)) {
                return;
            }
        }
        if skipped > 0 {
            each(Read::Skipped(skipped));
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut inner = lock(&self.inner);
        inner.live.subscribers -= 1;
        if inner.live.subscribers == 0 {
            inner.live.seqs = VecDeque::new();
        }
    }
}
