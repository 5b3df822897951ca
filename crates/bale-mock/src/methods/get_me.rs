//! `getMe`: the bot's own User object (names from the scenario, when it declares them).
//! The Telegram dialect carries every flag tdlib's current getMe writes (`JsonUser`, Bot API
//! 10.0): after the classic three, `supports_guest_queries`, `can_connect_to_business`,
//! `has_main_web_app`, `has_topics_enabled`, `allows_users_to_create_topics` and
//! `can_manage_bots`. Bale's getMe is not known beyond the classic three.
//!
//! The answer depends on the bot id, its declaration and the dialect — all fixed while a
//! scenario runs — so each bot keeps its whole answer body ([`Bot::get_me`]) once built; a
//! scenario load or reset forgets every bot, and the body with it.
//!
//! [`Bot::get_me`]: crate::state::Bot::get_me

use bale_api::{Dialect, Envelope};
use bytes::Bytes;
use serde::Deserialize;

use super::{Call, Outcome, Result};

#[derive(Deserialize)]
pub(super) struct Params {}

pub(super) fn run(call: Call<'_>, _: Params) -> Result {
    if let Some(body) = &call.state.get_me {
        return Ok(Outcome::Body(body.clone()));
    }
    let mut me = call.me();
    if call.dialect == Dialect::Telegram {
        me.supports_guest_queries = Some(false);
        me.can_connect_to_business = Some(false);
        me.has_main_web_app = Some(false);
        me.has_topics_enabled = Some(false);
        me.allows_users_to_create_topics = Some(false);
        me.can_manage_bots = Some(false);
    }
    let body = Bytes::from(Envelope::Ok(&me).to_bytes());
    call.state.get_me = Some(body.clone());
    Ok(Outcome::Body(body))
}
