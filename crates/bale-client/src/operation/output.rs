//! [`Output`]: the shape of the item an operation outputs, built from the answer (and, for
//! `editMessageText`, from the parameters, as the node builds it).

use serde_json::{Map, Value};

use crate::response::Answer;

/// The shape of an operation's output item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// `result` itself (the node spreads an object result into the item: getMe's User, a
    /// sent Message, a File; an album is its array of Messages).
    Result,
    /// The whole envelope, `{"ok":true,"result":…}` (the node's axios helpers spread
    /// `response.data`).
    Envelope,
    /// `{KEY: result}`, e.g. `{"banned": true}`.
    ResultAs(&'static str),
    /// `{KEY: envelope}`, e.g. `{"memberCount": {"ok":true,"result":3}}`.
    EnvelopeAs(&'static str),
    /// `{KEY: true}` once the call succeeded, whatever its result (the node writes the
    /// constant).
    TrueAs(&'static str),
    /// `{"Text": text, "chat_id": chat_id, "message_id": message_id}` from the parameters,
    /// each key only when given (an inline message has no chat): editMessageText's item.
    EditedText,
}

impl Output {
    /// The item for a successful `answer` to a call made with `params`.
    pub(crate) fn item(self, answer: Answer, params: &Value) -> Value {
        let keyed = |key: &str, value: Value| {
            let mut item = Map::new();
            item.insert(key.to_owned(), value);
            Value::Object(item)
        };
        match self {
            Output::Result => answer.result,
            Output::Envelope => answer.envelope,
            Output::ResultAs(key) => keyed(key, answer.result),
            Output::EnvelopeAs(key) => keyed(key, answer.envelope),
            Output::TrueAs(key) => keyed(key, Value::Bool(true)),
            Output::EditedText => edited_text(params),
        }
    }
}

/// editMessageText's item. `message_id` is a number in the node (a number field), so a
/// decimal string (as `-p message_id=5` gives) becomes one; `chat_id` is a text field there
/// and stays as given.
fn edited_text(params: &Value) -> Value {
    let mut item = Map::new();
    for (param, key) in [
        ("text", "Text"),
        ("chat_id", "chat_id"),
        ("message_id", "message_id"),
    ] {
        let Some(value) = params.get(param) else {
            continue;
        };
        let value = match value {
            Value::String(text) if key == "message_id" => text
                .parse::<i64>()
                .map_or_else(|_| value.clone(), Value::from),
            _ => value.clone(),
        };
        item.insert(key.to_owned(), value);
    }
    Value::Object(item)
}
