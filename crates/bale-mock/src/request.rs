//! Reading a Bot API request: the path's token and method, and the parameters from the query
//! string merged with the body (urlencoded, JSON, multipart or empty).
//!
//! The rules follow the real server (wire-facts §4, §5): the path is percent-decoded before
//! routing; `+` means space in the query and in urlencoded bodies but not in the path; the
//! first occurrence of a parameter wins and the query string comes before the body; a body
//! of any other content type is not read as parameters. Where the real server silently
//! ignores a broken JSON body, the mock answers 400 (a documented divergence).

use std::borrow::Cow;
use std::convert::Infallible;

use bale_api::{ApiError, Secret};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::form_data::{self, Field};

/// The real server's limit on query-string plus body parameters (`MAX_TOTAL_PARAMETERS_LENGTH`).
pub const MAX_PARAMETERS_LEN: usize = 1 << 20;

/// Where a request is going: the token and method of `/bot<token>/<method>`.
#[derive(Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// The token as written (not yet validated).
    pub token: Secret<&'a str>,
    /// The method as written (any case; may be empty).
    pub method: &'a str,
}

/// Percent-decodes a path leniently: a `%` not followed by two hex digits stays as it is,
/// bytes that are not UTF-8 become U+FFFD.
pub fn decode_path(path: &str) -> Cow<'_, str> {
    if !path.contains('%') {
        return Cow::Borrowed(path);
    }
    percent_decode_str(path).decode_utf8_lossy()
}

/// One parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// A text value (a JSON non-string value is kept as its JSON text).
    Text(String),
    /// An uploaded file from a multipart part with a file name.
    File(Upload),
}

/// A file uploaded as a multipart part: its bytes are the part's, shared with the request
/// body rather than copied. Its `Debug` shows the size, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file name the client gave.
    pub file_name: String,
    /// The part's own `Content-Type`, if it had one.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// A request's parameters in arrival order; lookups return the first occurrence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, Param)>);

impl Params {
    /// The first text value named `name` (names are case-sensitive, as on the real server).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.iter().find_map(|(key, value)| match value {
            Param::Text(text) if key == name => Some(text.as_str()),
            _ => None,
        })
    }

    /// The first uploaded file named `name`.
    pub fn file(&self, name: &str) -> Option<&Upload> {
        self.0.iter().find_map(|(key, value)| match value {
            Param::File(upload) if key == name => Some(upload),
            _ => None,
        })
    }

    /// Every parameter, in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Param)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// Every parameter, in arrival order.
    pub(crate) fn as_slice(&self) -> &[(String, Param)] {
        &self.0
    }

    /// Every parameter, in arrival order, by value.
    pub fn into_pairs(self) -> impl ExactSizeIterator<Item = (String, Param)> {
        self.0.into_iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn push(&mut self, key: impl Into<String>, value: Param) {
        self.0.push((key.into(), value));
    }

    fn extend_urlencoded(&mut self, input: &[u8]) {
        for (key, value) in form_urlencoded::parse(input) {
            self.push(key, Param::Text(value.into_owned()));
        }
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Params {
        Params(
            pairs
                .into_iter()
                .map(|(key, value)| (key.into(), Param::Text(value.into())))
                .collect(),
        )
    }
}

/// Reads the parameters of a request from its query string and body.
pub async fn parse_params(
    query: Option<&str>,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<Params, ApiError> {
    let mut params = Params::default();
    let query = query.unwrap_or_default();
    params.extend_urlencoded(query.as_bytes());

    // Matched by substring, ignoring case, like the real server; the boundary keeps its case.
    let content_type = content_type.unwrap_or_default();
    let is = |kind: &str| {
        content_type
            .as_bytes()
            .windows(kind.len())
            .any(|window| window.eq_ignore_ascii_case(kind.as_bytes()))
    };
    if is("multipart/form-data") {
        check_parameters_len(query.len())?;
        read_multipart(content_type, body, &mut params).await?;
    } else if is("application/x-www-form-urlencoded") {
        check_parameters_len(query.len() + body.len())?;
        params.extend_urlencoded(&body);
    } else if is("application/json") {
        check_parameters_len(query.len() + body.len())?;
        read_json(&body, &mut params)?;
    } else {
        // Like the real server: a body of any other type is not parameters.
        check_parameters_len(query.len())?;
    }
    Ok(params)
}

fn check_parameters_len(len: usize) -> Result<(), ApiError> {
    if len > MAX_PARAMETERS_LEN {
        return Err(ApiError::new(
            413,
            "Request Entity Too Large: too many parameters",
        ));
    }
    Ok(())
}

fn read_json(body: &[u8], params: &mut Params) -> Result<(), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let read = JsonParams { params, seen: None };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let top = serde::de::DeserializeSeed::deserialize(read, &mut deserializer)
        .and_then(|top| deserializer.end().map(|()| top))
        .map_err(|e| ApiError::new(400, format!("Bad Request: can't parse JSON: {e}")))?;
    match top {
        JsonTop::Object => Ok(()),
        // tdlib turns a top-level JSON string into a parameter named `content`.
        JsonTop::Content(text) => {
            params.push("content", Param::Text(text));
            Ok(())
        }
        JsonTop::Other => Err(ApiError::new(400, "Bad Request: JSON object expected")),
    }
}

/// A JSON member's value as a parameter's text: a string's own text, any other value's
/// JSON text as `serde_json::Value` writes it — integers (a `chat_id`, most often) through
/// itoa, which writes the same digits without the formatting machinery.
fn json_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => itoa::Buffer::new().format(i).to_owned(),
            (None, Some(u)) => itoa::Buffer::new().format(u).to_owned(),
            _ => n.to_string(),
        },
        Value::Bool(true) => "true".to_owned(),
        Value::Bool(false) => "false".to_owned(),
        other => other.to_string(),
    }
}

/// What a JSON body held at its top.
enum JsonTop {
    /// An object: its members are parameters now.
    Object,
    /// A string.
    Content(String),
    /// Anything else.
    Other,
}

/// Reads a JSON body's members straight into the parameters, without building the object
/// first: a string member is its text, any other its JSON text (as `serde_json::Value`
/// writes it). A name given twice keeps its first place and its last value, as a JSON
/// object read whole does.
struct JsonParams<'a> {
    params: &'a mut Params,
    /// Where each name is, once the object has more members than a scan should pass.
    seen: Option<std::collections::HashMap<String, usize, foldhash::fast::RandomState>>,
}

/// Members of a body found by a scan; past this many, by a map.
const SCANNED_MEMBERS: usize = 16;

impl<'de> serde::de::DeserializeSeed<'de> for JsonParams<'_> {
    type Value = JsonTop;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<JsonTop, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonParams<'_> {
    type Value = JsonTop;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<JsonTop, A::Error> {
        let start = self.params.0.len();
        while let Some(key) = map.next_key::<String>()? {
            let text = json_text(map.next_value::<Value>()?);
            let members = &mut self.params.0[start..];
            let at = match &mut self.seen {
                Some(seen) => seen.get(&key).copied(),
                None => members.iter().position(|(name, _)| *name == key),
            };
            match at {
                Some(at) => members[at].1 = Param::Text(text),
                None => {
                    if let Some(seen) = &mut self.seen {
                        seen.insert(key.clone(), members.len());
                    } else if members.len() == SCANNED_MEMBERS {
                        let mut seen = std::collections::HashMap::default();
                        for (i, (name, _)) in members.iter().enumerate() {
                            seen.insert(name.clone(), i);
                        }
                        seen.insert(key.clone(), members.len());
                        self.seen = Some(seen);
                    }
                    self.params.push(key, Param::Text(text));
                }
            }
        }
        Ok(JsonTop::Object)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<JsonTop, E> {
        Ok(JsonTop::Content(text.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<JsonTop, E> {
        Ok(JsonTop::Content(text))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonTop, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonTop::Other)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }
}

/// The boundary of the content type every client sends,
/// `multipart/form-data; boundary=<token>` (the type in any case, the boundary a plain
/// token), without a MIME parser: the same boundary `multer::parse_boundary` reads from it.
/// Anything else (quotes, more parameters, other spacing) is left to that parser.
fn simple_boundary(content_type: &str) -> Option<&str> {
    const PREFIX: &str = "multipart/form-data; boundary=";
    let head = content_type.get(..PREFIX.len())?;
    let boundary = &content_type[PREFIX.len()..];
    let token = |b: u8| b.is_ascii_alphanumeric() || b"'-_.+".contains(&b);
    (head.eq_ignore_ascii_case(PREFIX) && !boundary.is_empty() && boundary.bytes().all(token))
        .then_some(boundary)
}

async fn read_multipart(
    content_type: &str,
    body: Bytes,
    params: &mut Params,
) -> Result<(), ApiError> {
    let boundary = simple_boundary(content_type).map_or_else(
        || multer::parse_boundary(content_type),
        |boundary| Ok(boundary.to_owned()),
    );
    let boundary = boundary.map_err(|_| {
        let text = if content_type.contains("boundary=") {
            "Bad Request: boundary too big or empty"
        } else {
            "Bad Request: boundary not found"
        };
        ApiError::new(400, text)
    })?;
    let mut text_len = 0;
    if let Some(fields) = form_data::simple_fields(&body, &boundary) {
        for field in fields {
            add_field(params, &mut text_len, field)?;
        }
        return Ok(());
    }
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Some(field) = form_data::next_field(&mut multipart)
        .await
        .map_err(multipart_error)?
    {
        add_field(params, &mut text_len, field)?;
    }
    Ok(())
}

/// Adds a part to the parameters: a file, or a text that counts towards the limit on
/// parameters (`text_len` so far).
fn add_field(params: &mut Params, text_len: &mut usize, field: Field) -> Result<(), ApiError> {
    let name = field.name.ok_or_else(|| {
        ApiError::new(
            400,
            "Bad Request: field name in multipart/form-data not found",
        )
    })?;
    match field.file_name {
        Some(file_name) => params.push(
            name,
            Param::File(Upload {
                file_name,
                content_type: field.content_type,
                bytes: field.data,
            }),
        ),
        None => {
            *text_len += field.data.len();
            if *text_len > MAX_PARAMETERS_LEN {
                return Err(ApiError::new(
                    413,
                    "Request Entity Too Large: too many parameters in form data",
                ));
            }
            params.push(
                name,
                Param::Text(String::from_utf8_lossy(&field.data).into_owned()),
            );
        }
    }
    Ok(())
}

fn multipart_error(error: multer::Error) -> ApiError {
    let text = match error {
        multer::Error::IncompleteStream | multer::Error::IncompleteFieldData { .. } => {
            "Bad Request: unexpected end of request content"
        }
        multer::Error::IncompleteHeaders | multer::Error::ReadHeaderFailed(_) => {
            "Bad Request: can't parse form data headers"
        }
        _ => "Bad Request: can't parse multipart/form-data",
    };
    ApiError::new(400, text)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    async fn parse(query: Option<&str>, content_type: &str, body: &str) -> Params {
        parse_params(query, Some(content_type), Bytes::from(body.to_owned()))
            .await
            .unwrap()
    }

    #[test]
    fn targets() {
        assert_eq!(decode_path("/bot1%3Aabc/get%4De"), "/bot1:abc/getMe");
        assert_eq!(decode_path("/bot1:a+b/%zz"), "/bot1:a+b/%zz");
    }

    #[tokio::test]
    async fn query_wins_over_body_and_first_occurrence_wins() {
        let params = parse(
            Some("chat_id=1&chat_id=2&text=a+b"),
            "application/x-www-form-urlencoded",
            "chat_id=3&extra=%zz",
        )
        .await;
        assert_eq!(params.text("chat_id"), Some("1"));
        assert_eq!(params.text("text"), Some("a b"));
        assert_eq!(params.text("extra"), Some("%zz"));
        assert_eq!(params.text("CHAT_ID"), None);
    }

    #[tokio::test]
    async fn json_values_become_text() {
        let params = parse(
            None,
            "application/json; charset=utf-8",
            r#"{"chat_id":5,"reply_markup":{"a":1},"text":"hi"}"#,
        )
        .await;
        assert_eq!(params.text("chat_id"), Some("5"));
        assert_eq!(params.text("reply_markup"), Some(r#"{"a":1}"#));
        assert_eq!(params.text("text"), Some("hi"));
        assert!(parse(None, "application/json", "  ").await.is_empty());
        assert_eq!(
            parse(None, "application/json", r#""x""#)
                .await
                .text("content"),
            Some("x")
        );
    }

    /// The members are read as `serde_json::Value` reads an object: a name given twice
    /// keeps its first place and its last value, however many members there are; and the
    /// errors are serde_json's own.
    #[tokio::test]
    async fn json_members_read_like_a_whole_object() {
        let value_reads = |body: &str| -> Vec<(String, String)> {
            let Value::Object(map) = serde_json::from_str::<Value>(body).unwrap() else {
                panic!("not an object: {body}");
            };
            map.into_iter()
                .map(|(key, value)| match value {
                    Value::String(text) => (key, text),
                    other => (key, other.to_string()),
                })
                .collect()
        };
        let many: String = (0..40)
            .map(|i| format!(r#""k{}": {{ "n" : {i}.50 }}, "#, i % 23))
            .collect();
        for body in [
            r#"{"a":"1","b":2,"a":"3"}"#.to_owned(),
            r#"{"a":"1","a":[1, 2.0, {"x" : null}],"c":true}"#.to_owned(),
            format!(r#"{{{many}"last":"x"}}"#),
        ] {
            let params = parse(None, "application/json", &body).await;
            let read: Vec<(String, String)> = params
                .into_pairs()
                .map(|(key, value)| match value {
                    Param::Text(text) => (key, text),
                    Param::File(_) => panic!("a file from JSON"),
                })
                .collect();
            assert_eq!(read, value_reads(&body), "{body}");
        }
        for body in [r#"{"a":1} x"#, r#"{"a":1,}"#, r#"{"a" 1}"#] {
            let error = parse_params(None, Some("application/json"), Bytes::from(body))
                .await
                .unwrap_err();
            let by_value = serde_json::from_str::<Value>(body).unwrap_err();
            assert_eq!(
                error.description,
                format!("Bad Request: can't parse JSON: {by_value}")
            );
        }
    }

    #[test]
    fn the_simple_boundary_is_the_one_multer_reads() {
        for content_type in [
            "multipart/form-data; boundary=XyZ",
            "Multipart/Form-Data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
            "multipart/form-data; boundary=a.b_c-d+e'f",
            "MULTIPART/FORM-DATA; BOUNDARY=Caps",
        ] {
            assert_eq!(
                simple_boundary(content_type).map(str::to_owned),
                multer::parse_boundary(content_type).ok(),
                "{content_type}"
            );
        }
        // Left to multer.
        for content_type in [
            "multipart/form-data; boundary=\"quoted\"",
            "multipart/form-data;boundary=x",
            "multipart/form-data; boundary=x; charset=utf-8",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=a b",
            "multipart/mixed; boundary=x",
        ] {
            assert_eq!(simple_boundary(content_type), None, "{content_type}");
        }
    }

    #[tokio::test]
    async fn broken_json_is_a_bad_request() {
        for body in [r#"{"chat_id":1"#, "[1,2]", "42", "null"] {
            let error = parse_params(None, Some("application/json"), Bytes::from(body))
                .await
                .unwrap_err();
            assert_eq!(error.error_code, 400, "{body}");
            assert!(error.description.starts_with("Bad Request: "), "{body}");
        }
    }

    #[tokio::test]
    async fn other_content_types_are_not_parameters() {
        let params = parse(Some("a=1"), "text/plain", "b=2").await;
        assert_eq!(params.text("a"), Some("1"));
        assert_eq!(params.text("b"), None);
    }

    #[tokio::test]
    async fn multipart_text_and_files() {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n7\r\n\
                    --XX\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\
                    Content-Type: image/jpeg\r\n\r\nJPEGDATA\r\n--XX--\r\n";
        let params = parse(None, "multipart/form-data; boundary=XX", body).await;
        assert_eq!(params.text("chat_id"), Some("7"));
        let file = params.file("photo").unwrap();
        assert_eq!(file.file_name, "a.jpg");
        assert_eq!(file.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(&file.bytes[..], b"JPEGDATA");
        assert_eq!(params.text("photo"), None);
        assert!(!format!("{file:?}").contains("JPEGDATA"));
    }

    #[tokio::test]
    async fn broken_multipart_is_a_bad_request() {
        let cases = [
            (
                "multipart/form-data",
                "x",
                "Bad Request: boundary not found",
            ),
            (
                "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
                "Bad Request: unexpected end of request content",
            ),
        ];
        for (content_type, body, want) in cases {
            let error = parse_params(None, Some(content_type), Bytes::from(body))
                .await
                .unwrap_err();
            assert_eq!((error.error_code, error.description.as_str()), (400, want));
        }
    }

    #[tokio::test]
    async fn parameters_over_one_mebibyte_are_too_large() {
        let body = format!("text={}", "a".repeat(MAX_PARAMETERS_LEN));
        let error = parse_params(
            None,
            Some("application/x-www-form-urlencoded"),
            Bytes::from(body),
        )
        .await
        .unwrap_err();
        assert_eq!(error.error_code, 413);
    }

    proptest! {
        #[test]
        fn a_members_text_is_what_serde_json_writes(
            i in any::<i64>(), u in any::<u64>(), f in any::<f64>(), b in any::<bool>()
        ) {
            for value in [json!(i), json!(u), json!(f), json!(b), json!(null), json!([i, {"a": f}])] {
                prop_assert_eq!(json_text(value.clone()), value.to_string());
            }
            prop_assert_eq!(json_text(json!("text")), "text");
        }
    }
}
