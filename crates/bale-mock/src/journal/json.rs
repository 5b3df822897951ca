//! A journal entry as JSON, written by hand for the live stream.
//!
//! A busy server's console stream writes thousands of entries a second, under the
//! journal's lock. serde_json's general serialiser (every field name escaped byte by byte,
//! a buffer grown as it goes) cost about 2.3 k instructions an entry more than this, close
//! to half a getMe (callgrind, `handler_cost --console open`); this writes the same bytes — tests hold them equal to `serde_json::to_vec` — with the
//! field names as literals, numbers through itoa, and strings copied whole unless they
//! hold a character JSON escapes.

use serde_json::Value;

use super::JournalEntry;

impl JournalEntry {
    /// Appends the entry to `out` as `serde_json::to_vec` writes it.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        out.reserve(256 + self.size());
        out.extend_from_slice(b"{\"seq\":");
        number(out, self.seq);
        out.extend_from_slice(b",\"at_ms\":");
        number(out, self.at_ms);
        out.extend_from_slice(b",\"bot_id\":");
        match self.bot_id {
            Some(id) => number(out, id),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"http_method\":");
        string(out, self.http_method.as_str());
        out.extend_from_slice(b",\"method\":");
        string(out, &self.method);
        out.extend_from_slice(b",\"params\":{");
        for (i, (name, value)) in self.params.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, name);
            out.push(b':');
            match value {
                Value::String(text) => string(out, text),
                // The journal keeps strings; anything else goes the general way.
                other => serde_json::to_writer(&mut *out, other).expect("a Vec takes any write"),
            }
        }
        out.extend_from_slice(b"},\"status\":");
        match self.status {
            Some(status) => number(out, status),
            None => out.extend_from_slice(b"null"),
        }
        for (name, text) in [
            (&b",\"description\":"[..], &self.description),
            (b",\"rule\":", &self.rule),
            (b",\"fault\":", &self.fault),
        ] {
            out.extend_from_slice(name);
            match text {
                Some(text) => string(out, text),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.extend_from_slice(b",\"latency_us\":");
        number(out, self.latency_us);
        out.push(b'}');
    }

    #[cfg(test)]
    fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(&mut out);
        out
    }
}

fn number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// `text` as a JSON string, escaped as serde_json escapes it: `"`, `\` and the control
/// characters, the usual five by letter and the rest as `\u00xx`.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ];
                out.extend_from_slice(&code);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', short]);
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::journal::JournalParams;

    fn entry() -> JournalEntry {
        JournalEntry {
            seq: 7,
            at_ms: 1_234,
            bot_id: Some(123_456_789),
            http_method: http::Method::POST,
            method: "sendMessage".into(),
            params: JournalParams::default(),
            status: Some(200),
            description: None,
            rule: None,
            fault: None,
            latency_us: 42,
        }
    }

    fn same_as_serde(entry: &JournalEntry) {
        let want = serde_json::to_vec(entry).unwrap();
        assert_eq!(
            String::from_utf8(entry.to_json()).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    #[test]
    fn a_plain_entry_is_what_serde_writes() {
        same_as_serde(&entry());
    }

    #[test]
    fn every_optional_field_absent_and_present() {
        same_as_serde(&JournalEntry {
            bot_id: None,
            status: None,
            http_method: http::Method::GET,
            method: String::new(),
            ..entry()
        });
        same_as_serde(&JournalEntry {
            bot_id: Some(-1),
            status: Some(429),
            description: Some("Too Many Requests: retry after 3".into()),
            rule: Some("rate \"limit\"".into()),
            fault: Some("reset".into()),
            seq: u64::MAX,
            latency_us: 0,
            ..entry()
        });
    }

    #[test]
    fn every_character_json_escapes_is_escaped_as_serde_escapes_it() {
        let awkward: String = (0u8..0x80).map(char::from).collect::<String>() + "é€😀\u{7f}";
        let mut params = JournalParams::default();
        params.insert(awkward.clone(), Value::String(awkward.clone()));
        params.insert("chat_id".into(), Value::String("42".into()));
        params.insert("n".into(), json!(5));
        params.insert("list".into(), json!([1, "a\nb", null, {"k": true}]));
        same_as_serde(&JournalEntry {
            method: awkward.clone(),
            description: Some(awkward.clone()),
            rule: Some(awkward.clone()),
            fault: Some(awkward),
            params,
            ..entry()
        });
    }

    proptest! {
        #[test]
        fn any_text_is_written_as_serde_writes_it(name in ".*", text in ".*", method in ".*") {
            let mut params = JournalParams::default();
            params.insert(name, Value::String(text.clone()));
            let entry = JournalEntry { method, description: Some(text), params, ..entry() };
            prop_assert_eq!(entry.to_json(), serde_json::to_vec(&entry).unwrap());
        }
    }
}
