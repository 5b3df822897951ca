//! `copyMessage`: like `forwardMessage`, but the copy has no link to the original, may get a
//! new caption and markup, and the answer is only its `MessageId`.

use bale_api::{ApiError, Message, MessageId};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need, Target};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    from_chat_id: Option<String>,
    message_id: Option<i64>,
    caption: Option<String>,
    parse_mode: Option<String>,
    caption_entities: Option<String>,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<String>,
    #[serde(default)]
    allow_sending_without_reply: bool,
    reply_markup: Option<String>,
    #[serde(default)]
    protect_content: bool,
}

/// The target chat and the message to forward or copy (`what` is "forward" or "copy").
pub(super) fn source(
    call: &Call<'_>,
    chat_id: Option<&str>,
    from_chat_id: Option<&str>,
    message_id: Option<i64>,
    what: &str,
) -> std::result::Result<(Target, Message), ApiError> {
    let from_chat_id = from_chat_id
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::new(400, "Bad Request: parameter \"from_chat_id\" is required"))?;
    // tdlib's order: the source chat and message, then the target chat.
    let from = access::resolve(call, Some(from_chat_id), Need::Read)?;
    let not_found = || ApiError::new(400, format!("Bad Request: message to {what} not found"));
    let id = message_id.filter(|id| *id > 0).ok_or_else(not_found)?;
    let original = call
        .state
        .conversation
        .message(from.chat.id, id)
        .ok_or_else(not_found)?
        .message
        .clone();
    let target = access::resolve(call, chat_id, Need::Write)?;
    if original.has_protected_content {
        return Err(ApiError::new(
            400,
            "Bad Request: message has protected content and can't be forwarded",
        ));
    }
    Ok((target, original))
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let (target, original) = source(
        &call,
        p.chat_id.as_deref(),
        p.from_chat_id.as_deref(),
        p.message_id,
        "copy",
    )?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    let mut message = Message {
        text: original.text.clone(),
        entities: original.entities.clone(),
        caption: original.caption.clone(),
        caption_entities: original.caption_entities.clone(),
        animation: original.animation.clone(),
        audio: original.audio.clone(),
        document: original.document.clone(),
        photo: original.photo.clone(),
        sticker: original.sticker.clone(),
        video: original.video.clone(),
        voice: original.voice.clone(),
        contact: original.contact.clone(),
        location: original.location.clone(),
        reply_to_message,
        reply_markup,
        has_protected_content: p.protect_content,
        ..Message::default()
    };
    if let Some(caption) = p.caption.as_deref() {
        // Stickers, like text, locations and contacts, have no caption.
        let is_media = message.text.is_none()
            && message.location.is_none()
            && message.contact.is_none()
            && message.sticker.is_none();
        if is_media {
            if caption.is_empty() {
                message.caption = None;
                message.caption_entities = Vec::new();
            } else {
                let formatted = compose::format(
                    caption,
                    p.parse_mode.as_deref(),
                    p.caption_entities.as_deref(),
                    true,
                )?;
                message.caption = Some(formatted.text);
                message.caption_entities = formatted.entities;
            }
        }
    }
    let sent = compose::post(&mut call, &target, message);
    done(&MessageId {
        message_id: sent.message_id,
    })
}
