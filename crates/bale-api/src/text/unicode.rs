//! Character classes and UTF-8/UTF-16 helpers, with tdlib's exact definitions. The parsers
//! work on bytes, like td, so these take byte slices and code points.

use super::unicode_table::CATEGORY_RUNS;

/// td's `UnicodeSimpleCategory`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    Unknown,
    Letter,
    DecimalNumber,
    Number,
    Separator,
}

/// td's `get_unicode_simple_category`.
pub(crate) fn category(code: u32) -> Category {
    let idx = CATEGORY_RUNS.partition_point(|&(start, _)| start <= code);
    match CATEGORY_RUNS[idx.saturating_sub(1)].1 {
        1 => Category::Letter,
        2 => Category::DecimalNumber,
        3 => Category::Number,
        4 => Category::Separator,
        _ => Category::Unknown,
    }
}

/// td's `is_word_character`: letters, numbers and `_`.
pub(crate) fn is_word_character(code: u32) -> bool {
    matches!(
        category(code),
        Category::Letter | Category::DecimalNumber | Category::Number
    ) || code == u32::from(b'_')
}

/// ASCII letters and digits.
pub(crate) fn is_alpha_digit(code: u32) -> bool {
    char::from_u32(code).is_some_and(|c| c.is_ascii_alphanumeric())
}

/// ASCII letters, digits and `_`.
pub(crate) fn is_alpha_digit_or_underscore(code: u32) -> bool {
    is_alpha_digit(code) || code == u32::from(b'_')
}

/// ASCII letters, digits, `_` and `-`.
pub(crate) fn is_alpha_digit_or_underscore_or_minus(code: u32) -> bool {
    is_alpha_digit_or_underscore(code) || code == u32::from(b'-')
}

/// td's `is_space` (note: no form feed, but NUL counts).
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0b)
}

/// Whether `b` starts a UTF-8 character (is not a continuation byte).
pub(crate) fn is_first_code_unit(b: u8) -> bool {
    (b & 0xc0) != 0x80
}

/// Decodes the character starting at `pos` (which must start one); returns it and the
/// position after it. Past the end it yields 0, like reading td's NUL terminator.
pub(crate) fn next_char(s: &[u8], pos: usize) -> (u32, usize) {
    let Some(&b) = s.get(pos) else {
        return (0, pos);
    };
    let len = match b {
        0..=0x7f => return (u32::from(b), pos + 1),
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    let mut code = u32::from(b) & (0x7f >> len);
    let end = (pos + len).min(s.len());
    for &c in &s[pos + 1..end] {
        code = (code << 6) | (u32::from(c) & 0x3f);
    }
    (code, end)
}

/// The start of the character that ends just before `pos`.
pub(crate) fn prev_char_start(s: &[u8], mut pos: usize) -> usize {
    pos -= 1;
    while pos > 0 && !is_first_code_unit(s[pos]) {
        pos -= 1;
    }
    pos
}

/// The character that ends just before `pos` (`pos > 0`).
pub(crate) fn prev_char(s: &[u8], pos: usize) -> u32 {
    next_char(s, prev_char_start(s, pos)).0
}

/// UTF-16 code units that the character starting with byte `b` takes (0 for a
/// continuation byte): td's `1 + (c >= 0xf0)`.
pub(crate) fn utf16_units(b: u8) -> i32 {
    if is_first_code_unit(b) {
        1 + i32::from(b >= 0xf0)
    } else {
        0
    }
}

/// Appends a code point as UTF-8, surrogates included (as td does; they are caught later).
pub(crate) fn push_code_point(out: &mut Vec<u8>, code: u32) {
    if code <= 0x7f {
        out.push(code as u8);
    } else if code <= 0x7ff {
        out.push(0xc0 | (code >> 6) as u8);
        out.push(0x80 | (code & 0x3f) as u8);
    } else if code <= 0xffff {
        out.push(0xe0 | (code >> 12) as u8);
        out.push(0x80 | ((code >> 6) & 0x3f) as u8);
        out.push(0x80 | (code & 0x3f) as u8);
    } else {
        out.push(0xf0 | (code >> 18) as u8);
        out.push(0x80 | ((code >> 12) & 0x3f) as u8);
        out.push(0x80 | ((code >> 6) & 0x3f) as u8);
        out.push(0x80 | (code & 0x3f) as u8);
    }
}

/// The byte at `i`, or 0 past the end: td reads its strings' NUL terminator the same way.
pub(crate) fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_match_td() {
        assert_eq!(category('a' as u32), Category::Letter);
        assert_eq!(category('س' as u32), Category::Letter);
        assert_eq!(category('۵' as u32), Category::DecimalNumber);
        assert_eq!(category('²' as u32), Category::Number);
        assert_eq!(category(' ' as u32), Category::Separator);
        // A Persian diacritic (fatha) is a mark, not a letter, for td.
        assert_eq!(category(0x064e), Category::Unknown);
        assert_eq!(category(0x1f600), Category::Unknown);
        assert_eq!(category(0x10ffff), Category::Unknown);
        assert!(is_word_character('_' as u32));
        assert!(!is_word_character('-' as u32));
    }

    #[test]
    fn utf8_and_utf16_helpers() {
        let s = "aس😀".as_bytes();
        assert_eq!(s.iter().map(|&b| utf16_units(b)).sum::<i32>(), 4);
        assert_eq!(next_char(s, 1), ('س' as u32, 3));
        assert_eq!(next_char(s, 3), (0x1f600, 7));
        assert_eq!(prev_char(s, 7), 0x1f600);
        assert_eq!(prev_char(s, 3), 'س' as u32);
        let mut out = Vec::new();
        push_code_point(&mut out, 0x1f600);
        assert_eq!(out, "😀".as_bytes());
        assert_eq!(at(s, 100), 0);
    }
}
