//! `setChatPhoto`: the photo must be an upload (`Bad Request: there is no photo in the
//! request`; a `file_id` is `Bad Request: photo must be uploaded as an InputFile`), read
//! before the chat; `Bad Request: can't change private chat photo`, `Bad Request: not enough
//! rights to change chat photo`. `getChat` then shows it, and the chat keeps a
//! `new_chat_photo` service message.

use bale_api::Message;
use serde::Deserialize;

use super::upload::{self, Input};
use super::{done, Call, Result};
use crate::files::FileKind;
use crate::manage::{self, bad_request};
use crate::media;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let upload = match upload::input(call.request, "photo") {
        Some(Input::Upload(upload)) => upload,
        Some(Input::Id(_)) => return Err(bad_request("photo must be uploaded as an InputFile")),
        None => return Err(bad_request("there is no photo in the request")),
    };
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = group.ok_or_else(|| bad_request("can't change private chat photo"))?;
    manage::require_admin(&group, &call, "not enough rights to change chat photo")?;
    let file = upload::store(&call, upload, FileKind::Photo);
    if let Some(group) = call.world.write().chat_mut(target.chat.id) {
        group.photo = Some(file.clone());
    }
    let content = Message {
        new_chat_photo: media::photo(&file),
        ..Message::default()
    };
    manage::service_message(&mut call, &target, content);
    done(&true)
}
