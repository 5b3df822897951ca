//! `editMessageText`: the text is checked first, then the reply markup, then which message;
//! only the bot's own text messages can be edited, and an edit must change something.

use bale_api::ApiError;
use serde::Deserialize;

use super::send_message::text_empty;
use super::{done, Call, Result};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
    inline_message_id: Option<String>,
    text: Option<String>,
    parse_mode: Option<String>,
    entities: Option<String>,
    reply_markup: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let text = p
        .text
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(text_empty)?;
    let formatted = compose::format(text, p.parse_mode.as_deref(), p.entities.as_deref(), false)?;
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let (_, mut message) = compose::editable(
        &call,
        p.chat_id.as_deref(),
        p.message_id,
        p.inline_message_id.as_deref(),
    )?;
    if message.text.is_none() {
        return Err(ApiError::new(
            400,
            "Bad Request: there is no text in the message to edit",
        ));
    }
    if message.text.as_deref() == Some(formatted.text.as_str())
        && message.entities == formatted.entities
        && message.reply_markup == reply_markup
    {
        return Err(compose::not_modified());
    }
    message.text = Some(formatted.text);
    message.entities = formatted.entities;
    message.reply_markup = reply_markup;
    done(&compose::save_edit(&mut call, message))
}
