//! `getFile`: the File a `file_id` of this bot names, with the `file_path` to download it
//! by. Checked as tdlib checks it: an empty id, one that does not decode, one that names no
//! file of this bot (never was, another bot's, or forgotten by the store), then the 20 MiB
//! download limit.

use bale_api::{ApiError, File};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::files::{FileError, MAX_DOWNLOAD_LEN};

#[derive(Deserialize)]
pub(super) struct Params {
    file_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let file_id = p.file_id.as_deref().unwrap_or_default();
    if file_id.is_empty() {
        return Err(ApiError::new(400, "Bad Request: file_id not specified"));
    }
    let file = call
        .files
        .find(call.bot, file_id)
        .map_err(|error| match error {
            FileError::Invalid => ApiError::new(400, "Bad Request: invalid file_id"),
            FileError::Unavailable => ApiError::new(
                400,
                "Bad Request: wrong file_id or the file is temporarily unavailable",
            ),
        })?;
    if file.size > MAX_DOWNLOAD_LEN {
        return Err(ApiError::new(400, "Bad Request: file is too big"));
    }
    done(&File {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: u64::try_from(file.size).ok().filter(|s| *s > 0),
        file_path: Some(file.file_path),
    })
}
