//! API errors: the `ok:false` half of the envelope, with the exact descriptions the real
//! servers send (wire-facts §1.3 for Bale, §2 for Telegram's tdlib server).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::TokenError;

/// Which real server's answers to reproduce where Bale and Telegram differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// tapi.bale.ai: a bad token is `403 Bad Request: Token not found`.
    #[default]
    Bale,
    /// api.telegram.org (tdlib/telegram-bot-api): a bad token is `401 Unauthorized…`.
    Telegram,
}

impl Dialect {
    /// The name used on the command line and in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Bale => "bale",
            Dialect::Telegram => "telegram",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The exact description strings, in one place.
pub mod descriptions {
    /// Bale's answer to a bad or unknown token (observed with HTTP 403).
    pub const TOKEN_NOT_FOUND: &str = "Bad Request: Token not found";
    /// Telegram's answer to a token that breaks the syntax rules.
    pub const INVALID_TOKEN: &str = "Unauthorized: invalid token specified";
    /// Telegram's answer to a token whose bot id is not allowed.
    pub const UNALLOWED_TOKEN: &str = "Misdirected Request: unallowed token specified";
    /// Telegram's answer to a bad, unknown or revoked token.
    pub const UNAUTHORIZED: &str = "Unauthorized";
    /// A path that does not start with `/bot<token>/`.
    pub const NOT_FOUND: &str = "Not Found";
    /// A method the server does not serve.
    pub const METHOD_NOT_FOUND: &str = "Not Found: method not found";
    /// Any request of a bot in its post-`logOut` lock-out.
    pub const LOGGED_OUT: &str = "Logged out";
    /// `close` of a bot that has no running instance.
    pub const ALREADY_CLOSED: &str = "Bad Request: the bot has already been closed";
    /// Any request of a bot while its instance is closing.
    pub const RESTART: &str = "Internal Server Error: restart";
    /// The plain-text body (not JSON) of the 429 that Bale's edge proxy, Envoy, sends from
    /// its local rate limit.
    pub const LOCAL_RATE_LIMITED: &str = "local_rate_limited";
    /// The prefix of a 429 description; the seconds follow.
    pub const TOO_MANY_REQUESTS_PREFIX: &str = "Too Many Requests: retry after ";
}

/// `parameters` of an error answer: hints for automatic handling.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseParameters {
    /// The group moved to a supergroup with this id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate_to_chat_id: Option<i64>,
    /// Seconds to wait before repeating the request (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// An API error: `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
/// The HTTP status of the answer equals `error_code`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{error_code} {description}")]
pub struct ApiError {
    /// The error code, equal to the HTTP status.
    pub error_code: u16,
    /// The human-readable description, exactly as the server words it.
    pub description: String,
    /// Hints for automatic handling, when the server gives any.
    pub parameters: Option<ResponseParameters>,
}

/// What an [`ApiError`] means, for code that reacts to it. Unrecognised errors are
/// [`ApiErrorKind::Other`]; classification never fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// The token is bad, unknown or revoked (any dialect's wording).
    Unauthorized,
    /// The bot is in its post-`logOut` lock-out.
    LoggedOut,
    /// `close` of a bot with no running instance.
    AlreadyClosed,
    /// The bot instance is closing; retry later.
    Restarting,
    /// 429: wait `retry_after` seconds.
    TooManyRequests,
    /// 404 for a path or a method the server does not serve.
    NotFound,
    /// Any other 400.
    BadRequest,
    /// Any other 403.
    Forbidden,
    /// Anything else.
    Other,
}

impl ApiError {
    /// An error with no parameters.
    pub fn new(error_code: u16, description: impl Into<String>) -> ApiError {
        ApiError {
            error_code,
            description: description.into(),
            parameters: None,
        }
    }

    /// `404 Not Found`: the path does not name a bot and a method.
    pub fn not_found() -> ApiError {
        ApiError::new(404, descriptions::NOT_FOUND)
    }

    /// `404 Not Found: method not found`.
    pub fn method_not_found() -> ApiError {
        ApiError::new(404, descriptions::METHOD_NOT_FOUND)
    }

    /// `400 Logged out`: the bot called `logOut` and is locked out.
    pub fn logged_out() -> ApiError {
        ApiError::new(400, descriptions::LOGGED_OUT)
    }

    /// `400 Bad Request: the bot has already been closed`.
    pub fn already_closed() -> ApiError {
        ApiError::new(400, descriptions::ALREADY_CLOSED)
    }

    /// `500 Internal Server Error: restart`: the instance is closing.
    pub fn restart() -> ApiError {
        ApiError::new(500, descriptions::RESTART)
    }

    /// `429 Too Many Requests: retry after N`, with `parameters.retry_after = N`.
    pub fn too_many_requests(retry_after: u64) -> ApiError {
        ApiError {
            error_code: 429,
            description: format!("{}{retry_after}", descriptions::TOO_MANY_REQUESTS_PREFIX),
            parameters: Some(ResponseParameters {
                retry_after: Some(retry_after),
                ..ResponseParameters::default()
            }),
        }
    }

    /// A token the server will not serve: malformed, or (with [`TokenError`] `None`)
    /// well-formed but unknown, revoked or deactivated.
    ///
    /// Bale answers every case `403 Bad Request: Token not found`; Telegram tells a
    /// malformed token (`401 Unauthorized: invalid token specified`), an unallowed bot id
    /// (`421`) and everything else (`401 Unauthorized`) apart.
    pub fn token_rejected(dialect: Dialect, reason: Option<TokenError>) -> ApiError {
        match (dialect, reason) {
            (Dialect::Bale, _) => ApiError::new(403, descriptions::TOKEN_NOT_FOUND),
            (Dialect::Telegram, Some(TokenError::InvalidSyntax)) => {
                ApiError::new(401, descriptions::INVALID_TOKEN)
            }
            (Dialect::Telegram, Some(TokenError::UnallowedBotId)) => {
                ApiError::new(421, descriptions::UNALLOWED_TOKEN)
            }
            (Dialect::Telegram, Some(TokenError::BadSecret) | None) => {
                ApiError::new(401, descriptions::UNAUTHORIZED)
            }
        }
    }

    /// `parameters.retry_after`, if the server gave one.
    pub fn retry_after(&self) -> Option<u64> {
        self.parameters.as_ref().and_then(|p| p.retry_after)
    }

    /// What this error means; see [`ApiErrorKind`].
    pub fn kind(&self) -> ApiErrorKind {
        let description = self.description.as_str();
        let lower = description.to_ascii_lowercase();
        match self.error_code {
            _ if lower.contains("token not found") => ApiErrorKind::Unauthorized,
            401 | 421 => ApiErrorKind::Unauthorized,
            429 => ApiErrorKind::TooManyRequests,
            _ if description == descriptions::LOGGED_OUT => ApiErrorKind::LoggedOut,
            _ if description == descriptions::ALREADY_CLOSED => ApiErrorKind::AlreadyClosed,
            _ if description == descriptions::RESTART => ApiErrorKind::Restarting,
            404 => ApiErrorKind::NotFound,
            400 => ApiErrorKind::BadRequest,
            403 => ApiErrorKind::Forbidden,
            _ => ApiErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_rejection_wording_per_dialect() {
        let bale = ApiError::token_rejected(Dialect::Bale, Some(TokenError::InvalidSyntax));
        assert_eq!(
            (bale.error_code, bale.description.as_str()),
            (403, "Bad Request: Token not found")
        );
        let cases = [
            (
                Some(TokenError::InvalidSyntax),
                401,
                "Unauthorized: invalid token specified",
            ),
            (
                Some(TokenError::UnallowedBotId),
                421,
                "Misdirected Request: unallowed token specified",
            ),
            (Some(TokenError::BadSecret), 401, "Unauthorized"),
            (None, 401, "Unauthorized"),
        ];
        for (reason, code, description) in cases {
            let error = ApiError::token_rejected(Dialect::Telegram, reason);
            assert_eq!(
                (error.error_code, error.description.as_str()),
                (code, description)
            );
            assert_eq!(error.kind(), ApiErrorKind::Unauthorized, "{reason:?}");
        }
    }

    #[test]
    fn classifies_by_code_and_wording() {
        assert_eq!(
            ApiError::token_rejected(Dialect::Bale, None).kind(),
            ApiErrorKind::Unauthorized
        );
        assert_eq!(ApiError::logged_out().kind(), ApiErrorKind::LoggedOut);
        assert_eq!(
            ApiError::already_closed().kind(),
            ApiErrorKind::AlreadyClosed
        );
        assert_eq!(ApiError::restart().kind(), ApiErrorKind::Restarting);
        assert_eq!(
            ApiError::too_many_requests(3).kind(),
            ApiErrorKind::TooManyRequests
        );
        assert_eq!(ApiError::too_many_requests(3).retry_after(), Some(3));
        assert_eq!(ApiError::method_not_found().kind(), ApiErrorKind::NotFound);
        assert_eq!(
            ApiError::new(400, "Bad Request: chat not found").kind(),
            ApiErrorKind::BadRequest
        );
        assert_eq!(
            ApiError::new(403, "permission_denied").kind(),
            ApiErrorKind::Forbidden
        );
        assert_eq!(
            ApiError::new(502, "Bad Gateway").kind(),
            ApiErrorKind::Other
        );
    }
}
