//! Which chat a request names and whether the bot may use it, with the real server's
//! answers (tdlib/telegram-bot-api `Client::check_chat_access` and `get_chat_id`):
//!
//! | case | answer |
//! |---|---|
//! | `chat_id` absent or empty | 400 `Bad Request: chat_id is empty` |
//! | an id nobody knows, junk, an `@name` of no public group | 400 `Bad Request: chat not found` |
//! | a user who never wrote to the bot | 403 `Forbidden: bot can't initiate conversation with a user` |
//! | a group the bot left | 403 `Forbidden: bot is not a member of the group chat` (`supergroup`, `channel`) |
//! | a group the bot was banned from | 403 `Forbidden: bot was kicked from the group chat` (…) |
//! | writing to a channel as a non-administrator | 400 `Bad Request: need administrator rights in the channel chat` |
//! | writing as a restricted member | 400 `Bad Request: not enough rights to send text messages to the chat` |

use bale_api::{ApiError, Chat, ChatId, ChatType};

use crate::methods::Call;
use crate::world::MemberStatus;

/// What the bot wants to do in the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Read it (getChat, editing, deleting).
    Read,
    /// Post to it.
    Write,
}

/// A chat the bot may use.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// The chat as messages show it.
    pub chat: Chat,
    /// The bot's standing in a group chat (`None` in private chats).
    pub standing: Option<MemberStatus>,
    /// Whether the chat numbers its messages itself (supergroups, channels).
    pub own_numbering: bool,
}

/// `Bad Request: chat_id is empty`.
pub(crate) fn chat_id_empty() -> ApiError {
    ApiError::new(400, "Bad Request: chat_id is empty")
}

/// `Bad Request: chat not found`.
pub(crate) fn chat_not_found() -> ApiError {
    ApiError::new(400, "Bad Request: chat not found")
}

/// The chat `chat_id` names, if the bot may use it as `need` says.
pub(crate) fn resolve(
    call: &Call<'_>,
    chat_id: Option<&str>,
    need: Need,
) -> Result<Target, ApiError> {
    let text = chat_id.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(chat_id_empty());
    }
    let directory = call.world.read();
    let group = match text.strip_prefix('@') {
        Some(name) => directory.chat_by_username(name),
        None => {
            let id: ChatId = text.parse().map_err(|_| chat_not_found())?;
            if id > 0 {
                drop(directory);
                return private(call, id);
            }
            directory.chat(id)
        }
    };
    let group = group.ok_or_else(chat_not_found)?;
    let kind = match group.chat.kind {
        ChatType::Group => "group",
        ChatType::Supergroup => "supergroup",
        _ => "channel",
    };
    let standing = group.status(call.bot);
    match standing {
        None => return Err(chat_not_found()),
        Some(MemberStatus::Kicked) => {
            return Err(ApiError::new(
                403,
                format!("Forbidden: bot was kicked from the {kind} chat"),
            ))
        }
        Some(MemberStatus::Left) => {
            return Err(ApiError::new(
                403,
                format!("Forbidden: bot is not a member of the {kind} chat"),
            ))
        }
        Some(status) if need == Need::Write => {
            if group.chat.kind == ChatType::Channel && !status.is_admin() {
                return Err(ApiError::new(
                    400,
                    "Bad Request: need administrator rights in the channel chat",
                ));
            }
            if status == MemberStatus::Restricted {
                return Err(ApiError::new(
                    400,
                    "Bad Request: not enough rights to send text messages to the chat",
                ));
            }
        }
        Some(_) => {}
    }
    Ok(Target {
        chat: group.chat.clone(),
        standing,
        own_numbering: group.numbers_its_messages(),
    })
}

fn private(call: &Call<'_>, user_id: ChatId) -> Result<Target, ApiError> {
    let user = call.world.read().user(user_id).cloned();
    match user {
        Some(user) if call.state.conversation.knows_chat(user_id) => Ok(Target {
            chat: Chat::private(&user),
            standing: None,
            own_numbering: false,
        }),
        Some(_) => Err(ApiError::new(
            403,
            "Forbidden: bot can't initiate conversation with a user",
        )),
        None => Err(chat_not_found()),
    }
}
