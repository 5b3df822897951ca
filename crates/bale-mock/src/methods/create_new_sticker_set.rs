//! `createNewStickerSet`: `user_id`, then the stickers (see `sticker_input`), then the user,
//! then `Bad Request: sticker set title must be non-empty`, `… name must be non-empty`,
//! `invalid sticker set name is specified` (letters, digits and underscores, starting with
//! a letter, at most 64), `sticker set name is already occupied`.

use serde::Deserialize;

use super::{done, sticker_input, Call, Result};
use crate::manage::bad_request;
use crate::members;
use crate::stickers::StickerSet;

#[derive(Deserialize)]
pub(super) struct Params {
    user_id: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let stickers = sticker_input::many(&call)?;
    sticker_input::check_user(&call, user_id)?;
    let title: String = p.title.trim().chars().take(64).collect();
    if title.is_empty() {
        return Err(bad_request("sticker set title must be non-empty"));
    }
    let name = p.name.trim();
    if name.is_empty() {
        return Err(bad_request("sticker set name must be non-empty"));
    }
    let well_formed = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.contains("__");
    if !well_formed {
        return Err(bad_request("invalid sticker set name is specified"));
    }
    let set = StickerSet {
        name: name.to_owned(),
        title,
        owner: call.bot,
        stickers,
    };
    call.stickers
        .create(set)
        .map_err(|e| bad_request(&e.to_string()))?;
    done(&true)
}
