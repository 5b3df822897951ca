//! One file per Bot API method. Each handler runs inside the bot's state lock with
//! everything it needs in a [`Call`], and returns the `result` value or an API error.

mod close;
mod get_me;
mod log_out;

use std::time::Duration;

use bale_api::{ApiError, BotId, Method};
use serde_json::value::RawValue;

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

/// A method's `result`, serialised once, straight from its type.
pub(crate) type Result = std::result::Result<Box<RawValue>, ApiError>;

/// Serialises a result into a buffer sized for a User, so it does not grow as it is written.
/// Plain data cannot fail to serialise; `null` stands in if it did.
pub(crate) fn raw<T: serde::Serialize>(value: &T) -> Box<RawValue> {
    let mut json = Vec::with_capacity(256);
    match serde_json::to_writer(&mut json, value) {
        Ok(()) => String::from_utf8(json)
            .ok()
            .and_then(|text| RawValue::from_string(text).ok())
            .unwrap_or_default(),
        Err(_) => Box::default(),
    }
}

/// Runs an implemented method.
pub(crate) fn run(method: Method, call: Call<'_>) -> Result {
    match method {
        Method::GetMe => get_me::run(call),
        Method::LogOut => log_out::run(call),
        Method::Close => close::run(call),
    }
}
