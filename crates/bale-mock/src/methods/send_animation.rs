//! `sendAnimation`: a GIF or silent video; the Message carries it twice, as `animation` and
//! as `document` (without duration and size), as the real server writes it.

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "animation",
        kind: FileKind::Animation,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, p| {
        let size = (upload::length(p.width), upload::length(p.height));
        let duration = upload::duration(p.duration);
        message.animation = Some(media::animation(file, duration, size));
        message.document = Some(media::document(file));
    })
}
