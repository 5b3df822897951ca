//! Building the messages a bot sends: the id, sender, chat and date the server gives them,
//! the reply they answer, their formatted text, and keeping them in the bot's transcript.

use bale_api::text::{self, FormattedText};
use bale_api::{ApiError, ChatType, Message};
use serde::Deserialize;

use crate::access::Target;
use crate::conversation::Sender;
use crate::methods::{self, done, Call};

/// `Bad Request: message to be replied not found`.
fn reply_not_found() -> ApiError {
    ApiError::new(400, "Bad Request: message to be replied not found")
}

/// `reply_parameters`, as far as the mock reads it.
#[derive(Deserialize)]
struct ReplyParameters {
    message_id: Option<i64>,
    #[serde(default)]
    allow_sending_without_reply: bool,
}

/// The message a new one replies to: from `reply_parameters` (JSON) or the legacy
/// `reply_to_message_id`; `None` when there is none, or it is gone and sending without it
/// is allowed.
pub(crate) fn reply_to(
    call: &Call<'_>,
    target: &Target,
    reply_to_message_id: Option<i64>,
    reply_parameters: Option<&str>,
    allow_sending_without_reply: bool,
) -> Result<Option<Box<Message>>, ApiError> {
    let (id, allow) = match reply_parameters.filter(|t| !t.is_empty()) {
        Some(json) => {
            let value: serde_json::Value = serde_json::from_str(json).map_err(|_| {
                ApiError::new(400, "Bad Request: can't parse reply parameters JSON object")
            })?;
            if !value.is_object() {
                return Err(ApiError::new(
                    400,
                    "Bad Request: object expected as reply parameters",
                ));
            }
            let parameters: ReplyParameters = serde_json::from_value(value).map_err(|_| {
                ApiError::new(400, "Bad Request: can't parse reply parameters JSON object")
            })?;
            (
                parameters.message_id,
                parameters.allow_sending_without_reply,
            )
        }
        None => (reply_to_message_id, allow_sending_without_reply),
    };
    let Some(id) = id.filter(|id| *id != 0) else {
        return Ok(None);
    };
    match call.state.conversation.message(target.chat.id, id) {
        Some(stored) => {
            let mut replied = stored.message.clone();
            // The real server nests replies one level only.
            replied.reply_to_message = None;
            Ok(Some(Box::new(replied)))
        }
        None if allow => Ok(None),
        None => Err(reply_not_found()),
    }
}

/// A text or caption with its `parse_mode` or `entities` applied and checked as the real
/// server does it (tdlib's cleaning, trimming and limits), with the entities the server
/// finds by itself (commands, mentions, links).
pub(crate) fn format(
    input: &str,
    parse_mode: Option<&str>,
    entities: Option<&str>,
    caption: bool,
) -> Result<FormattedText, ApiError> {
    let formatted = if caption {
        text::parse_caption(input, parse_mode, entities)
    } else {
        text::parse_message_text(input, parse_mode, entities)
    };
    formatted.map_err(ApiError::from)
}

/// Gives `message` the id, sender, chat and date of a new message from the bot in
/// `target`, keeps it in the bot's transcript, and returns it.
pub(crate) fn post(call: &mut Call<'_>, target: &Target, mut message: Message) -> Message {
    address(call, target, &mut message);
    call.state.conversation.store(Sender::Bot, message.clone());
    message
}

/// [`post`], answering with the message: it is serialised, then kept, not copied.
pub(crate) fn send(call: &mut Call<'_>, target: &Target, mut message: Message) -> methods::Result {
    address(call, target, &mut message);
    let answer = done(&message);
    call.state.conversation.store(Sender::Bot, message);
    answer
}

/// Gives `message` the id, sender, chat and date of a new message from the bot in `target`.
fn address(call: &mut Call<'_>, target: &Target, message: &mut Message) {
    message.message_id = if target.own_numbering {
        let mut directory = call.world.write();
        directory.chat_mut(target.chat.id).map_or(1, |group| {
            let id = group.next_message_id;
            group.next_message_id += 1;
            id
        })
    } else {
        call.state.conversation.next_message_id()
    };
    if target.chat.kind == ChatType::Channel {
        message.sender_chat = Some(target.chat.clone());
    } else {
        message.from = Some(call.me().plain());
    }
    message.chat = Some(target.chat.clone());
    message.date = call.date();
}

/// `Bad Request: message is not modified: …`, an edit that changes nothing.
pub(crate) fn not_modified() -> ApiError {
    ApiError::new(
        400,
        "Bad Request: message is not modified: specified new message content and reply markup \
         are exactly the same as a current content and reply markup of the message",
    )
}

/// The bot's own message an `editMessage*` call names, checked as the real server checks
/// it: identifiers, the chat, then the message.
pub(crate) fn editable(
    call: &Call<'_>,
    chat_id: Option<&str>,
    message_id: Option<i64>,
    inline_message_id: Option<&str>,
) -> Result<(Target, Message), ApiError> {
    let not_found = || ApiError::new(400, "Bad Request: message to edit not found");
    let chat_given = chat_id.is_some_and(|c| !c.is_empty());
    if !chat_given && message_id.unwrap_or(0) == 0 {
        // The mock sends no inline messages, so no inline_message_id can name one.
        return Err(match inline_message_id.filter(|id| !id.is_empty()) {
            Some(_) => not_found(),
            None => ApiError::new(400, "Bad Request: message identifier is not specified"),
        });
    }
    let target = crate::access::resolve(call, chat_id, crate::access::Need::Read)?;
    let id = message_id.filter(|id| *id > 0).ok_or_else(not_found)?;
    let stored = call
        .state
        .conversation
        .message(target.chat.id, id)
        .ok_or_else(not_found)?;
    if stored.sender != Sender::Bot {
        return Err(ApiError::new(400, "Bad Request: message can't be edited"));
    }
    let message = stored.message.clone();
    Ok((target, message))
}

/// Keeps the edited version of a message (dated now) and returns it.
pub(crate) fn save_edit(call: &mut Call<'_>, mut message: Message) -> Message {
    message.edit_date = Some(call.date());
    let chat = message.chat.as_ref().map_or(0, |c| c.id);
    let conversation = &mut call.state.conversation;
    if let Some(stored) = conversation.message_mut(chat, message.message_id) {
        stored.message = message.clone();
    }
    conversation.touch();
    message
}
