//! `banChatMember`: `user_id` first, then the chat; the
//! bot must administer it. The user's standing becomes `kicked`, the bot gets a
//! `chat_member` update if it asked for them, and a group keeps a `left_chat_member` service
//! message for a member who was in it.

use bale_api::{ChatType, Message};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};
use crate::members;
use crate::world::MemberStatus;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = group.ok_or_else(|| bad_request("can't ban members in private chats"))?;
    let basic = target.chat.kind == ChatType::Group;
    manage::require_admin(
        &group,
        &call,
        if basic {
            "CHAT_ADMIN_REQUIRED"
        } else {
            "not enough rights to restrict/unrestrict chat member"
        },
    )?;
    let user = manage::known_user(&call, &group, user_id)?;
    let standing = group.status(user_id);
    match standing {
        _ if user_id == call.bot => return Err(bad_request("can't restrict self")),
        Some(MemberStatus::Creator) => return Err(bad_request("can't remove chat owner")),
        Some(MemberStatus::Administrator) => {
            return Err(bad_request("user is an administrator of the chat"))
        }
        _ if basic && !manage::in_chat(standing) => {
            return Err(bad_request("USER_NOT_PARTICIPANT"))
        }
        _ => {}
    }
    manage::set_status(&mut call, &target, &user, MemberStatus::Kicked)?;
    if manage::in_chat(standing) {
        let left = Message {
            left_chat_participant: Some(user.clone()),
            left_chat_member: Some(user),
            ..Message::default()
        };
        manage::service_message(&mut call, &target, left);
    }
    done(&true)
}
