//! The rate-limit token buckets of a running scenario, bounded: keys are normalised so a
//! client cannot mint a bucket per random method name or per megabyte-long `chat_id`, and
//! the map holds at most a configured number of buckets.
//!
//! A bucket refilled to capacity is the same as a fresh one, so when the map is full those
//! are forgotten first at no cost to accuracy; only if more keys than the cap are active at
//! once are the least recently used of them forgotten (and then start full again).

use std::collections::HashMap;
use std::time::Duration;

use bale_api::{BotId, Method};

/// The longest `chat_id` a bucket is kept for: real ids and `@usernames` are far shorter,
/// so every longer one shares a single bucket.
const MAX_CHAT_KEY_LEN: usize = 64;

/// Which bucket a request takes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct BucketKey {
    limit: usize,
    bot: Option<BotId>,
    /// The catalogue's spelling; every method the catalogue does not know shares `?`.
    method: Option<&'static str>,
    chat: Option<Box<str>>,
}

impl BucketKey {
    /// The bucket of limit `limit` shared by every request it counts.
    pub(crate) fn global(limit: usize) -> BucketKey {
        BucketKey {
            limit,
            bot: None,
            method: None,
            chat: None,
        }
    }

    /// One per bot.
    pub(crate) fn bot(limit: usize, bot: BotId) -> BucketKey {
        BucketKey {
            bot: Some(bot),
            ..BucketKey::global(limit)
        }
    }

    /// One per bot and method.
    pub(crate) fn method(limit: usize, bot: BotId, method: &str) -> BucketKey {
        let method = Method::from_name(method).map_or("?", Method::name);
        BucketKey {
            method: Some(method),
            ..BucketKey::bot(limit, bot)
        }
    }

    /// One per bot and chat.
    pub(crate) fn chat(limit: usize, bot: BotId, chat: &str) -> BucketKey {
        let chat = if chat.len() <= MAX_CHAT_KEY_LEN {
            chat
        } else {
            "<too long>"
        };
        BucketKey {
            chat: Some(chat.into()),
            ..BucketKey::bot(limit, bot)
        }
    }
}

/// A token bucket: `tokens` requests left at server time `at`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bucket {
    pub(crate) tokens: f64,
    at: Duration,
    capacity: f64,
}

impl Bucket {
    /// Adds what `rate` (tokens a second) gave since the last visit, up to capacity.
    pub(crate) fn refill(&mut self, now: Duration, rate: f64) {
        let elapsed = now.saturating_sub(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(self.capacity);
        self.at = self.at.max(now);
    }
}

/// The buckets, at most `cap` of them.
#[derive(Debug)]
pub(crate) struct Buckets {
    map: HashMap<BucketKey, Bucket, foldhash::fast::RandomState>,
    cap: usize,
    /// The refill rate of each limit, tokens a second: what tells an idle bucket.
    rates: Vec<f64>,
}

impl Buckets {
    /// No buckets yet; `rates[i]` is limit `i`'s refill rate.
    pub(crate) fn new(cap: usize, rates: Vec<f64>) -> Buckets {
        Buckets {
            map: HashMap::default(),
            cap: cap.max(1),
            rates,
        }
    }

    /// The bucket of `key`, full with `capacity` tokens if new.
    pub(crate) fn entry(&mut self, key: &BucketKey, capacity: f64, now: Duration) -> &mut Bucket {
        if self.map.len() >= self.cap && !self.map.contains_key(key) {
            self.make_room(now);
        }
        self.map.entry(key.clone()).or_insert(Bucket {
            tokens: capacity,
            at: now,
            capacity,
        })
    }

    /// The bucket of `key`, if there is one.
    pub(crate) fn get_mut(&mut self, key: &BucketKey) -> Option<&mut Bucket> {
        self.map.get_mut(key)
    }

    /// How many buckets are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Forgets every bucket that has refilled to capacity; if that frees less than a tenth
    /// of the map, also the least recently used tenth (so a flood of live keys costs one
    /// scan per tenth of the cap, not one per request).
    fn make_room(&mut self, now: Duration) {
        let rates = &self.rates;
        self.map.retain(|key, bucket| {
            let mut refilled = *bucket;
            refilled.refill(now, rates.get(key.limit).copied().unwrap_or(0.0));
            refilled.tokens < refilled.capacity
        });
        let tenth = (self.cap / 10).max(1);
        if self.cap - self.map.len().min(self.cap) >= tenth {
            return;
        }
        let mut ages: Vec<Duration> = self.map.values().map(|b| b.at).collect();
        let cut = tenth.min(ages.len().saturating_sub(1));
        let (_, oldest_kept, _) = ages.select_nth_unstable(cut);
        let oldest_kept = *oldest_kept;
        let mut to_drop = tenth;
        self.map.retain(|_, bucket| {
            if to_drop > 0 && bucket.at < oldest_kept {
                to_drop -= 1;
                return false;
            }
            true
        });
        if self.map.len() >= self.cap {
            // Every bucket was touched at the same instant: drop any.
            let excess = self.map.len() + 1 - self.cap;
            let victims: Vec<BucketKey> = self.map.keys().take(excess).cloned().collect();
            for key in victims {
                self.map.remove(&key);
            }
        }
        tracing::debug!(
            kept = self.map.len(),
            "rate-limit buckets full: oldest forgotten"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_and_chat_keys_are_normalised() {
        assert_eq!(
            BucketKey::method(0, 1, "SENDMESSAGE"),
            BucketKey::method(0, 1, "sendMessage")
        );
        assert_eq!(
            BucketKey::method(0, 1, "noSuchMethodA"),
            BucketKey::method(0, 1, "noSuchMethodB")
        );
        let long = "9".repeat(1 << 20);
        let short = "8".repeat(100);
        assert_eq!(BucketKey::chat(0, 1, &long), BucketKey::chat(0, 1, &short));
        assert_ne!(
            BucketKey::chat(0, 1, "-1001"),
            BucketKey::chat(0, 1, "-1002")
        );
    }

    #[test]
    fn idle_buckets_go_first_and_the_map_never_passes_its_cap() {
        // One token a second, one of capacity: a bucket is idle a second after its use.
        let mut buckets = Buckets::new(100, vec![1.0]);
        for chat in 0..100 {
            let key = BucketKey::chat(0, 1, &chat.to_string());
            buckets.entry(&key, 1.0, Duration::ZERO).tokens -= 1.0;
        }
        assert_eq!(buckets.len(), 100);
        // Still empty at t = 0.5: the live keys are kept, and a new one evicts a tenth.
        let late = BucketKey::chat(0, 1, "late");
        buckets.entry(&late, 1.0, Duration::from_millis(500));
        assert!(buckets.len() <= 100, "{}", buckets.len());
        // At t = 2 every old bucket is full again: all go, none is lost in effect.
        for chat in 1000..1200 {
            let key = BucketKey::chat(0, 1, &chat.to_string());
            buckets.entry(&key, 1.0, Duration::from_secs(2)).tokens -= 1.0;
            assert!(buckets.len() <= 100);
        }
    }
}
