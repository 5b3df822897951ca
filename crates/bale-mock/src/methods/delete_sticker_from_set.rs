//! `deleteStickerFromSet` (and `deleteStickerToSet`, the name Balethon sends): `Bad Request:
//! sticker is not specified`; a sticker in none of this bot's sets is `Bad Request:
//! STICKERSET_INVALID`.

use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::bad_request;

#[derive(Deserialize)]
pub(super) struct Params {
    #[serde(default)]
    sticker: String,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sticker = p.sticker.trim();
    if sticker.is_empty() {
        return Err(bad_request("sticker is not specified"));
    }
    call.stickers
        .remove(call.bot, sticker)
        .map_err(|e| bad_request(&e.to_string()))?;
    done(&true)
}
