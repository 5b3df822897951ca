//! `setChatDescription`: `Bad Request: can't change private chat description`,
//! `Bad Request: not enough rights to set chat description`, and `Bad Request: chat
//! description is not modified` when it is the same.

use serde::Deserialize;

use super::{done, Call, Result};
use crate::manage::{self, bad_request};

#[derive(Deserialize)]
pub(super) struct Params {
    chat_id: Option<String>,
    #[serde(default)]
    description: String,
}

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    let (target, group) = manage::chat(&call, p.chat_id.as_deref())?;
    let group = group.ok_or_else(|| bad_request("can't change private chat description"))?;
    manage::require_admin(&group, &call, "not enough rights to set chat description")?;
    let new = Some(p.description).filter(|d| !d.is_empty());
    if new == group.description {
        return Err(bad_request("chat description is not modified"));
    }
    if let Some(group) = call.world.write().chat_mut(target.chat.id) {
        group.description = new;
    }
    done(&true)
}
