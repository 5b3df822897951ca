//! `logOut`: answers `true` and locks the bot out for
//! [`LOG_OUT_LOCKOUT`](crate::state::LOG_OUT_LOCKOUT); meanwhile every request is
//! `400 Logged out` (the real server's closing error, extended to the cloud's 10 minutes).

use super::{raw, Call, Result};
use crate::state::{Instance, LOG_OUT_LOCKOUT};

pub(super) fn run(call: Call<'_>) -> Result {
    *call.instance = Some(Instance::LoggedOut {
        until: call.now + LOG_OUT_LOCKOUT,
    });
    Ok(raw(&true))
}
