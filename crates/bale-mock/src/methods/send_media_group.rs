//! `sendMediaGroup`: an album of photos, videos, audio files or documents, each an
//! InputMedia of the `media` JSON array naming its file by `attach://<part>` or `file_id`.
//! Answers the sent Messages, which share a `media_group_id`.
//!
//! Checked in the real server's order (tdlib/telegram-bot-api `get_input_message_contents`,
//! then tdlib's `send_message_group`): `media` present, JSON, an array; each item an object
//! with its caption, a file and a type usable in an album; then the chat and the message
//! replied to; then the count (1 to 10; tdlib takes an album of one); and last whether each
//! `file_id` names a file of this bot.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use bale_api::{ApiError, Message};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::upload::{self, Input};
use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::files::FileKind;
use crate::request::Params as RequestParams;
use crate::{compose, media};

/// tdlib's `MAX_GROUPED_MESSAGES`.
const MAX_ALBUM: usize = 10;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    media: Option<String>,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<String>,
    #[serde(default)]
    allow_sending_without_reply: bool,
    #[serde(default)]
    protect_content: bool,
}

/// One InputMedia, read.
struct Item<'p> {
    kind: FileKind,
    input: Input<'p>,
    caption: Option<bale_api::text::FormattedText>,
    duration: u32,
    size: (u32, u32),
    title: Option<String>,
    performer: Option<String>,
}

fn bad_request(text: impl std::fmt::Display) -> ApiError {
    ApiError::new(400, format!("Bad Request: {text}"))
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let request = call.request;
    let media = p
        .media
        .as_deref()
        .filter(|m| !m.is_empty())
        .ok_or_else(|| bad_request("parameter \"media\" is required"))?;
    let value: Value =
        serde_json::from_str(media).map_err(|_| bad_request("can't parse media JSON object"))?;
    let Value::Array(values) = value else {
        return Err(bad_request("expected an Array of InputMedia"));
    };
    let mut items = Vec::with_capacity(values.len().min(MAX_ALBUM + 1));
    for value in &values {
        let item = read_item(request, value)
            .map_err(|e| bad_request(format!("can't parse InputMedia: {e}")))?;
        upload::check_size(&item.input)?;
        items.push(item);
    }
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    if items.len() > MAX_ALBUM {
        return Err(bad_request("too many messages to send as an album"));
    }
    if items.is_empty() {
        return Err(bad_request("there are no messages to send"));
    }
    // Every file_id is checked before anything is kept or sent: an album goes out whole or
    // not at all.
    let mut found = Vec::with_capacity(items.len());
    for item in &items {
        found.push(match &item.input {
            Input::Id(id) => Some(upload::find(&call, id, item.kind)?),
            Input::Upload(_) => None,
        });
    }
    let mut sent = Vec::with_capacity(items.len());
    for (item, found) in items.into_iter().zip(found) {
        let file = match (found, &item.input) {
            (Some(file), _) => file,
            (None, Input::Upload(part)) => upload::store(&call, part, item.kind),
            (None, Input::Id(id)) => upload::find(&call, id, item.kind)?,
        };
        let (caption, caption_entities) = item
            .caption
            .map_or((None, Vec::new()), |c| (Some(c.text), c.entities));
        let mut message = Message {
            reply_to_message: reply_to_message.clone(),
            caption,
            caption_entities,
            has_protected_content: p.protect_content,
            ..Message::default()
        };
        match item.kind {
            FileKind::Photo => message.photo = media::photo(&file),
            FileKind::Video => message.video = Some(media::video(&file, item.duration, item.size)),
            FileKind::Audio => {
                message.audio = Some(media::audio(
                    &file,
                    item.duration,
                    item.title,
                    item.performer,
                ));
            }
            _ => message.document = Some(media::document(&file)),
        }
        sent.push(compose::post(&mut call, &target, message));
    }
    let album = album_id(
        call.bot,
        target.chat.id,
        sent.first().map_or(0, |m| m.message_id),
    );
    for message in &mut sent {
        message.media_group_id = Some(album.clone());
        if let Some(stored) = call
            .state
            .conversation
            .message_mut(target.chat.id, message.message_id)
        {
            stored.message.media_group_id = Some(album.clone());
        }
    }
    done(&sent)
}

/// A decimal album id, the same for the same bot, chat and first message (so a run is
/// reproducible), different for any other album.
fn album_id(bot: i64, chat: i64, first_message: i64) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (bot, chat, first_message).hash(&mut hasher);
    (hasher.finish() >> 1).to_string()
}

/// tdlib `get_input_media(query, value, for_album = true)`, with its error texts.
fn read_item<'p>(
    request: &'p RequestParams,
    value: &'p Value,
) -> std::result::Result<Item<'p>, String> {
    let Value::Object(object) = value else {
        return Err("expected an Object".into());
    };
    let caption = optional_string(object, "caption")?;
    let parse_mode = optional_string(object, "parse_mode")?;
    let entities = object
        .get("caption_entities")
        .filter(|v| !v.is_null())
        .map(Value::to_string);
    let caption = match caption.filter(|c| !c.is_empty()) {
        Some(caption) => Some(
            compose::format(&caption, parse_mode.as_deref(), entities.as_deref(), true)
                .map_err(|e| inner_error(&e))?,
        ),
        None => None,
    };
    let kind = match object.get("type") {
        None => return Err("Can't find field \"type\"".into()),
        Some(Value::String(kind)) => kind.as_str(),
        Some(_) => return Err("Field \"type\" must be of type String".into()),
    };
    let media = optional_string(object, "media")?.unwrap_or_default();
    let input = upload::input_from(request, "", &media).ok_or("media not found")?;
    let kind = match kind {
        "photo" => FileKind::Photo,
        "video" => FileKind::Video,
        "audio" => FileKind::Audio,
        "document" => FileKind::Document,
        "animation" => return Err(format!("type \"{kind}\" can't be used in sendMediaGroup")),
        other => return Err(format!("type \"{other}\" is unsupported")),
    };
    let integer = |name: &str| object.get(name).and_then(Value::as_i64);
    let text = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Ok(Item {
        kind,
        input,
        caption,
        duration: upload::duration(integer("duration")),
        size: (
            upload::length(integer("width")),
            upload::length(integer("height")),
        ),
        title: text("title"),
        performer: text("performer"),
    })
}

/// td's `get_optional_string_field`: a string, a number's text, or an error for any other
/// type; absent is `None`.
fn optional_string<'v>(
    object: &'v Map<String, Value>,
    name: &str,
) -> std::result::Result<Option<Cow<'v, str>>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(Cow::Borrowed(text))),
        Some(Value::Number(number)) => Ok(Some(Cow::Owned(number.to_string()))),
        Some(_) => Err(format!("Field \"{name}\" must be of type String")),
    }
}

/// A caption's error as tdlib words it inside `can't parse InputMedia: …`: without the
/// `Bad Request: ` prefix, capitalised.
fn inner_error(error: &ApiError) -> String {
    let text = error
        .description
        .strip_prefix("Bad Request: ")
        .unwrap_or(&error.description);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
