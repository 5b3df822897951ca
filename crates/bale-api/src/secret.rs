//! [`Secret`]: a string that is a password — a bot token as written (well-formed or not), a
//! webhook's secret token — held so that no `Debug`, `Display` or error can show it.
//!
//! [`Token`](crate::Token) is the validated form; `Secret` is for the places that must keep
//! what was written as it was: a token from a request path or a command line before it is
//! checked, a scenario rule matching a malformed token, a client sending any token it is
//! given.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use crate::token::parse_bot_id;

/// A secret string. `Debug` and `Display` show only the bot id of a token
/// (`123:<redacted>`) when it has a readable one, else `<redacted>`. Use
/// [`Secret::expose`] where the raw value is really needed: sending it, or comparing it.
///
/// `S` is `String` for an owned secret and `&str` for one borrowed from a request.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Secret<S = String>(S);

impl<S: AsRef<str>> Secret<S> {
    /// Wraps `value`.
    pub fn new(value: S) -> Secret<S> {
        Secret(value)
    }

    /// The raw value. Never log or print it.
    pub fn expose(&self) -> &str {
        self.0.as_ref()
    }

    /// Whether it is the empty string.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }

    /// The same secret, borrowed.
    pub fn borrowed(&self) -> Secret<&str> {
        Secret(self.expose())
    }
}

impl<'a> Secret<&'a str> {
    /// The raw value, for as long as the borrow lasts. Never log or print it.
    pub fn into_exposed(self) -> &'a str {
        self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

/// For command-line parsers (clap reads `--token` straight into a `Secret`).
impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(value: &str) -> Result<Secret, Infallible> {
        Ok(Secret(value.to_owned()))
    }
}

impl<S: AsRef<str>> fmt::Display for Secret<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match parse_bot_id(self.expose()) {
            Ok(bot_id) => write!(f, "{bot_id}:<redacted>"),
            Err(_) => f.write_str("<redacted>"),
        }
    }
}

impl<S: AsRef<str>> fmt::Debug for Secret<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    #[test]
    fn debug_and_display_hide_the_value() {
        let token = format!("42:{SECRET}");
        let owned = Secret::from(token.as_str());
        let shown = [
            format!("{owned:?}"),
            format!("{owned}"),
            format!("{:?}", owned.borrowed()),
            format!("{:?}", Secret::new(SECRET)),
            format!("{:?}", Some(Secret::new(format!("0x:{SECRET}")))),
        ];
        for text in &shown {
            assert!(!text.contains(SECRET), "{text}");
        }
        assert_eq!(shown[0], "Secret(42:<redacted>)");
        assert_eq!(shown[1], "42:<redacted>");
        assert_eq!(shown[3], "Secret(<redacted>)");
        assert_eq!(owned.expose(), token);
        assert_eq!(owned.borrowed(), Secret::new(token.as_str()));
    }
}
