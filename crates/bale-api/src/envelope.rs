//! The response envelope every Bot API answer carries:
//! `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
//!
//! Keys are written in the real server's order (`ok`, `result` | `error_code`,
//! `description`, `parameters`), so a byte-level comparison with tdlib's output holds.

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::{ApiError, ResponseParameters};

/// A Bot API answer: a result, or an [`ApiError`].
#[derive(Clone, Debug, PartialEq)]
pub enum Envelope<T = Value> {
    /// `{"ok":true,"result":…}`.
    Ok(T),
    /// `{"ok":false,…}`.
    Err(ApiError),
}

impl<T> Envelope<T> {
    /// The HTTP status this answer goes out with: 200, or the error code.
    pub fn http_status(&self) -> u16 {
        match self {
            Envelope::Ok(_) => 200,
            Envelope::Err(error) => error.error_code,
        }
    }

    /// The result, or the error.
    pub fn into_result(self) -> Result<T, ApiError> {
        match self {
            Envelope::Ok(result) => Ok(result),
            Envelope::Err(error) => Err(error),
        }
    }
}

impl<T: Serialize> Envelope<T> {
    /// The envelope as compact JSON bytes, ready for the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Sized for a typical answer, so the buffer does not grow byte by byte.
        let mut out = Vec::with_capacity(256);
        // Serialising an envelope of plain data cannot fail; a failure would be a bug in a
        // Serialize impl of T, so the error envelope stands in rather than a panic.
        match serde_json::to_writer(&mut out, self) {
            Ok(()) => out,
            Err(_) => {
                br#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#.to_vec()
            }
        }
    }
}

impl<T: Serialize> Serialize for Envelope<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Envelope::Ok(result) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("ok", &true)?;
                map.serialize_entry("result", result)?;
                map.end()
            }
            Envelope::Err(error) => {
                let len = if error.parameters.is_some() { 4 } else { 3 };
                let mut map = serializer.serialize_map(Some(len))?;
                map.serialize_entry("ok", &false)?;
                map.serialize_entry("error_code", &error.error_code)?;
                map.serialize_entry("description", &error.description)?;
                if let Some(parameters) = &error.parameters {
                    map.serialize_entry("parameters", parameters)?;
                }
                map.end()
            }
        }
    }
}

/// The envelope as it may arrive: every field optional, checked after parsing.
#[derive(Deserialize)]
struct RawEnvelope {
    ok: bool,
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<ResponseParameters>,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawEnvelope::deserialize(deserializer)?;
        if raw.ok {
            let result = raw
                .result
                .ok_or_else(|| D::Error::missing_field("result"))?;
            return serde_json::from_value(result)
                .map(Envelope::Ok)
                .map_err(D::Error::custom);
        }
        Ok(Envelope::Err(ApiError {
            error_code: raw
                .error_code
                .ok_or_else(|| D::Error::missing_field("error_code"))?,
            description: raw.description.unwrap_or_default(),
            parameters: raw.parameters,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_is_ok_then_result() {
        let body = Envelope::Ok(true).to_bytes();
        assert_eq!(body, br#"{"ok":true,"result":true}"#);
    }

    #[test]
    fn error_keys_follow_the_real_servers_order() {
        let body = Envelope::<Value>::Err(ApiError::logged_out()).to_bytes();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"ok":false,"error_code":400,"description":"Logged out"}"#
        );
        let body = Envelope::<Value>::Err(ApiError::too_many_requests(42)).to_bytes();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 42","parameters":{"retry_after":42}}"#
        );
    }

    #[test]
    fn round_trips_both_halves() {
        for envelope in [
            Envelope::Ok(serde_json::json!({"id": 1})),
            Envelope::Err(ApiError::too_many_requests(7)),
        ] {
            let parsed: Envelope = serde_json::from_slice(&envelope.to_bytes()).unwrap();
            assert_eq!(parsed, envelope);
        }
    }

    #[test]
    fn rejects_incomplete_envelopes() {
        assert!(serde_json::from_str::<Envelope>(r#"{"ok":true}"#).is_err());
        assert!(serde_json::from_str::<Envelope>(r#"{"ok":false}"#).is_err());
        assert!(serde_json::from_str::<Envelope>(r#"{"result":1}"#).is_err());
    }

    #[test]
    fn http_status_equals_error_code() {
        assert_eq!(Envelope::Ok(1).http_status(), 200);
        assert_eq!(
            Envelope::<()>::Err(ApiError::logged_out()).http_status(),
            400
        );
    }
}
