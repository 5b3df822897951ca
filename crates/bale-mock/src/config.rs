//! Server configuration.

use std::time::Duration;

use bale_api::Dialect;

use crate::control_access::ControlAccess;
use crate::conversation::ConversationLimits;
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
    /// The scenario to run (zero-config by default).
    pub scenario: Scenario,
    /// Serve HTTPS with this certificate; plain HTTP when `None` (the default).
    pub tls: Option<TlsSettings>,
    /// What each bot keeps: messages, pending updates, callback queries.
    pub conversation_limits: ConversationLimits,
    /// How many users and group chats the world holds.
    pub world_limits: WorldLimits,
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
            scenario: Scenario::zero_config(),
            tls: None,
            conversation_limits: ConversationLimits::default(),
            world_limits: WorldLimits::default(),
            control: ControlAccess::default(),
            connections: ConnectionLimits::default(),
        }
    }
}

impl Config {
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
