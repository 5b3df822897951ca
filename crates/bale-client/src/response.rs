//! Turning a received response (status, `Retry-After`, body bytes) into a result or an
//! [`Error`]. Pure functions, so every rule is unit-tested without a socket.
//!
//! The rules, in order:
//! 1. A body that parses as an envelope decides, whatever the status: `ok:true` gives
//!    `result`, `ok:false` gives [`Error::Api`] (with `retry_after` completed from the
//!    header on a 429).
//! 2. Otherwise a 429 is [`Error::RateLimited`], with the header's `retry_after`.
//! 3. Otherwise the response is [`Error::InvalidResponse`]: empty, not JSON, or JSON that is
//!    not an envelope.

use bale_api::{Envelope, ResponseParameters};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use crate::error::{Error, InvalidReason};
use crate::redact::excerpt;

/// The `Retry-After` header as whole seconds. The HTTP-date form is ignored.
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<u64> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()
}

/// A successful answer: its status, `result`, and the whole envelope as it came (some n8n
/// operations output the envelope rather than `result`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The envelope's `result`.
    pub result: Value,
    /// The whole `ok:true` envelope, keys in the order they came.
    pub envelope: Value,
}

/// Interprets a complete response; see the module docs for the rules.
pub(crate) fn interpret(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
    token: &str,
) -> Result<Value, Error> {
    interpret_answer(status, retry_after, body, token).map(|answer| answer.result)
}

/// [`interpret`], keeping the whole envelope of a success.
pub(crate) fn interpret_answer(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
    token: &str,
) -> Result<Answer, Error> {
    let invalid = |reason| Error::InvalidResponse {
        status,
        excerpt: excerpt(body, token),
        reason,
    };
    let json: Result<Value, _> = serde_json::from_slice(body);
    if let Ok(json) = &json {
        if let Ok(envelope) = serde_json::from_value::<Envelope>(json.clone()) {
            let answer = |result| Answer {
                status,
                result,
                envelope: json.clone(),
            };
            return envelope.into_result().map(answer).map_err(|mut error| {
                if status == 429 && error.retry_after().is_none() && retry_after.is_some() {
                    error
                        .parameters
                        .get_or_insert_with(ResponseParameters::default)
                        .retry_after = retry_after;
                }
                Error::Api(error)
            });
        }
    }
    if status == 429 {
        return Err(Error::RateLimited {
            retry_after,
            body_excerpt: excerpt(body, token),
        });
    }
    Err(match json {
        Ok(_) => invalid(InvalidReason::NotEnvelope),
        Err(_) if body.iter().all(u8::is_ascii_whitespace) => invalid(InvalidReason::Empty),
        Err(_) => invalid(InvalidReason::NotJson),
    })
}

/// Converts `result` to the type a method returns, or [`InvalidReason::UnexpectedResult`].
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    status: u16,
    result: Value,
    token: &str,
) -> Result<T, Error> {
    serde_json::from_value(result.clone()).map_err(|_| Error::InvalidResponse {
        status,
        excerpt: excerpt(result.to_string().as_bytes(), token),
        reason: InvalidReason::UnexpectedResult,
    })
}

#[cfg(test)]
mod tests {
    use bale_api::ApiError;
    use serde_json::json;

    use super::*;

    const TOKEN: &str = "42:SECRET-abcdefghijklmnopqrstuvw";

    fn run(status: u16, retry_after: Option<u64>, body: &str) -> Result<Value, Error> {
        interpret(status, retry_after, body.as_bytes(), TOKEN)
    }

    #[test]
    fn the_envelope_decides_whatever_the_status() {
        assert_eq!(
            run(200, None, r#"{"ok":true,"result":true}"#).unwrap(),
            json!(true)
        );
        let error = run(
            403,
            None,
            r#"{"ok":false,"error_code":403,"description":"x"}"#,
        );
        assert_eq!(
            error.unwrap_err().api_error(),
            Some(&ApiError::new(403, "x"))
        );
        let error = run(
            200,
            None,
            r#"{"ok":false,"error_code":400,"description":"y"}"#,
        );
        assert_eq!(error.unwrap_err().status(), Some(400));
    }

    #[test]
    fn a_json_429_stays_an_api_error_and_takes_the_header_as_fallback() {
        let body = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#;
        let error = run(429, Some(9), body).unwrap_err();
        assert_eq!(error.api_error(), Some(&ApiError::too_many_requests(5)));
        assert_eq!(error.retry_after(), Some(5));
        let body = r#"{"ok":false,"error_code":429,"description":"bot limit exceed"}"#;
        let error = run(429, Some(9), body).unwrap_err();
        assert!(error.is_rate_limited());
        assert_eq!(error.retry_after(), Some(9));
        let error = run(429, None, body).unwrap_err();
        assert_eq!(error.retry_after(), None);
    }

    #[test]
    fn a_plain_text_429_is_rate_limited() {
        match run(429, Some(3), "local_rate_limited").unwrap_err() {
            Error::RateLimited {
                retry_after,
                body_excerpt,
            } => {
                assert_eq!(retry_after, Some(3));
                assert_eq!(body_excerpt, "local_rate_limited");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_bodies_are_invalid_responses() {
        let cases = [
            (
                502,
                "<html><body>502 Bad Gateway</body></html>",
                InvalidReason::NotJson,
            ),
            (200, r#"{"ok":tru"#, InvalidReason::NotJson),
            (200, "", InvalidReason::Empty),
            (500, "  \r\n", InvalidReason::Empty),
            (200, r#"{"result":1}"#, InvalidReason::NotEnvelope),
            (200, r#"{"ok":true}"#, InvalidReason::NotEnvelope),
        ];
        for (code, body, want) in cases {
            match run(code, None, body).unwrap_err() {
                Error::InvalidResponse {
                    status,
                    excerpt,
                    reason,
                } => {
                    assert_eq!((status, reason), (code, want), "{body}");
                    assert_eq!(excerpt, body.trim());
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn retry_after_header_takes_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after_header(&headers), None);
        headers.insert(RETRY_AFTER, " 7 ".parse().unwrap());
        assert_eq!(retry_after_header(&headers), Some(7));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2026 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after_header(&headers), None);
    }

    #[test]
    fn a_success_keeps_its_whole_envelope() {
        let body = br#"{"ok":true,"result":3,"extra":"kept"}"#;
        let answer = interpret_answer(200, None, body, TOKEN).unwrap();
        assert_eq!((answer.status, &answer.result), (200, &json!(3)));
        assert_eq!(
            answer.envelope,
            json!({"ok": true, "result": 3, "extra": "kept"})
        );
        let keys: Vec<&String> = answer.envelope.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["ok", "result", "extra"]);
    }

    #[test]
    fn a_result_of_the_wrong_type_is_unexpected() {
        assert!(typed::<bool>(200, json!(true), TOKEN).unwrap());
        let error = typed::<bool>(200, json!({"id": 1}), TOKEN).unwrap_err();
        assert!(matches!(
            error,
            Error::InvalidResponse {
                reason: InvalidReason::UnexpectedResult,
                ..
            }
        ));
    }
}
