//! `sendVideo`: a video with the `duration`, `width` and `height` the bot gives (clamped as
//! tdlib clamps them; 0 when not given, since the mock decodes no video).

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "video",
        kind: FileKind::Video,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, p| {
        let size = (upload::length(p.width), upload::length(p.height));
        message.video = Some(media::video(file, upload::duration(p.duration), size));
    })
}
