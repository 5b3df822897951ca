//! `getChatMemberCount` (and its old name `getChatMembersCount`): the members of a group
//! (bots included, those who left or were banned not); a private chat counts 2, the bot's
//! chat with itself 1.

use bale_api::ChatType;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::members;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    if target.chat.kind == ChatType::Private {
        return done(&(1 + i64::from(target.chat.id != call.bot)));
    }
    let directory = call.world.read();
    let group = directory
        .chat(target.chat.id)
        .ok_or_else(access::chat_not_found)?;
    let count = group
        .members
        .values()
        .filter(|status| members::is_member(**status))
        .count();
    done(&count)
}
