//! `parse_mode=Markdown` (the legacy v1): a port of tdlib's `parse_markdown`. Like td it
//! rewrites the text in place, which matters: for `[text]` with no `(url)` td reads the URL
//! from the already rewritten buffer, and the real server answers with that shifted URL.

use super::link::{get_checked_link, get_link_user_id};
use super::model::{is_valid_user_id, Entity, Kind};
use super::unicode::{at, is_space, utf16_units};

/// Parses `text` as td's Markdown v1; returns the plain text and its entities, or td's
/// message.
pub(crate) fn parse_markdown(text: &str) -> Result<(String, Vec<Entity>), String> {
    let mut t = text.as_bytes().to_vec();
    let size = t.len();
    let mut rs = 0;
    let mut entities = Vec::new();
    let mut utf16_offset: i32 = 0;

    let mut i = 0;
    while i < size {
        let c = t[i];
        if c == b'\\' && b"_*`[".contains(&at(&t, i + 1)) {
            i += 1;
            t[rs] = t[i];
            rs += 1;
            utf16_offset += 1;
            i += 1;
            continue;
        }
        if !b"_*`[".contains(&c) {
            utf16_offset += utf16_units(c);
            t[rs] = t[i];
            rs += 1;
            i += 1;
            continue;
        }

        // The start of an entity.
        let begin_pos = i;
        let end_char = if c == b'[' { b']' } else { c };
        let mut is_pre = false;
        i += 1;

        let mut language = String::new();
        if c == b'`' && at(&t, i) == b'`' && at(&t, i + 1) == b'`' {
            i += 2;
            is_pre = true;
            let mut language_end = i;
            while !is_space(at(&t, language_end)) && at(&t, language_end) != b'`' {
                language_end += 1;
            }
            if i != language_end && language_end < size && at(&t, language_end) != b'`' {
                language = String::from_utf8_lossy(&t[i..language_end]).into_owned();
                i = language_end;
            }
            // One new line after the opening ``` is not part of the block.
            let n = at(&t, i);
            if n == b'\n' || n == b'\r' {
                let n2 = at(&t, i + 1);
                if (n2 == b'\n' || n2 == b'\r') && n != n2 {
                    i += 2;
                } else {
                    i += 1;
                }
            }
        }

        let entity_offset = utf16_offset;
        while i < size
            && (t[i] != end_char || (is_pre && !(at(&t, i + 1) == b'`' && at(&t, i + 2) == b'`')))
        {
            utf16_offset += utf16_units(t[i]);
            t[rs] = t[i];
            rs += 1;
            i += 1;
        }
        if i >= size {
            return Err(format!(
                "Can't find end of the entity starting at byte offset {begin_pos}"
            ));
        }

        if entity_offset != utf16_offset {
            let length = utf16_offset - entity_offset;
            match c {
                b'_' => entities.push(Entity::new(Kind::Italic, entity_offset, length)),
                b'*' => entities.push(Entity::new(Kind::Bold, entity_offset, length)),
                b'[' => {
                    let url = if at(&t, i + 1) != b'(' {
                        // td takes the text as the URL, from its rewritten buffer.
                        String::from_utf8_lossy(&t[begin_pos + 1..i]).into_owned()
                    } else {
                        i += 2;
                        let url_begin = i;
                        while i < size && t[i] != b')' {
                            i += 1;
                        }
                        String::from_utf8_lossy(&t[url_begin.min(size)..i.min(size)]).into_owned()
                    };
                    let user_id = get_link_user_id(&url);
                    if is_valid_user_id(user_id) {
                        let mut e = Entity::new(Kind::MentionName, entity_offset, length);
                        e.user_id = user_id;
                        entities.push(e);
                    } else {
                        let url = get_checked_link(&url);
                        if !url.is_empty() {
                            entities.push(Entity::with_argument(
                                Kind::TextUrl,
                                entity_offset,
                                length,
                                url,
                            ));
                        }
                    }
                }
                _ if is_pre && language.is_empty() => {
                    entities.push(Entity::new(Kind::Pre, entity_offset, length))
                }
                _ if is_pre => entities.push(Entity::with_argument(
                    Kind::PreCode,
                    entity_offset,
                    length,
                    language,
                )),
                _ => entities.push(Entity::new(Kind::Code, entity_offset, length)),
            }
        }
        if is_pre {
            i += 2;
        }
        i += 1;
    }
    t.truncate(rs);
    let text = String::from_utf8(t).map_err(|_| "Strings must be encoded in UTF-8".to_string())?;
    Ok((text, entities))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (String, Vec<(Kind, i32, i32, String)>) {
        let (t, e) = parse_markdown(text).unwrap();
        (
            t,
            e.into_iter()
                .map(|e| (e.kind, e.offset, e.length, e.argument))
                .collect(),
        )
    }

    #[test]
    fn basic_entities() {
        let (t, e) = ok("*bold* _italic_ `code` ```rust\nfn x```");
        assert_eq!(t, "bold italic code fn x");
        assert_eq!(
            e,
            [
                (Kind::Bold, 0, 4, String::new()),
                (Kind::Italic, 5, 6, String::new()),
                (Kind::Code, 12, 4, String::new()),
                (Kind::PreCode, 17, 4, "rust".to_string()),
            ]
        );
    }

    #[test]
    fn links_escapes_and_utf16() {
        let (t, e) = ok("😀 [سلام](https://bale.ai) \\*x\\_");
        assert_eq!(t, "😀 سلام *x_");
        assert_eq!(e, [(Kind::TextUrl, 3, 4, "https://bale.ai/".to_string())]);
        let (_, e) = ok("[x](tg://user?id=42)");
        assert_eq!(e[0].0, Kind::MentionName);
        // Empty entities vanish, and the `(url)` after an empty `[]` stays text.
        assert_eq!(ok("a**b[](x.com)").0, "ab(x.com)");
    }

    #[test]
    fn text_as_url_reads_the_rewritten_buffer() {
        // td's in-place rewrite shifts the URL by one byte: "[example.com]" links to
        // "xample.comm", which is what the real server sends back.
        let (t, e) = ok("[example.com]");
        assert_eq!(t, "example.com");
        assert_eq!(e[0].3, "http://xample.comm/");
    }

    #[test]
    fn unclosed_entity_errors() {
        assert_eq!(
            parse_markdown("Hello, *world").unwrap_err(),
            "Can't find end of the entity starting at byte offset 7"
        );
        assert_eq!(
            parse_markdown("a ```b`` c").unwrap_err(),
            "Can't find end of the entity starting at byte offset 2"
        );
    }
}
