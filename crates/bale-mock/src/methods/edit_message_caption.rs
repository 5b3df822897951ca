//! `editMessageCaption`: only a message that can have a caption (a media message) can be
//! edited; a text message answers `Bad Request: there is no caption in the message to edit`.

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
    inline_message_id: Option<String>,
    caption: Option<String>,
    parse_mode: Option<String>,
    caption_entities: Option<String>,
    reply_markup: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let caption = p.caption.as_deref().unwrap_or_default();
    let formatted = if caption.is_empty() {
        None
    } else {
        Some(compose::format(
            caption,
            p.parse_mode.as_deref(),
            p.caption_entities.as_deref(),
            true,
        )?)
    };
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let (_, mut message) = compose::editable(
        &call,
        p.chat_id.as_deref(),
        p.message_id,
        p.inline_message_id.as_deref(),
    )?;
    // Text, locations, contacts and stickers cannot have captions.
    if message.text.is_some()
        || message.location.is_some()
        || message.contact.is_some()
        || message.sticker.is_some()
    {
        return Err(ApiError::new(
            400,
            "Bad Request: there is no caption in the message to edit",
        ));
    }
    let (text, entities) = formatted.map_or((None, Vec::new()), |f| (Some(f.text), f.entities));
    if message.caption == text
        && message.caption_entities == entities
        && message.reply_markup == reply_markup
    {
        return Err(compose::not_modified());
    }
    message.caption = text;
    message.caption_entities = entities;
    message.reply_markup = reply_markup;
    done(&compose::save_edit(&mut call, message))
}
