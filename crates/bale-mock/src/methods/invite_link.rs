//! What the invite-link methods share: the rights check (`Bad Request: can't invite members
//! to a private chat`, `Bad Request: not enough rights to manage chat invite link`), links
//! in Bale's form (`https://ble.ir/join/<code>`), and `ChatInviteLink` in tdlib's key order.

use bale_api::ApiError;
use serde_json::{Map, Value};

use super::Call;
use crate::access::Target;
use crate::manage::{self, bad_request};
use crate::world::{GroupChat, InviteLink, MAX_INVITE_LINKS};

/// The group whose links the bot may manage.
pub(super) fn managed(
    call: &Call<'_>,
    chat_id: Option<&str>,
) -> Result<(Target, GroupChat), ApiError> {
    let (target, group) = manage::chat(call, chat_id)?;
    let group = group.ok_or_else(|| bad_request("can't invite members to a private chat"))?;
    manage::require_admin(&group, call, "not enough rights to manage chat invite link")?;
    Ok((target, group))
}

/// A fresh link code: 16 characters of base64url from the bot's seeded generator.
pub(super) fn fresh_link(call: &mut Call<'_>) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = call.state.conversation.draw();
    let code: String = (0..16)
        .map(|_| {
            let c = ALPHABET[(bits & 63) as usize] as char;
            bits = bits.rotate_right(6);
            c
        })
        .collect();
    format!("https://ble.ir/join/{code}")
}

/// Keeps `link` in the chat, forgetting the oldest beyond the cap; a new primary link
/// revokes the old one.
pub(super) fn keep(call: &Call<'_>, chat: i64, link: &InviteLink) {
    let mut directory = call.world.write();
    if let Some(group) = directory.chat_mut(chat) {
        if link.primary {
            for old in group.invite_links.iter_mut().filter(|l| l.primary) {
                old.primary = false;
                old.revoked = true;
            }
        }
        group.invite_links.push(link.clone());
        if group.invite_links.len() > MAX_INVITE_LINKS {
            group.invite_links.remove(0);
        }
    }
}

/// The link as `ChatInviteLink`.
pub(super) fn json(call: &Call<'_>, link: &InviteLink) -> Value {
    let mut object = Map::new();
    object.insert("invite_link".into(), link.link.clone().into());
    if let Some(name) = &link.name {
        object.insert("name".into(), name.clone().into());
    }
    let creator = if link.creator == call.bot {
        call.me().plain()
    } else {
        bale_api::User::mock_bot(link.creator).plain()
    };
    object.insert(
        "creator".into(),
        serde_json::to_value(creator).unwrap_or(Value::Null),
    );
    if let Some(expire_date) = link.expire_date {
        object.insert("expire_date".into(), expire_date.into());
    }
    if let Some(member_limit) = link.member_limit {
        object.insert("member_limit".into(), member_limit.into());
    }
    object.insert(
        "creates_join_request".into(),
        link.creates_join_request.into(),
    );
    object.insert("is_primary".into(), link.primary.into());
    object.insert("is_revoked".into(), link.revoked.into());
    Value::Object(object)
}
