//! `getChat`: the full information on a chat the bot can see (`ChatFullInfo`): the chat's
//! own fields, then the full-info ones the real server always writes, with the chat's
//! `photo` and the bot's newest `pinned_message` where there are.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{done, Call, Result};
use crate::access::{self, Need};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    let group = call.world.read().chat(target.chat.id).cloned();
    let pinned = call
        .state
        .conversation
        .pinned(target.chat.id)
        .and_then(|id| call.state.conversation.message(target.chat.id, id))
        .map(|stored| {
            let mut message = stored.message.clone();
            message.reply_to_message = None;
            message
        });
    let mut info = serde_json::to_value(&target.chat).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut info {
        if let Some(description) = group.as_ref().and_then(|g| g.description.clone()) {
            fields.insert("description".into(), Value::String(description));
        }
        // tdlib writes these for every chat, in this order, after the type's own fields.
        fields.insert(
            "accepted_gift_types".into(),
            json!({"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
                   "premium_subscription": false, "gifts_from_channels": false}),
        );
        if let Some(photo) = group.as_ref().and_then(|g| g.photo.as_ref()) {
            // One size kept: the small and the big photo are the same file.
            fields.insert(
                "photo".into(),
                json!({"small_file_id": photo.file_id, "small_file_unique_id": photo.file_unique_id,
                       "big_file_id": photo.file_id, "big_file_unique_id": photo.file_unique_id}),
            );
        }
        if let Some(pinned) = pinned {
            fields.insert(
                "pinned_message".into(),
                serde_json::to_value(pinned).unwrap_or(Value::Null),
            );
        }
        fields.insert("max_reaction_count".into(), json!(11));
        fields.insert(
            "accent_color_id".into(),
            json!(target.chat.id.rem_euclid(7)),
        );
    }
    done(&info)
}
