//! `getMe`: the bot's own User object.

use bale_api::{ApiError, User};
use serde_json::Value;

use super::Call;

pub(super) fn run(call: Call<'_>) -> Result<Value, ApiError> {
    Ok(serde_json::to_value(User::mock_bot(call.bot)).unwrap_or(Value::Null))
}
