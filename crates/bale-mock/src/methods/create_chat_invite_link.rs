//! `createChatInviteLink`: an additional link with its `name`, `expire_date`, `member_limit`
//! (0–100000) and `creates_join_request`; a member limit and join requests do not go
//! together (`Bad Request: member limit can't be specified for links requiring
//! administrator approval`).

use serde::Deserialize;

use super::{done, invite_link, Call, Result};
use crate::manage::bad_request;
use crate::world::InviteLink;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    expire_date: i64,
    #[serde(default)]
    member_limit: i64,
    #[serde(default)]
    creates_join_request: bool,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, _) = invite_link::managed(&call, p.chat_id.as_deref())?;
    // tdlib reads both as integers clamped to their ranges.
    let member_limit = p.member_limit.clamp(0, 100_000);
    if member_limit > 0 && p.creates_join_request {
        return Err(bad_request(
            "member limit can't be specified for links requiring administrator approval",
        ));
    }
    let link = InviteLink {
        link: invite_link::fresh_link(&mut call),
        creator: call.bot,
        primary: false,
        revoked: false,
        name: p.name.filter(|n| !n.is_empty()),
        expire_date: Some(p.expire_date).filter(|d| *d > 0),
        member_limit: Some(member_limit).filter(|l| *l > 0),
        creates_join_request: p.creates_join_request,
    };
    invite_link::keep(&call, target.chat.id, &link);
    done(&invite_link::json(&call, &link))
}
