//! tdlib's `fix_formatted_text` (td/telegram/MessageEntity.cpp, td/telegram/misc.cpp): what
//! td does to every text before sending it, and so what the server echoes back. Control
//! characters become spaces, `\r` and a few invisible characters vanish, entities are made
//! consistent (no crossing, no bold inside code…), the text is trimmed, and the entities
//! the server finds itself (mentions, URLs, commands…) are merged in.

use super::auto::find_entities;
use super::model::{remove_empty_entities, sort_entities, Entity};
use super::split::{fix_entities, merge_new_entities};
use super::unicode::{at, is_first_code_unit, is_space};

/// td's `replace_offending_characters`: in a run of LRM/RLM marks, all but the last become
/// zero-width non-joiners.
fn replace_offending_characters(s: &mut [u8]) {
    let is_mark = |s: &[u8], p: usize| {
        at(s, p) == 0xe2 && at(s, p + 1) == 0x80 && matches!(at(s, p + 2), 0x8e | 0x8f)
    };
    let mut pos = 0;
    while pos < s.len() {
        if is_mark(s, pos) {
            while is_mark(s, pos + 3) {
                s[pos + 2] = 0x8c;
                pos += 3;
            }
            pos += 2;
        }
        pos += 1;
    }
}

/// The bytes td drops: U+2028..U+202E (`e2 80 a8..ae`), 2 extra bytes to skip.
fn dropped_extra_bytes(text: &[u8], pos: usize) -> Option<usize> {
    let c = text[pos];
    if c == 0xe2 && pos + 2 < text.len() && text[pos + 1] == 0x80 {
        if (0xa8..=0xae).contains(&text[pos + 2]) {
            return Some(2);
        }
    } else if c == 0xcc && pos + 1 < text.len() && matches!(text[pos + 1], 0xb3 | 0xbf | 0x8a) {
        // Combining vertical lines (U+0333, U+033F, U+030A).
        return Some(1);
    }
    None
}

/// td's `clean_input_string`: [`clean_with_entities`] with no entities to move, so no
/// UTF-16 offsets to keep — a byte loop for the common message.
fn clean(text: &[u8]) -> Vec<u8> {
    let mut result = Vec::with_capacity(text.len());
    let mut pos = 0;
    while pos < text.len() {
        let c = text[pos];
        match c {
            0..=9 | 11 | 12 | 14..=31 => result.push(b' '),
            b'\r' => {}
            0x80.. => match dropped_extra_bytes(text, pos) {
                Some(extra) => pos += extra,
                None => result.push(c),
            },
            _ => result.push(c),
        }
        pos += 1;
    }
    replace_offending_characters(&mut result);
    result
}

/// td's `clean_input_string_with_entities` (also its `clean_input_string` when there are
/// no entities): cleans the text and moves the entities over what was removed.
fn clean_with_entities(text: &[u8], entities: &mut [Entity]) -> Result<Vec<u8>, String> {
    let mut stack: Vec<(usize, i32)> = Vec::new();
    let mut current = 0;
    let mut utf16_offset: i32 = 0;
    let mut utf16_skipped: i32 = 0;
    let mut result = Vec::with_capacity(text.len());
    let mut pos = 0;
    while pos <= text.len() {
        let c = at(text, pos);
        let is_begin = is_first_code_unit(c);
        if is_begin {
            while let Some(&(idx, skipped_before)) = stack.last() {
                let e = &mut entities[idx];
                if utf16_offset < e.end() {
                    break;
                }
                if utf16_offset != e.end() {
                    return Err(format!(
                        "Entity beginning at UTF-16 offset {} ends in a middle of a UTF-16 symbol at byte offset {pos}",
                        e.offset
                    ));
                }
                e.offset -= skipped_before;
                e.length -= utf16_skipped - skipped_before;
                stack.pop();
            }
            while current < entities.len() && utf16_offset >= entities[current].offset {
                if utf16_offset != entities[current].offset {
                    return Err(format!(
                        "Entity begins in a middle of a UTF-16 symbol at byte offset {pos}"
                    ));
                }
                stack.push((current, utf16_skipped));
                current += 1;
            }
        }
        if pos == text.len() {
            break;
        }
        match c {
            0..=9 | 11 | 12 | 14..=32 => {
                result.push(b' ');
                utf16_offset += 1;
            }
            b'\r' => {
                utf16_offset += 1;
                utf16_skipped += 1;
            }
            _ => {
                if is_begin {
                    utf16_offset += 1 + i32::from(c >= 0xf0);
                }
                if let Some(extra) = dropped_extra_bytes(text, pos) {
                    pos += extra;
                    utf16_skipped += 1;
                } else {
                    result.push(c);
                }
            }
        }
        pos += 1;
    }
    if let Some(e) = entities.get(current) {
        return Err(format!(
            "Entity begins after the end of the text at UTF-16 offset {}",
            e.offset
        ));
    }
    if let Some(&(idx, _)) = stack.last() {
        let e = &entities[idx];
        return Err(format!(
            "Entity beginning at UTF-16 offset {} ends after the end of the text at UTF-16 offset {}",
            e.offset,
            e.end()
        ));
    }
    replace_offending_characters(&mut result);
    Ok(result)
}

/// td's `remove_invalid_entities`: drops empty entities; returns the byte position and the
/// UTF-16 offset of the last character that is not a space or a new line (`None` if none).
fn last_non_whitespace(text: &[u8], entities: &mut Vec<Entity>) -> Option<(usize, i32)> {
    if entities.is_empty() {
        let pos = text.iter().rposition(|&c| c != b'\n' && c != b' ')?;
        return Some((pos, 0));
    }
    remove_empty_entities(entities);
    let mut last = None;
    let mut utf16_offset = 0;
    let mut pos = 0;
    while pos < text.len() {
        let c = text[pos];
        if c != b'\n' && c != b' ' {
            while !is_first_code_unit(at(text, pos + 1)) {
                pos += 1;
            }
            utf16_offset += i32::from(c >= 0xf0);
            last = Some((pos, utf16_offset));
        }
        utf16_offset += 1;
        pos += 1;
    }
    last
}

/// td's `is_empty_string`: whether nothing but spaces and invisible characters is left.
pub(crate) fn is_empty_string(text: &str) -> bool {
    // A visible ASCII character is neither trimmed nor invisible.
    !text.bytes().any(|c| c.is_ascii_graphic()) && is_empty_string_scanning(text)
}

/// [`is_empty_string`] without the look for a visible ASCII character.
fn is_empty_string_scanning(text: &str) -> bool {
    let is_blank_space = |c: char| {
        matches!(
            c,
            '\u{1680}' | '\u{180E}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
        ) || matches!(
            c,
            '\u{2800}' | '\u{3000}' | '\u{FFFC}' | '\u{E0000}'..='\u{E007F}'
        )
    };
    let replaced: String = text
        .chars()
        .map(|c| if is_blank_space(c) { ' ' } else { c })
        .collect();
    let trimmed = replaced.trim_matches(|c: char| c.is_ascii() && is_space(c as u8));
    trimmed.chars().all(|c| {
        matches!(
            c,
            ' ' | '\n' | '\u{200B}'..='\u{200F}' | '\u{202E}' | '\u{FEFF}' | '\u{A0}'
        )
    })
}

/// td's flags of `fix_formatted_text` that vary between callers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FixOptions {
    /// An empty result is fine (captions) rather than "Text must be non-empty".
    pub allow_empty: bool,
    /// An invisible-only result is kept as is rather than emptied.
    pub allow_empty_string: bool,
    /// Do not add the entities found in the text.
    pub skip_new_entities: bool,
    /// Do not look for `/commands`.
    pub skip_bot_commands: bool,
    /// Keep leading and trailing white space.
    pub skip_trim: bool,
}

impl FixOptions {
    /// What td uses for a bot's message text.
    pub(crate) const BOT_TEXT: FixOptions = FixOptions {
        allow_empty: false,
        allow_empty_string: false,
        skip_new_entities: false,
        skip_bot_commands: false,
        skip_trim: false,
    };
    /// What td uses for a bot's caption.
    pub(crate) const BOT_CAPTION: FixOptions = FixOptions {
        allow_empty: true,
        allow_empty_string: true,
        ..FixOptions::BOT_TEXT
    };
}

/// td's `fix_formatted_text` (media timestamps are always skipped, as for a bot).
pub(crate) fn fix_formatted_text(
    text: &str,
    mut entities: Vec<Entity>,
    options: FixOptions,
) -> Result<(String, Vec<Entity>), String> {
    for e in &entities {
        if !(0..=1_000_000).contains(&e.offset) {
            return Err(format!(
                "Receive an entity with incorrect offset {}",
                e.offset
            ));
        }
        if !(0..=1_000_000).contains(&e.length) {
            return Err(format!(
                "Receive an entity with incorrect length {}",
                e.length
            ));
        }
    }
    let mut result = if entities.is_empty() {
        clean(text.as_bytes())
    } else {
        remove_empty_entities(&mut entities);
        entities = fix_entities(entities);
        clean_with_entities(text.as_bytes(), &mut entities)?
    };

    let Some((last_pos, last_utf16)) = last_non_whitespace(&result, &mut entities) else {
        if options.allow_empty {
            return Ok((String::new(), Vec::new()));
        }
        return Err("Text must be non-empty".into());
    };
    entities = fix_entities(entities);

    if !options.skip_trim {
        result.truncate(last_pos + 1);
        while entities.last().is_some_and(|e| e.offset > last_utf16) {
            entities.pop();
        }
        let mut need_sort = false;
        for e in &mut entities {
            if e.end() > last_utf16 + 1 {
                e.length = last_utf16 + 1 - e.offset;
                need_sort = true;
            }
        }
        if need_sort {
            sort_entities(&mut entities);
        }

        // td compares a byte position with a UTF-16 offset here; they agree over the
        // leading spaces and new lines that are skipped.
        let first_entity = entities.first().map_or(result.len(), |e| e.offset as usize);
        let mut first = 0;
        while first < first_entity.min(result.len()) && matches!(result[first], b' ' | b'\n') {
            first += 1;
        }
        if first > 0 {
            result.drain(..first);
            for e in &mut entities {
                e.offset -= first as i32;
            }
        }
    }
    let mut text =
        String::from_utf8(result).map_err(|_| "Strings must be encoded in UTF-8".to_string())?;

    if is_empty_string(&text) {
        if !options.allow_empty {
            return Err("Text must be non-empty".into());
        }
        if !options.allow_empty_string {
            text.clear();
            entities.clear();
        }
    }

    if !options.skip_new_entities {
        let found = find_entities(&text, options.skip_bot_commands);
        entities = merge_new_entities(entities, found);
    }
    Ok((text, entities))
}

#[cfg(test)]
mod tests;
