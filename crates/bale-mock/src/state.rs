//! Per-bot instance state: the lifecycle the real server keeps for each token.
//!
//! ```text
//!   (never seen) ──any request──▶ Running{launched_at}
//!   Running ──logOut──▶ LoggedOut{at} ──600 s, then any request──▶ Running
//!   Running ──close───▶ Closed ──any request but close──▶ Running
//!                       Closed ──close──▶ 400 already closed
//! ```
//!
//! The map is sharded by bot id so that unrelated bots do not contend for one lock. A
//! critical section only reads and writes a small enum: no I/O, no await, no sleep.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bale_api::BotId;

/// How long `logOut` locks a bot out of the cloud server (wire-facts §2).
pub const LOG_OUT_LOCKOUT: Duration = Duration::from_secs(600);

/// How long after launch `close` answers 429, and how long after server start that rule
/// begins to apply (wire-facts §2, `Client::on_cmd`).
pub const CLOSE_GRACE: Duration = Duration::from_secs(600);

/// The state of one bot's instance on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instance {
    /// Serving requests since `launched_at` (server clock).
    Running {
        /// When this instance was launched.
        launched_at: Duration,
    },
    /// Logged out at `at`; every request is refused until the lock-out ends.
    LoggedOut {
        /// When `logOut` was answered.
        at: Duration,
    },
    /// Closed by `close`; the next request other than `close` launches it again.
    Closed,
}

const SHARDS: usize = 16;

/// Every bot the server has seen, by bot id.
#[derive(Debug)]
pub struct Bots {
    shards: Box<[Mutex<HashMap<BotId, Instance>>]>,
}

impl Default for Bots {
    fn default() -> Bots {
        Bots {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Bots {
    /// Runs `f` on the bot's slot (`None` if never seen) under its shard's lock.
    pub fn with<R>(&self, bot: BotId, f: impl FnOnce(&mut Option<Instance>) -> R) -> R {
        let mut shard = self.shard(bot);
        let mut slot = shard.get(&bot).copied();
        let out = f(&mut slot);
        match slot {
            Some(instance) => shard.insert(bot, instance),
            None => shard.remove(&bot),
        };
        out
    }

    /// The bot's state, if the server has seen it.
    pub fn get(&self, bot: BotId) -> Option<Instance> {
        self.shard(bot).get(&bot).copied()
    }

    fn shard(&self, bot: BotId) -> MutexGuard<'_, HashMap<BotId, Instance>> {
        let index = bot.unsigned_abs() as usize % self.shards.len();
        // A panic while holding a shard cannot leave the map half-written (each update is
        // one insert or remove), so a poisoned lock is safe to keep using.
        self.shards[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Lets a request of `bot` in, and returns when its running instance was launched.
///
/// A bot that was never seen, was closed, or whose lock-out is over is launched now. A bot
/// in its lock-out is refused with `400 Logged out`; `close` of a closed bot with no request
/// in between is refused with `400 Bad Request: the bot has already been closed`.
pub fn admit(
    slot: &mut Option<Instance>,
    is_close: bool,
    now: Duration,
) -> Result<Duration, bale_api::ApiError> {
    match *slot {
        Some(Instance::Running { launched_at }) => return Ok(launched_at),
        Some(Instance::LoggedOut { at }) if now.saturating_sub(at) < LOG_OUT_LOCKOUT => {
            return Err(bale_api::ApiError::logged_out());
        }
        Some(Instance::Closed) if is_close => return Err(bale_api::ApiError::already_closed()),
        _ => {}
    }
    *slot = Some(Instance::Running { launched_at: now });
    Ok(now)
}
