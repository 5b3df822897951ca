//! `answerCallbackQuery`: answers a query the bot was sent (once; later answers are
//! refused, as the real server refuses them), recording the answer for the control API.
//! An unknown or expired id is `Bad Request: query is too old and response timeout expired
//! or query ID is invalid`; a query expires 150 s after it was sent, on the server clock.

use std::time::Duration;

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::conversation::CallbackAnswer;

#[derive(Deserialize)]
pub(super) struct Params {
    callback_query_id: Option<String>,
    text: Option<String>,
    #[serde(default)]
    show_alert: bool,
    url: Option<String>,
    cache_time: Option<i64>,
}

/// How long a callback query can be answered.
const ANSWER_WINDOW: Duration = Duration::from_secs(150);

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let invalid = || {
        ApiError::new(
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    };
    let id = p.callback_query_id.unwrap_or_default();
    let now = call.now;
    let record = call.state.conversation.query_mut(&id).ok_or_else(invalid)?;
    if record.answered || now.saturating_sub(record.sent_at) > ANSWER_WINDOW {
        return Err(invalid());
    }
    if p.text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::new(400, "Bad Request: MESSAGE_TOO_LONG"));
    }
    record.answered = true;
    record.answer = Some(CallbackAnswer {
        text: p.text.filter(|t| !t.is_empty()),
        show_alert: p.show_alert,
        url: p.url.filter(|u| !u.is_empty()),
        cache_time: p.cache_time.unwrap_or(0),
    });
    call.state.conversation.touch();
    done(&true)
}
