//! `forwardMessage`: `from_chat_id` is required, the target chat is checked, then the
//! source message (`Bad Request: message to forward not found`); answers the new Message
//! with its `forward_origin` (and the legacy `forward_from`/`forward_date` the real server
//! still writes).

use serde::Deserialize;

use super::copy_message::source;
use super::{Call, Result};
use crate::compose;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    from_chat_id: Option<String>,
    message_id: Option<i64>,
    #[serde(default)]
    protect_content: bool,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, original) = source(
        &call,
        p.chat_id.as_deref(),
        p.from_chat_id.as_deref(),
        p.message_id,
        "forward",
    )?;
    let mut message = original.clone();
    message.reply_to_message = None;
    message.edit_date = None;
    // A message forwarded alone is no longer part of an album.
    message.media_group_id = None;
    message.has_protected_content = p.protect_content;
    if message.forward_origin.is_none() {
        let origin = match (&original.from, &original.sender_chat) {
            (Some(user), _) => serde_json::json!({
                "type": "user", "sender_user": user, "date": original.date,
            }),
            (None, Some(chat)) => serde_json::json!({
                "type": "channel", "chat": chat, "message_id": original.message_id,
                "date": original.date,
            }),
            (None, None) => serde_json::Value::Null,
        };
        message.forward_origin = Some(origin).filter(|o| !o.is_null());
        message.forward_from = original.from.clone();
        message.forward_date = Some(original.date);
    }
    message.from = None;
    message.sender_chat = None;
    compose::send(&mut call, &target, message)
}
