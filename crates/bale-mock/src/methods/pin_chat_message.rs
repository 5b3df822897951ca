//! `pinChatMessage`: the chat, then the message (`Bad Request: message to pin not found`);
//! in a group the bot must administer it (`Bad Request: not enough rights to manage pinned
//! messages in the chat`). A group keeps a `pinned_message` service message.

use bale_api::Message;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let chat = target.chat.id;
    let pinned = p
        .message_id
        .and_then(|id| call.state.conversation.message(chat, id))
        .map(|stored| stored.message.clone())
        .ok_or_else(|| bad_request("message to pin not found"))?;
    if let Some(group) = &group {
        manage::require_admin(
            group,
            &call,
            "not enough rights to manage pinned messages in the chat",
        )?;
    }
    call.state.conversation.pin(chat, pinned.message_id);
    if group.is_some() {
        let mut shown = pinned;
        shown.reply_to_message = None;
        let content = Message {
            pinned_message: Some(Box::new(shown)),
            ..Message::default()
        };
        manage::service_message(&mut call, &target, content);
    }
    done(&true)
}
