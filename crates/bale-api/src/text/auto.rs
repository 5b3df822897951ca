//! The entities the server finds by itself in a text: tdlib's `find_entities` with its
//! `match_mentions`, `match_bot_commands`, `match_hashtags`, `match_cashtags`,
//! `match_bank_card_numbers`, `match_tg_urls` and `find_urls` (media timestamps are never
//! looked for in a bot's messages). Phone numbers are not found: td has no finder for them.

use super::model::{sort_entities, Entity, Kind};
use super::unicode::{
    category, is_alpha_digit_or_underscore, is_alpha_digit_or_underscore_or_minus,
    is_word_character, next_char, prev_char, utf16_units, Category,
};
use super::url::{find_urls, path_end};

type Ranges = Vec<(usize, usize)>;

/// Positions of `needle` at or after `from`.
fn find_byte(s: &[u8], from: usize, needle: u8) -> Option<usize> {
    s.get(from..)?
        .iter()
        .position(|&c| c == needle)
        .map(|p| from + p)
}

/// The character at `pos`, or 0 at the end.
fn char_at(s: &[u8], pos: usize) -> u32 {
    next_char(s, pos).0
}

fn find_mentions(s: &[u8]) -> Ranges {
    let mut result = Vec::new();
    let mut ptr = 0;
    while let Some(p) = find_byte(s, ptr, b'@') {
        ptr = p + 1;
        if p != 0 && is_word_character(prev_char(s, p)) {
            continue;
        }
        let begin = ptr;
        while ptr < s.len() && is_alpha_digit_or_underscore(u32::from(s[ptr])) {
            ptr += 1;
        }
        let size = ptr - begin;
        if !(2..=32).contains(&size) || is_word_character(char_at(s, ptr)) {
            continue;
        }
        // Usernames shorter than 4 characters exist only for these bots.
        let name = s[begin..ptr].to_ascii_lowercase();
        if size < 4 && ![&b"gif"[..], b"nft", b"pic", b"ufc", b"vid"].contains(&name.as_slice()) {
            continue;
        }
        result.push((p, ptr));
    }
    result
}

fn find_bot_commands(s: &[u8]) -> Ranges {
    let is_separator = |c: u32| is_word_character(c) || matches!(c, 0x2f | 0x3c | 0x3e);
    let mut result = Vec::new();
    let mut ptr = 0;
    while let Some(p) = find_byte(s, ptr, b'/') {
        ptr = p + 1;
        if p != 0 && is_separator(prev_char(s, p)) {
            continue;
        }
        let begin = ptr;
        while ptr < s.len() && is_alpha_digit_or_underscore(u32::from(s[ptr])) {
            ptr += 1;
        }
        let mut end = ptr;
        if !(1..=64).contains(&(end - begin)) {
            continue;
        }
        if ptr < s.len() && s[ptr] == b'@' {
            ptr += 1;
            let mention_begin = ptr;
            while ptr < s.len() && is_alpha_digit_or_underscore(u32::from(s[ptr])) {
                ptr += 1;
            }
            if !(3..=32).contains(&(ptr - mention_begin)) {
                continue;
            }
            end = ptr;
        }
        if is_separator(char_at(s, ptr)) {
            continue;
        }
        result.push((p, end));
    }
    result
}

/// td's `is_hashtag_letter`, also returning the category.
fn hashtag_letter(c: u32) -> (bool, Category) {
    let cat = category(c);
    let ok = c == u32::from(b'_')
        || c == 0x200c
        || c == 0xb7
        || (0xd80..=0xdff).contains(&c)
        || matches!(cat, Category::DecimalNumber | Category::Letter);
    (ok, cat)
}

fn find_hashtags(s: &[u8]) -> Ranges {
    let mut result = Vec::new();
    let mut ptr = 0;
    while let Some(p) = find_byte(s, ptr, b'#') {
        ptr = p + 1;
        if p != 0 && hashtag_letter(prev_char(s, p)).0 {
            continue;
        }
        let mut size = 0;
        let mut end = None;
        let mut was_letter = false;
        while ptr < s.len() {
            let (code, next) = next_char(s, ptr);
            let (ok, cat) = hashtag_letter(code);
            if !ok {
                break;
            }
            ptr = next;
            if size == 255 {
                end = Some(ptr);
            }
            if size != 256 {
                was_letter |= cat == Category::Letter;
                size += 1;
            }
        }
        let mut end = end.unwrap_or(ptr);
        if size < 1 {
            continue;
        }
        // A hashtag may name a chat: `#tag@username`.
        if end == ptr && ptr < s.len() && s[ptr] == b'@' {
            let mut username_end = ptr + 1;
            while username_end < s.len()
                && username_end - ptr < 33
                && is_alpha_digit_or_underscore(u32::from(s[username_end]))
            {
                username_end += 1;
            }
            if username_end - ptr > 3 {
                ptr = username_end;
                end = username_end;
            }
        }
        if (ptr < s.len() && s[ptr] == b'#') || !was_letter {
            continue;
        }
        result.push((p, end));
    }
    result
}

fn find_cashtags(s: &[u8]) -> Ranges {
    let mut result = Vec::new();
    let mut ptr = 0;
    while let Some(p) = find_byte(s, ptr, b'$') {
        ptr = p + 1;
        if p != 0 {
            let prev = prev_char(s, p);
            if hashtag_letter(prev).0 || prev == u32::from(b'$') {
                continue;
            }
        }
        let begin = ptr;
        if s[ptr..].starts_with(b"1INCH") {
            ptr += 5;
        } else {
            while ptr < s.len() && s[ptr].is_ascii_uppercase() {
                ptr += 1;
            }
        }
        if !(1..=8).contains(&(ptr - begin)) {
            continue;
        }
        // A cashtag may name a chat: `$TAG@username`.
        if ptr < s.len() && s[ptr] == b'@' {
            let mut username_end = ptr + 1;
            while username_end < s.len() && is_alpha_digit_or_underscore(u32::from(s[username_end]))
            {
                username_end += 1;
            }
            if (3..=32).contains(&(username_end - ptr - 1)) {
                ptr = username_end;
            }
        }
        if ptr != s.len() {
            let code = char_at(s, ptr);
            if hashtag_letter(code).0 || code == u32::from(b'$') {
                continue;
            }
        }
        result.push((p, ptr));
    }
    result
}

fn is_valid_bank_card(s: &[u8]) -> bool {
    let digits: Vec<u32> = s
        .iter()
        .filter(|c| c.is_ascii_digit())
        .map(|c| u32::from(c - b'0'))
        .collect();
    let count = digits.len();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                d
            } else if d < 5 {
                2 * d
            } else {
                2 * d - 9
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        return false;
    }
    let prefix = |k: usize| digits[..k].iter().fold(0, |v, d| v * 10 + d);
    if prefix(1) == 4 {
        return matches!(count, 13 | 16 | 18 | 19);
    }
    if (51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4)) {
        return count == 16;
    }
    if matches!(prefix(2), 34 | 37) {
        return count == 15;
    }
    if matches!(prefix(2), 62 | 81) {
        return count >= 16;
    }
    if (2200..=2204).contains(&prefix(4)) {
        return count == 16;
    }
    true
}

fn find_bank_card_numbers(s: &[u8]) -> Ranges {
    let is_card_byte = |c: u8| c.is_ascii_digit() || c == b' ' || c == b'-';
    let mut result = Vec::new();
    let mut ptr = 0;
    loop {
        while ptr < s.len() && !s[ptr].is_ascii_digit() {
            ptr += 1;
        }
        if ptr == s.len() {
            break;
        }
        if ptr != 0 {
            let prev = prev_char(s, ptr);
            if b".,+-_".iter().any(|&c| u32::from(c) == prev) || category(prev) == Category::Letter
            {
                while ptr < s.len() && is_card_byte(s[ptr]) {
                    ptr += 1;
                }
                continue;
            }
        }
        let begin = ptr;
        let mut digit_count = 0;
        while ptr < s.len() && is_card_byte(s[ptr]) {
            if s[ptr] == b' ' && (16..=19).contains(&digit_count) && digit_count == ptr - begin {
                // A run of digits long enough is a card number on its own.
                break;
            }
            digit_count += usize::from(s[ptr].is_ascii_digit());
            ptr += 1;
        }
        if !(13..=19).contains(&digit_count) {
            continue;
        }
        let mut end = ptr;
        while !s[end - 1].is_ascii_digit() {
            end -= 1;
        }
        if end - begin > 2 * digit_count - 1 {
            continue;
        }
        if end != s.len() {
            let next = char_at(s, end);
            if next == u32::from(b'-')
                || next == u32::from(b'_')
                || category(next) == Category::Letter
            {
                continue;
            }
        }
        if is_valid_bank_card(&s[begin..end]) {
            result.push((begin, end));
        }
    }
    result
}

fn find_tg_urls(s: &[u8]) -> Ranges {
    let mut result = Vec::new();
    let n = s.len();
    let mut ptr = 0;
    while n - ptr > 5 {
        let Some(p) = find_byte(s, ptr, b':') else {
            break;
        };
        let lower_ends =
            |word: &[u8]| p >= word.len() && s[p - word.len()..p].eq_ignore_ascii_case(word);
        let mut url_begin = None;
        if n - p >= 3 && s[p + 1] == b'/' && s[p + 2] == b'/' {
            if lower_ends(b"tg") {
                url_begin = Some(p - 2);
            } else if lower_ends(b"ton") || lower_ends(b"tonsite") {
                // td starts a tonsite:// link 3 bytes before the ':' too.
                url_begin = Some(p - 3);
            }
        }
        let Some(url_begin) = url_begin else {
            ptr = p + 1;
            continue;
        };
        ptr = p + 3;
        let domain_begin = ptr;
        while ptr != n
            && ptr - domain_begin != 253
            && is_alpha_digit_or_underscore_or_minus(u32::from(s[ptr]))
        {
            ptr += 1;
        }
        if ptr == domain_begin {
            continue;
        }
        if ptr != n && matches!(s[ptr], b'/' | b'?' | b'#') {
            let end = path_end(s, ptr);
            if s[ptr] == b'/' || end > ptr + 1 {
                ptr = end;
            }
        }
        result.push((url_begin, ptr));
    }
    result
}

/// The bytes each finder starts from: `@` mentions, `/` commands, `#` hashtags, `$`
/// cashtags, digits bank cards, `:` tg: links, `.` URLs and e-mail addresses.
fn is_trigger(c: u8) -> bool {
    matches!(c, b'@' | b'/' | b'#' | b'$' | b':' | b'.' | b'0'..=b'9')
}

/// td's `find_entities` for a bot's text (`skip_bot_commands` as td is told), with byte
/// ranges turned into UTF-16 offsets.
pub(crate) fn find_entities(text: &str, skip_bot_commands: bool) -> Vec<Entity> {
    // Most messages hold no byte a finder starts from: one scan instead of seven.
    if !text.bytes().any(is_trigger) {
        return Vec::new();
    }
    find_entities_scanning(text, skip_bot_commands)
}

/// [`find_entities`] without the look for a byte any finder starts from.
fn find_entities_scanning(text: &str, skip_bot_commands: bool) -> Vec<Entity> {
    let s = text.as_bytes();
    let mut found: Vec<(Kind, usize, usize)> = Vec::new();
    let mut add = |kind: Kind, ranges: Ranges| {
        found.extend(ranges.into_iter().map(|(b, e)| (kind, b, e)));
    };
    add(Kind::Mention, find_mentions(s));
    if !skip_bot_commands {
        add(Kind::BotCommand, find_bot_commands(s));
    }
    add(Kind::Hashtag, find_hashtags(s));
    add(Kind::Cashtag, find_cashtags(s));
    add(Kind::BankCardNumber, find_bank_card_numbers(s));
    add(Kind::Url, find_tg_urls(s));
    for (b, e, is_email) in find_urls(s) {
        found.push((
            if is_email {
                Kind::EmailAddress
            } else {
                Kind::Url
            },
            b,
            e,
        ));
    }

    // Sorted, without overlaps, in byte offsets first (td's `fix_entity_offsets`).
    let mut entities: Vec<Entity> = found
        .into_iter()
        .map(|(kind, b, e)| Entity::new(kind, b as i32, (e - b) as i32))
        .collect();
    sort_entities(&mut entities);
    let mut last_end = 0;
    entities.retain(|e| {
        let keep = e.offset >= last_end;
        if keep {
            last_end = e.end();
        }
        keep
    });

    let mut utf16 = 0;
    let mut pos = 0;
    let mut to_utf16 = |byte: usize| {
        while pos < byte {
            utf16 += utf16_units(s[pos]);
            pos += 1;
        }
        utf16
    };
    for e in &mut entities {
        let begin = to_utf16(e.offset as usize);
        let end = to_utf16(e.end() as usize);
        e.offset = begin;
        e.length = end - begin;
    }
    entities
}

#[cfg(test)]
mod tests;
