//! `sendSticker`: a regular sticker with the `emoji` the bot gives; no caption. Its size is
//! invented (512×512); `.tgs` is animated, `.webm` a video sticker.

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "sticker",
        kind: FileKind::Sticker,
        captioned: false,
    };
    upload::send(call, p, sending, |message, file, p| {
        let emoji = p.emoji.clone().filter(|e| !e.is_empty());
        message.sticker = Some(media::sticker(file, emoji));
    })
}
