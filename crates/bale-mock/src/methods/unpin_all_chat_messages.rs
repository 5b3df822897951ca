//! `unpinAllChatMessages`: every pin of the chat; in a group the bot must administer it.

use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    if let Some(group) = &group {
        manage::require_admin(
            group,
            &call,
            "not enough rights to manage pinned messages in the chat",
        )?;
    }
    call.state.conversation.unpin_all(target.chat.id);
    done(&true)
}
