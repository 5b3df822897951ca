//! `getStickerSet`: any bot may read any set, by name in any case; `Bad Request:
//! STICKERSET_INVALID` for a name no set has. Keys in tdlib's order: `name`, `title`,
//! `sticker_type`, `contains_masks`, `stickers`.

use serde::Deserialize;
use serde_json::json;

use super::{done, Call, Result};
use crate::manage::bad_request;
use crate::media;

#[derive(Deserialize)]
pub(super) struct Params {
    #[serde(default)]
    name: String,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let set = call
        .stickers
        .get(&p.name)
        .ok_or_else(|| bad_request("STICKERSET_INVALID"))?;
    let stickers: Vec<_> = set
        .stickers
        .iter()
        .map(|(file, emoji)| {
            let mut sticker = media::sticker(file, emoji.clone());
            sticker.set_name = Some(set.name.clone());
            sticker
        })
        .collect();
    done(&json!({
        "name": set.name,
        "title": set.title,
        "sticker_type": "regular",
        "contains_masks": false,
        "stickers": stickers,
    }))
}
