//! One file per Bot API method. Each handler runs inside the bot's state lock with
//! everything it needs in a [`Call`], and returns the `result` value or an API error.

mod close;
mod get_me;
mod log_out;

use std::time::Duration;

use bale_api::{ApiError, BotId, Method};
use serde_json::Value;

use crate::scenario::BotSpec;
use crate::state::Instance;

/// What a handler gets: the bot, the time, its running instance.
pub(crate) struct Call<'a> {
    /// The bot the token names.
    pub bot: BotId,
    /// The bot as the scenario declares it, if it does.
    pub spec: Option<&'a BotSpec>,
    /// The server clock.
    pub now: Duration,
    /// When the running instance was launched.
    pub launched_at: Duration,
    /// How long `close` leaves the instance closing.
    pub closing: Duration,
    /// The bot's instance; handlers that change the lifecycle write it.
    pub instance: &'a mut Option<Instance>,
}

/// Runs an implemented method.
pub(crate) fn run(method: Method, call: Call<'_>) -> Result<Value, ApiError> {
    match method {
        Method::GetMe => get_me::run(call),
        Method::LogOut => log_out::run(call),
        Method::Close => close::run(call),
    }
}
