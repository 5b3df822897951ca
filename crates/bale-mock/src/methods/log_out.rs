//! `logOut`: answers `true`, forgets the pending updates and the webhook (as tdlib does with
//! `clear_tqueue`), and locks the bot out for
//! [`LOG_OUT_LOCKOUT`](crate::state::LOG_OUT_LOCKOUT); meanwhile every request is
//! `400 Logged out` (the real server's closing error, extended to the cloud's 10 minutes).

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::state::{Instance, LOG_OUT_LOCKOUT};

#[derive(Deserialize)]
pub(super) struct Params {}

pub(super) fn run(call: Call<'_>, _: Params) -> Result {
    call.state.instance = Some(Instance::LoggedOut {
        until: call.now.saturating_add(LOG_OUT_LOCKOUT),
    });
    let conversation = &mut call.state.conversation;
    conversation.inbox.end_poll(ApiError::logged_out());
    conversation.log_out();
    done(&true)
}
