//! `restrictChatMember`: `user_id` and `permissions` are read first (`Bad Request: can't
//! parse permissions JSON object`, `Bad Request: object expected as permissions`), then
//! the chat, which must be a supergroup. A member who may not send messages becomes
//! `restricted`; one who may becomes a plain `member` again.

use bale_api::ChatType;
use serde::Deserialize;
use serde_json::Value;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};
use crate::members;
use crate::world::MemberStatus;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    user_id: Option<String>,
    permissions: Option<Value>,
    /// The pre-2023 form: each permission a parameter of its own.
    #[serde(default)]
    can_send_messages: bool,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let user_id = members::user_id(p.user_id.as_deref())?;
    let may_send = match &p.permissions {
        None => p.can_send_messages,
        Some(value) => may_send(value)?,
    };
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = match group {
        Some(group) if target.chat.kind == ChatType::Supergroup => group,
        _ => return Err(bad_request("method is available only for supergroups")),
    };
    let user = members::member_user(&call, Some(&group), user_id)
        .ok_or_else(|| bad_request("member not found"))?;
    match group.status(user_id) {
        _ if user_id == call.bot => return Err(bad_request("can't restrict self")),
        Some(MemberStatus::Creator) => return Err(bad_request("can't remove chat owner")),
        _ => {}
    }
    manage::require_admin(
        &group,
        &call,
        "not enough rights to restrict/unrestrict chat member",
    )?;
    if group.status(user_id) == Some(MemberStatus::Administrator) {
        return Err(bad_request("user is an administrator of the chat"));
    }
    let new = if may_send {
        MemberStatus::Member
    } else {
        MemberStatus::Restricted
    };
    manage::set_status(&mut call, &target, &user, new)?;
    done(&true)
}

/// Whether `permissions` lets the member send messages. It arrives as a JSON string from
/// form clients and as an object from JSON ones.
fn may_send(value: &Value) -> std::result::Result<bool, bale_api::ApiError> {
    let parsed;
    let object = match value {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text)
                .map_err(|_| bad_request("can't parse permissions JSON object"))?;
            &parsed
        }
        other => other,
    };
    let object = object
        .as_object()
        .ok_or_else(|| bad_request("object expected as permissions"))?;
    let flag = |name: &str| object.get(name).and_then(Value::as_bool).unwrap_or(false);
    // Sending media implies sending messages in the old form of the object.
    Ok(flag("can_send_messages") || flag("can_send_media_messages"))
}
