//! Chat members as the real server writes them (tdlib/telegram-bot-api `JsonChatMember`,
//! `json_store_administrator_rights`, `json_store_permissions`): `user`, `status`, then the
//! status's own fields, in tdlib's order and per chat type.
//!
//! The mock keeps a standing per member, not a set of rights: a creator and an administrator
//! have every right, a restricted member may read but not send (see `docs/conversations.md`).

use bale_api::{ApiError, BotId, ChatType, User};
use serde_json::{Map, Value};

use crate::methods::Call;
use crate::world::{GroupChat, MemberStatus};

/// `Bad Request: invalid user_id specified`: tdlib reads `user_id` as a leading integer and
/// refuses anything that is not positive.
pub(crate) fn user_id(text: Option<&str>) -> Result<i64, ApiError> {
    let text = text.unwrap_or_default().trim_start();
    let digits = text.strip_prefix('+').unwrap_or(text);
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    match digits[..end].parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::new(400, "Bad Request: invalid user_id specified")),
    }
}

/// The status word of a standing.
pub(crate) fn status_name(status: MemberStatus) -> &'static str {
    match status {
        MemberStatus::Creator => "creator",
        MemberStatus::Administrator => "administrator",
        MemberStatus::Member => "member",
        MemberStatus::Restricted => "restricted",
        MemberStatus::Left => "left",
        MemberStatus::Kicked => "kicked",
    }
}

/// Whether the standing counts in the chat's member count.
pub(crate) fn is_member(status: MemberStatus) -> bool {
    !matches!(status, MemberStatus::Left | MemberStatus::Kicked)
}

/// The User of member `id` as the bot sees it: a user of the world, the bot itself, or
/// another bot of the chat; `None` for an id the server does not know.
pub(crate) fn member_user(call: &Call<'_>, group: Option<&GroupChat>, id: i64) -> Option<User> {
    if id == call.bot {
        return Some(call.me().plain());
    }
    if let Some(user) = call.world.read().user(id) {
        return Some(user.plain());
    }
    group
        .and_then(|g| g.status(id))
        .map(|_| User::mock_bot(id as BotId).plain())
}

/// A ChatMember object.
pub(crate) fn chat_member(user: &User, status: MemberStatus, kind: ChatType) -> Value {
    let mut member = Map::new();
    member.insert(
        "user".into(),
        serde_json::to_value(user).unwrap_or(Value::Null),
    );
    member.insert("status".into(), status_name(status).into());
    match status {
        MemberStatus::Creator => {
            member.insert("is_anonymous".into(), false.into());
        }
        MemberStatus::Administrator => {
            member.insert("can_be_edited".into(), false.into());
            administrator_rights(&mut member, kind);
            member.insert("can_manage_voice_chats".into(), true.into());
        }
        MemberStatus::Restricted if kind == ChatType::Supergroup => {
            member.insert("until_date".into(), 0.into());
            may_read_only(&mut member);
            member.insert("is_member".into(), true.into());
        }
        MemberStatus::Kicked => {
            member.insert("until_date".into(), 0.into());
        }
        MemberStatus::Member | MemberStatus::Restricted | MemberStatus::Left => {}
    }
    Value::Object(member)
}

/// Every right, written as tdlib writes them for `kind`.
fn administrator_rights(member: &mut Map<String, Value>, kind: ChatType) {
    let group = matches!(kind, ChatType::Group | ChatType::Supergroup);
    let mut right = |name: &str, shown: bool, value: bool| {
        if shown {
            member.insert(name.into(), value.into());
        }
    };
    right("can_manage_chat", true, true);
    right("can_change_info", true, true);
    right("can_post_messages", kind == ChatType::Channel, true);
    right("can_edit_messages", kind == ChatType::Channel, true);
    right("can_delete_messages", true, true);
    right("can_invite_users", true, true);
    right("can_restrict_members", true, true);
    right("can_pin_messages", group, true);
    right("can_manage_topics", kind == ChatType::Supergroup, false);
    right("can_promote_members", true, true);
    right("can_manage_video_chats", true, true);
    right("can_post_stories", true, true);
    right("can_edit_stories", true, true);
    right("can_delete_stories", true, true);
    right(
        "can_manage_direct_messages",
        kind == ChatType::Channel,
        false,
    );
    right("can_manage_tags", group, false);
    right("is_anonymous", true, false);
}

/// The permissions of a restricted member: nothing may be sent.
fn may_read_only(member: &mut Map<String, Value>) {
    for name in [
        "can_send_messages",
        "can_send_media_messages",
        "can_send_audios",
        "can_send_documents",
        "can_send_photos",
        "can_send_videos",
        "can_send_video_notes",
        "can_send_voice_notes",
        "can_send_polls",
        "can_send_other_messages",
        "can_add_web_page_previews",
        "can_react_to_messages",
        "can_edit_tag",
        "can_change_info",
        "can_invite_users",
        "can_pin_messages",
        "can_manage_topics",
    ] {
        member.insert(name.into(), false.into());
    }
}

/// `Bad Request: member list is inaccessible`: a channel's members are for its
/// administrators.
pub(crate) fn check_list_access(group: &GroupChat, bot: BotId) -> Result<(), ApiError> {
    let admin = group.status(bot).is_some_and(MemberStatus::is_admin);
    if group.chat.kind == ChatType::Channel && !admin {
        return Err(ApiError::new(
            400,
            "Bad Request: member list is inaccessible",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_read_as_tdlib_reads_them() {
        assert_eq!(user_id(Some("42")), Ok(42));
        assert_eq!(user_id(Some("42abc")), Ok(42));
        for bad in [
            None,
            Some(""),
            Some("0"),
            Some("-5"),
            Some("abc"),
            Some("99999999999999999999"),
        ] {
            let error = user_id(bad).unwrap_err();
            assert_eq!(
                error.description, "Bad Request: invalid user_id specified",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn members_are_written_in_tdlib_order() {
        let user = User::mock_bot(5).plain();
        let admin = chat_member(&user, MemberStatus::Administrator, ChatType::Group);
        let keys: Vec<&str> = admin
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "user",
                "status",
                "can_be_edited",
                "can_manage_chat",
                "can_change_info",
                "can_delete_messages",
                "can_invite_users",
                "can_restrict_members",
                "can_pin_messages",
                "can_promote_members",
                "can_manage_video_chats",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_manage_tags",
                "is_anonymous",
                "can_manage_voice_chats"
            ]
        );
        let restricted = chat_member(&user, MemberStatus::Restricted, ChatType::Group);
        assert_eq!(
            restricted.as_object().unwrap().len(),
            2,
            "basic groups show no rights"
        );
        let kicked = chat_member(&user, MemberStatus::Kicked, ChatType::Supergroup);
        assert_eq!(kicked["until_date"], 0);
    }
}
