//! `answerInlineQuery`, per dialect. No Bale SDK implements inline mode (Balethon and
//! python-bale-bot have no `answerInlineQuery` and no inline-query update); only the n8n
//! node calls it, through node-telegram-bot-api. So the Bale dialect answers as for any
//! method Bale does not serve: `404 Not Found: method not found`.
//!
//! The Telegram dialect checks `results` as tdlib does (`get_inline_query_results`; of each
//! result only that it is an object with a `type` and an `id`), and then the id. The mock
//! never sends inline queries, so every id is `Bad Request: query is too old and response
//! timeout expired or query ID is invalid` — what the real server answers for an id it did
//! not send.

use bale_api::{ApiError, Dialect};
use serde::Deserialize;
use serde_json::Value;

use super::{Call, Result};

#[derive(Deserialize)]
pub(super) struct Params {
    // Text only, so that decoding never fails before the dialect is looked at.
    results: Option<String>,
}

/// The most results one answer may carry.
const MAX_RESULTS: usize = 50;

pub(super) fn run(call: Call<'_>, p: Params) -> Result {
    if call.dialect == Dialect::Bale {
        return Err(ApiError::new(404, "Not Found: method not found"));
    }
    let bad = |text: String| ApiError::new(400, format!("Bad Request: {text}"));
    let results = p.results.filter(|r| !r.is_empty());
    if let Some(text) = results {
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            bad(format!(
                "can't parse JSON encoded inline query results: {e}"
            ))
        })?;
        match value {
            Value::Null => {}
            Value::Array(items) if items.len() > MAX_RESULTS => {
                return Err(bad("too many inline query results specified".into()))
            }
            Value::Array(items) => {
                if let Some(error) = items.iter().find_map(result_error) {
                    return Err(bad(format!("can't parse inline query result: {error}")));
                }
            }
            _ => return Err(bad("expected an Array of inline query results".into())),
        }
    }
    Err(ApiError::new(
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    ))
}

/// The first thing tdlib's `get_inline_query_result` refuses in one result, as far as the
/// mock checks it: an object with a `type` and an `id`.
fn result_error(item: &Value) -> Option<String> {
    let Value::Object(fields) = item else {
        return Some("Inline query result must be an object".into());
    };
    ["type", "id"]
        .into_iter()
        .find(|name| !fields.contains_key(*name))
        .map(|name| format!("Can't find field \"{name}\""))
}
