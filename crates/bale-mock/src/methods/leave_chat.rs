//! `leaveChat`: the bot leaves a group, supergroup or channel and answers `true`; it then
//! gets a `my_chat_member` update (member → left), and the chat answers it as one it is not
//! a member of. A private chat cannot be left (`Bad Request: can't leave private chats`).

use bale_api::{ApiError, ChatType};
use serde::Deserialize;
use serde_json::json;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::members::chat_member;
use crate::world::MemberStatus;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    if target.chat.kind == ChatType::Private {
        return Err(ApiError::new(400, "Bad Request: can't leave private chats"));
    }
    let old = {
        let mut directory = call.world.write();
        let group = directory
            .chat_mut(target.chat.id)
            .ok_or_else(access::chat_not_found)?;
        group.members.insert(call.bot, MemberStatus::Left)
    };
    let old = old.unwrap_or(MemberStatus::Member);
    let me = call.me().plain();
    let kind = target.chat.kind;
    let updated = json!({
        "chat": target.chat,
        "from": me,
        "date": call.date(),
        "old_chat_member": chat_member(&me, old, kind),
        "new_chat_member": chat_member(&me, MemberStatus::Left, kind),
    });
    let conversation = &mut call.state.conversation;
    crate::people::push(conversation, "my_chat_member", &updated, call.now);
    done(&true)
}
