//! The `entities`/`caption_entities` parameter: a JSON array of MessageEntity, read as
//! tdlib/telegram-bot-api's `get_input_entities` and `get_text_entity` read it (invalid JSON
//! is ignored, a bad entity is an error), then turned into td's entities as
//! `get_message_entities` does (links are checked, found-by-server kinds are dropped).

use serde_json::{Map, Value};

use super::link::{check_link, get_link_user_id};
use super::model::{is_valid_user_id, normalize_date_format, to_integer_safe, Entity, Kind};
use crate::MessageEntity;

type Object = Map<String, Value>;

fn missing(name: &str) -> String {
    format!("Can't find field \"{name}\"")
}

/// A number field, as a string or a number, that must fit `T` exactly.
fn get_integer<T: TryFrom<i64>>(o: &Object, name: &str) -> Result<T, String> {
    let text = match o.get(name) {
        None => return Err(missing(name)),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(format!("Field \"{name}\" must be a Number")),
    };
    to_integer_safe(&text)
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| format!("Field \"{name}\" must be a valid Number"))
}

fn get_string(o: &Object, name: &str, required: bool) -> Result<String, String> {
    match o.get(name) {
        None if required => Err(missing(name)),
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(_) => Err(format!("Field \"{name}\" must be of type String")),
    }
}

/// telegram-bot-api's `get_text_entity`: the entity, `None` for kinds the server finds by
/// itself, or the error that follows "Can't parse MessageEntity: ".
fn get_text_entity(value: &Value) -> Result<Option<MessageEntity>, String> {
    let Value::Object(o) = value else {
        return Err("expected an Object".into());
    };
    let offset: i32 = get_integer(o, "offset")?;
    let length: i32 = get_integer(o, "length")?;
    let kind = get_string(o, "type", true)?;
    let mut e = MessageEntity::new(kind.as_str(), i64::from(offset), i64::from(length));
    match kind.as_str() {
        "" => return Err("Type is not specified".into()),
        "bold"
        | "italic"
        | "underline"
        | "strikethrough"
        | "spoiler"
        | "code"
        | "blockquote"
        | "expandable_blockquote" => {}
        "pre" => {
            let language = get_string(o, "language", false)?;
            e.language = (!language.is_empty()).then_some(language);
        }
        "text_link" => e.url = Some(get_string(o, "url", true)?),
        "text_mention" => {
            let user = match o.get("user") {
                None => return Err(missing("user")),
                Some(Value::Object(user)) => user,
                Some(_) => return Err("Field \"user\" must be of type Object".into()),
            };
            let id: i64 = get_integer(user, "id")?;
            e.user = Some(serde_json::json!({ "id": id }));
        }
        "custom_emoji" => {
            let id: i64 = get_integer(o, "custom_emoji_id")?;
            e.custom_emoji_id = Some(id.to_string());
        }
        "date_time" => {
            let unix_time: i32 = get_integer(o, "unix_time")?;
            let format = get_string(o, "date_time_format", false)?;
            let format =
                normalize_date_format(&format).ok_or("Invalid date-time format specified")?;
            e.unix_time = Some(i64::from(unix_time));
            e.date_time_format = Some(format);
        }
        "mention" | "hashtag" | "cashtag" | "bot_command" | "url" | "email" | "phone_number"
        | "bank_card_number" => return Ok(None),
        _ => return Err("Unsupported type specified".into()),
    }
    Ok(Some(e))
}

/// The parameter as telegram-bot-api reads it: `Ok(vec![])` for invalid JSON or a
/// non-array (ignored, as the real server does), or td's message for a bad entity.
pub(crate) fn read_entities_param(json: &str) -> Result<Vec<MessageEntity>, String> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json) else {
        return Ok(Vec::new());
    };
    let mut entities = Vec::new();
    for item in &items {
        match get_text_entity(item) {
            Ok(Some(e)) => entities.push(e),
            Ok(None) => {}
            Err(message) => return Err(format!("Can't parse MessageEntity: {message}")),
        }
    }
    Ok(entities)
}

/// Lenient reading: every array element that is a well-formed MessageEntity.
pub(crate) fn read_entities_lenient(json: &str) -> Option<Vec<MessageEntity>> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json) else {
        return None;
    };
    Some(
        items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
    )
}

fn clamp_i32(v: i64) -> i32 {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// td's `get_message_entities` for a bot: wire entities to td's, with td's messages for
/// invalid links and identifiers. Kinds the server finds itself are dropped.
pub(crate) fn to_td_entities(entities: &[MessageEntity]) -> Result<Vec<Entity>, String> {
    let mut result = Vec::with_capacity(entities.len());
    for m in entities {
        let (offset, length) = (clamp_i32(m.offset), clamp_i32(m.length));
        let mut e = Entity::new(Kind::Bold, offset, length);
        e.kind = match m.kind.as_str() {
            "bold" => Kind::Bold,
            "italic" => Kind::Italic,
            "underline" => Kind::Underline,
            "strikethrough" => Kind::Strikethrough,
            "spoiler" => Kind::Spoiler,
            "code" => Kind::Code,
            "blockquote" => Kind::BlockQuote,
            "expandable_blockquote" => Kind::ExpandableBlockQuote,
            "pre" => match m.language.as_deref() {
                Some(language) if !language.is_empty() => {
                    e.argument = language.to_string();
                    Kind::PreCode
                }
                _ => Kind::Pre,
            },
            "text_link" => {
                let url = m.url.as_deref().unwrap_or_default();
                let user_id = get_link_user_id(url);
                if is_valid_user_id(user_id) {
                    e.user_id = user_id;
                    Kind::MentionName
                } else {
                    e.argument = check_link(url).map_err(|message| format!("Entity {message}"))?;
                    Kind::TextUrl
                }
            }
            "text_mention" => {
                e.user_id = m.mentioned_user_id().unwrap_or_default();
                if !is_valid_user_id(e.user_id) {
                    return Err("User not found".into());
                }
                Kind::MentionName
            }
            "custom_emoji" => {
                e.custom_emoji_id = m
                    .custom_emoji_id
                    .as_deref()
                    .and_then(to_integer_safe)
                    .filter(|&id| id != 0)
                    .ok_or("Invalid custom emoji identifier specified")?;
                Kind::CustomEmoji
            }
            "date_time" => {
                e.date = m.unix_time.map_or(0, clamp_i32);
                if e.date <= 0 {
                    return Err("Invalid date specified".into());
                }
                let format = m.date_time_format.as_deref().unwrap_or_default();
                e.argument =
                    normalize_date_format(format).ok_or("Invalid date-time format specified")?;
                Kind::FormattedDate
            }
            _ => continue,
        };
        result.push(e);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_and_non_arrays_are_ignored() {
        assert_eq!(read_entities_param("not json"), Ok(vec![]));
        assert_eq!(read_entities_param("{}"), Ok(vec![]));
        assert_eq!(read_entities_lenient("[oops"), None);
    }

    #[test]
    fn entities_are_read_like_the_bot_api() {
        let v = read_entities_param(
            r#"[{"type":"bold","offset":"0","length":2},{"type":"mention","offset":0,"length":2},
                {"type":"pre","offset":0,"length":1,"language":""}]"#,
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0], MessageEntity::new("bold", 0, 2));
        assert_eq!(v[1], MessageEntity::new("pre", 0, 1));
    }

    #[test]
    fn bad_entities_have_the_bot_api_messages() {
        let err = |json: &str| read_entities_param(json).unwrap_err();
        assert_eq!(err("[1]"), "Can't parse MessageEntity: expected an Object");
        assert_eq!(
            err(r#"[{"type":"bold","length":1}]"#),
            "Can't parse MessageEntity: Can't find field \"offset\""
        );
        assert_eq!(
            err(r#"[{"type":"bold","offset":1.5,"length":1}]"#),
            "Can't parse MessageEntity: Field \"offset\" must be a valid Number"
        );
        assert_eq!(
            err(r#"[{"type":"blink","offset":0,"length":1}]"#),
            "Can't parse MessageEntity: Unsupported type specified"
        );
        assert_eq!(
            err(r#"[{"type":"","offset":0,"length":1}]"#),
            "Can't parse MessageEntity: Type is not specified"
        );
        assert_eq!(
            err(r#"[{"type":"text_link","offset":0,"length":1}]"#),
            "Can't parse MessageEntity: Can't find field \"url\""
        );
    }

    #[test]
    fn links_are_checked_when_converted() {
        let mut link = MessageEntity::new("text_link", 0, 1);
        link.url = Some("bale.ai".into());
        assert_eq!(
            to_td_entities(&[link.clone()]).unwrap()[0].argument,
            "http://bale.ai/"
        );
        link.url = Some("nowhere".into());
        assert_eq!(
            to_td_entities(&[link]).unwrap_err(),
            "Entity URL 'nowhere' is invalid: Wrong HTTP URL"
        );
    }
}
