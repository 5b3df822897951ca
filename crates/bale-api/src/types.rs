//! Bot API objects, with their fields in the order the real server writes them
//! (tdlib/telegram-bot-api `Client.cpp`, `JsonUser`, `JsonChat`, `JsonMessage`, …), so that
//! the mock's answers match it byte for byte and a client can read either.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::media::{Animation, Audio, Document, PhotoSize, Sticker, Video, Voice};
use crate::{BotId, Invoice, MessageEntity, PreCheckoutQuery, SuccessfulPayment};

/// A chat or user identifier: a user's id is its private chat's id; basic groups are
/// negative; supergroups and channels are `-100…`.
pub type ChatId = i64;

/// A message identifier, unique inside a chat.
pub type MessageIdNumber = i64;

fn is_false(value: &bool) -> bool {
    !*value
}

/// A user or bot. `getMe` adds the bot-only flags; elsewhere they are absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Unique identifier.
    pub id: i64,
    /// True for bots.
    #[serde(default)]
    pub is_bot: bool,
    /// First name (a bot's display name).
    #[serde(default)]
    pub first_name: String,
    /// Last name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Username, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's language, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// Whether the bot can be invited to groups (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_join_groups: Option<bool>,
    /// Whether privacy mode is off (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_read_all_group_messages: Option<bool>,
    /// Whether the bot supports inline queries (getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_inline_queries: Option<bool>,
    /// Whether the bot answers guest queries (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports_guest_queries: Option<bool>,
    /// Whether the bot can be connected to a business account (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_connect_to_business: Option<bool>,
    /// Whether the bot has a main Web App (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_main_web_app: Option<bool>,
    /// Whether forum topics are enabled in the bot's private chats (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_topics_enabled: Option<bool>,
    /// Whether users may create topics there (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allows_users_to_create_topics: Option<bool>,
    /// Whether the bot may manage other bots (Telegram's getMe only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_manage_bots: Option<bool>,
}

impl User {
    /// The User object the mock answers `getMe` with for a zero-config bot: its id is the
    /// token's bot id, its names are derived from it.
    pub fn mock_bot(id: BotId) -> User {
        User {
            id,
            is_bot: true,
            first_name: format!("Mock Bot {id}"),
            username: Some(format!("mock_{id}_bot")),
            can_join_groups: Some(true),
            can_read_all_group_messages: Some(false),
            supports_inline_queries: Some(false),
            ..User::default()
        }
    }

    /// This user as it appears inside messages: without the getMe-only flags.
    pub fn plain(&self) -> User {
        User {
            can_join_groups: None,
            can_read_all_group_messages: None,
            supports_inline_queries: None,
            supports_guest_queries: None,
            can_connect_to_business: None,
            has_main_web_app: None,
            has_topics_enabled: None,
            allows_users_to_create_topics: None,
            can_manage_bots: None,
            ..self.clone()
        }
    }
}

/// The kind of a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatType {
    /// A user's chat with the bot.
    Private,
    /// A basic group.
    Group,
    /// A supergroup.
    Supergroup,
    /// A channel.
    Channel,
}

impl ChatType {
    /// The name the wire uses.
    pub fn name(self) -> &'static str {
        match self {
            ChatType::Private => "private",
            ChatType::Group => "group",
            ChatType::Supergroup => "supergroup",
            ChatType::Channel => "channel",
        }
    }
}

/// A chat as it appears inside messages (tdlib's `JsonChat` without the full info).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// The chat id.
    pub id: ChatId,
    /// Groups, supergroups and channels: the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Private chats: the user's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Private chats: the user's last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Private chats, supergroups and channels: the username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The kind of chat.
    #[serde(rename = "type")]
    pub kind: ChatType,
    /// Basic groups: a legacy flag tdlib still writes (undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_members_are_administrators: Option<bool>,
}

impl Chat {
    /// The private chat with `user`.
    pub fn private(user: &User) -> Chat {
        Chat {
            id: user.id,
            title: None,
            first_name: Some(user.first_name.clone()),
            last_name: user.last_name.clone(),
            username: user.username.clone(),
            kind: ChatType::Private,
            all_members_are_administrators: None,
        }
    }
}

/// A point on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude.
    pub latitude: f64,
    /// Longitude.
    pub longitude: f64,
    /// The radius of uncertainty, in metres (0–1500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_accuracy: Option<f64>,
}

/// A phone contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The phone number.
    pub phone_number: String,
    /// The first name.
    pub first_name: String,
    /// The last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The contact's user id, when it is a known user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    /// The vCard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcard: Option<String>,
}

/// A message, with the keys in tdlib's order (`JsonMessage::store`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Unique inside the chat.
    pub message_id: MessageIdNumber,
    /// The sender; absent in channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<User>,
    /// The channel a channel post was sent on behalf of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_chat: Option<Chat>,
    /// The chat it belongs to.
    pub chat: Option<Chat>,
    /// When it was sent (Unix time).
    pub date: i64,
    /// When it was last edited (Unix time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_date: Option<i64>,
    /// Where a forwarded message came from (`MessageOrigin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_origin: Option<Value>,
    /// Legacy: the original sender of a forwarded message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_from: Option<User>,
    /// Legacy: when the original was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_date: Option<i64>,
    /// The message this one replies to (one level deep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message: Option<Box<Message>>,
    /// The album a media message belongs to (a decimal string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_group_id: Option<String>,
    /// The text of a text message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The entities of the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<MessageEntity>,
    /// An animation (its message also carries it as `document`, as the real server writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animation: Option<Animation>,
    /// A music file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<Audio>,
    /// A general file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    /// A photo, its sizes smallest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photo: Vec<PhotoSize>,
    /// A sticker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker: Option<Sticker>,
    /// A video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<Video>,
    /// A voice note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Voice>,
    /// A caption of a media message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The entities of the caption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption_entities: Vec<MessageEntity>,
    /// A shared contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// An invoice (`sendInvoice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<Invoice>,
    /// A shared location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// A member added: tdlib writes the legacy `new_chat_participant` beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_chat_participant: Option<User>,
    /// The first member added (legacy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_chat_member: Option<User>,
    /// The members added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_chat_members: Vec<User>,
    /// A member removed: tdlib writes the legacy `left_chat_participant` beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_chat_participant: Option<User>,
    /// A member removed from the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_chat_member: Option<User>,
    /// The chat's new title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_chat_title: Option<String>,
    /// The chat's new photo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_chat_photo: Vec<crate::PhotoSize>,
    /// The chat's photo was deleted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete_chat_photo: bool,
    /// The message that was pinned (its replies are not nested).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_message: Option<Box<Message>>,
    /// The service message of a payment that went through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_payment: Option<SuccessfulPayment>,
    /// An inline keyboard (other keyboards are never echoed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<Value>,
    /// Set when the message's content is protected from forwarding and saving.
    #[serde(default, skip_serializing_if = "is_false")]
    pub has_protected_content: bool,
}

/// `copyMessage`'s result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageId {
    /// The new message's id.
    pub message_id: MessageIdNumber,
}

/// An inline-button press.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallbackQuery {
    /// A decimal string of a 64-bit integer.
    pub id: String,
    /// Who pressed.
    pub from: User,
    /// The message with the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// A decimal string identifying the chat the message is in.
    pub chat_instance: String,
    /// The button's `callback_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// An incoming update. The mock stores and sends updates as JSON; this type is for clients
/// that read them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// Sequential identifier.
    pub update_id: i64,
    /// A new message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// An edited message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_message: Option<Message>,
    /// A new channel post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_post: Option<Message>,
    /// An inline-button press.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_query: Option<CallbackQuery>,
    /// A user confirming a payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_checkout_query: Option<PreCheckoutQuery>,
}

/// `getWebhookInfo`'s result, keys in tdlib's order (`JsonWebhookInfo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookInfo {
    /// The webhook URL; empty when none is set.
    pub url: String,
    /// Whether a custom certificate was given.
    pub has_custom_certificate: bool,
    /// Updates waiting to be delivered.
    pub pending_update_count: u64,
    /// When the last delivery failed (Unix time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error_date: Option<i64>,
    /// Why the last delivery failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error_message: Option<String>,
    /// Connections the server may open at once (only while a webhook is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
    /// The IP address the host resolved to (only while a webhook is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// The update types asked for, when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_updates: Option<Vec<String>>,
}
