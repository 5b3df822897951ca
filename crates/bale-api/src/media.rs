//! File objects: the media a message carries and `getFile`'s [`File`], with their keys in the
//! order the real server writes them (tdlib/telegram-bot-api `Client.cpp`: `JsonPhotoSize`,
//! `JsonDocument`, `JsonAudio`, … each ending with `json_store_file`'s `file_id`,
//! `file_unique_id`, `file_size`).

use serde::{Deserialize, Serialize};

/// One size of a photo (`JsonPhotoSize`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoSize {
    /// The identifier to download or resend this size with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A general file (`JsonDocument`; also an animation's `document` twin).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The file name the sender gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// A music file (`JsonAudio`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audio {
    /// Duration in seconds, as the sender gave it.
    #[serde(default)]
    pub duration: u32,
    /// The file name the sender gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The track's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The performer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performer: Option<String>,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// A video (`JsonVideo`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    /// Duration in seconds, as the sender gave it.
    #[serde(default)]
    pub duration: u32,
    /// Width, as the sender gave it.
    #[serde(default)]
    pub width: u32,
    /// Height, as the sender gave it.
    #[serde(default)]
    pub height: u32,
    /// The file name the sender gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// A voice note (`JsonVoiceNote`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// Duration in seconds, as the sender gave it.
    #[serde(default)]
    pub duration: u32,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// A GIF or silent video (`JsonAnimation`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Animation {
    /// The file name the sender gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Duration in seconds, as the sender gave it.
    #[serde(default)]
    pub duration: u32,
    /// Width, as the sender gave it.
    #[serde(default)]
    pub width: u32,
    /// Height, as the sender gave it.
    #[serde(default)]
    pub height: u32,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// A sticker (`JsonSticker`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sticker {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The emoji it stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    /// The set it belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_name: Option<String>,
    /// A `.tgs` animated sticker.
    #[serde(default)]
    pub is_animated: bool,
    /// A `.webm` video sticker.
    #[serde(default)]
    pub is_video: bool,
    /// `regular`, `mask` or `custom_emoji`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The identifier to download or resend it with (bot-specific).
    pub file_id: String,
    /// The same for every bot; cannot be used to download.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// `getFile`'s result (`JsonFile` with its path).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    /// The identifier it was asked by.
    pub file_id: String,
    /// The same for every bot.
    pub file_unique_id: String,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// Where to download it: `<base>/file/bot<token>/<file_path>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_path: Option<String>,
}
