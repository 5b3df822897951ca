//! What the send-a-file methods share: finding the file a request names, and sending it in
//! the real server's order — the file's presence, the caption, the reply markup, the chat,
//! the message replied to, and only then whether a `file_id` names a file (tdlib checks
//! that last, when it sends).
//!
//! A file is named as tdlib's `get_input_file` reads it: the field's text value, where
//! `attach://<name>` names a multipart part and anything else is a `file_id` (or a URL,
//! which the mock never fetches: `wrong file identifier/HTTP URL specified`); without a text
//! value, a multipart part named like the field.

use bale_api::{ApiError, Message};
use serde::Deserialize;

use super::{Call, Result};
use crate::access::{self, Need};
use crate::files::{FileInfo, FileKind, NewFile};
use crate::request::{Params as RequestParams, Upload};
use crate::{compose, markup, media};

/// The largest file a bot may upload (the Bot API's documented 50 MB for a bot's uploads).
pub(crate) const MAX_UPLOAD_LEN: usize = 50 << 20;

/// tdlib's `MAX_DURATION`: durations are clamped to a day.
const MAX_DURATION: i64 = 24 * 60 * 60;

/// tdlib's `MAX_LENGTH`: widths and heights are clamped to 10000.
const MAX_LENGTH: i64 = 10_000;

/// The file a request names, before it is looked up or kept.
pub(super) enum Input<'p> {
    /// A multipart part.
    Upload(&'p Upload),
    /// A `file_id` or a URL.
    Id(String),
}

/// tdlib `get_input_file(query, field)`: the field's text value, else a part named `field`.
pub(super) fn input<'p>(request: &'p RequestParams, field: &str) -> Option<Input<'p>> {
    input_from(request, field, request.text(field).unwrap_or_default())
}

/// tdlib `get_input_file(query, field, text)`: `attach://<name>` names a part, other text is
/// a `file_id`; no text, the part named `field`.
pub(super) fn input_from<'p>(
    request: &'p RequestParams,
    field: &str,
    text: &str,
) -> Option<Input<'p>> {
    let part = match text.strip_prefix("attach://") {
        Some(name) => name,
        None if text.is_empty() => field,
        None => return Some(Input::Id(text.to_owned())),
    };
    request.file(part).map(Input::Upload)
}

/// `Bad Request: there is no <what> in the request`.
pub(super) fn missing(what: &str) -> ApiError {
    ApiError::new(
        400,
        format!("Bad Request: there is no {what} in the request"),
    )
}

/// `Bad Request: wrong file identifier/HTTP URL specified`.
pub(super) fn wrong_file_identifier() -> ApiError {
    ApiError::new(400, "Bad Request: wrong file identifier/HTTP URL specified")
}

/// An upload over [`MAX_UPLOAD_LEN`] is refused as the real server refuses it.
pub(super) fn check_size(input: &Input<'_>) -> std::result::Result<(), ApiError> {
    match input {
        Input::Upload(upload) if upload.bytes.len() > MAX_UPLOAD_LEN => {
            Err(ApiError::new(413, "Request Entity Too Large"))
        }
        _ => Ok(()),
    }
}

/// The file the bot sends as `kind`: an upload is kept in the store for this bot; a
/// `file_id` must name a file this bot has, of a kind that can be sent as `kind`.
pub(super) fn keep(
    call: &Call<'_>,
    input: Input<'_>,
    kind: FileKind,
) -> std::result::Result<FileInfo, ApiError> {
    match input {
        Input::Upload(upload) => Ok(store(call, upload, kind)),
        Input::Id(id) => find(call, &id, kind),
    }
}

/// Keeps an upload in the store for this bot, as `kind`.
pub(super) fn store(call: &Call<'_>, upload: &Upload, kind: FileKind) -> FileInfo {
    let dimensions = if kind == FileKind::Photo {
        media::photo_size(&upload.bytes)
    } else {
        (0, 0)
    };
    let mime_type = match kind {
        FileKind::Photo => None,
        _ => media::mime_type(&upload.file_name, upload.content_type.as_deref()),
    };
    call.files.put(
        call.bot,
        NewFile {
            kind,
            file_name: Some(upload.file_name.clone()).filter(|n| !n.is_empty()),
            mime_type,
            dimensions,
            bytes: upload.bytes.clone(),
        },
    )
}

/// The file `id` names, if this bot has it and it can be sent as `kind`.
pub(super) fn find(
    call: &Call<'_>,
    id: &str,
    kind: FileKind,
) -> std::result::Result<FileInfo, ApiError> {
    let file = call
        .files
        .find(call.bot, id)
        .map_err(|_| wrong_file_identifier())?;
    if !file.kind.fits(kind) {
        return Err(ApiError::new(
            400,
            format!(
                "Bad Request: can't use file of type {} as {}",
                file.kind.td_name(),
                kind.td_name()
            ),
        ));
    }
    Ok(file)
}

/// A duration parameter, clamped like tdlib's `get_integer_arg`.
pub(super) fn duration(value: Option<i64>) -> u32 {
    u32::try_from(value.unwrap_or(0).clamp(0, MAX_DURATION)).unwrap_or(0)
}

/// A width or height parameter, clamped like tdlib's `get_integer_arg`.
pub(super) fn length(value: Option<i64>) -> u32 {
    u32::try_from(value.unwrap_or(0).clamp(0, MAX_LENGTH)).unwrap_or(0)
}

/// The parameters every send-a-file method reads, with each kind's own extras.
#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
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
    /// Audio, video, voice, animation.
    pub duration: Option<i64>,
    /// Video, animation.
    pub width: Option<i64>,
    /// Video, animation.
    pub height: Option<i64>,
    /// Audio.
    pub title: Option<String>,
    /// Audio.
    pub performer: Option<String>,
    /// Sticker.
    pub emoji: Option<String>,
}

/// How one method sends its file.
pub(super) struct Sending {
    /// The parameter (and default part) that names the file: `photo`, `document`, …
    pub field: &'static str,
    /// What it is kept as.
    pub kind: FileKind,
    /// Whether the method takes a caption (a sticker does not).
    pub captioned: bool,
}

/// Sends the file `sending.field` names as a new message, `fill` putting it in.
pub(super) fn send(
    mut call: Call<'_>,
    p: Params,
    sending: Sending,
    fill: impl FnOnce(&mut Message, &FileInfo, &Params),
) -> Result {
    let request = call.request;
    let input = input(request, sending.field).ok_or_else(|| missing(sending.field))?;
    check_size(&input)?;
    let caption = match p
        .caption
        .as_deref()
        .filter(|c| sending.captioned && !c.is_empty())
    {
        Some(caption) => Some(compose::format(
            caption,
            p.parse_mode.as_deref(),
            p.caption_entities.as_deref(),
            true,
        )?),
        None => None,
    };
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    let file = keep(&call, input, sending.kind)?;
    let (caption, caption_entities) =
        caption.map_or((None, Vec::new()), |c| (Some(c.text), c.entities));
    let mut message = Message {
        reply_to_message,
        caption,
        caption_entities,
        reply_markup,
        has_protected_content: p.protect_content,
        ..Message::default()
    };
    fill(&mut message, &file, &p);
    compose::send(&mut call, &target, message)
}
