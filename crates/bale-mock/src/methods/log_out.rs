//! `logOut`: answers `true` and locks the bot out for
//! [`LOG_OUT_LOCKOUT`](crate::state::LOG_OUT_LOCKOUT); meanwhile every request is
//! `400 Logged out` (the real server's closing error, extended to the cloud's 10 minutes).

use bale_api::ApiError;
use serde_json::Value;

use super::Call;
use crate::state::{Instance, LOG_OUT_LOCKOUT};

pub(super) fn run(call: Call<'_>) -> Result<Value, ApiError> {
    *call.instance = Some(Instance::LoggedOut {
        until: call.now + LOG_OUT_LOCKOUT,
    });
    Ok(Value::Bool(true))
}
