//! `exportChatInviteLink`: a new primary link for the chat (the old one is revoked), as a
//! string.

use serde::Deserialize;

use super::{done, invite_link, Call, Result};
use crate::world::InviteLink;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, _) = invite_link::managed(&call, p.chat_id.as_deref())?;
    let link = InviteLink {
        link: invite_link::fresh_link(&mut call),
        creator: call.bot,
        primary: true,
        revoked: false,
        name: None,
        expire_date: None,
        member_limit: None,
        creates_join_request: false,
    };
    invite_link::keep(&call, target.chat.id, &link);
    done(&link.link)
}
