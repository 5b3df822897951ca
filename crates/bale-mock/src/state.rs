//! Per-bot state: whether the server accepts the bot's token ([`Access`]), the lifecycle of
//! its instance ([`Instance`]), as the real server keeps them, and what it sees of its chats
//! ([`Conversation`]).
//!
//! ```text
//!   (never seen) ──any request──▶ Running{launched_at}
//!   Running ──logOut──▶ LoggedOut{until} ──until passed, then any request──▶ Running
//!   Running ──close───▶ Closing{until} ──until passed──▶ Closed
//!   Closed ──any request but close──▶ Running        Closed ──close──▶ 400 already closed
//!   LoggedOut, lock-out over ──close──▶ 400 already closed, Closed
//! ```
//!
//! The map is sharded by bot id so that unrelated bots do not contend for one lock. A
//! critical section only reads and writes small values: no I/O, no await, no sleep.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bale_api::{ApiError, BotId, Method};
use serde::Serialize;

use crate::conversation::{Conversation, ConversationLimits};
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

/// One bot's state: its token's standing, its instance, and its conversations.
#[derive(Debug)]
pub struct Bot {
    /// Whether its token works.
    pub access: Access,
    /// Its instance; `None` until the server first sees it.
    pub instance: Option<Instance>,
    /// A hash of the token that claimed the bot id: a bot has one token, so another secret
    /// for the same id is an unknown token (the token itself is never kept).
    pub token_hash: Option<u64>,
    /// Its chats, messages, updates and webhook.
    pub conversation: Conversation,
    /// Its whole getMe answer once built: it depends only on what the running scenario
    /// fixes (the id, the declaration, the dialect), and a scenario load or reset forgets
    /// every bot.
    pub get_me: Option<bytes::Bytes>,
    /// Its own User, as messages it sends carry it: kept like [`Bot::get_me`].
    pub me: Option<bale_api::User>,
    /// When it was last used, in the map's own ticks: the least recently used goes first
    /// when the map is full.
    touched: u64,
    /// Declared by the scenario: never evicted.
    declared: bool,
}

/// A bot's state at a glance, for the control API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BotStatus {
    /// Whether its token works.
    pub access: Access,
    /// Its instance.
    pub instance: Option<Instance>,
    /// Updates waiting to be taken.
    pub pending_updates: usize,
    /// Whether a webhook is set.
    pub webhook: bool,
    /// Whether a long poll is parked.
    pub polling: bool,
}

/// A 64-bit hash of a token, the same in every run (like `DefaultHasher::new()`'s fixed
/// keys before it, but foldhash's: a few instructions per request instead of SipHash's).
fn token_hash(token: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x62_61_6c_65_2d_6d_6f_63).hash_one(token)
}

impl Bot {
    /// Whether `token` may act as this bot: the first token seen for a bot id claims it.
    pub fn claim(&mut self, token: &str) -> bool {
        let hash = token_hash(token);
        *self.token_hash.get_or_insert(hash) == hash
    }

    /// Whether `token` is the one that claimed this bot (claiming nothing: a download must
    /// not decide which token a bot has).
    pub fn holds(&self, token: &str) -> bool {
        self.token_hash == Some(token_hash(token))
    }

    /// The bot at a glance.
    pub fn status(&self) -> BotStatus {
        BotStatus {
            access: self.access,
            instance: self.instance,
            pending_updates: self.conversation.inbox.len(),
            webhook: self.conversation.webhook.is_some(),
            polling: self.conversation.inbox.is_polling(),
        }
    }
}

/// The standing and instance of a bot in `state`, beginning at server time `since`
/// (seconds, may be negative), with closing taking `closing`.
pub fn lifecycle(state: BotState, since: f64, closing: Duration) -> (Access, Option<Instance>) {
    let at = |extra: Duration| {
        Duration::try_from_secs_f64((since + extra.as_secs_f64()).max(0.0)).unwrap_or_default()
    };
    match state {
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
    }
}

const SHARDS: usize = 16;

/// A bot map. Bot ids come from requests, so the hasher is keyed per map (foldhash): ids
/// chosen to collide cannot turn inserts quadratic.
type BotMap = HashMap<BotId, Bot, foldhash::fast::RandomState>;

/// Every bot the server has seen or declared, by bot id, at most `max_bots` of them.
#[derive(Debug)]
pub struct Bots {
    shards: Box<[Mutex<BotMap>]>,
    limits: ConversationLimits,
    /// Bots one shard keeps; a new bot beyond it evicts the least recently used one.
    per_shard: usize,
    ticks: AtomicU64,
}

impl Bots {
    /// No bots yet; at most about `max_bots` will be kept, each keeping at most `limits`.
    pub fn new(limits: ConversationLimits, max_bots: usize) -> Bots {
        Bots {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            limits,
            per_shard: max_bots.div_ceil(SHARDS).max(1),
            ticks: AtomicU64::new(0),
        }
    }

    /// Runs `f` on the bot's state (a fresh one if never seen) under its shard's lock.
    ///
    /// A bot never seen, arriving at a full shard, first evicts the shard's least recently
    /// used bot that the scenario did not declare and that holds no long poll: that bot
    /// starts over as never seen if it comes back.
    pub fn with<R>(&self, bot: BotId, f: impl FnOnce(&mut Bot) -> R) -> R {
        let limits = self.limits;
        let tick = self.ticks.fetch_add(1, Ordering::Relaxed);
        let mut shard = self.shard(bot);
        if shard.len() >= self.per_shard && !shard.contains_key(&bot) {
            evict_least_recently_used(&mut shard);
        }
        let slot = shard.entry(bot).or_insert_with(|| Bot {
            access: Access::Active,
            instance: None,
            token_hash: None,
            // Seeded by the bot id, so a bot's update ids are the same in every run.
            conversation: Conversation::new(limits, bot as u64),
            get_me: None,
            me: None,
            touched: tick,
            declared: false,
        });
        slot.touched = tick;
        f(slot)
    }

    /// Runs `f` on the bot's state if the server keeps it — never making one: background
    /// work for a bot that was forgotten must not bring it back and evict another.
    pub fn with_existing<R>(&self, bot: BotId, f: impl FnOnce(&mut Bot) -> R) -> Option<R> {
        self.shard(bot).get_mut(&bot).map(f)
    }

    /// How many bots are kept.
    pub fn len(&self) -> usize {
        (0..self.shards.len()).map(|i| self.lock(i).len()).sum()
    }

    /// Whether no bot is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bot's state at a glance, if the server has seen or declared it.
    pub fn get(&self, bot: BotId) -> Option<BotStatus> {
        self.shard(bot).get(&bot).map(Bot::status)
    }

    /// Every known bot at a glance, by id.
    pub fn all(&self) -> Vec<(BotId, BotStatus)> {
        let mut all: Vec<_> = (0..self.shards.len())
            .flat_map(|i| {
                self.lock(i)
                    .iter()
                    .map(|(id, bot)| (*id, bot.status()))
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
            let (access, instance) = lifecycle(spec.state, spec.since, scenario.closing);
            self.with(spec.token.bot_id(), |slot| {
                slot.access = access;
                slot.instance = instance;
                slot.declared = true;
            });
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

/// Makes room in a full shard (a scan of one shard: it happens only when a new bot arrives
/// at a full map).
fn evict_least_recently_used(shard: &mut BotMap) {
    let victim = shard
        .iter()
        .filter(|(_, bot)| !bot.declared && !bot.conversation.inbox.is_polling())
        .min_by_key(|(_, bot)| bot.touched)
        .map(|(id, _)| *id);
    if let Some(id) = victim {
        shard.remove(&id);
        tracing::debug!(bot = id, "bot map full: least recently used bot forgotten");
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
    method: Option<Method>,
    now: Duration,
) -> Result<Duration, ApiError> {
    let is_close = method == Some(Method::Close);
    match *slot {
        // tdlib passes close and logOut to a closing TDLib, which answers close with ok and
        // aborts logOut.
        Some(Instance::Closing { until }) if now < until && is_close => return Ok(now),
        Some(Instance::Closing { until }) if now < until && method == Some(Method::LogOut) => {
            return Err(ApiError::new(500, "Internal Server Error: request aborted"))
        }
        Some(Instance::Running { launched_at }) => return Ok(launched_at),
        Some(Instance::LoggedOut { until }) if now < until => return Err(ApiError::logged_out()),
        // tdlib drops a logged-out bot's client: `close` then finds none to close.
        Some(Instance::LoggedOut { .. }) if is_close => {
            *slot = Some(Instance::Closed);
            return Err(ApiError::already_closed());
        }
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
