//! Bot API objects.

use serde::{Deserialize, Serialize};

use crate::BotId;

/// A Telegram/Bale user or bot, as `getMe` returns it. Field order follows the real server's
/// output; the `can_*`/`supports_*` fields are sent only for bots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Unique identifier.
    pub id: i64,
    /// True for bots.
    pub is_bot: bool,
    /// First name (a bot's display name).
    pub first_name: String,
    /// Last name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Username, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the bot can be invited to groups (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_join_groups: Option<bool>,
    /// Whether privacy mode is off (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_read_all_group_messages: Option<bool>,
    /// Whether the bot supports inline queries (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_inline_queries: Option<bool>,
}

impl User {
    /// The User object the mock answers `getMe` with for a zero-config bot: its id is the
    /// token's bot id, its names are derived from it.
    pub fn mock_bot(id: BotId) -> User {
        User {
            id,
            is_bot: true,
            first_name: format!("Mock Bot {id}"),
            last_name: None,
            username: Some(format!("mock_{id}_bot")),
            can_join_groups: Some(true),
            can_read_all_group_messages: Some(false),
            supports_inline_queries: Some(false),
        }
    }
}
