//! `unpinChatMessage`: the given message, or the newest pin without `message_id`;
//! `Bad Request: message to unpin not found` when it is not pinned (or there is none).

use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let chat = target.chat.id;
    let message = p.message_id.filter(|id| *id > 0);
    if message.is_some_and(|id| call.state.conversation.message(chat, id).is_none()) {
        return Err(bad_request("message to unpin not found"));
    }
    if let Some(group) = &group {
        manage::require_admin(
            group,
            &call,
            "not enough rights to manage pinned messages in the chat",
        )?;
    }
    call.state
        .conversation
        .unpin(chat, message)
        .ok_or_else(|| bad_request("message to unpin not found"))?;
    done(&true)
}
