//! What a test sends to play the users, and what it gets back: members and chats to
//! declare, a user's message (text, a document or a photo), a button press, and the answers.

use bale_api::{BotId, ChatId, ChatType, Message};
use serde::{Deserialize, Serialize};

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::PlayError;
use crate::conversation::Sender;
use crate::files::{FileKind, NewFile};
use crate::media;
use crate::world::MemberStatus;

/// A member of a declared chat: `{"user": 7001, "status": "creator"}` in `members`,
/// `{"bot": 123, "status": "administrator"}` in `bots`; `{"id": …}`, or the bare id, is
/// the user or the bot the list is of.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct MemberSpec {
    /// A user's id.
    pub user: Option<i64>,
    /// A bot's id.
    pub bot: Option<BotId>,
    /// The id, when it does not say whose.
    pub id: Option<i64>,
    /// Its standing (default `member`).
    pub status: MemberStatus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberObject {
    #[serde(default)]
    user: Option<i64>,
    #[serde(default)]
    bot: Option<BotId>,
    #[serde(default)]
    id: Option<i64>,
    #[serde(default = "member")]
    status: MemberStatus,
}

/// A bare id, or an object whose mistakes (an unknown field, a wrong status) are named.
impl TryFrom<serde_json::Value> for MemberSpec {
    type Error = String;

    fn try_from(value: serde_json::Value) -> Result<MemberSpec, String> {
        if let Some(id) = value.as_i64() {
            return Ok(MemberSpec {
                user: None,
                bot: None,
                id: Some(id),
                status: MemberStatus::Member,
            });
        }
        let object: MemberObject = serde_json::from_value(value).map_err(|e| {
            format!("a member is an id or {{\"user\"|\"bot\"|\"id\": ID, \"status\": …}}: {e}")
        })?;
        Ok(MemberSpec {
            user: object.user,
            bot: object.bot,
            id: object.id,
            status: object.status,
        })
    }
}

fn member() -> MemberStatus {
    MemberStatus::Member
}

/// A chat a test or a scenario declares.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatSpec {
    /// Its id; chosen when absent.
    #[serde(default)]
    pub id: Option<ChatId>,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type")]
    pub kind: ChatType,
    /// Group chats: the title.
    #[serde(default)]
    pub title: Option<String>,
    /// Supergroups and channels: the public username.
    #[serde(default)]
    pub username: Option<String>,
    /// Group chats: the description.
    #[serde(default)]
    pub description: Option<String>,
    /// Private chats: the user whose chat with the bots it is.
    #[serde(default)]
    pub user: Option<i64>,
    /// Users in a group chat.
    #[serde(default)]
    pub members: Vec<MemberSpec>,
    /// Bots in the chat.
    #[serde(default)]
    pub bots: Vec<MemberSpec>,
}

/// A user writing to a bot: a text, or a document or photo with an optional caption.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserMessage {
    /// The user's id (made on first use).
    pub from: i64,
    /// The text of a text message.
    #[serde(default)]
    pub text: Option<String>,
    /// A file the user sends.
    #[serde(default)]
    pub document: Option<UserDocument>,
    /// A photo the user sends.
    #[serde(default)]
    pub photo: Option<UserPhoto>,
    /// The caption of a document or photo.
    #[serde(default)]
    pub caption: Option<String>,
    /// The chat: the user's private chat with the bot when absent.
    #[serde(default)]
    pub chat: Option<ChatId>,
    /// The message it replies to.
    #[serde(default)]
    pub reply_to_message_id: Option<i64>,
}

/// A file a user sends; it goes into the file store, owned by the bot it is sent to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDocument {
    /// Its name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Its MIME type (from the name's extension when absent).
    #[serde(default)]
    pub mime_type: Option<String>,
    /// The content, base64 (standard alphabet, padding optional).
    pub content_base64: String,
}

/// A photo a user sends: its size is what the test says, else what the image's header says
/// ([`crate::media::photo_size`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPhoto {
    /// The content, base64 (standard alphabet, padding optional).
    pub content_base64: String,
    /// Width in pixels.
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default)]
    pub height: Option<u32>,
}

/// What a user's message holds, checked before anything changes.
pub(super) enum Content {
    Text(String),
    File(NewFile, Option<String>),
}

impl UserMessage {
    pub(super) fn content(&self) -> Result<Content, PlayError> {
        let refused = |text: &str| PlayError::Refused(text.to_owned());
        let decode = |content: &str| {
            BASE64
                .decode(content.trim())
                .map_err(|e| PlayError::Refused(format!("content_base64 is not base64: {e}")))
        };
        match (&self.text, &self.document, &self.photo) {
            (Some(text), None, None) if self.caption.is_none() => Ok(Content::Text(text.clone())),
            (None, Some(document), None) => {
                let file_name = document.file_name.clone().filter(|n| !n.is_empty());
                let mime_type = document.mime_type.clone().or_else(|| {
                    file_name
                        .as_deref()
                        .and_then(|name| media::mime_type(name, None))
                });
                let file = NewFile {
                    kind: FileKind::Document,
                    file_name,
                    mime_type,
                    dimensions: (0, 0),
                    bytes: decode(&document.content_base64)?.into(),
                };
                Ok(Content::File(file, self.caption.clone()))
            }
            (None, None, Some(photo)) => {
                let bytes = decode(&photo.content_base64)?;
                let (width, height) = media::photo_size(&bytes);
                let file = NewFile {
                    kind: FileKind::Photo,
                    file_name: None,
                    mime_type: None,
                    dimensions: (photo.width.unwrap_or(width), photo.height.unwrap_or(height)),
                    bytes: bytes.into(),
                };
                Ok(Content::File(file, self.caption.clone()))
            }
            (None, None, None) => Err(refused(
                "a message has a \"text\", a \"document\" or a \"photo\"",
            )),
            (Some(_), None, None) => Err(refused(
                "a text message has no \"caption\": a caption goes with a document or a photo",
            )),
            _ => Err(refused(
                "a message has one of \"text\", \"document\" and \"photo\"",
            )),
        }
    }
}

/// Base64 as tests write it: the standard alphabet, with or without padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A user pressing an inline button.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ButtonPress {
    /// The user's id.
    pub from: i64,
    /// The chat of the message: the user's private chat when absent.
    #[serde(default)]
    pub chat: Option<ChatId>,
    /// The message with the button.
    pub message_id: i64,
    /// The button's `callback_data`.
    pub data: String,
}

/// What a user's message became.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Written {
    /// The message as stored.
    pub message: Message,
    /// The update it was queued as; `None` when the bot does not receive it (privacy mode
    /// in a group, or an update type it did not ask for, or a full queue).
    pub update_id: Option<i64>,
}

/// What a button press became.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pressed {
    /// The query's id, for `answerCallbackQuery` and the control API.
    pub callback_query_id: String,
    /// The update it was queued as.
    pub update_id: Option<i64>,
}

/// Who wrote the messages a transcript read asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum From {
    /// The bot.
    Bot,
    /// The users.
    User,
    /// Anyone.
    #[default]
    Any,
}

impl From {
    pub(super) fn matches(self, sender: Sender) -> bool {
        match self {
            From::Any => true,
            From::Bot => sender == Sender::Bot,
            From::User => sender == Sender::User,
        }
    }
}
