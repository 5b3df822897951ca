//! `getChatAdministrators`: the creator and the administrators, without other bots unless
//! `return_bots` is set (the bot itself is always listed when it is one); a private chat
//! has none (`Bad Request: there are no administrators in the private chat`).

use bale_api::{ApiError, ChatType};
use serde::Deserialize;

use super::{done, Call, Result};
use crate::access::{self, Need};
use crate::members::{self, chat_member};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    #[serde(default)]
    return_bots: bool,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let target = access::resolve(&call, p.chat_id.as_deref(), Need::Read)?;
    if target.chat.kind == ChatType::Private {
        return Err(ApiError::new(
            400,
            "Bad Request: there are no administrators in the private chat",
        ));
    }
    let group = call
        .world
        .read()
        .chat(target.chat.id)
        .cloned()
        .ok_or_else(access::chat_not_found)?;
    members::check_list_access(&group, call.bot)?;
    let mut admins: Vec<_> = group
        .members
        .iter()
        .filter(|(_, status)| status.is_admin())
        .map(|(id, status)| (*id, *status))
        .collect();
    // The creator first, then by id: a stable order (the real one is the server's).
    admins
        .sort_by_key(|(id, status)| (!matches!(status, crate::world::MemberStatus::Creator), *id));
    let listed: Vec<_> = admins
        .into_iter()
        .filter_map(|(id, status)| {
            let user = members::member_user(&call, Some(&group), id)?;
            let other_bot = user.is_bot && id != call.bot;
            (p.return_bots || !other_bot).then(|| chat_member(&user, status, group.chat.kind))
        })
        .collect();
    done(&listed)
}
