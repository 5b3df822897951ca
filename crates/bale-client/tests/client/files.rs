//! Uploads (multipart bodies) and downloads (`/file/bot<token>/<path>`), and that neither
//! path shows the token.

use std::time::Duration;

use bale_client::{Client, Error, InputFile, InvalidReason, NetworkErrorKind, Operation};
use serde_json::json;

use crate::support::{json as json_reply, refused_uri, response, Canned, Request, SECRET, TOKEN};

fn ok(result: &str) -> String {
    format!(r#"{{"ok":true,"result":{result}}}"#)
}

/// Fails if `error` shows the token in `Display` or `Debug`.
fn assert_hidden(error: &Error) {
    for shown in [format!("{error}"), format!("{error:?}")] {
        assert!(!shown.contains(SECRET), "the token leaked: {shown}");
    }
}

/// One part of a multipart body: name, file name, content type, bytes.
type SentPart = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a multipart body, in order.
fn parts(request: &Request) -> Vec<SentPart> {
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut found = Vec::new();
    let mut starts: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, window)| *window == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    starts.dedup();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&part[..split]).into_owned();
        let value = |key: &str| {
            head.split(&format!("{key}=\"")[..])
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_owned)
        };
        let part_type = head.lines().find_map(|line| {
            let (name, value) = line.split_once(": ")?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.to_owned())
        });
        found.push((
            value("name").unwrap(),
            value("filename"),
            part_type,
            part[split + 4..].to_vec(),
        ));
    }
    found
}

#[tokio::test]
async fn files_go_as_multipart_with_the_parameters_as_text_parts() {
    let message = r#"{"message_id":3,"date":1,"chat":{"id":7,"type":"private"}}"#;
    let mut server = Canned::always(json_reply("200 OK", &ok(message))).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let photo =
        InputFile::new("photo", "cat.jpg", vec![0xff, 0xd8, 0, 1]).with_content_type("image/jpeg");
    let params = json!({"chat_id": "7", "reply_markup": {"inline_keyboard": []}});

    let output = Operation::from_name("sendPhoto")
        .run_with_files(&client, &params, &[photo])
        .await
        .unwrap();
    assert_eq!(
        output,
        serde_json::from_str::<serde_json::Value>(message).unwrap()
    );
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        format!("POST /bot{TOKEN}/sendPhoto HTTP/1.1")
    );
    assert_eq!(
        parts(&request),
        [
            ("chat_id".into(), None, None, b"7".to_vec()),
            (
                "reply_markup".into(),
                None,
                None,
                br#"{"inline_keyboard":[]}"#.to_vec()
            ),
            (
                "photo".into(),
                Some("cat.jpg".into()),
                Some("image/jpeg".into()),
                vec![0xff, 0xd8, 0, 1]
            ),
        ]
    );

    // No files: JSON, as before.
    client
        .call_with_files("sendMessage", &params, &[])
        .await
        .unwrap();
    let request = server.next_request().await;
    assert_eq!(request.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn add_sticker_to_set_posts_to_its_own_method() {
    let mut server = Canned::always(json_reply("200 OK", &ok("true"))).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let sticker = InputFile::new("png_sticker", "s.png", b"png".to_vec());
    let output = Operation::from_name("addStickerToSet")
        .run_with_files(
            &client,
            &json!({"user_id": 1, "name": "set_by_bot"}),
            &[sticker],
        )
        .await
        .unwrap();
    assert_eq!(output, json!({"ok": true, "result": true}));
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        format!("POST /bot{TOKEN}/addStickerToSet HTTP/1.1")
    );
}

#[tokio::test]
async fn a_download_gets_the_bytes_at_the_file_path() {
    let mut server = Canned::always(response(
        "200 OK",
        &[("content-type", "application/octet-stream")],
        "\u{1}raw bytes",
    ))
    .await;
    let client = Client::new(&format!("{}/prefix", server.uri()), TOKEN).unwrap();
    let bytes = client.download("documents/file_1.txt").await.unwrap();
    assert_eq!(bytes, b"\x01raw bytes");
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        format!("GET /prefix/file/bot{TOKEN}/documents/file_1.txt HTTP/1.1")
    );
}

#[tokio::test]
async fn a_missing_file_is_the_servers_api_error() {
    let body = r#"{"ok":false,"error_code":404,"description":"Not Found"}"#;
    let server = Canned::always(json_reply("404 Not Found", body)).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let error = client.download("documents/gone.txt").await.unwrap_err();
    assert_hidden(&error);
    assert_eq!(error.api_error().map(|api| api.error_code), Some(404));
}

#[tokio::test]
async fn download_failures_never_show_the_token() {
    let page = format!("<html>404: GET /file/bot{TOKEN}/documents/x</html>");
    let server = Canned::always(response("404 Not Found", &[], &page)).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let error = client.download("documents/x").await.unwrap_err();
    assert_hidden(&error);
    match &error {
        Error::InvalidResponse {
            status,
            reason,
            excerpt,
        } => {
            assert_eq!((*status, *reason), (404, InvalidReason::NotJson));
            assert!(
                excerpt.contains("/file/bot<token>/documents/x"),
                "{excerpt}"
            );
        }
        other => panic!("{other:?}"),
    }

    let client = Client::builder(TOKEN)
        .base_url(&refused_uri().await)
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = client.download("documents/x").await.unwrap_err();
    assert_hidden(&error);
    assert_eq!(error.network_kind(), Some(NetworkErrorKind::Connect));
    let photo = InputFile::new("photo", "a.jpg", b"x".to_vec());
    let error = client
        .call_with_files("sendPhoto", &json!({}), &[photo])
        .await
        .unwrap_err();
    assert_hidden(&error);
}
