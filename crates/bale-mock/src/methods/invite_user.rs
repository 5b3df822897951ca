//! `inviteUser` (Bale only): the bot adds a user to a group, supergroup or channel and
//! answers `true`; the user is then a member. Known from Balethon and python-bale-bot
//! (`chat_id`, `user_id`, result `bool`); python-bale-bot documents NotFound for an invalid
//! chat or user and Forbidden without the right to add users.
//!
//! Bale's wording is not known, so the checks and texts are tdlib's for adding a member
//! (`DialogParticipantManager::add_chat_participant` / `add_channel_participant`), in the
//! Bot API's order — `user_id`, then the chat, then the user, then the rights:
//!
//! | case | answer |
//! |---|---|
//! | `user_id` malformed | 400 `Bad Request: invalid user_id specified` |
//! | the chat (absent, unknown, left, kicked) | as every method ([`crate::access`]) |
//! | a private chat | 400 `Bad Request: can't add members to a private chat` |
//! | a user the server does not know | 400 `Bad Request: user not found` |
//! | the bot is not an administrator | 400 `Bad Request: not enough rights to invite members to the group chat` (`supergroup chat` for supergroups and channels, as tdlib words both) |
//!
//! Inviting a member answers `true` and changes nothing; a user who left or was banned
//! becomes a member again, with a `chat_member` update (if the bot asked for them) and, in
//! a group, a `new_chat_members` service message (kept in the transcript; the bot gets no
//! update for its own service message, as on the real server).

use bale_api::{ApiError, ChatType, Message};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::world::MemberStatus;
use crate::{manage, members};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let user = members::user_id(p.user_id.as_deref())?;
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    if target.chat.kind == ChatType::Private {
        return Err(ApiError::new(
            400,
            "Bad Request: can't add members to a private chat",
        ));
    }
    if call.world.read().user(user).is_none() {
        return Err(ApiError::new(400, "Bad Request: user not found"));
    }
    if !target.standing.is_some_and(MemberStatus::is_admin) {
        let kind = match target.chat.kind {
            ChatType::Group => "group",
            _ => "supergroup",
        };
        return Err(ApiError::new(
            400,
            format!("Bad Request: not enough rights to invite members to the {kind} chat"),
        ));
    }
    let limits = call.world.limits;
    let old = call
        .world
        .write()
        .add_member(target.chat.id, user, &limits)
        .map_err(|e| ApiError::new(400, format!("Bad Request: {e}")))?;
    if old.is_some_and(MemberStatus::is_member) {
        return done(&true);
    }
    let added = call.world.read().user(user).map(bale_api::User::plain);
    if let Some(added) = added {
        let old = old.unwrap_or(MemberStatus::Left);
        manage::tell(&mut call, &target, &added, old, MemberStatus::Member);
        let joined = Message {
            new_chat_participant: Some(added.clone()),
            new_chat_member: Some(added.clone()),
            new_chat_members: vec![added],
            ..Message::default()
        };
        manage::service_message(&mut call, &target, joined);
    }
    done(&true)
}
