//! `sendDocument`: any file as a part, `attach://<part>` or a `file_id`; answers the Message
//! with its Document (file name, MIME type from the name's extension or the part's type).

use super::upload::{self, Params, Sending};
use super::{Call, Result};
use crate::files::FileKind;
use crate::media;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let sending = Sending {
        field: "document",
        kind: FileKind::Document,
        captioned: true,
    };
    upload::send(call, p, sending, |message, file, _| {
        message.document = Some(media::document(file));
    })
}
