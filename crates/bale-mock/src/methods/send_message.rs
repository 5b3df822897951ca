//! `sendMessage`: checks in the real server's order — text, reply parameters, reply
//! markup, then the chat and the message replied to — and answers the sent Message.

use bale_api::{ApiError, Message};
use serde::Deserialize;

use super::{Call, Result};
use crate::access::{self, Need};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    text: Option<String>,
    parse_mode: Option<String>,
    entities: Option<String>,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<String>,
    #[serde(default)]
    allow_sending_without_reply: bool,
    reply_markup: Option<String>,
    #[serde(default)]
    protect_content: bool,
}

/// `Bad Request: message text is empty`.
pub(crate) fn text_empty() -> ApiError {
    ApiError::new(400, "Bad Request: message text is empty")
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let text = p
        .text
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(text_empty)?;
    let formatted = compose::format(text, p.parse_mode.as_deref(), p.entities.as_deref(), false)?;
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    let message = Message {
        reply_to_message,
        text: Some(formatted.text),
        entities: formatted.entities,
        reply_markup,
        has_protected_content: p.protect_content,
        ..Message::default()
    };
    compose::send(&mut call, &target, message)
}
