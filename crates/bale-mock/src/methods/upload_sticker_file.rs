//! `uploadStickerFile`: `user_id` first, then the file — an upload only (`sticker`, or the
//! older `png_sticker`) — and the user; answers the File, as `getFile` shows it.

use serde::Deserialize;

use super::upload::{self, Input};
use super::{done, sticker_input, Call, Result};
use crate::files::FileKind;
use crate::manage::bad_request;
use crate::members;

#[derive(Deserialize)]
pub(super) struct Params {
    user_id: Option<String>,
    sticker_format: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    if let Some(format) = p.sticker_format.as_deref() {
        if !["static", "animated", "video", "auto"].contains(&format) {
            return Err(bad_request("invalid sticker format specified"));
        }
    }
    let upload = match upload::input(call.request, "sticker")
        .or_else(|| upload::input(call.request, "png_sticker"))
    {
        Some(Input::Upload(upload)) => upload,
        Some(Input::Id(_)) => return Err(bad_request("sticker must be uploaded as an InputFile")),
        None => return Err(bad_request("there is no sticker file in the request")),
    };
    sticker_input::check_user(&call, user_id)?;
    let file = upload::store(&call, upload, FileKind::Sticker);
    done(&bale_api::File {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: u64::try_from(file.size).ok(),
        file_path: Some(file.file_path),
    })
}
