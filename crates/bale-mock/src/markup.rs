//! `reply_markup`: validated as the real server validates it (tdlib/telegram-bot-api
//! `Client::get_reply_markup` and the keyboard-button readers), and normalised the way the
//! server echoes it: only an inline keyboard comes back in the Message, each button with
//! `text` and its one action, unknown fields (telegraf's `"hide": false`) dropped.

use bale_api::ApiError;
use serde_json::{Map, Value};

/// The actions an inline button may carry, in the order the server writes them.
const INLINE_ACTIONS: &[&str] = &[
    "url",
    "login_url",
    "callback_data",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

fn bad(text: impl Into<String>) -> ApiError {
    ApiError::new(400, format!("Bad Request: {}", text.into()))
}

/// Reads `reply_markup`: `Ok(Some(inline keyboard))` to attach to the message, `Ok(None)`
/// for no markup or a keyboard the message does not echo (reply keyboard, remove, force
/// reply), or the server's error.
pub(crate) fn parse(text: Option<&str>) -> Result<Option<Value>, ApiError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|_| bad("can't parse reply keyboard markup JSON object"))?;
    let Value::Object(object) = value else {
        return Err(bad("object expected as reply markup"));
    };
    if let Some(rows) = object.get("inline_keyboard") {
        return inline_keyboard(rows).map(Some);
    }
    if let Some(rows) = object.get("keyboard") {
        reply_keyboard(rows)?;
    }
    Ok(None)
}

fn rows(value: &Value) -> Option<&Vec<Value>> {
    let rows = value.as_array()?;
    rows.iter().all(Value::is_array).then_some(rows)
}

fn inline_keyboard(value: &Value) -> Result<Value, ApiError> {
    let rows = rows(value).ok_or_else(|| {
        bad(r#"field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays"#)
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let buttons = row.as_array().map(Vec::as_slice).unwrap_or_default();
        let row: Result<Vec<Value>, ApiError> = buttons.iter().map(inline_button).collect();
        out.push(Value::Array(row?));
    }
    let mut markup = Map::new();
    markup.insert("inline_keyboard".into(), Value::Array(out));
    Ok(Value::Object(markup))
}

fn inline_button(button: &Value) -> Result<Value, ApiError> {
    let fail = |why: &str| bad(format!("can't parse inline keyboard button: {why}"));
    let object = button
        .as_object()
        .ok_or_else(|| fail("expected an Object"))?;
    let text = match object.get("text") {
        None => return Err(fail(r#"Can't find field "text""#)),
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err(fail(r#"Field "text" must be of type String"#)),
    };
    let mut out = Map::new();
    out.insert("text".into(), Value::String(text));
    let action = INLINE_ACTIONS
        .iter()
        .find_map(|name| object.get(*name).map(|value| (*name, value)));
    let Some((name, value)) = action else {
        return Err(fail("Text buttons are unallowed in the inline keyboard"));
    };
    if name == "callback_data" {
        let data = value
            .as_str()
            .ok_or_else(|| fail(r#"Field "callback_data" must be of type String"#))?;
        // Not checked by tdlib; Telegram's servers refuse it with this code.
        if data.len() > 64 {
            return Err(bad("BUTTON_DATA_INVALID"));
        }
    }
    out.insert(name.into(), value.clone());
    Ok(Value::Object(out))
}

fn reply_keyboard(value: &Value) -> Result<(), ApiError> {
    let rows = rows(value).ok_or_else(|| bad(r#"field "keyboard" must be an Array of Arrays"#))?;
    for button in rows
        .iter()
        .flat_map(|row| row.as_array().into_iter().flatten())
    {
        match button {
            Value::String(_) => {}
            Value::Object(object) => match object.get("text") {
                Some(Value::String(_)) => {}
                Some(_) => {
                    return Err(bad(
                        r#"can't parse keyboard button: Field "text" must be of type String"#,
                    ))
                }
                None => {
                    return Err(bad(
                        r#"can't parse keyboard button: Can't find field "text""#,
                    ))
                }
            },
            _ => {
                return Err(bad(
                    "can't parse keyboard button: KeyboardButton must be a String or an Object",
                ))
            }
        }
    }
    Ok(())
}

/// The `callback_data` of every inline button in an echoed markup.
pub(crate) fn callback_data(markup: &Value) -> impl Iterator<Item = &str> {
    markup["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|button| button["callback_data"].as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(text: &str) -> String {
        parse(Some(text)).unwrap_err().description
    }

    #[test]
    fn inline_keyboards_are_normalised() {
        let markup = parse(Some(
            r#"{"inline_keyboard":[[{"text":"Yes","callback_data":"yes","hide":false}]]}"#,
        ))
        .unwrap();
        assert_eq!(
            markup,
            Some(json!({"inline_keyboard":[[{"text":"Yes","callback_data":"yes"}]]}))
        );
        assert_eq!(callback_data(&markup.unwrap()).collect::<Vec<_>>(), ["yes"]);
    }

    #[test]
    fn other_keyboards_are_accepted_and_not_echoed() {
        for text in [
            r#"{"keyboard":[["a",{"text":"b"}]]}"#,
            r#"{"remove_keyboard":true}"#,
            r#"{"force_reply":true}"#,
            "",
        ] {
            assert_eq!(parse(Some(text)), Ok(None), "{text}");
        }
    }

    #[test]
    fn the_real_servers_errors() {
        assert_eq!(
            error("{"),
            "Bad Request: can't parse reply keyboard markup JSON object"
        );
        assert_eq!(error("[1]"), "Bad Request: object expected as reply markup");
        assert_eq!(
            error(r#"{"inline_keyboard":[1]}"#),
            r#"Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays"#
        );
        assert_eq!(
            error(r#"{"inline_keyboard":[[{"callback_data":"x"}]]}"#),
            r#"Bad Request: can't parse inline keyboard button: Can't find field "text""#
        );
        assert_eq!(
            error(r#"{"inline_keyboard":[[{"text":1,"callback_data":"x"}]]}"#),
            r#"Bad Request: can't parse inline keyboard button: Field "text" must be of type String"#
        );
        assert_eq!(
            error(r#"{"inline_keyboard":[[{"text":"a"}]]}"#),
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        );
        let long = format!(
            r#"{{"inline_keyboard":[[{{"text":"a","callback_data":"{}"}}]]}}"#,
            "x".repeat(65)
        );
        assert_eq!(error(&long), "Bad Request: BUTTON_DATA_INVALID");
        assert_eq!(
            error(r#"{"keyboard":{}}"#),
            r#"Bad Request: field "keyboard" must be an Array of Arrays"#
        );
    }
}
