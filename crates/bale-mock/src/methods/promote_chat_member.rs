//! `promoteChatMember`: any right given makes the user an `administrator`, none at all makes
//! them a plain `member` again. A basic group's members are promoted by its creator only
//! (`Bad Request: need owner rights in the group chat`); in a supergroup or a channel the
//! bot must administer it (`Bad Request: not enough rights`).

use bale_api::ChatType;
use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};
use crate::members;
use crate::world::MemberStatus;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
    is_anonymous: bool,
    can_manage_chat: bool,
    can_change_info: bool,
    can_post_messages: bool,
    can_edit_messages: bool,
    can_delete_messages: bool,
    can_invite_users: bool,
    can_restrict_members: bool,
    can_pin_messages: bool,
    can_manage_topics: bool,
    can_promote_members: bool,
    can_manage_video_chats: bool,
    can_manage_voice_chats: bool,
    can_post_stories: bool,
    can_edit_stories: bool,
    can_delete_stories: bool,
}

impl Params {
    fn any_right(&self) -> bool {
        [
            self.is_anonymous,
            self.can_manage_chat,
            self.can_change_info,
            self.can_post_messages,
            self.can_edit_messages,
            self.can_delete_messages,
            self.can_invite_users,
            self.can_restrict_members,
            self.can_pin_messages,
            self.can_manage_topics,
            self.can_promote_members,
            self.can_manage_video_chats,
            self.can_manage_voice_chats,
            self.can_post_stories,
            self.can_edit_stories,
            self.can_delete_stories,
        ]
        .contains(&true)
    }
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group =
        group.ok_or_else(|| bad_request("chat member status can't be changed in private chats"))?;
    let basic = target.chat.kind == ChatType::Group;
    if basic && group.status(call.bot) != Some(MemberStatus::Creator) {
        return Err(bad_request("need owner rights in the group chat"));
    }
    if user_id == call.bot {
        return Err(bad_request(if basic {
            "can't promote or demote self"
        } else {
            "can't promote self"
        }));
    }
    let user = manage::known_user(&call, &group, user_id)?;
    if group.status(user_id) == Some(MemberStatus::Creator) {
        return Err(bad_request("can't remove chat owner"));
    }
    manage::require_admin(&group, &call, "not enough rights")?;
    let new = if p.any_right() {
        MemberStatus::Administrator
    } else {
        MemberStatus::Member
    };
    manage::set_status(&mut call, &target, &user, new)?;
    done(&true)
}
