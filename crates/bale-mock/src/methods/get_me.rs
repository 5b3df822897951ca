//! `getMe`: the bot's own User object (names from the scenario, when it declares them).
//! The Telegram dialect carries every flag tdlib's current getMe writes (`JsonUser`, Bot API
//! 10.0): after the classic three, `supports_guest_queries`, `can_connect_to_business`,
//! `has_main_web_app`, `has_topics_enabled`, `allows_users_to_create_topics` and
//! `can_manage_bots`. Bale's getMe is not known beyond the classic three.

use bale_api::Dialect;
use serde::Deserialize;

use super::{done, Call, Result};

#[derive(Deserialize)]
pub(super) struct Params {}

pub(super) fn run(call: Call<'_>, _: Params) -> Result {
    let mut me = call.me();
    if call.dialect == Dialect::Telegram {
        me.supports_guest_queries = Some(false);
        me.can_connect_to_business = Some(false);
        me.has_main_web_app = Some(false);
        me.has_topics_enabled = Some(false);
        me.allows_users_to_create_topics = Some(false);
        me.can_manage_bots = Some(false);
    }
    done(&me)
}
