//! What the methods that manage a group share: the group and the bot's standing in it, the
//! rights checks with the real server's wording, member changes with their `chat_member` /
//! `my_chat_member` updates, and the service messages those changes leave in the chat.
//!
//! The mock keeps a standing per member, not a set of rights: a creator or an administrator
//! may do everything an administrator can (see `docs/conversations.md`).

use bale_api::{ApiError, ChatType, Message, User};
use serde_json::json;

use crate::access::{self, Need, Target};
use crate::compose;
use crate::members::{self, chat_member};
use crate::methods::Call;
use crate::world::{GroupChat, MemberStatus};

/// The chat `chat_id` names, with its group (`None` for a private chat).
pub(crate) fn chat(
    call: &Call<'_>,
    chat_id: Option<&str>,
) -> Result<(Target, Option<GroupChat>), ApiError> {
    let target = access::resolve(call, chat_id, Need::Read)?;
    let group = match target.chat.kind {
        ChatType::Private => None,
        _ => Some(
            call.world
                .read()
                .chat(target.chat.id)
                .cloned()
                .ok_or_else(access::chat_not_found)?,
        ),
    };
    Ok((target, group))
}

/// Whether the bot is the chat's creator or one of its administrators.
pub(crate) fn is_admin(group: &GroupChat, call: &Call<'_>) -> bool {
    group.status(call.bot).is_some_and(MemberStatus::is_admin)
}

/// `Bad Request: <refusal>` unless the bot administers the chat.
pub(crate) fn require_admin(
    group: &GroupChat,
    call: &Call<'_>,
    refusal: &str,
) -> Result<(), ApiError> {
    if is_admin(group, call) {
        Ok(())
    } else {
        Err(bad_request(refusal))
    }
}

/// `400 Bad Request: <text>`.
pub(crate) fn bad_request(text: &str) -> ApiError {
    ApiError::new(400, format!("Bad Request: {text}"))
}

/// The user `user_id` names, as members show it: `Bad Request: PARTICIPANT_ID_INVALID` for
/// one the server does not know (the real server passes the server's error through).
pub(crate) fn known_user(
    call: &Call<'_>,
    group: &GroupChat,
    user_id: i64,
) -> Result<User, ApiError> {
    members::member_user(call, Some(group), user_id)
        .ok_or_else(|| bad_request("PARTICIPANT_ID_INVALID"))
}

/// Sets `user`'s standing in the group and tells the bot: `my_chat_member` when the bot is
/// the one changed, `chat_member` otherwise (which the bot gets only if it asked for it in
/// `allowed_updates`, as on the real server). A standing for someone new to the chat counts
/// against the memberships cap (`Bad Request: …` past it). Answers the old standing.
pub(crate) fn set_status(
    call: &mut Call<'_>,
    target: &Target,
    user: &User,
    new: MemberStatus,
) -> Result<MemberStatus, ApiError> {
    let limits = call.world.limits;
    let old = call
        .world
        .write()
        .set_member(target.chat.id, user.id, new, &limits)
        .map_err(|e| bad_request(&e.to_string()))?;
    let old = old.unwrap_or(MemberStatus::Left);
    tell(call, target, user, old, new);
    Ok(old)
}

/// Queues the update of a standing that changed from `old` to `new` (nothing if it did
/// not): `my_chat_member` for the bot itself, `chat_member` for anyone else.
pub(crate) fn tell(
    call: &mut Call<'_>,
    target: &Target,
    user: &User,
    old: MemberStatus,
    new: MemberStatus,
) {
    if old == new {
        return;
    }
    let kind = if user.id == call.bot {
        "my_chat_member"
    } else {
        "chat_member"
    };
    let updated = json!({
        "chat": target.chat,
        "from": call.me().plain(),
        "date": call.date(),
        "old_chat_member": chat_member(user, old, target.chat.kind),
        "new_chat_member": chat_member(user, new, target.chat.kind),
    });
    crate::people::push(&mut call.state.conversation, kind, &updated, call.now);
}

/// Leaves a service message from the bot in the chat. It takes a message id and is in the
/// transcript, but the bot gets no update for it: the real server does not send a bot the
/// service messages its own actions made.
pub(crate) fn service_message(call: &mut Call<'_>, target: &Target, content: Message) {
    if target.chat.kind != ChatType::Channel || content.pinned_message.is_some() {
        compose::post(call, target, content);
    }
}

/// Whether a standing counts as being in the chat.
pub(crate) fn in_chat(status: Option<MemberStatus>) -> bool {
    status.is_some_and(members::is_member)
}
