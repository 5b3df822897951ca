//! The message-text model of the Bot API: `parse_mode` parsing, the `entities` parameter,
//! and the normalization and checks the real server applies, so that `sendMessage` and
//! `editMessageText` can answer with exactly the text and entities Telegram's server
//! (tdlib/telegram-bot-api over tdlib) answers with, and fail with its exact errors.
//!
//! The work happens in two steps, as on the real server:
//!
//! 1. [`parse_formatted_text`] (the Bot API layer): the 32768-byte limit, then either the
//!    `parse_mode` markup ([`parse`]) or the `entities` JSON parameter.
//! 2. [`check_text`] / [`check_caption`] (the tdlib layer): control characters become
//!    spaces, `\r` and some invisible characters vanish, entities are made consistent, the
//!    text is trimmed, the entities the server finds itself ([`find_entities`]: mentions,
//!    `/commands`, hashtags, URLs…) are added, and the length limits are checked.
//!
//! [`parse_message_text`] and [`parse_caption`] run both steps. All offsets and lengths
//! count UTF-16 code units.

mod auto;
mod entities_param;
mod fix;
mod html;
mod link;
mod markdown;
mod markdown_v2;
mod model;
mod split;
mod tlds;
mod unicode;
mod unicode_table;
mod url;

use crate::{ApiError, MessageEntity};
use model::Entity;

/// The exact error descriptions of the text checks.
pub mod descriptions {
    /// `text` is absent or empty (sendMessage, editMessageText).
    pub const MESSAGE_TEXT_EMPTY: &str = "Bad Request: message text is empty";
    /// The raw text (or caption) is over [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES) bytes.
    pub const TEXT_TOO_LONG: &str = "Bad Request: text is too long";
    /// Nothing but white space is left after parsing and trimming.
    pub const TEXT_MUST_BE_NON_EMPTY: &str = "Bad Request: text must be non-empty";
    /// The text is over [`MAX_MESSAGE_LENGTH`](super::MAX_MESSAGE_LENGTH) characters.
    pub const MESSAGE_TOO_LONG: &str = "Bad Request: message is too long";
    /// The caption is over [`MAX_CAPTION_LENGTH`](super::MAX_CAPTION_LENGTH) characters.
    pub const CAPTION_TOO_LONG: &str = "Bad Request: message caption is too long";
    /// `parse_mode` is none of `HTML`, `Markdown`, `MarkdownV2` (any case) or `none`.
    pub const UNSUPPORTED_PARSE_MODE: &str = "Bad Request: unsupported parse_mode";
    /// The prefix of every markup error; td's message follows.
    pub const CANT_PARSE_ENTITIES_PREFIX: &str = "Bad Request: can't parse entities: ";
}

/// The most bytes a text or caption may have before parsing.
pub const MAX_TEXT_BYTES: usize = 1 << 15;
/// The most Unicode code points a message text may have after parsing.
pub const MAX_MESSAGE_LENGTH: usize = 4096;
/// The most Unicode code points a caption may have after parsing.
pub const MAX_CAPTION_LENGTH: usize = 1024;

/// A text with its entities, offsets in UTF-16 code units.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormattedText {
    /// The plain text.
    pub text: String,
    /// Its entities, sorted by offset.
    pub entities: Vec<MessageEntity>,
}

/// A text that the server refuses: always a 400, with the exact description.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{description}")]
pub struct TextError {
    description: String,
}

impl TextError {
    /// An error with this exact description.
    pub fn new(description: impl Into<String>) -> TextError {
        TextError {
            description: description.into(),
        }
    }

    /// The error for a tdlib message, worded as telegram-bot-api words it: prefixed with
    /// `Bad Request: `, its first letter lowercased unless the second is upper case or `_`.
    fn from_td(message: &str) -> TextError {
        let bytes = message.as_bytes();
        let keep = bytes.len() >= 2 && (bytes[1] == b'_' || bytes[1].is_ascii_uppercase());
        let mut description = String::from("Bad Request: ");
        match message.chars().next() {
            Some(first) if !keep => {
                description.push(first.to_ascii_lowercase());
                description.push_str(&message[first.len_utf8()..]);
            }
            _ => description.push_str(message),
        }
        TextError { description }
    }

    /// The description, exactly as the server sends it.
    pub fn description(&self) -> &str {
        &self.description
    }
}

impl From<TextError> for ApiError {
    fn from(e: TextError) -> ApiError {
        ApiError::new(400, e.description)
    }
}

fn to_wire(text: String, entities: &[Entity]) -> FormattedText {
    FormattedText {
        text,
        entities: entities.iter().map(Entity::to_message_entity).collect(),
    }
}

/// Parses `text` with `parse_mode` as the Bot API does before handing it to tdlib: the
/// byte limit, then the markup. An absent or empty `parse_mode` (or `none`) leaves the text
/// as it is. The result is not yet trimmed or checked: see [`check_text`].
pub fn parse(text: &str, parse_mode: Option<&str>) -> Result<FormattedText, TextError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(TextError::new(descriptions::TEXT_TOO_LONG));
    }
    let mode = parse_mode.unwrap_or_default().to_ascii_lowercase();
    if text.is_empty() || mode.is_empty() || mode == "none" {
        return Ok(FormattedText {
            text: text.to_string(),
            entities: Vec::new(),
        });
    }
    let parsed = match mode.as_str() {
        "markdown" => markdown::parse_markdown(text),
        "markdownv2" => markdown_v2::parse_markdown_v2(text),
        "html" => html::parse_html(text),
        _ => return Err(TextError::new(descriptions::UNSUPPORTED_PARSE_MODE)),
    };
    match parsed {
        Ok((text, entities)) => Ok(to_wire(text, &entities)),
        Err(message) => Err(TextError::from_td(&format!(
            "Can't parse entities: {message}"
        ))),
    }
}

/// The Bot API's `get_formatted_text`: `parse_mode` when given (the `entities` parameter is
/// then ignored), else the `entities` JSON parameter (see [`check_entities_param`]).
pub fn parse_formatted_text(
    text: &str,
    parse_mode: Option<&str>,
    entities: Option<&str>,
) -> Result<FormattedText, TextError> {
    let mode = parse_mode.unwrap_or_default();
    if text.is_empty() || mode.is_empty() || mode.eq_ignore_ascii_case("none") {
        if text.len() > MAX_TEXT_BYTES {
            return Err(TextError::new(descriptions::TEXT_TOO_LONG));
        }
        let entities = match entities {
            Some(json) => check_entities_param(json)?,
            None => Vec::new(),
        };
        return Ok(FormattedText {
            text: text.to_string(),
            entities,
        });
    }
    parse(text, parse_mode)
}

/// The lenient reading of an `entities` parameter: `None` for invalid JSON or a
/// non-array (the real server silently ignores those), else every element that is a
/// well-formed MessageEntity. [`check_entities_param`] is the exact one.
pub fn parse_entities_param(json: &str) -> Option<Vec<MessageEntity>> {
    entities_param::read_entities_lenient(json)
}

/// The `entities` parameter exactly as the Bot API reads it: invalid JSON or a non-array
/// gives no entities; an element that is not a valid MessageEntity is an error such as
/// `Bad Request: can't parse MessageEntity: Unsupported type specified`. Entities of the
/// kinds the server finds itself (mention, url…) are dropped.
pub fn check_entities_param(json: &str) -> Result<Vec<MessageEntity>, TextError> {
    entities_param::read_entities_param(json).map_err(|m| TextError::from_td(&m))
}

fn check(text: FormattedText, caption: bool) -> Result<FormattedText, TextError> {
    let td_error = |m: String| TextError::from_td(&m);
    let entities = entities_param::to_td_entities(&text.entities).map_err(td_error)?;
    let options = if caption {
        fix::FixOptions::BOT_CAPTION
    } else {
        fix::FixOptions::BOT_TEXT
    };
    let (text, entities) =
        fix::fix_formatted_text(&text.text, entities, options).map_err(td_error)?;
    let entities = split::cap_user_entities(entities);
    let limit = if caption {
        MAX_CAPTION_LENGTH
    } else {
        MAX_MESSAGE_LENGTH
    };
    if text.chars().count() > limit {
        let description = if caption {
            descriptions::CAPTION_TOO_LONG
        } else {
            descriptions::MESSAGE_TOO_LONG
        };
        return Err(TextError::new(description));
    }
    Ok(to_wire(text, &entities))
}

/// What tdlib does to a message text before sending it, and so what the server echoes
/// back: cleaned, entities made consistent, trimmed, the entities the server finds itself
/// added. Fails with `Bad Request: text must be non-empty` if nothing is left, `Bad
/// Request: message is too long` past [`MAX_MESSAGE_LENGTH`] characters, or td's error for
/// an entity that does not fit the text.
pub fn check_text(text: FormattedText) -> Result<FormattedText, TextError> {
    check(text, false)
}

/// [`check_text`] for a caption: an empty (or all white space) caption is allowed and
/// becomes empty; the limit is [`MAX_CAPTION_LENGTH`] (`Bad Request: message caption is too
/// long`).
pub fn check_caption(text: FormattedText) -> Result<FormattedText, TextError> {
    check(text, true)
}

/// The whole of `sendMessage`/`editMessageText`'s text handling: `text` (empty when
/// absent), `parse_mode` and the `entities` JSON parameter, to the text and entities the
/// server sends back, or the exact error.
pub fn parse_message_text(
    text: &str,
    parse_mode: Option<&str>,
    entities: Option<&str>,
) -> Result<FormattedText, TextError> {
    if text.is_empty() {
        return Err(TextError::new(descriptions::MESSAGE_TEXT_EMPTY));
    }
    check_text(parse_formatted_text(text, parse_mode, entities)?)
}

/// The whole of a caption's handling (`caption`, `parse_mode`, `caption_entities`); an
/// absent caption is passed as empty and gives an empty text.
pub fn parse_caption(
    caption: &str,
    parse_mode: Option<&str>,
    caption_entities: Option<&str>,
) -> Result<FormattedText, TextError> {
    check_caption(parse_formatted_text(caption, parse_mode, caption_entities)?)
}

/// The entities the server finds by itself in a plain text: `mention`, `bot_command`,
/// `hashtag`, `cashtag`, `bank_card_number`, `url` (with `tg://` links) and `email`, by
/// tdlib's rules.
pub fn find_entities(text: &str) -> Vec<MessageEntity> {
    auto::find_entities(text, false)
        .iter()
        .map(Entity::to_message_entity)
        .collect()
}

/// The length of `text` in UTF-16 code units, the unit of entity offsets.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests;
