//! Server configuration.

use bale_api::Dialect;

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
