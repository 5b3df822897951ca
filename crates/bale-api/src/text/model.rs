//! The internal entity model, mirroring tdlib's `MessageEntity`: a closed set of kinds with
//! td's sort priorities and classes, converted to the wire [`MessageEntity`] only at the end.

use std::cmp::Ordering;

use serde_json::json;

use crate::MessageEntity;

/// Entity kinds, in tdlib's order (the order matters for the splittable-entity indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Mention,
    Hashtag,
    BotCommand,
    Url,
    EmailAddress,
    Bold,
    Italic,
    Code,
    Pre,
    PreCode,
    TextUrl,
    MentionName,
    Cashtag,
    PhoneNumber,
    Underline,
    Strikethrough,
    BlockQuote,
    BankCardNumber,
    Spoiler,
    CustomEmoji,
    ExpandableBlockQuote,
    FormattedDate,
}

impl Kind {
    /// td's `get_type_priority`: among entities with the same range, the lower sorts first
    /// (is the outer one).
    fn priority(self) -> i32 {
        match self {
            Kind::Bold => 90,
            Kind::Italic => 91,
            Kind::Code => 20,
            Kind::Pre => 11,
            Kind::PreCode => 10,
            Kind::TextUrl | Kind::MentionName => 49,
            Kind::Underline => 92,
            Kind::Strikethrough => 93,
            Kind::BlockQuote | Kind::ExpandableBlockQuote => 0,
            Kind::Spoiler => 94,
            Kind::CustomEmoji => 99,
            Kind::FormattedDate => 30,
            _ => 50,
        }
    }

    /// The name td uses in "Can't find end of … entity" errors.
    pub(crate) fn td_name(self) -> &'static str {
        match self {
            Kind::Mention => "Mention",
            Kind::Hashtag => "Hashtag",
            Kind::BotCommand => "BotCommand",
            Kind::Url => "Url",
            Kind::EmailAddress => "EmailAddress",
            Kind::Bold => "Bold",
            Kind::Italic => "Italic",
            Kind::Code => "Code",
            Kind::Pre => "Pre",
            Kind::PreCode => "PreCode",
            Kind::TextUrl => "TextUrl",
            Kind::MentionName => "MentionName",
            Kind::Cashtag => "Cashtag",
            Kind::PhoneNumber => "PhoneNumber",
            Kind::Underline => "Underline",
            Kind::Strikethrough => "Strikethrough",
            Kind::BlockQuote => "BlockQuote",
            Kind::BankCardNumber => "BankCardNumber",
            Kind::Spoiler => "Spoiler",
            Kind::CustomEmoji => "CustomEmoji",
            Kind::ExpandableBlockQuote => "ExpandableBlockQuote",
            Kind::FormattedDate => "FormattedDate",
        }
    }

    /// Bold, italic, underline, strikethrough and spoiler may be split and merged freely.
    pub(crate) fn is_splittable(self) -> bool {
        self.splittable_index().is_some()
    }

    /// The slot of a splittable kind, in td's order.
    pub(crate) fn splittable_index(self) -> Option<usize> {
        match self {
            Kind::Bold => Some(0),
            Kind::Italic => Some(1),
            Kind::Underline => Some(2),
            Kind::Strikethrough => Some(3),
            Kind::Spoiler => Some(4),
            _ => None,
        }
    }

    /// Block quotes may hold other entities but never intersect them.
    pub(crate) fn is_blockquote(self) -> bool {
        matches!(self, Kind::BlockQuote | Kind::ExpandableBlockQuote)
    }

    /// Kinds that can neither be split nor contain another continuous entity.
    pub(crate) fn is_continuous(self) -> bool {
        matches!(
            self,
            Kind::Mention
                | Kind::Hashtag
                | Kind::BotCommand
                | Kind::Url
                | Kind::EmailAddress
                | Kind::TextUrl
                | Kind::MentionName
                | Kind::Cashtag
                | Kind::PhoneNumber
                | Kind::BankCardNumber
                | Kind::CustomEmoji
        )
    }

    /// Code-like kinds, which contain no nested entity.
    pub(crate) fn is_pre(self) -> bool {
        matches!(
            self,
            Kind::Pre | Kind::Code | Kind::PreCode | Kind::FormattedDate
        )
    }

    /// Kinds a user may send (td's user entities); the others are found by the server.
    pub(crate) fn is_user(self) -> bool {
        self.is_splittable()
            || self.is_blockquote()
            || self.is_pre()
            || matches!(self, Kind::TextUrl | Kind::MentionName | Kind::CustomEmoji)
    }

    /// A bit for type masks.
    pub(crate) fn mask(self) -> u32 {
        1 << (self as u32)
    }
}

/// One entity: UTF-16 offset and length, plus the kind's argument (URL, language, date
/// format), user id, custom emoji id or Unix time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entity {
    pub kind: Kind,
    pub offset: i32,
    pub length: i32,
    pub argument: String,
    pub user_id: i64,
    pub custom_emoji_id: i64,
    pub date: i32,
}

impl Entity {
    /// An entity with no argument.
    pub(crate) fn new(kind: Kind, offset: i32, length: i32) -> Entity {
        Entity::with_argument(kind, offset, length, String::new())
    }

    /// An entity with a string argument.
    pub(crate) fn with_argument(kind: Kind, offset: i32, length: i32, argument: String) -> Entity {
        Entity {
            kind,
            offset,
            length,
            argument,
            user_id: 0,
            custom_emoji_id: 0,
            date: 0,
        }
    }

    /// The end offset.
    pub(crate) fn end(&self) -> i32 {
        self.offset + self.length
    }

    /// td's `operator<`: by offset, then longer first, then by priority.
    pub(crate) fn order(&self, other: &Entity) -> Ordering {
        self.offset
            .cmp(&other.offset)
            .then(other.length.cmp(&self.length))
            .then(self.kind.priority().cmp(&other.kind.priority()))
    }

    /// The wire form the Bot API sends.
    pub(crate) fn to_message_entity(&self) -> MessageEntity {
        let name = match self.kind {
            Kind::Mention => "mention",
            Kind::Hashtag => "hashtag",
            Kind::Cashtag => "cashtag",
            Kind::BotCommand => "bot_command",
            Kind::Url => "url",
            Kind::EmailAddress => "email",
            Kind::PhoneNumber => "phone_number",
            Kind::BankCardNumber => "bank_card_number",
            Kind::Bold => "bold",
            Kind::Italic => "italic",
            Kind::Underline => "underline",
            Kind::Strikethrough => "strikethrough",
            Kind::Spoiler => "spoiler",
            Kind::Code => "code",
            Kind::Pre | Kind::PreCode => "pre",
            Kind::TextUrl => "text_link",
            Kind::MentionName => "text_mention",
            Kind::CustomEmoji => "custom_emoji",
            Kind::BlockQuote => "blockquote",
            Kind::ExpandableBlockQuote => "expandable_blockquote",
            Kind::FormattedDate => "date_time",
        };
        let mut e = MessageEntity::new(name, i64::from(self.offset), i64::from(self.length));
        match self.kind {
            Kind::PreCode => e.language = Some(self.argument.clone()),
            Kind::TextUrl => e.url = Some(self.argument.clone()),
            // What the Bot API writes for a user it has no details of; a server that knows
            // the user replaces it (see `MessageEntity::mentioned_user_id`).
            Kind::MentionName => {
                e.user = Some(json!({"id": self.user_id, "is_bot": false, "first_name": ""}))
            }
            Kind::CustomEmoji => e.custom_emoji_id = Some(self.custom_emoji_id.to_string()),
            Kind::FormattedDate => {
                e.unix_time = Some(i64::from(self.date));
                e.date_time_format = Some(self.argument.clone());
            }
            _ => {}
        }
        e
    }
}

/// td's `sort_entities`; stable, so equal entities keep their order.
pub(crate) fn sort_entities(entities: &mut [Entity]) {
    entities.sort_by(Entity::order);
}

/// td's `remove_empty_entities`: drops empty entities and those missing their argument.
pub(crate) fn remove_empty_entities(entities: &mut Vec<Entity>) {
    entities.retain(|e| {
        e.length > 0
            && match e.kind {
                Kind::TextUrl => !e.argument.is_empty(),
                Kind::MentionName => is_valid_user_id(e.user_id),
                Kind::CustomEmoji => e.custom_emoji_id != 0,
                Kind::FormattedDate => e.date > 0,
                _ => true,
            }
    });
}

/// td's `UserId::is_valid`.
pub(crate) fn is_valid_user_id(id: i64) -> bool {
    0 < id && id < (1 << 40)
}

/// td's date flags turned into the Bot API's `date_time_format` letters: `r` alone, or
/// `w`, then `d`/`D`, then `t`/`T`. `None` for a format td rejects.
pub(crate) fn normalize_date_format(format: &str) -> Option<String> {
    if format == "r" || format == "R" {
        return Some("r".into());
    }
    let (mut short_time, mut long_time, mut short_date, mut long_date, mut week) =
        (false, false, false, false, false);
    for c in format.chars() {
        match c {
            't' => short_time = true,
            'T' => long_time = true,
            'd' => short_date = true,
            'D' => long_date = true,
            'w' | 'W' => week = true,
            _ => return None,
        }
    }
    let mut out = String::new();
    if week {
        out.push('w');
    }
    if short_date {
        out.push('d');
    } else if long_date {
        out.push('D');
    }
    if short_time {
        out.push('t');
    } else if long_time {
        out.push('T');
    }
    Some(out)
}

/// td's `to_integer_safe<int64>`: the whole string must be the canonical decimal form.
pub(crate) fn to_integer_safe(s: &str) -> Option<i64> {
    let n: i64 = s.parse().ok()?;
    (n.to_string() == s).then_some(n)
}

/// td's lenient `to_integer<int32>`: an optional `-`, then digits up to the first
/// non-digit, wrapping on overflow.
pub(crate) fn to_integer_i32(s: &str) -> i32 {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut value: u32 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        value = value.wrapping_mul(10).wrapping_add(u32::from(b - b'0'));
    }
    let v = value as i32;
    if negative {
        v.wrapping_neg()
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_offset_then_longer_then_priority() {
        let mut v = vec![
            Entity::new(Kind::Italic, 0, 2),
            Entity::new(Kind::Bold, 0, 2),
            Entity::new(Kind::Bold, 0, 5),
            Entity::new(Kind::Code, 1, 1),
        ];
        sort_entities(&mut v);
        let kinds: Vec<_> = v.iter().map(|e| (e.kind, e.length)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Bold, 5),
                (Kind::Bold, 2),
                (Kind::Italic, 2),
                (Kind::Code, 1)
            ]
        );
    }

    #[test]
    fn date_formats_and_integers_follow_td() {
        assert_eq!(normalize_date_format("R").as_deref(), Some("r"));
        assert_eq!(normalize_date_format("TdW").as_deref(), Some("wdT"));
        assert_eq!(normalize_date_format("").as_deref(), Some(""));
        assert_eq!(normalize_date_format("x"), None);
        assert_eq!(to_integer_safe("12"), Some(12));
        assert_eq!(to_integer_safe("012"), None);
        assert_eq!(to_integer_safe("+1"), None);
        assert_eq!(to_integer_i32("123abc"), 123);
        assert_eq!(to_integer_i32("-5"), -5);
        assert_eq!(to_integer_i32("4294967297"), 1);
    }
}
