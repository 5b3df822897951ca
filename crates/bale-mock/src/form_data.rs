//! The `multipart/form-data` body every client library sends, read in memory without a
//! MIME parser.
//!
//! A request's body is whole before it is read, so multer's streaming (a buffer, a state
//! machine, three `format!`s of the boundary for each part) costs a small upload more than
//! the rest of the request. [`simple_fields`] reads the plain shape only — each part with a
//! `Content-Disposition: form-data; name="…"` (and maybe `; filename="…"`) and maybe a plain
//! `Content-Type`, then its data up to the next boundary — and gives up on anything else,
//! for multer to read (or refuse with the real server's words). Where it reads a body, it
//! reads what multer reads: the tests hold the two equal over generated and mangled bodies.

use bytes::Bytes;

/// One part of the body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Field {
    /// `None`: the part named no field (an error the caller words).
    pub name: Option<String>,
    /// The `filename`: the part is a file.
    pub file_name: Option<String>,
    /// The part's own `Content-Type`.
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The parts of a body of the plain shape, or `None` for multer to read it.
pub(crate) fn simple_fields(body: &Bytes, boundary: &str) -> Option<Vec<Field>> {
    let delimiter = [b"\r\n--", boundary.as_bytes()].concat();
    // The first boundary opens the body; each one after a part's data ends the part.
    if !body.starts_with(&delimiter[2..]) {
        return None;
    }
    let mut at = delimiter.len() - 2;
    let mut fields = Vec::new();
    loop {
        match body.get(at..at + 2)? {
            b"\r\n" => at += 2,
            // The closing boundary: what follows it is not read (nor by multer).
            b"--" => return Some(fields),
            _ => return None,
        }
        let head_len = find(&body[at..], b"\r\n\r\n")?;
        let (name, file_name, content_type) = headers(&body[at..at + head_len])?;
        let start = at + head_len + 4;
        let len = find(&body[start..], &delimiter)?;
        fields.push(Field {
            name: Some(name),
            file_name,
            content_type,
            data: body.slice(start..start + len),
        });
        at = start + len + delimiter.len();
    }
}

/// The next part multer reads, as a [`Field`] (with no data when it has no name).
pub(crate) async fn next_field(
    multipart: &mut multer::Multipart<'_>,
) -> Result<Option<Field>, multer::Error> {
    let Some(field) = multipart.next_field().await? else {
        return Ok(None);
    };
    let name = field.name().map(str::to_owned);
    let file_name = field.file_name().map(str::to_owned);
    let content_type = field.content_type().map(ToString::to_string);
    // A part without a name is refused before its data is read, as it always was.
    let data = match name {
        Some(_) => field.bytes().await?,
        None => Bytes::new(),
    };
    Ok(Some(Field {
        name,
        file_name,
        content_type,
        data,
    }))
}

/// A part's name, file name and content type, from headers of the plain shape only.
fn headers(block: &[u8]) -> Option<(String, Option<String>, Option<String>)> {
    let (mut disposition, mut content_type) = (None, None);
    let mut rest = Some(block);
    while let Some(lines) = rest {
        let (line, next) = match find(lines, b"\r\n") {
            Some(end) => (&lines[..end], Some(&lines[end + 2..])),
            None => (lines, None),
        };
        rest = next;
        // A line ended by a bare CR or LF is not the plain shape.
        if line.iter().any(|&b| b == b'\r' || b == b'\n') {
            return None;
        }
        let colon = line.iter().position(|&b| b == b':')?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        let value = std::str::from_utf8(value).ok()?.trim_start_matches(' ');
        let slot = if name.eq_ignore_ascii_case(b"content-disposition") {
            &mut disposition
        } else if name.eq_ignore_ascii_case(b"content-type") {
            &mut content_type
        } else {
            return None;
        };
        if slot.replace(value).is_some() {
            return None;
        }
    }
    let rest = disposition?.strip_prefix("form-data; name=\"")?;
    let (name, rest) = rest.split_once('"')?;
    if name.is_empty() || !name.bytes().all(is_name_byte) {
        return None;
    }
    let file_name = match rest {
        "" => None,
        rest => {
            let file_name = rest.strip_prefix("; filename=\"")?.strip_suffix('"')?;
            let plain = |c: char| !matches!(c, '"' | '\\' | '\r' | '\n') && !c.is_control();
            if !file_name.chars().all(plain) {
                return None;
            }
            Some(file_name.to_owned())
        }
    };
    let content_type = match content_type {
        None => None,
        Some(value) => {
            let (kind, sub) = value.split_once('/')?;
            let plain = |part: &str| !part.is_empty() && part.bytes().all(is_type_byte);
            if !(plain(kind) && plain(sub)) {
                return None;
            }
            Some(value.to_owned())
        }
    };
    Some((name.to_owned(), file_name, content_type))
}

/// Where `needle` (not empty) first is in `haystack`: memchr for its first byte, then a
/// comparison. memchr's `memmem::find` prepares a searcher for every call, which costs more
/// than a small body's whole search.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memchr::memchr(needle[0], &haystack[from..]) {
        let at = from + at;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A parameter name's byte: `chat_id`, `photo`, `media[0]`, `file-1.jpg`.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']')
}

/// A byte of a content type's kind or subtype, as written in lower case (mime writes them
/// back lower-cased).
fn is_type_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'+' | b'-')
}

#[cfg(test)]
mod tests;
