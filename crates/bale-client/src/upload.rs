//! [`InputFile`]: a file sent with a call, and the `multipart/form-data` body that carries it
//! with the call's other parameters.

use std::fmt;
use std::io;
use std::path::Path;

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::error::Error;

/// A file to upload as one multipart part: the Bot API's `InputFile`.
///
/// `Debug` shows the field, the name, the type and the size, never the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct InputFile {
    field: String,
    file_name: String,
    content_type: Option<String>,
    bytes: Bytes,
}

impl InputFile {
    /// A file for the parameter `field` (`photo`, `document`, or a name that an
    /// `attach://<name>` parameter refers to), named `file_name`, with no declared content
    /// type: servers deduce it from the name, as tdlib does.
    pub fn new(field: &str, file_name: &str, bytes: impl Into<Bytes>) -> InputFile {
        InputFile {
            field: field.to_owned(),
            file_name: file_name.to_owned(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Reads the file at `path` for `field`, named by the path's last component.
    pub fn read(field: &str, path: &Path) -> io::Result<InputFile> {
        let bytes = std::fs::read(path)?;
        let file_name = path
            .file_name()
            .map_or_else(|| "file".into(), |name| name.to_string_lossy());
        Ok(InputFile::new(field, &file_name, bytes))
    }

    /// Declares the part's `Content-Type` (e.g. `image/jpeg`).
    pub fn with_content_type(mut self, content_type: &str) -> InputFile {
        self.content_type = Some(content_type.to_owned());
        self
    }

    /// The parameter (part) name.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The declared content type, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file's contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// This file as a multipart part. The bytes are shared, not copied, so a retried call
    /// costs no copy.
    fn part(&self) -> Result<Part, Error> {
        let length = self.bytes.len() as u64;
        let part =
            Part::stream_with_length(self.bytes.clone(), length).file_name(self.file_name.clone());
        match &self.content_type {
            None => Ok(part),
            Some(content_type) => part.mime_str(content_type).map_err(|_| {
                Error::InvalidParameters(format!(
                    "{:?} is not a content type (file {:?})",
                    content_type, self.field
                ))
            }),
        }
    }
}

impl fmt::Debug for InputFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InputFile")
            .field("field", &self.field)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A parameter's value as a multipart text part, or a query or form value: a string as it
/// is, anything else as JSON (how client libraries send `reply_markup` or `media`).
pub(crate) fn text_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The multipart body of a call with files: `params` (a JSON object, or null) as text
/// parts, in their order, then the files.
pub(crate) fn multipart_form(params: &Value, files: &[InputFile]) -> Result<Form, Error> {
    let mut form = Form::new();
    match params {
        Value::Null => {}
        Value::Object(map) => {
            for (key, value) in map {
                form = form.text(key.clone(), text_value(value));
            }
        }
        _ => {
            return Err(Error::InvalidParameters(
                "parameters sent with files must be a JSON object".into(),
            ))
        }
    }
    for file in files {
        form = form.part(file.field.clone(), file.part()?);
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn debug_shows_the_size_not_the_bytes() {
        let file = InputFile::new("photo", "cat.jpg", b"SECRET-BYTES".to_vec());
        let shown = format!("{file:?}");
        assert!(
            shown.contains("\"cat.jpg\"") && shown.contains("len: 12"),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn text_values_are_strings_or_json() {
        assert_eq!(text_value(&json!("salam")), "salam");
        assert_eq!(text_value(&json!(42)), "42");
        assert_eq!(text_value(&json!({"a": [1]})), r#"{"a":[1]}"#);
    }

    #[test]
    fn only_an_object_or_null_goes_with_files() {
        let files = [InputFile::new("document", "a.txt", "x")];
        assert!(multipart_form(&json!({"chat_id": 1}), &files).is_ok());
        assert!(multipart_form(&Value::Null, &files).is_ok());
        let error = multipart_form(&json!([1]), &files).unwrap_err();
        assert!(matches!(error, Error::InvalidParameters(_)), "{error:?}");
        let bad = [InputFile::new("document", "a.txt", "x").with_content_type("not a type")];
        let error = multipart_form(&Value::Null, &bad).unwrap_err();
        assert!(matches!(error, Error::InvalidParameters(_)), "{error:?}");
    }

    #[test]
    fn a_read_file_is_named_by_its_path() {
        let path =
            std::env::temp_dir().join(format!("bale-client-upload-{}.txt", std::process::id()));
        std::fs::write(&path, b"hello").unwrap();
        let file = InputFile::read("document", &path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(file.field(), "document");
        assert_eq!(
            file.file_name(),
            path.file_name().unwrap().to_str().unwrap()
        );
        assert_eq!(file.bytes().as_ref(), b"hello");
        assert_eq!(file.content_type(), None);
        let missing = InputFile::read("document", Path::new("/nonexistent/bale-client-x"));
        assert_eq!(missing.unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
