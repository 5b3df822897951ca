//! `parse_mode=HTML`: a port of tdlib's `parse_html` (td/telegram/MessageEntity.cpp), with
//! its error messages and quirks (unknown `&entities;` are kept verbatim, attribute names
//! are case-sensitive, `<pre><code class="language-x">` makes one `pre` with a language).

use super::link::{get_checked_link, get_link_user_id};
use super::model::{
    is_valid_user_id, normalize_date_format, sort_entities, to_integer_i32, to_integer_safe,
    Entity, Kind,
};
use super::unicode::{at, is_space, push_code_point, utf16_units};

const SUPPORTED_TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "tg-time",
    "span",
    "pre",
    "code",
    "blockquote",
];

/// td's `decode_html_entity`: the code point of the entity at `*pos` (advancing past it),
/// or 0, leaving `*pos` alone, for anything td does not decode.
fn decode_html_entity(s: &[u8], pos: &mut usize) -> u32 {
    let start = *pos;
    let mut end = start + 1;
    let mut res: u32 = 0;
    if at(s, start + 1) == b'#' {
        end += 1;
        if at(s, start + 2) == b'x' {
            end += 1;
            while let Some(d) = char::from(at(s, end)).to_digit(16) {
                res = res.wrapping_mul(16).wrapping_add(d);
                end += 1;
            }
        } else {
            while at(s, end).is_ascii_digit() {
                res = res
                    .wrapping_mul(10)
                    .wrapping_add(u32::from(at(s, end) - b'0'));
                end += 1;
            }
        }
        if res == 0 || res >= 0x10ffff || end - start >= 10 {
            return 0;
        }
    } else {
        while at(s, end).is_ascii_alphabetic() {
            end += 1;
        }
        res = match &s[start + 1..end] {
            b"lt" => u32::from(b'<'),
            b"gt" => u32::from(b'>'),
            b"amp" => u32::from(b'&'),
            b"quot" => u32::from(b'"'),
            _ => return 0,
        };
    }
    *pos = if at(s, end) == b';' { end + 1 } else { end };
    res
}

struct Open {
    tag: String,
    argument: String,
    date: i32,
    offset: i32,
    begin_pos: usize,
}

fn lower(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

/// Parses `text` as td's HTML; returns the plain text and its entities, or td's message.
pub(crate) fn parse_html(text: &str) -> Result<(String, Vec<Entity>), String> {
    let s = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut entities: Vec<Entity> = Vec::new();
    let mut nested: Vec<Open> = Vec::new();
    let mut utf16_offset: i32 = 0;
    let mut has_surrogate = false;

    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'&' {
            let mut pos = i;
            let code = decode_html_entity(s, &mut pos);
            if code != 0 {
                i = pos;
                utf16_offset += 1 + i32::from(code > 0xffff);
                has_surrogate |= (0xd800..=0xdfff).contains(&code);
                push_code_point(&mut out, code);
                continue;
            }
        }
        if c != b'<' {
            utf16_offset += utf16_units(c);
            out.push(c);
            i += 1;
            continue;
        }

        let begin_pos = i;
        i += 1;
        if at(s, i) != b'/' {
            while !is_space(at(s, i)) && at(s, i) != b'>' {
                i += 1;
            }
            if at(s, i) == 0 {
                return Err(format!("Unclosed start tag at byte offset {begin_pos}"));
            }
            let tag = lower(&s[begin_pos + 1..i]);
            if !SUPPORTED_TAGS.contains(&tag.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{tag}\" at byte offset {begin_pos}"
                ));
            }

            let mut argument = String::new();
            let mut date = 0;
            while at(s, i) != b'>' {
                while at(s, i) != 0 && is_space(at(s, i)) {
                    i += 1;
                }
                if at(s, i) == b'>' {
                    break;
                }
                let name_begin = i;
                while !is_space(at(s, i)) && !b"=>/\"'".contains(&at(s, i)) {
                    i += 1;
                }
                let name = &s[name_begin..i];
                if name.is_empty() {
                    return Err(format!(
                        "Empty attribute name in the tag \"{tag}\" at byte offset {begin_pos}"
                    ));
                }
                while at(s, i) != 0 && is_space(at(s, i)) {
                    i += 1;
                }
                if at(s, i) != b'=' {
                    if at(s, i) == 0 {
                        return Err(format!(
                            "Unclosed start tag \"{tag}\" at byte offset {begin_pos}"
                        ));
                    }
                    if tag == "blockquote" && name == b"expandable" {
                        argument = "1".into();
                    }
                    continue;
                }
                i += 1;
                while at(s, i) != 0 && is_space(at(s, i)) {
                    i += 1;
                }
                if at(s, i) == 0 {
                    return Err(format!(
                        "Unclosed start tag \"{tag}\" at byte offset {begin_pos}"
                    ));
                }

                let value = if at(s, i) != b'\'' && at(s, i) != b'"' {
                    // A name token: letters, digits, periods and hyphens, case-insensitive.
                    let token_begin = i;
                    while at(s, i).is_ascii_alphanumeric() || at(s, i) == b'.' || at(s, i) == b'-' {
                        i += 1;
                    }
                    if !is_space(at(s, i)) && at(s, i) != b'>' {
                        return Err(format!(
                            "Unexpected end of name token at byte offset {token_begin}"
                        ));
                    }
                    lower(&s[token_begin..i])
                } else {
                    let end_char = s[i];
                    i += 1;
                    let mut value = Vec::new();
                    while at(s, i) != end_char && at(s, i) != 0 {
                        if s[i] == b'&' {
                            let mut pos = i;
                            let code = decode_html_entity(s, &mut pos);
                            if code != 0 {
                                i = pos;
                                push_code_point(&mut value, code);
                                continue;
                            }
                        }
                        value.push(s[i]);
                        i += 1;
                    }
                    if at(s, i) == end_char {
                        i += 1;
                    }
                    String::from_utf8_lossy(&value).into_owned()
                };
                if at(s, i) == 0 {
                    return Err(format!("Unclosed start tag at byte offset {begin_pos}"));
                }

                match (tag.as_str(), name) {
                    ("a", b"href") | ("tg-emoji", b"emoji-id") | ("tg-time", b"format") => {
                        argument = value
                    }
                    ("code", b"class") if value.starts_with("language-") => {
                        argument = value["language-".len()..].to_string()
                    }
                    ("span", b"class") if value.starts_with("tg-") => {
                        argument = value["tg-".len()..].to_string()
                    }
                    ("blockquote", b"expandable") => argument = "1".into(),
                    ("tg-time", b"unix") => date = to_integer_i32(&value),
                    _ => {}
                }
            }

            if tag == "span" && argument != "spoiler" {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin_pos}"
                ));
            }
            nested.push(Open {
                tag,
                argument,
                date,
                offset: utf16_offset,
                begin_pos: out.len(),
            });
        } else {
            let Some(open) = nested.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin_pos}"));
            };
            while !is_space(at(s, i)) && at(s, i) != b'>' {
                i += 1;
            }
            let end_tag = lower(&s[begin_pos + 2..i]);
            while is_space(at(s, i)) && at(s, i) != 0 {
                i += 1;
            }
            if at(s, i) != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin_pos}"));
            }
            let tag = open.tag.as_str();
            if !end_tag.is_empty() && end_tag != tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin_pos}, expected \"</{tag}>\", found \"</{end_tag}>\""
                ));
            }
            if utf16_offset > open.offset {
                close_tag(open, utf16_offset, &out, &mut entities)?;
            }
        }
        // Skip the closing '>'.
        i += 1;
    }
    if let Some(open) = nested.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    for e in &mut entities {
        if e.kind == Kind::Code {
            e.argument.clear();
        }
    }
    sort_entities(&mut entities);

    const SURROGATES: &str = "Text contains invalid Unicode characters after decoding HTML \
                              entities, check for unmatched surrogate code units";
    if has_surrogate {
        return Err(SURROGATES.into());
    }
    let text = String::from_utf8(out).map_err(|_| SURROGATES.to_string())?;
    Ok((text, entities))
}

/// Turns a closed, non-empty tag into its entity.
fn close_tag(open: Open, end: i32, out: &[u8], entities: &mut Vec<Entity>) -> Result<(), String> {
    let offset = open.offset;
    let length = end - offset;
    let kind = match open.tag.as_str() {
        "i" | "em" => Kind::Italic,
        "b" | "strong" => Kind::Bold,
        "s" | "strike" | "del" => Kind::Strikethrough,
        "u" | "ins" => Kind::Underline,
        "tg-spoiler" | "span" => Kind::Spoiler,
        "blockquote" if open.argument.is_empty() => Kind::BlockQuote,
        "blockquote" => Kind::ExpandableBlockQuote,
        "tg-emoji" => {
            let id = to_integer_safe(&open.argument)
                .filter(|&id| id != 0)
                .ok_or("Invalid custom emoji identifier specified")?;
            let mut e = Entity::new(Kind::CustomEmoji, offset, length);
            e.custom_emoji_id = id;
            entities.push(e);
            return Ok(());
        }
        "tg-time" => {
            let format = normalize_date_format(&open.argument).ok_or("Invalid date format used")?;
            if open.date > 0 {
                let mut e = Entity::with_argument(Kind::FormattedDate, offset, length, format);
                e.date = open.date;
                entities.push(e);
            }
            return Ok(());
        }
        "a" => {
            let mut url = open.argument;
            if url.is_empty() {
                url = String::from_utf8_lossy(&out[open.begin_pos..]).into_owned();
            }
            let user_id = get_link_user_id(&url);
            if is_valid_user_id(user_id) {
                let mut e = Entity::new(Kind::MentionName, offset, length);
                e.user_id = user_id;
                entities.push(e);
            } else {
                let url = get_checked_link(&url);
                if !url.is_empty() {
                    entities.push(Entity::with_argument(Kind::TextUrl, offset, length, url));
                }
            }
            return Ok(());
        }
        "pre" => {
            match entities.last_mut() {
                Some(last)
                    if last.kind == Kind::Code
                        && last.offset == offset
                        && last.length == length
                        && !last.argument.is_empty() =>
                {
                    last.kind = Kind::PreCode
                }
                _ => entities.push(Entity::new(Kind::Pre, offset, length)),
            }
            return Ok(());
        }
        "code" => {
            match entities.last_mut() {
                Some(last)
                    if last.kind == Kind::Pre
                        && last.offset == offset
                        && last.length == length
                        && !open.argument.is_empty() =>
                {
                    last.kind = Kind::PreCode;
                    last.argument = open.argument;
                }
                _ => entities.push(Entity::with_argument(
                    Kind::Code,
                    offset,
                    length,
                    open.argument,
                )),
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    entities.push(Entity::new(kind, offset, length));
    Ok(())
}

#[cfg(test)]
mod tests;
