//! `deleteChatPhoto`: `Bad Request: can't change private chat photo`, `Bad Request: not
//! enough rights to change chat photo`, and `Bad Request: CHAT_NOT_MODIFIED` when the chat
//! has none (the server's error, passed through); the chat keeps a `delete_chat_photo`
//! service message.

use bale_api::Message;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = group.ok_or_else(|| bad_request("can't change private chat photo"))?;
    manage::require_admin(&group, &call, "not enough rights to change chat photo")?;
    let removed = call
        .world
        .write()
        .chat_mut(target.chat.id)
        .and_then(|group| group.photo.take());
    if removed.is_none() {
        return Err(bad_request("CHAT_NOT_MODIFIED"));
    }
    let content = Message {
        delete_chat_photo: true,
        ..Message::default()
    };
    manage::service_message(&mut call, &target, content);
    done(&true)
}
