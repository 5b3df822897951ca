//! `unbanChatMember`: supergroups and channels only; the user's standing becomes `left`
//! (they may join again) — a member is removed too, unless `only_if_banned`, which leaves
//! anyone not banned as they are.

use bale_api::ChatType;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};
use crate::members;
use crate::world::MemberStatus;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
    #[serde(default)]
    only_if_banned: bool,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = match group {
        Some(group) if target.chat.kind != ChatType::Group => group,
        _ => {
            return Err(bad_request(
                "method is available for supergroup and channel chats only",
            ))
        }
    };
    let standing = group.status(user_id);
    if p.only_if_banned && standing != Some(MemberStatus::Kicked) {
        return done(&true);
    }
    manage::require_admin(
        &group,
        &call,
        "not enough rights to restrict/unrestrict chat member",
    )?;
    let user = manage::known_user(&call, &group, user_id)?;
    match standing {
        _ if user_id == call.bot => return Err(bad_request("can't restrict self")),
        Some(MemberStatus::Creator) => return Err(bad_request("can't remove chat owner")),
        Some(MemberStatus::Administrator) => {
            return Err(bad_request("user is an administrator of the chat"))
        }
        _ => {}
    }
    manage::set_status(&mut call, &target, &user, MemberStatus::Left)?;
    done(&true)
}
