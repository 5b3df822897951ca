//! `revokeChatInviteLink`: answers the link, revoked (a primary link is replaced by a new
//! one); `Bad Request: invite link must be non-empty`, and `Bad Request:
//! INVITE_HASH_EXPIRED` for a link the chat does not have.

use serde::Deserialize;

use super::{done, invite_link, Call, Result};
use crate::manage::bad_request;
use crate::world::InviteLink;

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    #[serde(default)]
    invite_link: String,
}

pub(super) fn run(mut call: Call<'_>, p: Params) -> Result {
    let (target, _) = invite_link::managed(&call, p.chat_id.as_deref())?;
    if p.invite_link.is_empty() {
        return Err(bad_request("invite link must be non-empty"));
    }
    let revoked = {
        let mut directory = call.world.write();
        directory.chat_mut(target.chat.id).and_then(|group| {
            let link = group
                .invite_links
                .iter_mut()
                .find(|l| l.link == p.invite_link)?;
            link.revoked = true;
            Some(link.clone())
        })
    };
    let revoked = revoked.ok_or_else(|| bad_request("INVITE_HASH_EXPIRED"))?;
    if revoked.primary {
        let replacement = InviteLink {
            link: invite_link::fresh_link(&mut call),
            revoked: false,
            ..revoked.clone()
        };
        invite_link::keep(&call, target.chat.id, &replacement);
    }
    let shown = InviteLink {
        primary: revoked.primary,
        ..revoked
    };
    done(&invite_link::json(&call, &shown))
}
