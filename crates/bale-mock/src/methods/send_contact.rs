//! `sendContact`: `phone_number` and `first_name` are required
//! (`Bad Request: parameter "phone_number" is required`), then the chat; answers the sent
//! Message with its Contact.

use bale_api::{ApiError, Contact, Message};
use serde::Deserialize;

use super::{Call, Result};
use crate::access::{self, Need};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    phone_number: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    vcard: Option<String>,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<String>,
    #[serde(default)]
    allow_sending_without_reply: bool,
    reply_markup: Option<String>,
}

fn required(value: Option<String>, name: &str) -> std::result::Result<String, ApiError> {
    value.ok_or_else(|| {
        ApiError::new(
            400,
            format!("Bad Request: parameter \"{name}\" is required"),
        )
    })
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let phone_number = required(p.phone_number, "phone_number")?;
    let first_name = required(p.first_name, "first_name")?;
    let reply_markup = markup::parse(p.reply_markup.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Write)?;
    let reply_to_message = compose::reply_to(
        &call,
        &target,
        p.reply_to_message_id,
        p.reply_parameters.as_deref(),
        p.allow_sending_without_reply,
    )?;
    let message = Message {
        reply_to_message,
        contact: Some(Contact {
            phone_number,
            first_name,
            last_name: p.last_name.filter(|n| !n.is_empty()),
            user_id: None,
            vcard: p.vcard.filter(|v| !v.is_empty()),
        }),
        reply_markup,
        ..Message::default()
    };
    compose::send(&mut call, &target, message)
}
