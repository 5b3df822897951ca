//! `parse_mode=MarkdownV2`: a port of tdlib's `parse_markdown_v2`, with its error messages
//! (every reserved character outside an entity must be escaped with `\`).

use super::link::{
    get_checked_link, get_link_custom_emoji_id, get_link_formatted_date, get_link_user_id,
};
use super::model::{is_valid_user_id, sort_entities, Entity, Kind};
use super::unicode::{at, is_first_code_unit, is_space};

struct Open {
    kind: Kind,
    argument: String,
    offset: i32,
    byte_offset: usize,
    begin_pos: usize,
}

fn reserved(c: u8) -> String {
    format!(
        "Character '{}' is reserved and must be escaped with the preceding '\\'",
        char::from(c)
    )
}

fn cant_find_end(open: &Open) -> String {
    format!(
        "Can't find end of {} entity at byte offset {}",
        open.kind.td_name(),
        open.byte_offset
    )
}

/// td accepts `\` before any ASCII character but NUL and DEL.
fn is_escapable(b: u8) -> bool {
    (1..=126).contains(&b)
}

/// Reads a `(url)` whose `(` is at `*i - 1`, unescaping `\x`; leaves `*i` on the `)`.
fn read_url(t: &[u8], i: &mut usize) -> Result<String, String> {
    let url_begin = *i;
    let mut url = Vec::new();
    while *i < t.len() && t[*i] != b')' {
        if t[*i] == b'\\' && is_escapable(at(t, *i + 1)) {
            url.push(t[*i + 1]);
            *i += 2;
            continue;
        }
        url.push(t[*i]);
        *i += 1;
    }
    if at(t, *i) != b')' {
        return Err(format!(
            "Can't find end of a URL at byte offset {url_begin}"
        ));
    }
    Ok(String::from_utf8_lossy(&url).into_owned())
}

/// Parses `text` as td's MarkdownV2; returns the plain text and its entities, or td's
/// message.
pub(crate) fn parse_markdown_v2(text: &str) -> Result<(String, Vec<Entity>), String> {
    // Rewritten in place like td's, so that offsets into the output read the same bytes.
    let mut t = text.as_bytes().to_vec();
    let n = t.len();
    let mut rs = 0;
    let mut entities = Vec::new();
    let mut utf16_offset: i32 = 0;
    let mut nested: Vec<Open> = Vec::new();
    let mut have_blockquote = false;
    let mut can_start_blockquote = true;

    let mut i = 0;
    while i < n {
        'body: {
            let c = t[i];
            if c == b'\\' && is_escapable(at(&t, i + 1)) {
                i += 1;
                utf16_offset += 1;
                t[rs] = t[i];
                rs += 1;
                if t[i] != b'\r' {
                    can_start_blockquote = t[i] == b'\n';
                }
                break 'body;
            }

            let in_code = matches!(
                nested.last().map(|o| o.kind),
                Some(Kind::Code | Kind::Pre | Kind::PreCode)
            );
            let reserved_chars: &[u8] = if in_code {
                b"`"
            } else {
                b"_*[]()~`>#+-=|{}.!\n"
            };
            if !reserved_chars.contains(&c) {
                if is_first_code_unit(c) {
                    utf16_offset += 1 + i32::from(c >= 0xf0);
                    if c != b'\r' {
                        can_start_blockquote = false;
                    }
                }
                t[rs] = t[i];
                rs += 1;
                break 'body;
            }

            let is_end_of_an_entity = match nested.last() {
                None => false,
                Some(_) if have_blockquote && c == b'\n' && at(&t, i + 1) != b'>' => true,
                Some(open) => match open.kind {
                    Kind::Bold => c == b'*',
                    Kind::Italic => c == b'_' && at(&t, i + 1) != b'_',
                    Kind::Code => c == b'`',
                    Kind::Pre | Kind::PreCode => {
                        c == b'`' && at(&t, i + 1) == b'`' && at(&t, i + 2) == b'`'
                    }
                    Kind::TextUrl | Kind::CustomEmoji => c == b']',
                    Kind::Underline => c == b'_' && at(&t, i + 1) == b'_',
                    Kind::Strikethrough => c == b'~',
                    Kind::Spoiler => c == b'|' && at(&t, i + 1) == b'|',
                    _ => false,
                },
            };

            if !is_end_of_an_entity {
                let byte_offset = i;
                let mut argument = String::new();
                let kind = match c {
                    b'_' if at(&t, i + 1) == b'_' => {
                        i += 1;
                        Kind::Underline
                    }
                    b'_' => Kind::Italic,
                    b'*' => Kind::Bold,
                    b'~' => Kind::Strikethrough,
                    b'|' if at(&t, i + 1) == b'|' => {
                        i += 1;
                        Kind::Spoiler
                    }
                    b'[' => Kind::TextUrl,
                    b'`' if at(&t, i + 1) == b'`' && at(&t, i + 2) == b'`' => {
                        i += 3;
                        let mut kind = Kind::Pre;
                        let mut language_end = i;
                        while !is_space(at(&t, language_end)) && at(&t, language_end) != b'`' {
                            language_end += 1;
                        }
                        if i != language_end && language_end < n && at(&t, language_end) != b'`' {
                            kind = Kind::PreCode;
                            argument = String::from_utf8_lossy(&t[i..language_end]).into_owned();
                            i = language_end;
                        }
                        // One new line after the opening ``` is not part of the block.
                        let n1 = at(&t, i);
                        if n1 == b'\n' || n1 == b'\r' {
                            let n2 = at(&t, i + 1);
                            i += if (n2 == b'\n' || n2 == b'\r') && n1 != n2 {
                                2
                            } else {
                                1
                            };
                        }
                        i -= 1;
                        kind
                    }
                    b'`' => Kind::Code,
                    b'!' if at(&t, i + 1) == b'[' => {
                        i += 1;
                        Kind::CustomEmoji
                    }
                    b'\n' => {
                        utf16_offset += 1;
                        t[rs] = b'\n';
                        rs += 1;
                        can_start_blockquote = true;
                        break 'body;
                    }
                    b'>' if can_start_blockquote => {
                        if have_blockquote {
                            // A continuation line's '>' is markup only.
                            break 'body;
                        }
                        have_blockquote = true;
                        Kind::BlockQuote
                    }
                    _ => return Err(reserved(c)),
                };
                nested.push(Open {
                    kind,
                    argument,
                    offset: utf16_offset,
                    byte_offset,
                    begin_pos: rs,
                });
                break 'body;
            }

            // The end of an entity.
            let Some(mut top) = nested.pop() else {
                break 'body;
            };
            let mut kind = top.kind;
            if c == b'\n' && kind != Kind::BlockQuote {
                // Only `||` right before the line end, closing an expandable block quote.
                let spoiler_just_opened = top.byte_offset + 2 == i
                    || (top.byte_offset + 3 == i && rs != 0 && t[rs - 1] == b'\r');
                if kind != Kind::Spoiler || !spoiler_just_opened {
                    return Err(cant_find_end(&top));
                }
                let Some(outer) = nested.pop() else {
                    return Err(cant_find_end(&top));
                };
                if outer.kind != Kind::BlockQuote {
                    return Err(cant_find_end(&outer));
                }
                top = outer;
                kind = Kind::ExpandableBlockQuote;
            }
            let mut argument = std::mem::take(&mut top.argument);
            let mut user_id = 0;
            let mut custom_emoji_id = 0;
            let mut date = 0;
            let mut skip_entity = utf16_offset == top.offset;
            match kind {
                Kind::Underline | Kind::Spoiler => i += 1,
                Kind::Pre | Kind::PreCode => i += 2,
                Kind::TextUrl => {
                    let url = if at(&t, i + 1) != b'(' {
                        String::from_utf8_lossy(&t[top.begin_pos..rs]).into_owned()
                    } else {
                        i += 2;
                        read_url(&t, &mut i)?
                    };
                    user_id = get_link_user_id(&url);
                    if !is_valid_user_id(user_id) {
                        let url = get_checked_link(&url);
                        if url.is_empty() {
                            skip_entity = true;
                        } else {
                            argument = url;
                        }
                    }
                }
                Kind::CustomEmoji => {
                    if at(&t, i + 1) != b'(' {
                        return Err("The entity must contain a tg://emoji or tg://time URL".into());
                    }
                    i += 2;
                    let url = read_url(&t, &mut i)?;
                    if let Ok(id) = get_link_custom_emoji_id(&url) {
                        custom_emoji_id = id;
                    } else if let Ok((d, format)) = get_link_formatted_date(&url) {
                        date = d;
                        argument = format;
                        kind = Kind::FormattedDate;
                    } else {
                        return Err("Invalid tg://emoji or tg://time URL specified".into());
                    }
                }
                Kind::BlockQuote | Kind::ExpandableBlockQuote => {
                    have_blockquote = false;
                    t[rs] = t[i];
                    rs += 1;
                    can_start_blockquote = true;
                    utf16_offset += 1;
                    skip_entity = false;
                }
                _ => {}
            }

            if !skip_entity {
                let length = utf16_offset - top.offset;
                let mut e = Entity::with_argument(kind, top.offset, length, argument);
                if is_valid_user_id(user_id) {
                    e.kind = Kind::MentionName;
                    e.argument.clear();
                    e.user_id = user_id;
                }
                e.custom_emoji_id = custom_emoji_id;
                e.date = date;
                entities.push(e);
            }
        }
        i += 1;
    }

    if have_blockquote {
        let mut kind = Kind::BlockQuote;
        if let Some(top) = nested.last() {
            if top.kind == Kind::Spoiler && top.byte_offset + 2 == n {
                nested.pop();
                kind = Kind::ExpandableBlockQuote;
            }
        }
        if nested.last().is_some_and(|o| o.kind == Kind::BlockQuote) {
            if let Some(top) = nested.pop() {
                let length = utf16_offset - top.offset;
                if length != 0 {
                    entities.push(Entity::new(kind, top.offset, length));
                }
            }
        }
    }
    if let Some(top) = nested.last() {
        return Err(cant_find_end(top));
    }
    sort_entities(&mut entities);
    t.truncate(rs);
    let text = String::from_utf8(t).map_err(|_| "Strings must be encoded in UTF-8".to_string())?;
    Ok((text, entities))
}

#[cfg(test)]
mod tests;
