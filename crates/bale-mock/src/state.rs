//! Per-bot state: whether the server accepts the bot's token ([`Access`]), and the lifecycle
//! of its instance ([`Instance`]), as the real server keeps them.
//!
//! ```text
//!   (never seen) ──any request──▶ Running{launched_at}
//!   Running ──logOut──▶ LoggedOut{until} ──until passed, then any request──▶ Running
//!   Running ──close───▶ Closing{until} ──until passed──▶ Closed
//!   Closed ──any request but close──▶ Running        Closed ──close──▶ 400 already closed
//! ```
//!
//! The map is sharded by bot id so that unrelated bots do not contend for one lock. A
//! critical section only reads and writes small values: no I/O, no await, no sleep.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bale_api::{ApiError, BotId};
use serde::Serialize;

use crate::scenario::{BotState, Scenario};

/// How long `logOut` locks a bot out of the cloud server (wire-facts §2).
pub const LOG_OUT_LOCKOUT: Duration = Duration::from_secs(600);

/// How long after launch `close` answers 429, and how long after server start that rule
/// begins to apply (wire-facts §2, `Client::on_cmd`).
pub const CLOSE_GRACE: Duration = Duration::from_secs(600);

/// Whether the server accepts the bot's token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// The token works.
    #[default]
    Active,
    /// The server does not know the token.
    Unknown,
    /// The token was revoked.
    Revoked,
    /// The bot was deactivated.
    Deactivated,
}

/// The state of one bot's instance on the server (server-clock times).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instance {
    /// Serving requests since `launched_at`.
    Running {
        /// When this instance was launched.
        launched_at: Duration,
    },
    /// Logged out; every request is refused until `until`.
    LoggedOut {
        /// When the lock-out ends.
        until: Duration,
    },
    /// Closing; every request is `500 restart` until `until`, then it is closed.
    Closing {
        /// When closing ends.
        until: Duration,
    },
    /// Closed by `close`; the next request other than `close` launches it again.
    Closed,
}

/// One bot's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bot {
    /// Whether its token works.
    pub access: Access,
    /// Its instance; `None` until the server first sees it.
    pub instance: Option<Instance>,
    /// A hash of the token that claimed the bot id: a bot has one token, so another secret
    /// for the same id is an unknown token (the token itself is never kept).
    pub token_hash: Option<u64>,
}

impl Bot {
    /// Whether `token` may act as this bot: the first token seen for a bot id claims it.
    pub fn claim(&mut self, token: &str) -> bool {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        token.hash(&mut hasher);
        let hash = hasher.finish();
        *self.token_hash.get_or_insert(hash) == hash
    }
}

impl Bot {
    /// The state `state` beginning at server time `since` (seconds, may be negative), with
    /// closing taking `closing`.
    pub fn in_state(state: BotState, since: f64, closing: Duration) -> Bot {
        let at = |extra: Duration| {
            Duration::try_from_secs_f64((since + extra.as_secs_f64()).max(0.0)).unwrap_or_default()
        };
        let (access, instance) = match state {
            BotState::Active => (
                Access::Active,
                Some(Instance::Running {
                    launched_at: at(Duration::ZERO),
                }),
            ),
            BotState::Unknown => (Access::Unknown, None),
            BotState::Revoked => (Access::Revoked, None),
            BotState::Deactivated => (Access::Deactivated, None),
            BotState::LoggedOut => (
                Access::Active,
                Some(Instance::LoggedOut {
                    until: at(LOG_OUT_LOCKOUT),
                }),
            ),
            BotState::Closing => (
                Access::Active,
                Some(Instance::Closing { until: at(closing) }),
            ),
            BotState::Closed => (Access::Active, Some(Instance::Closed)),
        };
        Bot {
            access,
            instance,
            token_hash: None,
        }
    }
}

const SHARDS: usize = 16;

/// A bot map: bot ids are plain integers, so a multiplicative hash spreads them well at a
/// fraction of SipHash's cost (a mock's ids come from tests, not attackers).
type BotMap = HashMap<BotId, Bot, BuildHasherDefault<IdHasher>>;

/// Every bot the server has seen or declared, by bot id.
#[derive(Debug)]
pub struct Bots {
    shards: Box<[Mutex<BotMap>]>,
}

/// Fibonacci hashing of one integer key.
#[derive(Debug, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Default for Bots {
    fn default() -> Bots {
        Bots {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Bots {
    /// Runs `f` on the bot's state (the default if never seen) under its shard's lock.
    pub fn with<R>(&self, bot: BotId, f: impl FnOnce(&mut Bot) -> R) -> R {
        f(self.shard(bot).entry(bot).or_default())
    }

    /// The bot's state, if the server has seen or declared it.
    pub fn get(&self, bot: BotId) -> Option<Bot> {
        self.shard(bot).get(&bot).copied()
    }

    /// Every known bot, by id.
    pub fn all(&self) -> Vec<(BotId, Bot)> {
        let mut all: Vec<_> = (0..self.shards.len())
            .flat_map(|i| {
                self.lock(i)
                    .iter()
                    .map(|(id, bot)| (*id, *bot))
                    .collect::<Vec<_>>()
            })
            .collect();
        all.sort_by_key(|(id, _)| *id);
        all
    }

    /// Forgets every bot, then puts the scenario's declared bots in their initial states.
    pub fn reset(&self, scenario: &Scenario) {
        for i in 0..self.shards.len() {
            self.lock(i).clear();
        }
        for spec in &scenario.bots {
            let bot = Bot::in_state(spec.state, spec.since, scenario.closing);
            self.with(spec.token.bot_id(), |slot| *slot = bot);
        }
    }

    fn shard(&self, bot: BotId) -> MutexGuard<'_, BotMap> {
        self.lock(bot.unsigned_abs() as usize % self.shards.len())
    }

    fn lock(&self, index: usize) -> MutexGuard<'_, BotMap> {
        // A panic while holding a shard cannot leave the map half-written (each update is
        // one small assignment), so a poisoned lock is safe to keep using.
        self.shards[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Lets a request of a bot in, and returns when its running instance was launched.
///
/// A bot that was never seen, was closed, or whose lock-out is over is launched now. A bot
/// in its lock-out is refused with `400 Logged out`, a closing one with `500 restart`;
/// `close` of a closed bot with no request in between is refused with
/// `400 Bad Request: the bot has already been closed`.
pub fn admit(
    slot: &mut Option<Instance>,
    is_close: bool,
    now: Duration,
) -> Result<Duration, ApiError> {
    match *slot {
        Some(Instance::Running { launched_at }) => return Ok(launched_at),
        Some(Instance::LoggedOut { until }) if now < until => return Err(ApiError::logged_out()),
        Some(Instance::Closing { until }) if now < until => return Err(ApiError::restart()),
        Some(Instance::Closed | Instance::Closing { .. }) if is_close => {
            *slot = Some(Instance::Closed);
            return Err(ApiError::already_closed());
        }
        _ => {}
    }
    *slot = Some(Instance::Running { launched_at: now });
    Ok(now)
}
