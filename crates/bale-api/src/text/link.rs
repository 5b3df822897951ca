//! Link checks for `text_link` URLs and `tg://` links: tdlib's `LinkManager::check_link`,
//! `get_link_user_id`, `get_link_custom_emoji_id`, `get_link_formatted_date` and
//! tdutils' `parse_url`. The real server keeps only links that pass, normalized
//! (`example.com` becomes `http://example.com/`).

use std::net::Ipv6Addr;

use super::model::{normalize_date_format, to_integer_safe};
use super::unicode::at;

fn tolower_begins_with(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// What `parse_url` extracts.
struct HttpUrl {
    https: bool,
    userinfo: String,
    host: String,
    is_ipv6: bool,
    specified_port: u32,
    query: String,
}

impl HttpUrl {
    fn get_url(&self) -> String {
        let mut s = String::from(if self.https { "https://" } else { "http://" });
        if !self.userinfo.is_empty() {
            s.push_str(&self.userinfo);
            s.push('@');
        }
        s.push_str(&self.host);
        if self.specified_port > 0 {
            s.push(':');
            s.push_str(&self.specified_port.to_string());
        }
        s.push_str(&self.query);
        s
    }
}

fn check_url_part(part: &[u8], name: &str, allow_colon: bool) -> Result<(), String> {
    let mut i = 0;
    while i < part.len() {
        let c = part[i];
        let allowed = c.is_ascii_alphanumeric() || b".-_!$,~*'();&+=".contains(&c);
        if allowed || (allow_colon && c == b':') || c >= 128 {
            i += 1;
            continue;
        }
        if c == b'%' {
            if at(part, i + 1).is_ascii_hexdigit() && at(part, i + 2).is_ascii_hexdigit() {
                i += 3;
                continue;
            }
            return Err(format!("Wrong percent-encoded symbol in URL {name}"));
        }
        return Err(format!("Disallowed character in URL {name}"));
    }
    Ok(())
}

/// tdutils' `parse_url` with HTTP as the default protocol.
fn parse_url(url: &str) -> Result<HttpUrl, String> {
    let b = url.as_bytes();
    let proto_end = b
        .iter()
        .position(|c| b":/?#@[]".contains(c))
        .unwrap_or(b.len());
    let mut rest = url;
    let mut https = false;
    if url[proto_end..].starts_with("://") {
        match url[..proto_end].to_ascii_lowercase().as_str() {
            "http" => {}
            "https" => https = true,
            _ => return Err("Unsupported URL protocol".into()),
        }
        rest = &url[proto_end + 3..];
    }
    let hp_end = rest
        .bytes()
        .position(|c| b"/?#".contains(&c))
        .unwrap_or(rest.len());
    let (userinfo_host_port, query) = rest.split_at(hp_end);
    let uhp = userinfo_host_port.as_bytes();

    let mut port: i64 = 0;
    let mut userinfo_host = userinfo_host_port;
    let colon = uhp.iter().rposition(|c| b":]@".contains(c));
    if let Some(colon) = colon.filter(|&c| c > 0 && uhp[c] == b':') {
        let mut port_str = &userinfo_host_port[colon + 1..];
        while port_str.len() > 1 && port_str.starts_with('0') {
            port_str = &port_str[1..];
        }
        port = match to_integer_safe(port_str) {
            Some(p) if p != 0 && i32::try_from(p).is_ok() => p,
            _ => -1,
        };
        userinfo_host = &userinfo_host_port[..colon];
    }
    if !(0..=65535).contains(&port) {
        return Err("Wrong port number specified in the URL".into());
    }

    let (userinfo, host) = match userinfo_host.rfind('@') {
        Some(at_pos) => (&userinfo_host[..at_pos], &userinfo_host[at_pos + 1..]),
        None => ("", userinfo_host),
    };
    let is_ipv6 = host.len() >= 2 && host.starts_with('[') && host.ends_with(']');
    if is_ipv6 && host[1..host.len() - 1].parse::<Ipv6Addr>().is_err() {
        return Err("Wrong IPv6 address specified in the URL".into());
    }
    if host.is_empty() {
        return Err("URL host is empty".into());
    }
    if host == "." {
        return Err("Host is invalid".into());
    }

    let query = query.trim_end_matches(|c: char| c.is_ascii() && super::unicode::is_space(c as u8));
    let query = if query.is_empty() { "/" } else { query };
    let mut query_str = String::new();
    if !query.starts_with('/') {
        query_str.push('/');
    }
    for c in query.chars() {
        if (c as u32) <= 0x20 {
            query_str.push_str(&format!("%{:02X}", c as u32));
        } else {
            query_str.push(c);
        }
    }

    let host_str = host.to_ascii_lowercase();
    if is_ipv6 {
        let inner = &host_str.as_bytes()[1..host_str.len() - 1];
        if !inner
            .iter()
            .all(|&c| c == b':' || c == b'.' || c.is_ascii_hexdigit())
        {
            return Err("Wrong IPv6 URL host".into());
        }
    } else {
        check_url_part(host_str.as_bytes(), "host", false)?;
        check_url_part(userinfo.as_bytes(), "userinfo", true)?;
    }
    Ok(HttpUrl {
        https,
        userinfo: userinfo.to_string(),
        host: host_str,
        is_ipv6,
        specified_port: port as u32,
        query: query_str,
    })
}

/// td's `check_link_impl` (neither HTTP-only nor HTTPS-only): the normalized link or why
/// it is refused.
fn check_link_impl(link: &str) -> Result<String, String> {
    let mut link = link;
    let mut scheme = None;
    for name in ["tg", "ton", "tonsite"] {
        if tolower_begins_with(link, name) && link.as_bytes().get(name.len()) == Some(&b':') {
            link = &link[name.len() + 1..];
            scheme = Some(name);
            break;
        }
    }
    if scheme.is_some() {
        link = link.strip_prefix("//").unwrap_or(link);
    }
    let url = parse_url(link)?;
    if let Some(scheme) = scheme {
        if tolower_begins_with(link, "http://")
            || url.https
            || !url.userinfo.is_empty()
            || url.specified_port != 0
            || url.is_ipv6
        {
            return Err(if scheme == "tg" {
                "Wrong tg URL"
            } else {
                "Wrong ton URL"
            }
            .into());
        }
        let mut query = url.query.as_str();
        if query.len() > 1 && query.as_bytes()[1] == b'?' {
            query = &query[1..];
        }
        let host_ok = url.host.bytes().all(|c| {
            c.is_ascii_alphanumeric()
                || c == b'-'
                || c == b'_'
                || (scheme == "tonsite" && c == b'.')
        });
        if !host_ok {
            return Err("Unallowed characters in URL host".into());
        }
        return Ok(format!("{scheme}://{}{query}", url.host));
    }
    if !url.host.contains('.') && !url.is_ipv6 {
        return Err("Wrong HTTP URL".into());
    }
    Ok(url.get_url())
}

/// td's `get_checked_link`: the normalized link, or empty if it is invalid.
pub(crate) fn get_checked_link(link: &str) -> String {
    check_link_impl(link).unwrap_or_default()
}

/// td's `check_link`, with its error message.
pub(crate) fn check_link(link: &str) -> Result<String, String> {
    check_link_impl(link).map_err(|e| format!("URL '{link}' is invalid: {e}"))
}

/// The query of a `tg://<host>?…` link, with td's `check_tg_url_host` errors.
fn tg_url_query<'a>(url: &'a str, host: &str) -> Result<&'a str, String> {
    let lower = url.to_ascii_lowercase();
    let (mut lower, mut url) = (lower.as_str(), url);
    if !lower.starts_with("tg:") {
        return Err("URL must have scheme tg".into());
    }
    lower = &lower[3..];
    url = &url[3..];
    if url.starts_with("//") {
        lower = &lower[2..];
        url = &url[2..];
    }
    if !lower.starts_with(host)
        || (url.len() > host.len() && !b"/?#".contains(&url.as_bytes()[host.len()]))
    {
        return Err(format!("URL must have host \"{host}\""));
    }
    url = &url[host.len()..];
    url = url.strip_prefix('/').unwrap_or(url);
    let Some(query) = url.strip_prefix('?') else {
        return Err("URL must have parameters".into());
    };
    Ok(query.split('#').next().unwrap_or(""))
}

fn params(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// td's `get_link_user_id`: the id of a `tg://user?id=…` link (0 if it is not one).
pub(crate) fn get_link_user_id(url: &str) -> i64 {
    let lower = url.to_ascii_lowercase();
    let Some(mut rest) = lower.strip_prefix("tg:") else {
        return 0;
    };
    rest = rest.strip_prefix("//").unwrap_or(rest);
    let Some(after) = rest.strip_prefix("user") else {
        return 0;
    };
    if !after.is_empty() && !b"/?#".contains(&after.as_bytes()[0]) {
        return 0;
    }
    let after = after.strip_prefix('/').unwrap_or(after);
    let Some(query) = after.strip_prefix('?') else {
        return 0;
    };
    let query = query.split('#').next().unwrap_or("");
    for (key, value) in params(query) {
        if key == "id" {
            return to_integer_safe(value).unwrap_or(0);
        }
    }
    0
}

/// td's `get_link_custom_emoji_id` for `tg://emoji?id=…`.
pub(crate) fn get_link_custom_emoji_id(url: &str) -> Result<i64, String> {
    let query = tg_url_query(url, "emoji")?;
    for (key, value) in params(query) {
        if key == "id" {
            return match to_integer_safe(value) {
                Some(id) if id != 0 => Ok(id),
                _ => Err("Invalid custom emoji identifier specified".into()),
            };
        }
    }
    Err("Custom emoji URL must have an emoji identifier".into())
}

/// td's `get_link_formatted_date` for `tg://time?unix=…&format=…`: the Unix time and the
/// Bot API's format letters.
pub(crate) fn get_link_formatted_date(url: &str) -> Result<(i32, String), String> {
    let query = tg_url_query(url, "time")?;
    let mut date = 0;
    let mut format = "";
    for (key, value) in params(query) {
        if key == "unix" {
            date = match to_integer_safe(value).and_then(|d| i32::try_from(d).ok()) {
                Some(d) if d > 0 => d,
                _ => return Err("Invalid Unix time specified".into()),
            };
        }
        if key == "format" {
            format = value;
        }
    }
    if date == 0 {
        return Err("URL must have the corresponding Unix time".into());
    }
    let format = normalize_date_format(format).ok_or("Invalid date format used")?;
    Ok((date, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_links_are_normalized() {
        assert_eq!(get_checked_link("example.com"), "http://example.com/");
        assert_eq!(
            get_checked_link("HTTPS://Example.COM/Path?q=1"),
            "https://example.com/Path?q=1"
        );
        assert_eq!(
            get_checked_link("http://u:p@a.ir:0080/x y"),
            "http://u:p@a.ir:80/x%20y"
        );
        assert_eq!(get_checked_link("ftp://example.com"), "");
        assert_eq!(get_checked_link("localhost"), "");
        assert_eq!(get_checked_link("example.com:"), "");
        assert_eq!(get_checked_link("a b.com"), "");
        assert_eq!(get_checked_link("http://[::1]/"), "http://[::1]/");
        assert_eq!(get_checked_link("سلام.ایران"), "http://سلام.ایران/");
    }

    #[test]
    fn tg_links() {
        assert_eq!(
            get_checked_link("tg://resolve?domain=x"),
            "tg://resolve?domain=x"
        );
        assert_eq!(get_checked_link("TG:resolve"), "tg://resolve/");
        assert_eq!(get_checked_link("tg://a.b"), "");
        assert_eq!(get_link_user_id("tg://user?id=123"), 123);
        assert_eq!(get_link_user_id("TG:user/?id=7#x"), 7);
        assert_eq!(get_link_user_id("tg://userx?id=1"), 0);
        assert_eq!(get_link_custom_emoji_id("tg://emoji?id=5"), Ok(5));
        assert!(get_link_custom_emoji_id("tg://emoji?id=0").is_err());
        assert_eq!(
            get_link_formatted_date("tg://time?unix=10&format=Dw"),
            Ok((10, "wD".into()))
        );
        assert_eq!(
            check_link("x"),
            Err("URL 'x' is invalid: Wrong HTTP URL".to_string())
        );
    }
}
