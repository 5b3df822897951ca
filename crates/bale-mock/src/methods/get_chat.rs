//! `getChat`: the full information on a chat the bot can see (`ChatFullInfo`): the chat's
//! own fields, then the full-info ones the real server always writes.

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
    let mut info = serde_json::to_value(&target.chat).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut info {
        if let Some(description) = call
            .world
            .read()
            .chat(target.chat.id)
            .and_then(|group| group.description.clone())
        {
            fields.insert("description".into(), Value::String(description));
        }
        // tdlib writes these for every chat, in this order, after the type's own fields.
        fields.insert(
            "accepted_gift_types".into(),
            json!({"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
                   "premium_subscription": false, "gifts_from_channels": false}),
        );
        fields.insert("max_reaction_count".into(), json!(11));
        fields.insert(
            "accent_color_id".into(),
            json!(target.chat.id.rem_euclid(7)),
        );
    }
    done(&info)
}
