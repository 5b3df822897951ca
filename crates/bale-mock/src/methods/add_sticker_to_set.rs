//! `addStickerToSet`: `user_id`, then the sticker, then the user; the set must be this
//! bot's (`Bad Request: STICKERSET_INVALID`) and not full (`Bad Request:
//! STICKERS_TOO_MUCH`).

use serde::Deserialize;

use super::{done, sticker_input, Call, Result};
use crate::manage::bad_request;
use crate::members;

#[derive(Deserialize)]
pub(super) struct Params {
    user_id: Option<String>,
    #[serde(default)]
    name: String,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let sticker = sticker_input::one(&call)?;
    sticker_input::check_user(&call, user_id)?;
    call.stickers
        .add(call.bot, &p.name, sticker)
        .map_err(|e| bad_request(&e.to_string()))?;
    done(&true)
}
