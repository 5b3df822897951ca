use std::convert::Infallible;

use futures_util::FutureExt;
use proptest::prelude::*;

use super::*;

/// What multer reads from `body`: its parts, or its error.
fn multer_fields(body: &Bytes, boundary: &str) -> Result<Vec<Field>, String> {
    let body = body.clone();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let read = async {
        let mut fields = Vec::new();
        while let Some(field) = next_field(&mut multipart)
            .await
            .map_err(|e| e.to_string())?
        {
            fields.push(field);
        }
        Ok(fields)
    };
    read.now_or_never()
        .expect("an in-memory body is read at once")
}

/// Whether a body the in-memory reader reads, if it does, is read as multer reads it.
fn agrees_with_multer(body: &Bytes, boundary: &str) -> Result<(), TestCaseError> {
    if let Some(fields) = simple_fields(body, boundary) {
        prop_assert_eq!(Ok(fields), multer_fields(body, boundary));
    }
    Ok(())
}

const BOUNDARIES: &[&str] = &["b", "XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a.b_c"];
const NAMES: &[&str] = &[
    "chat_id",
    "photo",
    "media[0]",
    "a",
    "file-1.jpg",
    "filename",
];
const FILE_NAMES: &[&str] = &["a.png", "my photo.jpg", "سلام.txt", "name=x", ""];
const CONTENT_TYPES: &[&str] = &[
    "image/png",
    "text/plain",
    "application/octet-stream",
    "Image/PNG",
    "text/plain; charset=utf-8",
];

/// A part: name, file name, content type, data.
type Part = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Vec<u8>,
);

/// Data with the bytes a boundary is made of, so that some hold a delimiter.
fn data() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        &b"\r\n"[..],
        b"--",
        b"b",
        b"XyZ",
        b"x",
        b"\r\n--b",
        b"\xff",
        b"\"",
    ]);
    prop::collection::vec(pieces, 0..6).prop_map(|pieces| pieces.concat())
}

fn parts() -> impl Strategy<Value = Vec<Part>> {
    let part = (
        prop::sample::select(NAMES),
        prop::option::of(prop::sample::select(FILE_NAMES)),
        prop::option::of(prop::sample::select(CONTENT_TYPES)),
        data(),
    );
    prop::collection::vec(part, 1..4)
}

/// The body a client library writes for `parts`.
fn body(boundary: &str, parts: &[Part], epilogue: &str) -> Bytes {
    let mut out = Vec::new();
    for (name, file_name, content_type, data) in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let file = file_name.map_or(String::new(), |f| format!("; filename=\"{f}\""));
        let head = format!("Content-Disposition: form-data; name=\"{name}\"{file}\r\n");
        out.extend_from_slice(head.as_bytes());
        if let Some(content_type) = content_type {
            out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--{epilogue}").as_bytes());
    Bytes::from(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_body_read_without_multer_is_read_as_multer_reads_it(
        boundary in prop::sample::select(BOUNDARIES),
        parts in parts(),
        epilogue in prop::sample::select(&["", "\r\n", "\r\nafter"][..]),
    ) {
        agrees_with_multer(&body(boundary, &parts, epilogue), boundary)?;
    }

    #[test]
    fn a_mangled_body_read_without_multer_is_read_as_multer_reads_it(
        boundary in prop::sample::select(BOUNDARIES),
        parts in parts(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0..3u8, prop::sample::select(&b"\r\n-\"; bx:="[..])),
            1..4,
        ),
    ) {
        let mut mangled = body(boundary, &parts, "").to_vec();
        for (at, kind, byte) in edits {
            let at = at.index(mangled.len() + 1);
            match kind {
                0 => mangled.insert(at, byte),
                1 if at < mangled.len() => { mangled.remove(at); }
                _ if at < mangled.len() => mangled[at] = byte,
                _ => {}
            }
        }
        agrees_with_multer(&Bytes::from(mangled), boundary)?;
    }

    #[test]
    fn the_plain_shape_is_read_without_multer(
        boundary in prop::sample::select(BOUNDARIES),
        parts in parts(),
    ) {
        let delimiter = format!("\r\n--{boundary}");
        let plain = parts.iter().all(|(_, _, content_type, data)| {
            let data = [b"\r\n", &data[..]].concat();
            !content_type.is_some_and(|t| t.contains(['P', ';']))
                && memchr::memmem::find(&data, delimiter.as_bytes()).is_none()
        });
        prop_assume!(plain);
        prop_assert!(simple_fields(&body(boundary, &parts, ""), boundary).is_some());
    }
}

#[test]
fn what_the_plain_shape_is_not_is_left_to_multer() {
    let read = |body: &str| simple_fields(&Bytes::from(body.to_owned()), "b");
    let ok = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--";
    assert_eq!(
        read(ok),
        Some(vec![Field {
            name: Some("a".into()),
            file_name: None,
            content_type: None,
            data: Bytes::from_static(b"1"),
        }])
    );
    for body in [
        "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--",
        "--b\r\ncontent-disposition: form-data; name=\"a\"; x=1\r\n\r\n1\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Other: 1\r\n\r\n1\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b",
        "--bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--",
    ] {
        assert_eq!(read(body), None, "{body:?}");
    }
    // What follows the closing boundary is not read, by multer either.
    assert_eq!(read("--b--"), Some(vec![]));
    assert_eq!(read(&format!("{ok}\r\nepilogue")), read(ok));
}
