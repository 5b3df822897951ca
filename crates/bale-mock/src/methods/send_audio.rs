//! `sendAudio`: a music file with the `duration`, `title` and `performer` the bot gives.

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "audio",
        kind: FileKind::Audio,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, p| {
        let title = p.title.clone().filter(|t| !t.is_empty());
        let performer = p.performer.clone().filter(|t| !t.is_empty());
        let duration = upload::duration(p.duration);
        message.audio = Some(media::audio(file, duration, title, performer));
    })
}
