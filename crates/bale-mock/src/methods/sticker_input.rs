//! How the sticker-set methods read their stickers, as tdlib reads them: the current form,
//! `stickers` (a JSON array of `InputSticker` `{"sticker", "format", "emoji_list"}`, each
//! `sticker` a `file_id` or `attach://<part>`), or the older one Bale's libraries send — a
//! `sticker` (or `png_sticker`) file with `emojis`. Every file is kept for the bot as a
//! sticker.

use bale_api::ApiError;
use serde_json::Value;

use super::upload::{self, Input};
use super::Call;
use crate::files::{FileInfo, FileKind};
use crate::manage::bad_request;

/// tdlib's `MAX_STICKER_COUNT` for one call.
const MAX_STICKERS_AT_ONCE: usize = 50;

/// A sticker to add, with its emoji.
pub(super) type NewSticker = (FileInfo, Option<String>);

/// The stickers of `createNewStickerSet`.
pub(super) fn many(call: &Call<'_>) -> Result<Vec<NewSticker>, ApiError> {
    let Some(text) = call.request.text("stickers") else {
        return one(call).map(|sticker| vec![sticker]);
    };
    let value: Value =
        serde_json::from_str(text).map_err(|_| bad_request("can't parse stickers JSON object"))?;
    let items = value
        .as_array()
        .ok_or_else(|| bad_request("expected an Array of InputSticker"))?;
    if items.len() > MAX_STICKERS_AT_ONCE {
        return Err(bad_request("too many stickers specified"));
    }
    items
        .iter()
        .map(|item| {
            input_sticker(call, item)
                .map_err(|why| bad_request(&format!("can't parse InputSticker: {why}")))?
        })
        .collect()
}

/// The sticker of `addStickerToSet`: an `InputSticker` object in `sticker`, or a file.
pub(super) fn one(call: &Call<'_>) -> Result<NewSticker, ApiError> {
    if let Some(text) = call.request.text("sticker") {
        if let Ok(item @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
            return input_sticker(call, &item)
                .map_err(|why| bad_request(&format!("can't parse InputSticker: {why}")))?;
        }
    }
    let input = upload::input(call.request, "sticker")
        .or_else(|| upload::input(call.request, "png_sticker"))
        .ok_or_else(|| bad_request("there is no sticker file in the request"))?;
    let emoji = call.request.text("emojis").map(str::to_owned);
    Ok((keep(call, input)?, emoji.filter(|e| !e.is_empty())))
}

/// One `InputSticker`: `Err(why)` for a malformed object, `Ok(Err(_))` for a file the bot
/// cannot use.
fn input_sticker(
    call: &Call<'_>,
    item: &Value,
) -> Result<Result<NewSticker, ApiError>, &'static str> {
    let object = item.as_object().ok_or("InputSticker must be an Object")?;
    let sticker = object
        .get("sticker")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let input = upload::input_from(call.request, "", sticker).ok_or("sticker not found")?;
    let emoji = object
        .get("emoji_list")
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(keep(call, input).map(|file| (file, emoji)))
}

fn keep(call: &Call<'_>, input: Input<'_>) -> Result<FileInfo, ApiError> {
    upload::keep(call, input, FileKind::Sticker)
}

/// `Bad Request: user not found` for a user the server does not know, as tdlib's
/// `check_user` answers.
pub(super) fn check_user(call: &Call<'_>, user_id: i64) -> Result<(), ApiError> {
    let known = user_id == call.bot || call.world.read().user(user_id).is_some();
    if known {
        Ok(())
    } else {
        Err(bad_request("user not found"))
    }
}
