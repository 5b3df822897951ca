//! Bot tokens: `<bot id>:<secret>`, validated by the rules of the real Bot API server.
//!
//! The rules come from tdlib/telegram-bot-api (`ClientManager::send` and `Client::start_up`,
//! see `wire-facts.md` §2): a token that starts with `0`, is longer than 80 characters,
//! contains `/` or has no `:` is *invalid*; a bot id that is not an integer as written (`+5`
//! is not) is *unallowed*; a bot id outside `1..2^54` is *invalid*; a secret shorter than 24
//! characters or with characters outside base64url is a *bad secret*.

use std::fmt;

/// The numeric id of a bot: the part of its token before the colon.
pub type BotId = i64;

/// Why a token string is not a well-formed token. Each reason maps to its own answer in the
/// Telegram dialect (see [`crate::ApiError::token_rejected`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Empty, starts with `0`, longer than 80 characters, contains `/` or has no `:`, or the
    /// bot id is not in `1..2^54`.
    #[error("invalid token syntax")]
    InvalidSyntax,
    /// The part before the colon is not an integer.
    #[error("bot id is not an integer")]
    UnallowedBotId,
    /// The secret is shorter than 24 characters or not made of base64url characters.
    #[error("token secret is too short or not base64url")]
    BadSecret,
}

/// A well-formed bot token.
///
/// The whole token is a secret (it is a password for the bot), so `Debug` and `Display` show
/// only the bot id. Use [`Token::expose`] where the raw value is really needed: building a
/// request URL, or comparing with a configured token.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token {
    raw: Box<str>,
    bot_id: BotId,
}

/// The longest token the real server accepts.
const MAX_TOKEN_LEN: usize = 80;
/// The shortest secret the real server accepts.
const MIN_SECRET_LEN: usize = 24;
/// Bot ids must be below 2^54.
const MAX_BOT_ID: BotId = 1 << 54;

impl Token {
    /// Parses and validates `raw` by the real server's rules.
    pub fn parse(raw: &str) -> Result<Token, TokenError> {
        Ok(Token {
            bot_id: check(raw)?,
            raw: raw.into(),
        })
    }

    /// The bot id: the number before the colon.
    pub fn bot_id(&self) -> BotId {
        self.bot_id
    }

    /// The raw token. Never log or print it.
    pub fn expose(&self) -> &str {
        &self.raw
    }
}

/// Checks a token string by every rule, without keeping it, and returns its bot id: what a
/// server needs on every request, with no allocation.
pub fn check(raw: &str) -> Result<BotId, TokenError> {
    match well_formed(raw.as_bytes()) {
        Some(bot_id) => Ok(bot_id),
        None => check_by_each_rule(raw),
    }
}

/// The bot id of a token every rule accepts, read in one pass; `None` for any other, whose
/// reason [`check_by_each_rule`] finds. Every request's token goes through here, and the
/// rules one by one scan it four times.
fn well_formed(raw: &[u8]) -> Option<BotId> {
    if raw.len() > MAX_TOKEN_LEN || raw.first() == Some(&b'0') {
        return None;
    }
    let mut bot_id: BotId = 0;
    let mut at = 0;
    while let Some(&digit @ b'0'..=b'9') = raw.get(at) {
        // At most 17 digits reach here before `MAX_BOT_ID` stops them: no overflow.
        bot_id = bot_id * 10 + BotId::from(digit - b'0');
        if bot_id >= MAX_BOT_ID {
            return None;
        }
        at += 1;
    }
    let secret = raw.get(at + 1..).filter(|_| at > 0 && raw[at] == b':')?;
    let base64url = secret.iter().all(|&b| BASE64URL[usize::from(b)]);
    (secret.len() >= MIN_SECRET_LEN && base64url).then_some(bot_id)
}

/// [`check`]'s rules one by one, in the real server's order: the reason a token is refused.
fn check_by_each_rule(raw: &str) -> Result<BotId, TokenError> {
    let bot_id = parse_bot_id(raw)?;
    let secret = &raw[raw.find(':').map_or(raw.len(), |i| i + 1)..];
    if secret.len() < MIN_SECRET_LEN || !secret.bytes().all(|b| BASE64URL[usize::from(b)]) {
        return Err(TokenError::BadSecret);
    }
    Ok(bot_id)
}

/// The base64url alphabet (`A-Z a-z 0-9 - _`) as a table: one load per byte of a secret,
/// which every request checks.
static BASE64URL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
        b += 1;
    }
    table
};

/// The bot id of a token string, checked by the syntax rules only (not the secret's).
///
/// A server uses this to name the bot a rejected token claims to be, without ever keeping
/// the token itself.
pub fn parse_bot_id(raw: &str) -> Result<BotId, TokenError> {
    let Some(colon) = raw.find(':') else {
        return Err(TokenError::InvalidSyntax);
    };
    if raw.starts_with('0') || raw.len() > MAX_TOKEN_LEN || raw.contains('/') {
        return Err(TokenError::InvalidSyntax);
    }
    let digits = &raw[..colon];
    // Rust reads `+5` as 5; tdlib's `to_integer_safe` refuses any number that does not
    // print back as written, and `-`, the one other sign, makes the id invalid below.
    if digits.starts_with('+') {
        return Err(TokenError::UnallowedBotId);
    }
    let bot_id: BotId = digits.parse().map_err(|_| TokenError::UnallowedBotId)?;
    if bot_id <= 0 || bot_id >= MAX_BOT_ID {
        return Err(TokenError::InvalidSyntax);
    }
    Ok(bot_id)
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}:<redacted>)", self.bot_id)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:<redacted>", self.bot_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    #[test]
    fn accepts_a_well_formed_token() {
        let token = Token::parse(&format!("123456789:{SECRET}")).unwrap();
        assert_eq!(token.bot_id(), 123456789);
        assert_eq!(token.expose(), format!("123456789:{SECRET}"));
    }

    #[test]
    fn debug_and_display_hide_the_secret() {
        let token = Token::parse(&format!("42:{SECRET}")).unwrap();
        for shown in [format!("{token:?}"), format!("{token}")] {
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(shown.contains("42"), "{shown}");
        }
    }

    #[test]
    fn rejects_by_the_servers_rules() {
        let cases = [
            ("", TokenError::InvalidSyntax),
            ("no-colon", TokenError::InvalidSyntax),
            (&format!("0123:{SECRET}"), TokenError::InvalidSyntax),
            (&format!("12/3:{SECRET}"), TokenError::InvalidSyntax),
            (
                &format!("123:{SECRET}{SECRET}{SECRET}"),
                TokenError::InvalidSyntax,
            ),
            (&format!("-5:{SECRET}"), TokenError::InvalidSyntax),
            (
                &format!("18014398509481984:{SECRET}"),
                TokenError::InvalidSyntax,
            ),
            (&format!("abc:{SECRET}"), TokenError::UnallowedBotId),
            (&format!(":{SECRET}"), TokenError::UnallowedBotId),
            // tdlib's `to_integer_safe` refuses a number that does not print back the same.
            (&format!("+5:{SECRET}"), TokenError::UnallowedBotId),
            (&format!("+0:{SECRET}"), TokenError::UnallowedBotId),
            ("123:short", TokenError::BadSecret),
            (&format!("123:{SECRET}!"), TokenError::BadSecret),
            ("123456:AAFAKE-token", TokenError::BadSecret),
        ];
        for (raw, want) in cases {
            assert_eq!(Token::parse(raw), Err(want), "{raw:?}");
        }
    }

    proptest::proptest! {
        /// The one-pass reading answers as the rules one by one do, on token-shaped text
        /// (signs, zeros, ids near 2^54, secrets near 24 and 80 bytes) and on anything.
        #[test]
        fn one_pass_agrees_with_each_rule(raw in proptest::prop_oneof![
            "[+-]?0?[0-9]{1,18}[:/]?[A-Za-z0-9_:/=+-]{0,40}",
            "[1-9][0-9]{0,17}:[A-Za-z0-9_-]{20,80}",
            "1801439850948198[0-9]:[A-Za-z0-9_-]{24}",
            proptest::prelude::any::<String>(),
        ]) {
            proptest::prop_assert_eq!(check(&raw), check_by_each_rule(&raw), "{:?}", raw);
        }
    }
}
