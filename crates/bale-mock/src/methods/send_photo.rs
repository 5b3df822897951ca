//! `sendPhoto`: the photo as a part, `attach://<part>` or a `file_id` of a photo; answers the
//! Message with one PhotoSize of the invented size (the mock decodes no image).

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "photo",
        kind: FileKind::Photo,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, _| {
        message.photo = media::photo(file);
    })
}
