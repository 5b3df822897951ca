//! `askReview` (Bale only): asks a user to review the bot, after `delay_seconds`; answers
//! `true`. Known from Balethon (`ask_review(user_id, delay_seconds=0)`, result `bool`).
//! Bale's checks are not known; the mock assumes the user must be one the bot may write
//! to, and answers as `sendMessage` to that user would fail: `Bad Request: invalid user_id
//! specified` for a malformed id, `Bad Request: chat not found` for an unknown user,
//! `Forbidden: bot can't initiate conversation with a user` for a user who never wrote.

use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::members;

#[derive(Deserialize)]
pub(super) struct Params {
    user_id: Option<String>,
    // `delay_seconds` is not read: the mock shows no review prompt.
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let user = members::user_id(p.user_id.as_deref())?;
    access::resolve(&call, Some(&user.to_string()), Need::Write)?;
    done(&true)
}
