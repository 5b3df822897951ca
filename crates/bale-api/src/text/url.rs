//! URL and e-mail detection in plain text: tdlib's `match_urls`, `is_email_address`,
//! `fix_url` and `is_common_tld`. Ranges are byte offsets into the text.

use super::tlds::COMMON_TLDS;
use super::unicode::{
    category, is_alpha_digit, is_alpha_digit_or_underscore_or_minus, is_word_character, next_char,
    prev_char, prev_char_start, Category,
};

const BAD_PATH_END_CHARS: &[u8] = b".:;,('?!`";

/// td's `is_url_unicode_symbol`.
pub(crate) fn is_url_unicode_symbol(c: u32) -> bool {
    if (0x2000..=0x206f).contains(&c) {
        // Zero-width non-joiner/joiner and dashes are allowed, other punctuation not.
        return c == 0x200c || c == 0x200d || (0x2010..=0x2015).contains(&c);
    }
    category(c) != Category::Separator
}

/// td's `is_url_path_symbol`.
pub(crate) fn is_url_path_symbol(c: u32) -> bool {
    !matches!(c, 0x0a | 0x3c | 0x3e | 0x22 | 0xab | 0xbb) && is_url_unicode_symbol(c)
}

fn is_protocol_symbol(c: u32) -> bool {
    if c < 0x80 {
        return is_alpha_digit(c) || c == u32::from(b'+') || c == u32::from(b'-');
    }
    category(c) != Category::Separator
}

fn is_user_data_symbol(c: u32) -> bool {
    !(c < 0x80 && b"\n/[]{}()'`<>\"@".contains(&(c as u8)))
        && c != 0xab
        && c != 0xbb
        && is_url_unicode_symbol(c)
}

fn is_domain_symbol(c: u32) -> bool {
    if c < 0xc0 {
        return c == u32::from(b'.')
            || is_alpha_digit_or_underscore_or_minus(c)
            || c == u32::from(b'~');
    }
    is_url_unicode_symbol(c)
}

/// Moves `pos` back over characters matching `keep`, never before `floor`.
fn scan_back(s: &[u8], mut pos: usize, floor: usize, keep: impl Fn(u32) -> bool) -> usize {
    while pos != floor {
        let start = prev_char_start(s, pos);
        let (code, next) = next_char(s, start);
        if !keep(code) {
            return next;
        }
        pos = start;
    }
    pos
}

/// The end of a URL path starting at `start` (its `/`, `?` or `#`).
pub(crate) fn path_end(s: &[u8], start: usize) -> usize {
    let mut end = start + 1;
    while end < s.len() {
        let (code, next) = next_char(s, end);
        if !is_url_path_symbol(code) {
            break;
        }
        end = next;
    }
    while end > start + 1 && BAD_PATH_END_CHARS.contains(&s[end - 1]) {
        end -= 1;
    }
    end
}

/// td's `match_urls`: candidate URLs and e-mail addresses around each dot.
fn match_urls(s: &[u8]) -> Vec<(usize, usize)> {
    let mut result = Vec::new();
    let n = s.len();
    let mut b = 0;
    while let Some(rel) = s[b..].iter().position(|&c| c == b'.') {
        let dot = b + rel;
        if dot + 1 == n {
            break;
        }
        if s[dot + 1] == b' ' {
            b = dot + 2;
            continue;
        }

        let mut domain_begin = scan_back(s, dot, b, is_domain_symbol);
        let mut last_at = None;
        let mut domain_end = dot;
        while domain_end != n {
            let (code, next) = next_char(s, domain_end);
            if code == u32::from(b'@') {
                last_at = Some(domain_end);
            } else if !is_domain_symbol(code) {
                break;
            }
            domain_end = next;
        }
        if last_at.is_some() {
            domain_begin = scan_back(s, domain_begin, b, is_user_data_symbol);
        }

        let mut url_end = domain_end;
        if url_end != n && s[url_end] == b':' {
            let mut port_end = url_end + 1;
            while port_end < n && s[port_end].is_ascii_digit() {
                port_end += 1;
            }
            let mut port_begin = url_end + 1;
            while port_begin != port_end && s[port_begin] == b'0' {
                port_begin += 1;
            }
            let digits = &s[port_begin..port_end];
            let port = |d: &[u8]| d.iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
            if !digits.is_empty() && digits.len() <= 5 && port(digits) <= 65535 {
                url_end = port_end;
            }
        }
        if url_end != n && matches!(s[url_end], b'/' | b'?' | b'#') {
            let end = path_end(s, url_end);
            if s[url_end] == b'/' || end > url_end + 1 {
                url_end = end;
            }
        }
        while url_end > dot + 1 && s[url_end - 1] == b'.' {
            url_end -= 1;
        }

        let mut is_bad = false;
        let mut url_begin = domain_begin;
        if url_begin != b && s[url_begin - 1] == b'@' {
            if last_at.is_some() {
                is_bad = true;
            }
            let user_data_begin = scan_back(s, url_begin - 1, b, is_user_data_symbol);
            if user_data_begin == url_begin - 1 {
                is_bad = true;
            }
            url_begin = user_data_begin;
        }
        if url_begin != b {
            let prefix = &s[b..url_begin];
            if prefix.len() >= 6 && prefix.ends_with(b"://") {
                let protocol_begin = scan_back(s, url_begin - 3, b, is_protocol_symbol);
                let protocol = s[protocol_begin..url_begin - 3].to_ascii_lowercase();
                if protocol.ends_with(b"http") && protocol != b"shttp" {
                    url_begin -= 7;
                } else if protocol.ends_with(b"https") {
                    url_begin -= 8;
                } else if protocol.ends_with(b"ftp") && protocol != b"tftp" && protocol != b"sftp" {
                    url_begin -= 6;
                } else if protocol.ends_with(b"tonsite") {
                    url_begin -= 10;
                } else {
                    is_bad = true;
                }
            } else {
                let code = prev_char(s, url_begin);
                if is_word_character(code) || matches!(code, 0x2f | 0x23 | 0x40) {
                    is_bad = true;
                }
            }
        }

        if !is_bad {
            if url_end > dot + 1 {
                result.push((url_begin, url_end));
            }
            while url_end != n && s[url_end] == b'.' {
                url_end += 1;
            }
        } else {
            while s[url_end - 1] != b'.' {
                url_end -= 1;
            }
        }
        b = url_end.max(dot + 1);
    }
    result
}

/// td's `is_email_address`.
pub(crate) fn is_email_address(s: &[u8]) -> bool {
    let Some(at_pos) = s.iter().position(|&c| c == b'@') else {
        return false;
    };
    let (userdata, domain) = (&s[..at_pos], &s[at_pos + 1..]);
    if domain.is_empty() {
        return false;
    }
    let mut prev = 0;
    let mut parts = 0;
    for (i, &c) in userdata.iter().enumerate() {
        if c == b'.' || c == b'+' {
            if i - prev >= 27 {
                return false;
            }
            parts += 1;
            prev = i + 1;
        } else if !is_alpha_digit_or_underscore_or_minus(u32::from(c)) {
            return false;
        }
    }
    parts += 1;
    let last_part = userdata.len() - prev;
    if parts >= 12 || last_part == 0 || last_part >= 36 {
        return false;
    }
    let mut domain_parts: Vec<&[u8]> = domain.split(|&c| c == b'.').collect();
    if domain_parts.len() <= 1 || domain_parts.len() > 7 {
        return false;
    }
    let tld = domain_parts.pop().unwrap_or_default();
    if tld.len() <= 1 || tld.len() >= 9 || !tld.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    domain_parts.iter().all(|part| {
        !part.is_empty()
            && part.len() < 31
            && part
                .iter()
                .all(|&c| is_alpha_digit_or_underscore_or_minus(u32::from(c)))
            && is_alpha_digit(u32::from(part[0]))
            && is_alpha_digit(u32::from(part[part.len() - 1]))
    })
}

/// td's `is_common_tld`.
fn is_common_tld(tld: &str) -> bool {
    if tld.bytes().all(|c| c.is_ascii_lowercase()) {
        return COMMON_TLDS.binary_search(&tld).is_ok();
    }
    let lower = tld.to_lowercase();
    // A TLD capitalized only in its first letter ("Com") is not taken as one.
    if lower != tld && lower.chars().skip(1).eq(tld.chars().skip(1)) {
        return false;
    }
    COMMON_TLDS.binary_search(&lower.as_str()).is_ok()
}

/// td's `fix_url`: the part of a candidate that is a URL (its end may move back), or
/// `None`.
fn fix_url(s: &[u8], begin: usize, end: usize) -> Option<(usize, usize)> {
    let full = &s[begin..end];
    let mut rest = full;
    let mut has_protocol = false;
    let head = full[..full.len().min(10)].to_ascii_lowercase();
    if [&b"http://"[..], b"https://", b"ftp://", b"tonsite://"]
        .iter()
        .any(|p| head.starts_with(p))
    {
        let colon = rest.iter().position(|&c| c == b':').unwrap_or(0);
        rest = &rest[colon + 3..];
        has_protocol = true;
    }
    let domain_end = rest
        .iter()
        .position(|c| b"/?#".contains(c))
        .unwrap_or(rest.len());
    let (mut domain, path) = rest.split_at(domain_end);
    if let Some(at_pos) = domain.iter().position(|&c| c == b'@') {
        domain = &domain[at_pos + 1..];
    }
    if let Some(colon) = domain.iter().rposition(|&c| c == b':') {
        domain = &domain[..colon];
    }
    if domain.eq_ignore_ascii_case(b"teiegram.org") {
        return None;
    }

    let mut balance = [0i32; 3];
    let mut path_pos = 0;
    while path_pos < path.len() {
        match path[path_pos] {
            b'(' => balance[0] += 1,
            b'[' => balance[1] += 1,
            b'{' => balance[2] += 1,
            b')' => balance[0] -= 1,
            b']' => balance[1] -= 1,
            b'}' => balance[2] -= 1,
            _ => {}
        }
        if balance.iter().any(|&b| b < 0) {
            break;
        }
        path_pos += 1;
    }
    while path_pos > 0 && BAD_PATH_END_CHARS.contains(&path[path_pos - 1]) {
        path_pos -= 1;
    }
    let fixed_end = end - (path.len() - path_pos);

    let mut prev = 0;
    let mut part_count = 0;
    let mut has_non_digit = false;
    let mut is_ipv4 = true;
    for i in 0..=domain.len() {
        if i == domain.len() || domain[i] == b'.' {
            let part_size = i - prev;
            if part_size == 0 || part_size >= 64 || domain[i - 1] == b'-' {
                return None;
            }
            if is_ipv4 {
                let d = |k: usize| domain[prev + k];
                if part_size > 3
                    || (part_size == 3
                        && (d(0) >= b'3'
                            || (d(0) == b'2' && (d(1) >= b'6' || (d(1) == b'5' && d(2) >= b'6')))))
                    || (d(0) == b'0' && part_size >= 2)
                {
                    is_ipv4 = false;
                }
            }
            part_count += 1;
            if i != domain.len() {
                prev = i + 1;
            }
        } else if !domain[i].is_ascii_digit() {
            is_ipv4 = false;
            has_non_digit = true;
        }
    }
    if part_count == 1 {
        return None;
    }
    if is_ipv4 && part_count == 4 {
        return Some((begin, fixed_end));
    }
    if !has_non_digit {
        return None;
    }
    let tld = std::str::from_utf8(&domain[prev..]).ok()?;
    if tld.chars().count() <= 1 {
        return None;
    }
    if let Some(puny) = tld.strip_prefix("xn--") {
        if tld.len() <= 5 || !puny.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
    } else if tld.contains(['_', '-']) || (!has_protocol && !is_common_tld(tld)) {
        return None;
    }
    // The second-level label may not contain '_'.
    let sld_end = prev - 1;
    let sld_start = domain[..sld_end]
        .iter()
        .rposition(|&c| c == b'.')
        .map_or(0, |p| p + 1);
    if domain[sld_start..sld_end].contains(&b'_') {
        return None;
    }
    Some((begin, fixed_end))
}

/// td's `find_urls`: URLs (`false`) and e-mail addresses (`true`), as byte ranges.
pub(crate) fn find_urls(s: &[u8]) -> Vec<(usize, usize, bool)> {
    let mut result = Vec::new();
    for (begin, end) in match_urls(s) {
        let url = &s[begin..end];
        if is_email_address(url) {
            result.push((begin, end, true));
        } else if url.starts_with(b"mailto:") && is_email_address(&url[7..]) {
            result.push((begin + 7, end, true));
        } else if let Some((b, e)) = fix_url(s, begin, end) {
            result.push((b, e, false));
        }
    }
    result
}

#[cfg(test)]
mod tests;
