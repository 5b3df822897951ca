//! `close`: answers `true` and closes the instance, except in the first 10 minutes after a
//! launch that came more than 10 minutes after server start, when it answers
//! `429 Too Many Requests: retry after N` with N the seconds left (tdlib `Client::on_cmd`:
//! the seconds are truncated, and 0 left means success). A scenario's `closing_seconds`
//! keep the instance closing (answering `500 restart`) for a while.

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::state::{Instance, CLOSE_GRACE};

#[derive(Deserialize)]
pub(super) struct Params {}

pub(super) fn run(call: Call<'_>, _: Params) -> Result {
    // A closing TDLib answers close with ok and goes on closing.
    if matches!(call.state.instance, Some(Instance::Closing { .. })) {
        return done(&true);
    }
    if call.launched_at > CLOSE_GRACE {
        let age = call.now.saturating_sub(call.launched_at);
        let retry_after = CLOSE_GRACE.saturating_sub(age).as_secs();
        if retry_after > 0 {
            return Err(ApiError::too_many_requests(retry_after));
        }
    }
    call.state.instance = Some(if call.closing.is_zero() {
        Instance::Closed
    } else {
        Instance::Closing {
            until: call.now.saturating_add(call.closing),
        }
    });
    done(&true)
}
