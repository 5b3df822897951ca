//! `getMe`: the bot's own User object (names from the scenario, when it declares them).

use bale_api::User;

use super::{raw, Call, Result};

pub(super) fn run(call: Call<'_>) -> Result {
    let mut user = User::mock_bot(call.bot);
    if let Some(spec) = call.spec {
        if let Some(first_name) = &spec.first_name {
            user.first_name.clone_from(first_name);
        }
        if let Some(username) = &spec.username {
            user.username = Some(username.clone());
        }
    }
    Ok(raw(&user))
}
