//! Taking tokens out of text that is about to be shown: error descriptions, journal entries,
//! `Debug` output.
//!
//! [`known`] removes one token whose value is known (the request's own); [`token_like`]
//! removes anything shaped like a token, for text that may quote a token nobody named (a
//! scenario file's error). Both keep the bot id, like [`Token`](crate::Token)'s `Display`:
//! it names the bot and is no secret.

use std::borrow::Cow;

/// A token's secret part is redacted on its own (as it appears percent-encoded or cut from
/// its bot id) when it is at least this long: shorter ones are no secret worth hiding and
/// would match ordinary words.
const MIN_KNOWN_SECRET: usize = 8;

/// A `<digits>:<base64url>` run counts as a token when its secret part is at least this
/// long: shorter than any secret the server accepts (24), so a mistyped token is caught too,
/// and long enough that times (`12:30`) and positions (`3:14`) are left alone.
const MIN_TOKEN_LIKE_SECRET: usize = 16;

/// `text` with every occurrence of `token` replaced by `<token>`, and of its secret part
/// (after the first `:`) by `<redacted>`: what is left when the token was echoed whole,
/// percent-encoded (the secret is base64url and never encoded) or split.
pub fn known<'t>(text: &'t str, token: &str) -> Cow<'t, str> {
    if token.is_empty() {
        return Cow::Borrowed(text);
    }
    let secret = token.split_once(':').map_or(token, |(_, secret)| secret);
    // A text shorter than what it is searched for cannot hold it: most texts (a method
    // name, a chat id) are, and a substring search costs more than the comparison.
    let whole = text.len() >= token.len() && text.contains(token);
    let part =
        secret.len() >= MIN_KNOWN_SECRET && text.len() >= secret.len() && text.contains(secret);
    if !whole && !part {
        return Cow::Borrowed(text);
    }
    let mut text = text.replace(token, "<token>");
    if secret.len() >= MIN_KNOWN_SECRET {
        text = text.replace(secret, "<redacted>");
    }
    Cow::Owned(text)
}

/// `text` with the secret of everything shaped like a token — digits, `:` (or `%3A`), then
/// at least `MIN_TOKEN_LIKE_SECRET` base64url characters — replaced by `<redacted>`.
pub fn token_like(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // `text[..copied]` is already in `out`; every index used is an ASCII byte's, so a
    // character boundary.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let separator = match &bytes[i..] {
            [b':', ..] => 1,
            [b'%', b'3', b'a' | b'A', ..] => 3,
            _ => 0,
        };
        if separator > 0 && i > 0 && bytes[i - 1].is_ascii_digit() {
            let start = i + separator;
            let len = bytes[start..]
                .iter()
                .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                .count();
            if len >= MIN_TOKEN_LIKE_SECRET {
                out.push_str(&text[copied..start]);
                out.push_str("<redacted>");
                copied = start + len;
                i = copied;
                continue;
            }
        }
        i += 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    #[test]
    fn a_known_token_goes_whole_encoded_or_split() {
        let token = format!("42:{SECRET}");
        let text = format!("url=https://x/bot{token} enc=42%3A{SECRET} alone={SECRET}");
        assert_eq!(
            known(&text, &token),
            "url=https://x/bot<token> enc=42%3A<redacted> alone=<redacted>"
        );
        assert!(matches!(known("nothing here", &token), Cow::Borrowed(_)));
        assert_eq!(known("a 1:ab b", "1:ab"), "a <token> b");
        assert_eq!(known("ab", ""), "ab");
    }

    #[test]
    fn anything_shaped_like_a_token_loses_its_secret() {
        let text = format!(
            "invalid type: string \"42:{SECRET}\", at 3:14; /bot7%3a{SECRET}/x; 12:30; \
             9:short_one; é1:{SECRET}é"
        );
        assert_eq!(
            token_like(&text),
            "invalid type: string \"42:<redacted>\", at 3:14; /bot7%3a<redacted>/x; 12:30; \
             9:short_one; é1:<redacted>é"
        );
        assert!(matches!(token_like("line 3:14"), Cow::Borrowed(_)));
        assert_eq!(token_like(&format!(":{SECRET}")), format!(":{SECRET}"));
    }
}
