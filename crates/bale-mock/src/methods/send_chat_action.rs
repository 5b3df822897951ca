//! `sendChatAction`: the action is checked before the chat
//! (`Bad Request: wrong parameter action in request`); answers `true`.

use bale_api::ApiError;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};

/// The actions tdlib accepts (any case).
const ACTIONS: &[&str] = &[
    "cancel",
    "typing",
    "record_video",
    "upload_video",
    "record_voice",
    "record_audio",
    "upload_voice",
    "upload_audio",
    "upload_photo",
    "upload_document",
    "choose_sticker",
    "find_location",
    "pick_up_location",
    "record_video_note",
    "upload_video_note",
];

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    action: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let known = p
        .action
        .as_deref()
        .is_some_and(|a| ACTIONS.iter().any(|known| known.eq_ignore_ascii_case(a)));
    if !known {
        return Err(ApiError::new(
            400,
            "Bad Request: wrong parameter action in request",
        ));
    }
    access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    done(&true)
}
