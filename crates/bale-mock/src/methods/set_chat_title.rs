//! `setChatTitle`: the title is cleaned as tdlib cleans it (trimmed, at most 128
//! characters); then `Bad Request: title must be non-empty`, `Bad Request: can't change
//! private chat title`, `Bad Request: not enough rights to change chat title`. The chat
//! keeps a `new_chat_title` service message.

use bale_api::Message;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};

/// tdlib's `MAX_TITLE_LENGTH`.
const MAX_TITLE_CHARS: usize = 128;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    #[serde(default)]
    title: String,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let title: String = p.title.trim().chars().take(MAX_TITLE_CHARS).collect();
    let title = title.trim_end().to_owned();
    if title.is_empty() {
        return Err(bad_request("title must be non-empty"));
    }
    let group = group.ok_or_else(|| bad_request("can't change private chat title"))?;
    manage::require_admin(&group, &call, "not enough rights to change chat title")?;
    let mut changed = target.clone();
    {
        let mut directory = call.world.write();
        if let Some(group) = directory.chat_mut(target.chat.id) {
            group.chat.title = Some(title.clone());
            changed.chat = group.chat.clone();
        }
    }
    let content = Message {
        new_chat_title: Some(title),
        ..Message::default()
    };
    manage::service_message(&mut call, &changed, content);
    done(&true)
}
