//! `sendLocation`: `latitude` and `longitude` are required (`Bad Request: latitude is
//! empty`), then the chat; answers the sent Message with its Location.

use bale_api::{ApiError, Location, Message};
use serde::Deserialize;

use super::{Call, Result};
use crate::access::{self, Need};
use crate::{compose, markup};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    horizontal_accuracy: Option<f64>,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<String>,
    #[serde(default)]
    allow_sending_without_reply: bool,
    reply_markup: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let latitude = p
        .latitude
        .ok_or_else(|| ApiError::new(400, "Bad Request: latitude is empty"))?;
    let longitude = p
        .longitude
        .ok_or_else(|| ApiError::new(400, "Bad Request: longitude is empty"))?;
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
        location: Some(Location {
            latitude,
            longitude,
            horizontal_accuracy: p.horizontal_accuracy.filter(|a| *a > 0.0),
        }),
        reply_markup,
        ..Message::default()
    };
    compose::send(&mut call, &target, message)
}
