//! Keeping the token out of error text: redaction and short body excerpts.

/// The longest excerpt of a body kept in an error, in characters.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// Replaces every occurrence of the token with `<token>`: raw, percent-encoded as in the
/// request's URL path, and form-encoded.
pub(crate) fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        return text.to_owned();
    }
    let mut text = text.replace(token, "<token>");
    let form: String = url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
    for encoded in [path_encoded(token), Some(form)].into_iter().flatten() {
        if encoded != token {
            text = text.replace(&encoded, "<token>");
        }
    }
    text
}

/// The token as it appears in a URL path segment.
fn path_encoded(token: &str) -> Option<String> {
    let mut url = url::Url::parse("http://localhost/").ok()?;
    url.path_segments_mut().ok()?.pop_if_empty().push(token);
    Some(url.path().trim_start_matches('/').to_owned())
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded and redacted. A body
/// that ends inside the token (a truncated echo of the URL) loses that tail too.
pub(crate) fn excerpt(body: &[u8], token: &str) -> String {
    let text = redact(&String::from_utf8_lossy(body), token);
    let mut excerpt: String = text.trim().chars().take(EXCERPT_CHARS).collect();
    if !token.is_empty() {
        // The longest tail of the excerpt that is a prefix of the token (at least 4 bytes).
        let cut = (4..=token.len().min(excerpt.len())).rev().find(|&n| {
            token.is_char_boundary(n)
                && excerpt.is_char_boundary(excerpt.len() - n)
                && excerpt.ends_with(&token[..n])
        });
        if let Some(n) = cut {
            excerpt.truncate(excerpt.len() - n);
            excerpt.push_str("<token>");
        }
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:SECRET-abcdefghijklmnopqrstu";

    #[test]
    fn excerpts_are_short_and_redacted() {
        let body = format!("<html>POST /bot{TOKEN}/getMe {}</html>", "x".repeat(500));
        let excerpt = excerpt(body.as_bytes(), TOKEN);
        assert!(
            excerpt.starts_with("<html>POST /bot<token>/getMe"),
            "{excerpt}"
        );
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS);
        let odd = "12:a b/c?d";
        assert_eq!(
            redact("/bot12:a%20b%2Fc%3Fd/getMe", odd),
            "/bot<token>/getMe"
        );
        assert_eq!(redact("token=12%3Aa+b%2Fc%3Fd", odd), "token=<token>");
        assert_eq!(redact("nothing to hide", ""), "nothing to hide");
    }

    #[test]
    fn tokens_with_multibyte_characters_never_panic() {
        let token = "12:ééééééééééééé";
        let body = format!("GET /bot{}", &token[..9]);
        assert_eq!(excerpt(body.as_bytes(), token), "GET /bot<token>");
        assert_eq!(excerpt("abcdé".as_bytes(), token), "abcdé");
    }

    #[test]
    fn a_body_cut_inside_the_token_loses_the_token_prefix() {
        let body = format!("GET /bot{}", &TOKEN[..12]);
        assert_eq!(excerpt(body.as_bytes(), TOKEN), "GET /bot<token>");
    }
}
