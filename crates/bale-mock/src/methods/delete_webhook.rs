//! `deleteWebhook`: `true` with `Webhook was deleted`, or `Webhook is already deleted` when
//! none was set; `drop_pending_updates` forgets the queue.

use serde::Deserialize;

use super::{raw, Call, Outcome, Result};

#[derive(Deserialize)]
pub(super) struct Params {
    #[serde(default)]
    drop_pending_updates: bool,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let conversation = &mut call.state.conversation;
    if p.drop_pending_updates {
        conversation.inbox.clear();
    }
    let description = if conversation.webhook.is_some() {
        conversation.set_webhook(None);
        "Webhook was deleted"
    } else {
        "Webhook is already deleted"
    };
    Ok(Outcome::Described(raw(&true), description))
}
