//! `deleteMessage`: `chat_id` absent is `Bad Request: chat identifier is not specified`
//! (not "chat_id is empty"), `message_id` absent is `…message identifier is not specified`,
//! a message that is gone is `…message to delete not found`. In private chats a bot may
//! delete any message; in groups, others' messages only as an administrator.

use bale_api::{ApiError, ChatType};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::conversation::Sender;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    if p.chat_id.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::new(
            400,
            "Bad Request: chat identifier is not specified",
        ));
    }
    let id = p
        .message_id
        .filter(|id| *id != 0)
        .ok_or_else(|| ApiError::new(400, "Bad Request: message identifier is not specified"))?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    let not_found = || ApiError::new(400, "Bad Request: message to delete not found");
    let conversation = &mut call.state.conversation;
    let stored = conversation
        .message_mut(target.chat.id, id)
        .ok_or_else(not_found)?;
    let is_admin = target.standing.is_some_and(|s| s.is_admin());
    if target.chat.kind != ChatType::Private && stored.sender != Sender::Bot && !is_admin {
        return Err(ApiError::new(400, "Bad Request: message can't be deleted"));
    }
    stored.deleted = true;
    conversation.touch();
    done(&true)
}
