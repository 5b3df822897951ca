//! `editMessageReplyMarkup`: replaces (or, with none, removes) the inline keyboard of one
//! of the bot's messages.

use serde::Deserialize;

use super::{done, Call, Result};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    message_id: Option<i64>,
    inline_message_id: Option<String>,
    reply_markup: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let (_, mut message) = compose::editable(
        &call,
        p.chat_id.as_deref(),
        p.message_id,
        p.inline_message_id.as_deref(),
    )?;
    if message.reply_markup == reply_markup {
        return Err(compose::not_modified());
    }
    message.reply_markup = reply_markup;
    done(&compose::save_edit(&mut call, message))
}
