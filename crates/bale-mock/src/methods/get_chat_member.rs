//! `getChatMember`: `user_id` first (`Bad Request: invalid user_id specified`), then the chat;
//! answers the member, `left` for a user the server knows who is not in the chat, and
//! `Bad Request: member not found` for one it does not know. In a private chat the members
//! are the user and the bot.

use bale_api::{ApiError, ChatType};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::members::{self, chat_member};
use crate::world::MemberStatus;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    let not_found = || ApiError::new(400, "Bad Request: member not found");
    if target.chat.kind == ChatType::Private {
        let status = if user_id == call.bot || user_id == target.chat.id {
            MemberStatus::Member
        } else {
            MemberStatus::Left
        };
        let user = members::member_user(&call, None, user_id).ok_or_else(not_found)?;
        return done(&chat_member(&user, status, ChatType::Private));
    }
    let directory = call.world.read();
    let group = directory
        .chat(target.chat.id)
        .ok_or_else(access::chat_not_found)?;
    if user_id != call.bot {
        members::check_list_access(group, call.bot)?;
    }
    let status = group.status(user_id).unwrap_or(MemberStatus::Left);
    let group = group.clone();
    drop(directory);
    let user = members::member_user(&call, Some(&group), user_id).ok_or_else(not_found)?;
    done(&chat_member(&user, status, group.chat.kind))
}
