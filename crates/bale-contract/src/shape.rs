//! Shapes: an answer reduced to what must not change — status, `ok`, `error_code`, the
//! description (numbers in it become `<N>`), the keys of `result` and `parameters` with
//! their JSON types — with volatile values (ids, names, dates) turned into placeholders.

use bale_client::RawAnswer;
use serde_json::{json, Map, Value};

/// The shape of an answer.
pub fn shape(answer: &RawAnswer) -> Value {
    let body = match serde_json::from_slice::<Value>(&answer.body) {
        Ok(Value::Object(envelope)) => envelope_shape(&envelope),
        Ok(other) => json!(format!("<JSON {}, not an envelope>", type_name(&other))),
        Err(_) => {
            let kind = answer.content_type.as_deref().unwrap_or("no content type");
            json!(format!("<not JSON: {kind}>"))
        }
    };
    json!({ "status": answer.status, "body": body })
}

fn envelope_shape(envelope: &Map<String, Value>) -> Value {
    let mut shape = Map::new();
    for (key, value) in envelope {
        let value = match key.as_str() {
            "ok" | "error_code" => value.clone(),
            "description" => match value {
                Value::String(text) => Value::String(numbers_to_placeholders(text)),
                other => placeholder(other),
            },
            // A boolean result (logOut, close) is the answer itself: keep it.
            "result" if value.is_boolean() => value.clone(),
            _ => types_of(value),
        };
        shape.insert(key.clone(), value);
    }
    Value::Object(shape)
}

/// Objects keep their keys, arrays their first element's shape; every other value becomes
/// its type's placeholder.
fn types_of(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), types_of(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().take(1).map(types_of).collect()),
        other => placeholder(other),
    }
}

fn placeholder(value: &Value) -> Value {
    Value::String(format!("<{}>", type_name(value)))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `"Too Many Requests: retry after 42"` → `"Too Many Requests: retry after <N>"`.
fn numbers_to_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push_str("<N>");
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// One way a target's shape differs from the snapshot's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Where, as a dotted path (`body.result.username`).
    pub path: String,
    /// The snapshot's value there (`None`: the target added it).
    pub snapshot: Option<Value>,
    /// The target's value there (`None`: the target removed it).
    pub target: Option<Value>,
}

impl Difference {
    /// `path: added`, `path: removed`, or `path: snapshot → target`, in one line.
    pub fn describe(&self) -> String {
        match (&self.snapshot, &self.target) {
            (None, Some(target)) => format!("{}: added by the target ({target})", self.path),
            (Some(snapshot), None) => {
                format!(
                    "{}: removed by the target (snapshot has {snapshot})",
                    self.path
                )
            }
            (Some(snapshot), Some(target)) => {
                format!("{}: snapshot {snapshot}  |  target {target}", self.path)
            }
            (None, None) => self.path.clone(),
        }
    }
}

/// Every difference between two shapes, in key order.
pub fn differences(snapshot: &Value, target: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    diff("", snapshot, target, &mut out);
    out
}

fn diff(path: &str, snapshot: &Value, target: &Value, out: &mut Vec<Difference>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (snapshot, target) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => diff(&join(key), value, other, out),
                    None => out.push(Difference {
                        path: join(key),
                        snapshot: Some(value.clone()),
                        target: None,
                    }),
                }
            }
            for (key, value) in b.iter().filter(|(key, _)| !a.contains_key(*key)) {
                out.push(Difference {
                    path: join(key),
                    snapshot: None,
                    target: Some(value.clone()),
                });
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&join(&i.to_string()), x, y, out);
            }
        }
        (a, b) if a != b => out.push(Difference {
            path: path.to_owned(),
            snapshot: Some(a.clone()),
            target: Some(b.clone()),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> RawAnswer {
        RawAnswer {
            status,
            retry_after: None,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn volatile_values_become_placeholders() {
        let got = shape(&answer(
            200,
            r#"{"ok":true,"result":{"id":5,"is_bot":true,"first_name":"x","tags":[1,2],"f":1.5}}"#,
        ));
        assert_eq!(
            got,
            json!({"status": 200, "body": {"ok": true, "result": {
                "id": "<integer>", "is_bot": "<boolean>", "first_name": "<string>",
                "tags": ["<integer>"], "f": "<number>"}}})
        );
        assert_eq!(
            shape(&answer(200, r#"{"ok":true,"result":true}"#)),
            json!({"status": 200, "body": {"ok": true, "result": true}})
        );
    }

    #[test]
    fn numbers_in_descriptions_become_placeholders() {
        let got = shape(&answer(
            429,
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 42","parameters":{"retry_after":42}}"#,
        ));
        assert_eq!(
            got["body"],
            json!({"ok": false, "error_code": 429,
                   "description": "Too Many Requests: retry after <N>",
                   "parameters": {"retry_after": "<integer>"}})
        );
    }

    #[test]
    fn bodies_that_are_not_envelopes() {
        let mut html = answer(502, "<html>bad gateway</html>");
        html.content_type = Some("text/html".into());
        assert_eq!(shape(&html)["body"], "<not JSON: text/html>");
        assert_eq!(
            shape(&answer(200, "[1]"))["body"],
            "<JSON array, not an envelope>"
        );
    }

    #[test]
    fn differences_name_what_was_added_removed_or_changed() {
        let snapshot =
            json!({"status": 200, "body": {"result": {"id": "<integer>", "a": "<string>"}}});
        let target =
            json!({"status": 403, "body": {"result": {"id": "<string>", "b": "<boolean>"}}});
        let got: Vec<_> = differences(&snapshot, &target)
            .iter()
            .map(Difference::describe)
            .collect();
        assert_eq!(
            got,
            [
                "status: snapshot 200  |  target 403",
                "body.result.id: snapshot \"<integer>\"  |  target \"<string>\"",
                "body.result.a: removed by the target (snapshot has \"<string>\")",
                "body.result.b: added by the target (\"<boolean>\")",
            ]
        );
        assert!(differences(&snapshot, &snapshot).is_empty());
    }
}
