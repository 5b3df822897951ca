//! `getWebhookInfo`: the webhook's URL, pending updates and last delivery error, keys in
//! tdlib's order (`JsonWebhookInfo`).

use serde::Deserialize;

use super::{done, Call, Result};

#[derive(Deserialize)]
pub(super) struct Params {}

pub(super) fn run(call: Call<'_>, _: Params) -> Result {
    done(&call.state.conversation.webhook_info())
}
