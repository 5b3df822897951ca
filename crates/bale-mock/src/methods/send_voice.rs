//! `sendVoice`: a voice note with the `duration` the bot gives.

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "voice",
        kind: FileKind::Voice,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, p| {
        message.voice = Some(media::voice(file, upload::duration(p.duration)));
    })
}
