//! Server configuration.

use std::time::Duration;

use bale_api::Dialect;

use crate::control_access::ControlAccess;
use crate::conversation::ConversationLimits;
use crate::files::FileLimits;
use crate::scenario::Scenario;
use crate::tls::TlsSettings;
use crate::world::WorldLimits;
use crate::Clock;

/// How a mock server behaves. `Config::default()` is the zero-config server: plain HTTP,
/// Bale dialect, real time, every well-formed token an active bot.
#[derive(Clone, Debug)]
pub struct Config {
    /// Which real server's wording to reproduce where Bale and Telegram differ.
    pub dialect: Dialect,
    /// The clock every time rule reads.
    pub clock: Clock,
    /// How many requests the journal keeps; older ones are dropped and counted.
    pub journal_capacity: usize,
    /// About how many bytes the journal keeps; older entries are dropped and counted.
    pub journal_bytes: usize,
    /// How many live journal streams (`GET /__mock/journal/events`) may be open at once.
    pub journal_streams: usize,
    /// How many entries a live journal stream may fall behind before it skips some.
    pub journal_stream_backlog: usize,
    /// The scenario to run (zero-config by default).
    pub scenario: Scenario,
    /// Serve HTTPS with this certificate; plain HTTP when `None` (the default).
    pub tls: Option<TlsSettings>,
    /// What each bot keeps: messages, pending updates, callback queries, payments.
    pub conversation_limits: ConversationLimits,
    /// How many bots the server keeps; beyond it the least recently used is forgotten.
    pub max_bots: usize,
    /// How many rate-limit buckets a scenario keeps (see [`crate::engine`]).
    pub max_buckets: usize,
    /// How many users and group chats the world holds.
    pub world_limits: WorldLimits,
    /// How many files, and bytes of them, the file store keeps.
    pub file_limits: FileLimits,
    /// Who may use the control API beyond loopback peers.
    pub control: ControlAccess,
    /// How many connections are served at once and how long a slow one is waited for.
    pub connections: ConnectionLimits,
}

/// What bounds the connections: their number and the time a slow one is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// How long a request head may take to arrive, and how long a kept-alive connection may
    /// stay idle (hyper applies one timer to both); a request body gets as long again.
    pub header_read_timeout: Duration,
    /// How long a shutdown waits for in-flight requests, long polls and webhook deliveries.
    pub drain_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(30),
            drain_timeout: Duration::from_secs(10),
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dialect: Dialect::Bale,
            clock: Clock::system(),
            journal_capacity: 10_000,
            journal_bytes: 32 << 20,
            journal_streams: 16,
            journal_stream_backlog: 1024,
            scenario: Scenario::zero_config(),
            tls: None,
            conversation_limits: ConversationLimits::default(),
            max_bots: 20_000,
            max_buckets: 100_000,
            world_limits: WorldLimits::default(),
            file_limits: FileLimits::default(),
            control: ControlAccess::default(),
            connections: ConnectionLimits::default(),
        }
    }
}

/// The limits `bale-mock serve --limit NAME=N` can set: name, what is bounded and what
/// happens at the bound.
pub const LIMITS: [(&str, &str); 15] = [
    ("bots", "bots kept; a new one beyond it makes the server forget the least recently used bot that the scenario did not declare and that holds no long poll"),
    ("buckets", "rate-limit buckets; beyond it idle (refilled) buckets are forgotten, then the least recently used tenth"),
    ("journal-entries", "journal entries; the oldest are dropped and counted"),
    ("journal-bytes", "bytes of journal entries (each value is cut at 4 KiB); the oldest are dropped and counted"),
    ("journal-streams", "live journal streams (GET /__mock/journal/events, the console's) open at once; one more is refused (429)"),
    ("journal-stream-backlog", "entries a live journal stream may fall behind (all streams share one ring of their numbers); a slower reader skips entries and is told how many"),
    ("users", "users in the world; declaring one more is refused (400)"),
    ("chats", "group chats, supergroups and channels; declaring one more is refused (400)"),
    ("memberships", "members of group chats, all chats together; a chat that would pass it is refused (400)"),
    ("messages", "messages each bot keeps over all its chats; the oldest are forgotten (editing one then answers \"message to edit not found\")"),
    ("updates", "pending updates per bot; newer ones are dropped, as the real server drops them"),
    ("callback-queries", "callback queries each bot remembers; the oldest are forgotten"),
    ("files", "files in the file store, all bots together; the least recently used is forgotten (getFile of it then answers \"wrong file_id or the file is temporarily unavailable\")"),
    ("file-bytes", "bytes of file content in the store; the least recently used files are forgotten, and a file larger than the budget is not kept"),
    ("payments", "invoices, and pre-checkout queries with their transactions, each bot remembers (each kind); the oldest are forgotten"),
];

/// A `--limit` name that is not in [`LIMITS`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no limit named {0:?}; the limits are {names}", names = LIMITS.map(|(n, _)| n).join(", "))]
pub struct UnknownLimit(pub String);

impl Config {
    /// Sets the limit `name` (one of [`LIMITS`]) to `value`.
    pub fn set_limit(&mut self, name: &str, value: usize) -> Result<(), UnknownLimit> {
        *self
            .limit_mut(name)
            .ok_or_else(|| UnknownLimit(name.to_owned()))? = value;
        Ok(())
    }

    fn limit_mut(&mut self, name: &str) -> Option<&mut usize> {
        Some(match name {
            "bots" => &mut self.max_bots,
            "buckets" => &mut self.max_buckets,
            "journal-entries" => &mut self.journal_capacity,
            "journal-bytes" => &mut self.journal_bytes,
            "journal-streams" => &mut self.journal_streams,
            "journal-stream-backlog" => &mut self.journal_stream_backlog,
            "users" => &mut self.world_limits.users,
            "chats" => &mut self.world_limits.chats,
            "memberships" => &mut self.world_limits.memberships,
            "messages" => &mut self.conversation_limits.messages,
            "updates" => &mut self.conversation_limits.updates,
            "callback-queries" => &mut self.conversation_limits.callback_queries,
            "files" => &mut self.file_limits.files,
            "file-bytes" => &mut self.file_limits.bytes,
            "payments" => &mut self.conversation_limits.payments,
            _ => return None,
        })
    }
    /// Sets the dialect.
    pub fn dialect(mut self, dialect: Dialect) -> Config {
        self.dialect = dialect;
        self
    }

    /// Sets the scenario.
    pub fn scenario(mut self, scenario: Scenario) -> Config {
        self.scenario = scenario;
        self
    }

    /// Sets the clock.
    pub fn clock(mut self, clock: Clock) -> Config {
        self.clock = clock;
        self
    }

    /// Serves HTTPS with `tls` (for example [`TlsSettings::generate`]).
    pub fn tls(mut self, tls: TlsSettings) -> Config {
        self.tls = Some(tls);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_limit_can_be_set_and_no_other() {
        let mut config = Config::default();
        for (name, _) in LIMITS {
            assert!(config.limit_mut(name).is_some_and(|n| *n > 0), "{name}");
            config.set_limit(name, 7).unwrap();
            assert_eq!(config.limit_mut(name).copied(), Some(7), "{name}");
        }
        let error = config.set_limit("bot", 1).unwrap_err();
        assert!(error
            .to_string()
            .contains("no limit named \"bot\"; the limits are bots, "));
    }

    /// docs/security.md lists every limit with its default: the table cannot go stale.
    #[test]
    fn the_security_page_lists_every_limit_with_its_default() {
        let page = include_str!("../../../docs/security.md");
        let mut config = Config::default();
        for (name, _) in LIMITS {
            let default = *config.limit_mut(name).unwrap();
            let row = format!("| `{name}` | {default} ");
            assert!(page.contains(&row), "docs/security.md has no row {row:?}");
        }
        let connections = ConnectionLimits::default();
        assert!(page.contains(&format!(
            "| connections served at once | {} |",
            connections.max_connections
        )));
    }
}
