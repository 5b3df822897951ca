//! [`MessageEntity`]: a special part of a message text (bold, a link, a `/command`…), as the
//! Bot API sends and receives it.

use serde::{Deserialize, Serialize};

/// A special entity in a text message. Offsets and lengths count UTF-16 code units, as in
/// the Bot API; the fields are declared in the order the real server writes them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageEntity {
    /// Start of the entity, in UTF-16 code units.
    pub offset: i64,
    /// Length of the entity, in UTF-16 code units.
    pub length: i64,
    /// The entity type: `mention`, `hashtag`, `cashtag`, `bot_command`, `url`, `email`,
    /// `phone_number`, `bank_card_number`, `bold`, `italic`, `underline`, `strikethrough`,
    /// `spoiler`, `blockquote`, `expandable_blockquote`, `code`, `pre`, `text_link`,
    /// `text_mention`, `custom_emoji` or `date_time`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For `text_link`: the URL opened on a tap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For `text_mention`: the mentioned user, as a User object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<serde_json::Value>,
    /// For `pre`: the programming language of the block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// For `custom_emoji`: the sticker's identifier (a decimal string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_emoji_id: Option<String>,
    /// For `date_time`: the Unix time shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unix_time: Option<i64>,
    /// For `date_time`: how it is shown (`r` for relative, else letters of `wdDtT`; the
    /// real server always sends this field for `date_time`, empty when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time_format: Option<String>,
}

impl MessageEntity {
    /// An entity of `kind` with no extra field.
    pub fn new(kind: impl Into<String>, offset: i64, length: i64) -> MessageEntity {
        MessageEntity {
            offset,
            length,
            kind: kind.into(),
            url: None,
            user: None,
            language: None,
            custom_emoji_id: None,
            unix_time: None,
            date_time_format: None,
        }
    }

    /// The user id of a `text_mention`, so that a server that knows the user can replace
    /// the bare User object this crate puts there.
    pub fn mentioned_user_id(&self) -> Option<i64> {
        self.user.as_ref()?.get("id")?.as_i64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_in_server_order_and_skips_absent_fields() {
        let mut e = MessageEntity::new("pre", 0, 4);
        e.language = Some("rust".into());
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"offset":0,"length":4,"type":"pre","language":"rust"}"#
        );
        let bold = MessageEntity::new("bold", 1, 2);
        assert_eq!(
            serde_json::to_string(&bold).unwrap(),
            r#"{"offset":1,"length":2,"type":"bold"}"#
        );
    }

    #[test]
    fn deserializes_and_reads_the_mentioned_user() {
        let e: MessageEntity = serde_json::from_str(
            r#"{"type":"text_mention","offset":0,"length":3,"user":{"id":42,"is_bot":false,"first_name":""}}"#,
        )
        .unwrap();
        assert_eq!(e.kind, "text_mention");
        assert_eq!(e.mentioned_user_id(), Some(42));
        assert_eq!(MessageEntity::new("bold", 0, 1).mentioned_user_id(), None);
    }
}
