//! The validated scenario: what the engine runs. Every value here has been checked.

use std::time::Duration;

use bale_api::{BotId, Dialect, Envelope, Secret, Token};

use crate::fault::Fault;

/// A loaded, valid scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The file's stem (`rate-limit` for `rate-limit.toml`).
    pub name: String,
    /// The one-line description.
    pub description: String,
    /// Overrides the server's dialect.
    pub dialect: Option<Dialect>,
    /// Seed of the random draws (`probability`, delay jitter).
    pub seed: u64,
    /// Whether well-formed tokens of undeclared bots are active bots.
    pub unknown_tokens: UnknownTokens,
    /// How long a bot stays "closing" after `close` (answering 500 restart meanwhile).
    pub closing: Duration,
    /// The declared bots.
    pub bots: Vec<BotSpec>,
    /// The rules, in file order; the first that matches a request applies.
    pub rules: Vec<Rule>,
    /// The rate limits; a request must pass all that apply to it.
    pub rate_limits: Vec<RateLimit>,
    /// Users the world starts with.
    pub users: Vec<bale_api::User>,
    /// Chats the world starts with (private chats open a user's chat with bots).
    pub chats: Vec<crate::people::ChatSpec>,
}

impl Scenario {
    /// The zero-config scenario: no bots, no rules, no limits, every well-formed token active.
    pub fn zero_config() -> Scenario {
        Scenario {
            name: "zero-config".into(),
            description: "every well-formed token is an active bot; no rules".into(),
            dialect: None,
            seed: 0,
            unknown_tokens: UnknownTokens::Active,
            closing: Duration::ZERO,
            bots: Vec::new(),
            rules: Vec::new(),
            rate_limits: Vec::new(),
            users: Vec::new(),
            chats: Vec::new(),
        }
    }

    /// The declared bot with this id.
    pub fn bot(&self, id: BotId) -> Option<&BotSpec> {
        self.bots.iter().find(|bot| bot.token.bot_id() == id)
    }
}

/// What to do with a well-formed token of a bot the scenario does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownTokens {
    /// It is an active bot (zero-config).
    Active,
    /// It is rejected like an unknown token.
    Reject,
}

/// The state of a bot, as declared or as set by a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BotState {
    /// Serving requests.
    Active,
    /// The server does not know the token.
    Unknown,
    /// The token was revoked (it worked before).
    Revoked,
    /// The bot was deactivated.
    Deactivated,
    /// In the lock-out after `logOut`.
    LoggedOut,
    /// Closing after `close`: requests get 500 restart.
    Closing,
    /// Closed: the next request (other than `close`) launches it.
    Closed,
}

/// A declared bot.
#[derive(Clone, Debug, PartialEq)]
pub struct BotSpec {
    /// Its token: only this exact token reaches the bot.
    pub token: Token,
    /// Its state at server start (and after a reset).
    pub state: BotState,
    /// When that state began, in seconds since server start (may be negative).
    pub since: f64,
    /// Overrides the dialect for this bot.
    pub dialect: Option<Dialect>,
    /// `getMe`'s `first_name`.
    pub first_name: Option<String>,
    /// `getMe`'s `username`.
    pub username: Option<String>,
}

/// One when → then rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its name, shown in the journal.
    pub name: String,
    /// Which requests it matches.
    pub when: When,
    /// What it does to them.
    pub then: Then,
    /// It applies at most this many times.
    pub times: Option<u64>,
}

/// A rule's conditions; all that are set must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct When {
    /// The exact token, as written in the request (well-formed or not).
    pub token: Option<Secret>,
    /// The bot id the token names.
    pub bot: Option<BotId>,
    /// Any of these methods (canonical names; requests match ignoring case).
    pub methods: Vec<&'static str>,
    /// Parameters with these exact text values.
    pub params: Vec<(String, String)>,
    /// The n-th requests (counting those that meet the other conditions), from 1.
    pub calls: Option<CallRange>,
    /// A window on the server clock.
    pub time: Option<TimeWindow>,
    /// The chance of matching, drawn from the seeded generator.
    pub probability: Option<f64>,
    /// The rule state the scenario must be in.
    pub state: Option<String>,
}

/// Call numbers `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallRange {
    /// The first matching call, from 1.
    pub first: u64,
    /// The last matching call (`u64::MAX` for no end).
    pub last: u64,
}

/// Server-clock times `from..until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    /// The start, included.
    pub from: Duration,
    /// The end, excluded; `None` for no end.
    pub until: Option<Duration>,
}

/// What a rule does. An `answer` ends the request's processing; without one, the request
/// goes on to the normal checks, with the delay and bot-state change applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Then {
    /// A replacement answer (an error, or `ok:true` with a result).
    pub answer: Option<Envelope>,
    /// A fault to break the answer with.
    pub fault: Option<Fault>,
    /// A delay before answering.
    pub delay: Option<Delay>,
    /// A new state for the request's bot.
    pub bot_state: Option<BotState>,
    /// A new rule state for the scenario.
    pub set_state: Option<String>,
}

/// A delay of `base` plus a seeded random part up to `jitter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delay {
    /// The fixed part.
    pub base: Duration,
    /// The largest random addition.
    pub jitter: Duration,
}

/// A counted rate limit: a token bucket of `limit` requests refilled over `window`.
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimit {
    /// Its name, shown in the journal.
    pub name: String,
    /// What one bucket counts.
    pub scope: Scope,
    /// The bucket's size.
    pub limit: u32,
    /// The time to refill a whole bucket.
    pub window: Duration,
    /// Only these methods count (all when empty).
    pub methods: Vec<&'static str>,
    /// Only this bot counts (all when `None`).
    pub bot: Option<BotId>,
    /// How the 429 looks.
    pub answer: RateAnswer,
}

/// What one bucket counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One bucket per bot.
    Bot,
    /// One bucket per bot and `chat_id` (requests without `chat_id` do not count).
    Chat,
    /// One bucket per bot and method.
    Method,
    /// One bucket for the whole server.
    Global,
}

/// How a rate-limited request is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateAnswer {
    /// `429 Too Many Requests: retry after N`, with `parameters.retry_after` and
    /// `Retry-After`.
    Json,
    /// Bale's edge proxy: 429 with the plain-text body `local_rate_limited`.
    BaleProxy,
}
