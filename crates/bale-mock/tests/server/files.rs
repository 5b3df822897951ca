//! Files over a real socket: uploads, resending by file_id, getFile, downloads by path and by
//! file_id, the store's budget, albums, files users send, and every error in the real
//! server's words.

use bale_mock::files::FileLimits;
use bale_mock::{Clock, Config, MockServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::support::{api, control_post, download, upload, Answer, Part, TOKEN};

const BOT: i64 = 123_456_789;
const OTHER_TOKEN: &str = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const OTHER_BOT: i64 = 987_654_321;
const USER: i64 = 7001;

/// The user opens the private chat with `bot`, so the bot may write to them.
async fn started(server: &MockServer, bot: i64) {
    let (status, body) = control_post(
        server,
        &format!("bots/{bot}/messages"),
        json!({"from": USER, "text": "/start"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

fn part<'a>(field: &'a str, file_name: &'a str, bytes: &[u8]) -> Part<'a> {
    Part {
        field,
        file_name,
        content_type: "application/octet-stream",
        bytes: bytes.to_vec(),
    }
}

async fn send_document(server: &MockServer, token: &str, name: &str, bytes: &[u8]) -> Answer {
    let user = USER.to_string();
    upload(
        server,
        token,
        "sendDocument",
        &[("chat_id", &user)],
        vec![part("document", name, bytes)],
    )
    .await
}

fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn file_id(value: &Value) -> String {
    value["file_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_upload_is_downloaded_byte_for_byte_by_path_and_by_file_id() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let content = b"hello, files\n\x00\xff binary too";
    let user = USER.to_string();
    let sent = upload(
        &server,
        TOKEN,
        "sendDocument",
        &[
            ("chat_id", &user),
            ("caption", "*the* report"),
            ("parse_mode", "Markdown"),
        ],
        vec![part("document", "report.txt", content)],
    )
    .await;
    let message = sent.result();
    assert_eq!(
        keys(message),
        [
            "message_id",
            "from",
            "chat",
            "date",
            "document",
            "caption",
            "caption_entities"
        ]
    );
    let document = &message["document"];
    assert_eq!(
        keys(document),
        [
            "file_name",
            "mime_type",
            "file_id",
            "file_unique_id",
            "file_size"
        ]
    );
    assert_eq!(document["file_name"], "report.txt");
    assert_eq!(document["mime_type"], "text/plain");
    assert_eq!(document["file_size"], content.len());
    assert!(file_id(document).starts_with("BQAC"), "{document}");
    assert_eq!(message["caption"], "the report");
    assert_eq!(
        message["caption_entities"],
        json!([{"offset": 0, "length": 3, "type": "bold"}])
    );

    let file = api(
        &server,
        TOKEN,
        "getFile",
        json!({"file_id": file_id(document)}),
    )
    .await;
    let file = file.result();
    assert_eq!(
        keys(file),
        ["file_id", "file_unique_id", "file_size", "file_path"]
    );
    assert_eq!(file["file_path"], "documents/file_0.txt");
    assert_eq!(file["file_unique_id"], document["file_unique_id"]);

    for name in [
        file["file_path"].as_str().unwrap().to_owned(),
        file_id(document),
    ] {
        let got = download(&server, TOKEN, &name).await;
        assert_eq!(got.status, 200, "{name}");
        assert_eq!(got.body, content, "{name}");
        assert_eq!(got.headers["content-type"], "application/octet-stream");
        assert_eq!(got.headers["content-length"], content.len().to_string());
    }
}

#[tokio::test]
async fn a_file_id_resends_the_same_file_and_keeps_its_kind() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let first = send_document(&server, TOKEN, "a.pdf", b"%PDF-1.4").await;
    let id = file_id(&first.result()["document"]);
    let again = api(
        &server,
        TOKEN,
        "sendDocument",
        json!({"chat_id": USER, "document": id}),
    )
    .await;
    assert_eq!(again.result()["document"], first.result()["document"]);
    // A document-like file may be sent as another document-like kind…
    let as_video = api(
        &server,
        TOKEN,
        "sendVideo",
        json!({"chat_id": USER, "video": id, "duration": 99999999, "width": 640}),
    )
    .await;
    let video = &as_video.result()["video"];
    assert_eq!(file_id(video), id);
    assert_eq!(
        (&video["duration"], &video["width"], &video["height"]),
        (&json!(86400), &json!(640), &json!(0))
    );
    // …never as a photo, nor a photo as a document.
    let as_photo = api(
        &server,
        TOKEN,
        "sendPhoto",
        json!({"chat_id": USER, "photo": id}),
    )
    .await;
    assert_eq!(
        as_photo.error(),
        (400, "Bad Request: can't use file of type Document as Photo")
    );
    let user = USER.to_string();
    let photo = upload(
        &server,
        TOKEN,
        "sendPhoto",
        &[("chat_id", &user), ("photo", "attach://picture")],
        vec![part("picture", "p.jpg", b"\xff\xd8\xff")],
    )
    .await;
    let sizes = photo.result()["photo"].as_array().unwrap().clone();
    assert_eq!(sizes.len(), 1);
    assert_eq!(
        keys(&sizes[0]),
        ["file_id", "file_unique_id", "file_size", "width", "height"]
    );
    assert_eq!(
        (&sizes[0]["width"], &sizes[0]["height"]),
        (&json!(1280), &json!(720))
    );
    assert!(file_id(&sizes[0]).starts_with("AgAC"));
    let as_document = api(
        &server,
        TOKEN,
        "sendDocument",
        json!({"chat_id": USER, "document": file_id(&sizes[0])}),
    )
    .await;
    assert_eq!(
        as_document.error(),
        (400, "Bad Request: can't use file of type Photo as Document")
    );
}

#[tokio::test]
async fn another_bot_can_neither_send_nor_fetch_nor_download_a_file() {
    let server = MockServer::start();
    started(&server, BOT).await;
    started(&server, OTHER_BOT).await;
    let sent = send_document(&server, TOKEN, "mine.txt", b"mine").await;
    let id = file_id(&sent.result()["document"]);
    let path = api(&server, TOKEN, "getFile", json!({"file_id": id}))
        .await
        .result()["file_path"]
        .as_str()
        .unwrap()
        .to_owned();

    let resent = api(
        &server,
        OTHER_TOKEN,
        "sendDocument",
        json!({"chat_id": USER, "document": id}),
    )
    .await;
    assert_eq!(
        resent.error(),
        (400, "Bad Request: wrong file identifier/HTTP URL specified")
    );
    let fetched = api(&server, OTHER_TOKEN, "getFile", json!({"file_id": id})).await;
    assert_eq!(
        fetched.error(),
        (
            400,
            "Bad Request: wrong file_id or the file is temporarily unavailable"
        )
    );
    for name in [&path, &id] {
        let got = download(&server, OTHER_TOKEN, name).await;
        assert_eq!(got.status, 404, "{name}");
        let body: Value = serde_json::from_slice(&got.body).unwrap();
        assert_eq!(
            body,
            json!({"ok": false, "error_code": 404, "description": "Not Found"})
        );
        assert_eq!(got.headers["content-type"], "application/json");
    }
    // The owner's own token still downloads it; a wrong secret for its id does not.
    assert_eq!(download(&server, TOKEN, &path).await.status, 200);
    let wrong_secret = "123456789:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    assert_eq!(download(&server, wrong_secret, &path).await.status, 404);
    assert_eq!(
        download(&server, TOKEN, "documents/file_9.txt")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_least_recently_used_file_is_forgotten_at_the_byte_budget() {
    let config = Config {
        file_limits: FileLimits {
            bytes: 10,
            files: 100,
        },
        ..Config::default().clock(Clock::manual())
    };
    let server = MockServer::start_with(config);
    started(&server, BOT).await;
    let first = file_id(
        &send_document(&server, TOKEN, "a.txt", b"aaaaaa")
            .await
            .result()["document"],
    );
    let second = file_id(
        &send_document(&server, TOKEN, "b.txt", b"bbbbbb")
            .await
            .result()["document"],
    );

    let gone = api(&server, TOKEN, "getFile", json!({"file_id": first})).await;
    assert_eq!(
        gone.error(),
        (
            400,
            "Bad Request: wrong file_id or the file is temporarily unavailable"
        )
    );
    assert_eq!(download(&server, TOKEN, &first).await.status, 404);
    assert_eq!(
        download(&server, TOKEN, "documents/file_0.txt")
            .await
            .status,
        404
    );
    let resent = api(
        &server,
        TOKEN,
        "sendDocument",
        json!({"chat_id": USER, "document": first}),
    )
    .await;
    assert_eq!(
        resent.error(),
        (400, "Bad Request: wrong file identifier/HTTP URL specified")
    );
    let kept = api(&server, TOKEN, "getFile", json!({"file_id": second})).await;
    assert_eq!(kept.result()["file_path"], "documents/file_1.txt");
    assert_eq!(download(&server, TOKEN, &second).await.body, b"bbbbbb");
}

#[tokio::test]
async fn every_kind_of_file_is_sent_with_its_object() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let user = USER.to_string();
    let cases = [
        ("sendAudio", "audio", "song.mp3", "audio", "CQAC"),
        ("sendVideo", "video", "clip.mp4", "video", "BAAC"),
        ("sendVoice", "voice", "note.ogg", "voice", "AwAC"),
        ("sendAnimation", "animation", "fun.gif", "animation", "CgAC"),
        ("sendSticker", "sticker", "s.webp", "sticker", "CAAC"),
    ];
    for (method, field, name, key, prefix) in cases {
        let sent = upload(
            &server,
            TOKEN,
            method,
            &[
                ("chat_id", &user),
                ("caption", "c"),
                ("duration", "12"),
                ("title", "T"),
                ("emoji", "🙂"),
            ],
            vec![part(field, name, b"media")],
        )
        .await;
        let message = sent.result();
        let object = &message[key];
        assert_eq!(object["file_size"], 5, "{method}: {message}");
        let id = file_id(object);
        assert!(id.starts_with(prefix), "{method}: {id}");
        let file = api(&server, TOKEN, "getFile", json!({"file_id": id})).await;
        let path = file.result()["file_path"].as_str().unwrap().to_owned();
        assert_eq!(
            download(&server, TOKEN, &path).await.body,
            b"media",
            "{method}"
        );
        match method {
            "sendSticker" => {
                assert_eq!(
                    keys(object),
                    [
                        "width",
                        "height",
                        "emoji",
                        "is_animated",
                        "is_video",
                        "type",
                        "file_id",
                        "file_unique_id",
                        "file_size"
                    ]
                );
                assert_eq!(object["type"], "regular");
                assert!(message.get("caption").is_none(), "a sticker has no caption");
            }
            "sendAnimation" => {
                assert_eq!(message["document"]["file_id"], object["file_id"]);
                assert_eq!(object["duration"], 12);
                assert_eq!(message["caption"], "c");
            }
            "sendAudio" => {
                assert_eq!(
                    (&object["duration"], &object["title"]),
                    (&json!(12), &json!("T"))
                );
                assert_eq!(object["mime_type"], "audio/mpeg");
            }
            _ => assert_eq!(message["caption"], "c", "{method}"),
        }
    }
}

#[tokio::test]
async fn a_missing_or_unknown_file_is_refused_in_the_real_servers_words() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let user = USER.to_string();
    for (method, field) in [
        ("sendPhoto", "photo"),
        ("sendDocument", "document"),
        ("sendAudio", "audio"),
        ("sendVideo", "video"),
        ("sendVoice", "voice"),
        ("sendAnimation", "animation"),
        ("sendSticker", "sticker"),
    ] {
        let want = format!("Bad Request: there is no {field} in the request");
        let none = api(&server, TOKEN, method, json!({"chat_id": USER})).await;
        assert_eq!(none.error(), (400, want.as_str()), "{method}");
        // A part under another name, or attach:// naming no part, is no file either.
        let elsewhere = upload(
            &server,
            TOKEN,
            method,
            &[("chat_id", &user), (field, "attach://nothing")],
            vec![part("other", "x.bin", b"x")],
        )
        .await;
        assert_eq!(elsewhere.error(), (400, want.as_str()), "{method}");
        for text in [
            "https://example.com/cat.jpg",
            "not a file id",
            "BQACAgIAAxkBAAIBY2Zk",
        ] {
            let unknown = api(
                &server,
                TOKEN,
                method,
                json!({"chat_id": USER, field: text}),
            )
            .await;
            assert_eq!(
                unknown.error(),
                (400, "Bad Request: wrong file identifier/HTTP URL specified"),
                "{method} {text}"
            );
        }
    }
    // The chat is checked before the file_id.
    let no_chat = api(
        &server,
        TOKEN,
        "sendDocument",
        json!({"chat_id": 5555, "document": "x"}),
    )
    .await;
    assert_eq!(no_chat.error(), (400, "Bad Request: chat not found"));
    assert!(server.mock().files().usage() == (0, 0), "nothing was kept");
}

#[tokio::test]
async fn get_file_errors() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let elsewhere = MockServer::start();
    started(&elsewhere, BOT).await;
    let foreign = file_id(
        &send_document(&elsewhere, TOKEN, "a.txt", b"a")
            .await
            .result()["document"],
    );
    let cases = [
        (json!({}), "Bad Request: file_id not specified"),
        (json!({"file_id": ""}), "Bad Request: file_id not specified"),
        (json!({"file_id": "%%%"}), "Bad Request: invalid file_id"),
        (json!({"file_id": "BQAC"}), "Bad Request: invalid file_id"),
        (
            json!({"file_id": foreign}),
            "Bad Request: wrong file_id or the file is temporarily unavailable",
        ),
    ];
    for (params, want) in cases {
        let answer = api(&server, TOKEN, "getFile", params.clone()).await;
        assert_eq!(answer.error(), (400, want), "{params}");
    }
}

#[tokio::test]
async fn big_files_are_sent_but_not_handed_out_and_huge_ones_are_refused() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let big = vec![b'x'; (20 << 20) + 1];
    let sent = send_document(&server, TOKEN, "big.bin", &big).await;
    let id = file_id(&sent.result()["document"]);
    let answer = api(&server, TOKEN, "getFile", json!({"file_id": id})).await;
    assert_eq!(answer.error(), (400, "Bad Request: file is too big"));
    let huge = vec![b'x'; (50 << 20) + 1];
    let refused = send_document(&server, TOKEN, "huge.bin", &huge).await;
    assert_eq!(refused.error(), (413, "Request Entity Too Large"));
}

#[tokio::test]
async fn an_album_shares_one_media_group_id() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let earlier = file_id(
        &send_document(&server, TOKEN, "d.txt", b"doc")
            .await
            .result()["document"],
    );
    let user = USER.to_string();
    let media = json!([
        {"type": "photo", "media": "attach://one", "caption": "<b>first</b>", "parse_mode": "HTML"},
        {"type": "video", "media": "attach://two", "width": 320, "height": 240, "duration": 3},
        {"type": "document", "media": earlier},
    ])
    .to_string();
    let sent = upload(
        &server,
        TOKEN,
        "sendMediaGroup",
        &[("chat_id", &user), ("media", &media)],
        vec![part("one", "1.jpg", b"one"), part("two", "2.mp4", b"two")],
    )
    .await;
    let messages = sent.result().as_array().unwrap().clone();
    assert_eq!(messages.len(), 3);
    let group = messages[0]["media_group_id"].as_str().unwrap().to_owned();
    assert!(group.bytes().all(|b| b.is_ascii_digit()), "{group}");
    for message in &messages {
        assert_eq!(message["media_group_id"], group.as_str());
        let order = keys(message);
        let at = |key| order.iter().position(|k| *k == key).unwrap();
        assert!(at("date") < at("media_group_id"), "{order:?}");
    }
    assert_eq!(messages[0]["caption"], "first");
    assert_eq!(messages[0]["caption_entities"][0]["type"], "bold");
    assert_eq!(messages[1]["video"]["width"], 320);
    assert_eq!(file_id(&messages[2]["document"]), earlier);
    let ids: Vec<i64> = messages
        .iter()
        .map(|m| m["message_id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let photo = file_id(&messages[0]["photo"][0]);
    assert_eq!(download(&server, TOKEN, &photo).await.body, b"one");

    // An album of one is sent too (tdlib does not refuse it).
    let single = api(
        &server,
        TOKEN,
        "sendMediaGroup",
        json!({"chat_id": USER, "media": [{"type": "photo", "media": photo}]}),
    )
    .await;
    assert_eq!(single.result().as_array().unwrap().len(), 1);
    // The transcript keeps the group id.
    let transcript = crate::support::get(
        &server,
        &format!("/__mock/bots/{BOT}/chats/{USER}/messages?from=bot"),
    )
    .await;
    let kept = &transcript.body["messages"];
    assert_eq!(kept[1]["message"]["media_group_id"], group.as_str());
}

#[tokio::test]
async fn album_errors() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let ten_and_one: Vec<Value> = (0..11)
        .map(|_| json!({"type": "document", "media": "attach://f"}))
        .collect();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"chat_id": USER}), "Bad Request: parameter \"media\" is required"),
        (
            json!({"chat_id": USER, "media": "[{"}),
            "Bad Request: can't parse media JSON object",
        ),
        (
            json!({"chat_id": USER, "media": {"type": "photo"}}),
            "Bad Request: expected an Array of InputMedia",
        ),
        (
            json!({"chat_id": USER, "media": [1]}),
            "Bad Request: can't parse InputMedia: expected an Object",
        ),
        (
            json!({"chat_id": USER, "media": [{"type": "photo"}]}),
            "Bad Request: can't parse InputMedia: media not found",
        ),
        (
            json!({"chat_id": USER, "media": [{"type": "photo", "media": "attach://nothing"}]}),
            "Bad Request: can't parse InputMedia: media not found",
        ),
        (
            json!({"chat_id": USER, "media": [{"media": "x"}]}),
            "Bad Request: can't parse InputMedia: Can't find field \"type\"",
        ),
        (
            json!({"chat_id": USER, "media": [{"type": "x", "media": "x"}]}),
            "Bad Request: can't parse InputMedia: type \"x\" is unsupported",
        ),
        (
            json!({"chat_id": USER, "media": [{"type": "animation", "media": "x"}]}),
            "Bad Request: can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup",
        ),
        (
            json!({"chat_id": USER, "media": []}),
            "Bad Request: there are no messages to send",
        ),
        (
            json!({"chat_id": USER, "media": [{"type": "photo", "media": "https://example.com/a.jpg"}]}),
            "Bad Request: wrong file identifier/HTTP URL specified",
        ),
        (
            json!({"chat_id": 5555, "media": [{"type": "photo", "media": "x"}]}),
            "Bad Request: chat not found",
        ),
    ];
    for (params, want) in cases {
        let answer = api(&server, TOKEN, "sendMediaGroup", params.clone()).await;
        assert_eq!(answer.error(), (400, want), "{params}");
    }
    let user = USER.to_string();
    let media = Value::Array(ten_and_one).to_string();
    let too_many = upload(
        &server,
        TOKEN,
        "sendMediaGroup",
        &[("chat_id", &user), ("media", &media)],
        vec![part("f", "f.txt", b"f")],
    )
    .await;
    assert_eq!(
        too_many.error(),
        (400, "Bad Request: too many messages to send as an album")
    );
    // A bad item after good uploads keeps nothing and sends nothing.
    let media = json!([
        {"type": "document", "media": "attach://f"},
        {"type": "document", "media": "BQACAgIAAxkBAAIBY2Zk"},
    ])
    .to_string();
    let half = upload(
        &server,
        TOKEN,
        "sendMediaGroup",
        &[("chat_id", &user), ("media", &media)],
        vec![part("f", "f.txt", b"f")],
    )
    .await;
    assert_eq!(
        half.error(),
        (400, "Bad Request: wrong file identifier/HTTP URL specified")
    );
    assert_eq!(server.mock().files().usage(), (0, 0));
}

/// python-bale-bot 2.5.0 labels every file part `Content-Type: multipart/form-data`. The real
/// server reads no part's type (telegram-bot-api's `get_input_file` hands tdlib the temporary
/// file's name only), so that label never becomes a document's `mime_type`; the name's
/// extension still does, and a type a client declares for an unknown extension still counts.
#[tokio::test]
async fn a_multipart_part_type_is_not_a_documents_mime_type() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let user = USER.to_string();
    let mut sent = Vec::new();
    for (name, content_type) in [
        ("report.bin", "multipart/form-data"),
        ("notes.txt", "multipart/form-data"),
        ("report.bin", "application/x-thing"),
    ] {
        let answer = upload(
            &server,
            TOKEN,
            "sendDocument",
            &[("chat_id", &user)],
            vec![Part {
                field: "document",
                file_name: name,
                content_type,
                bytes: b"\x00\x01 bytes \xff".to_vec(),
            }],
        )
        .await;
        assert_eq!(
            answer.status, 200,
            "{name} {content_type}: {:?}",
            answer.body
        );
        sent.push(answer.result()["document"].clone());
    }
    assert_eq!(sent[0]["file_name"], "report.bin");
    assert!(sent[0].get("mime_type").is_none(), "{}", sent[0]);
    assert_eq!(sent[1]["mime_type"], "text/plain");
    assert_eq!(sent[2]["mime_type"], "application/x-thing");
    // The bytes are the file's, whatever the part was labelled.
    assert_eq!(
        download(&server, TOKEN, &file_id(&sent[0])).await.body,
        b"\x00\x01 bytes \xff"
    );
}

#[tokio::test]
async fn a_user_sends_a_document_and_a_photo_that_the_bot_downloads() {
    let server = MockServer::start();
    let content = b"quarterly numbers\n";
    let (status, body) = control_post(
        &server,
        &format!("bots/{BOT}/messages"),
        json!({
            "from": USER,
            "document": {"file_name": "numbers.csv", "content_base64": STANDARD.encode(content)},
            "caption": "/report please",
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let updates = api(&server, TOKEN, "getUpdates", json!({})).await;
    let message = updates.result()[0]["message"].clone();
    assert_eq!(message["document"]["file_name"], "numbers.csv");
    assert_eq!(message["document"]["mime_type"], "text/csv");
    assert_eq!(message["caption"], "/report please");
    assert_eq!(message["caption_entities"][0]["type"], "bot_command");
    assert!(message.get("text").is_none());
    let id = file_id(&message["document"]);
    let file = api(&server, TOKEN, "getFile", json!({"file_id": id})).await;
    let path = file.result()["file_path"].as_str().unwrap().to_owned();
    assert_eq!(download(&server, TOKEN, &path).await.body, content);
    assert_eq!(download(&server, TOKEN, &id).await.body, content);
    // The bot may send it on by its file_id; another bot has no such file.
    let forwarded = api(
        &server,
        TOKEN,
        "sendDocument",
        json!({"chat_id": USER, "document": id}),
    )
    .await;
    assert_eq!(file_id(&forwarded.result()["document"]), id);
    assert_eq!(download(&server, OTHER_TOKEN, &id).await.status, 404);

    let (status, body) = control_post(
        &server,
        &format!("bots/{BOT}/messages"),
        json!({"from": USER, "photo": {"content_base64": "AAEC", "width": 10, "height": 20}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let photo = &body["message"]["photo"][0];
    assert_eq!(
        (&photo["width"], &photo["height"]),
        (&json!(10), &json!(20))
    );
    assert_eq!(
        download(&server, TOKEN, &file_id(photo)).await.body,
        [0, 1, 2]
    );

    for (bad, why) in [
        (json!({"from": USER}), "a message has a \"text\""),
        (
            json!({"from": USER, "text": "a", "photo": {"content_base64": ""}}),
            "one of",
        ),
        (
            json!({"from": USER, "text": "a", "caption": "b"}),
            "caption",
        ),
        (
            json!({"from": USER, "document": {"content_base64": "!!"}}),
            "not base64",
        ),
    ] {
        let (status, body) =
            control_post(&server, &format!("bots/{BOT}/messages"), bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(
            body["description"].as_str().unwrap().contains(why),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_journal_holds_neither_file_bytes_nor_the_token() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let content = b"TOP-SECRET-CONTENT-4711";
    let sent = send_document(&server, TOKEN, "s.txt", content).await;
    let id = file_id(&sent.result()["document"]);
    let path = api(&server, TOKEN, "getFile", json!({"file_id": id}))
        .await
        .result()["file_path"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(download(&server, TOKEN, &path).await.body, content);
    assert_eq!(download(&server, TOKEN, "nothing/here").await.status, 404);

    let entries = server.received_requests();
    let journal = serde_json::to_string(&entries).unwrap();
    assert!(!journal.contains("TOP-SECRET"), "{journal}");
    assert!(
        !journal.contains(TOKEN.split_once(':').unwrap().1),
        "{journal}"
    );
    let upload = entries.iter().find(|e| e.method == "sendDocument").unwrap();
    assert_eq!(upload.params["document"], "<file s.txt, 23 bytes>");
    let downloads: Vec<_> = entries
        .iter()
        .filter(|e| e.method == "<download>")
        .collect();
    assert_eq!(downloads.len(), 2);
    assert_eq!(downloads[0].params["file"], path.as_str());
    assert_eq!(
        (downloads[0].status, downloads[1].status),
        (Some(200), Some(404))
    );
    assert_eq!(downloads[0].bot_id, Some(BOT));
}

#[tokio::test]
async fn a_reset_forgets_every_file() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let id = file_id(&send_document(&server, TOKEN, "a.txt", b"a").await.result()["document"]);
    server.reset();
    started(&server, BOT).await;
    let answer = api(&server, TOKEN, "getFile", json!({"file_id": id})).await;
    assert_eq!(
        answer.error(),
        (
            400,
            "Bad Request: wrong file_id or the file is temporarily unavailable"
        )
    );
    assert_eq!(download(&server, TOKEN, &id).await.status, 404);
}

#[tokio::test]
async fn media_messages_are_copied_forwarded_and_recaptioned_with_their_files() {
    let server = MockServer::start();
    started(&server, BOT).await;
    let sent = send_document(&server, TOKEN, "a.txt", b"a").await;
    let original = sent.result().clone();
    let copied = api(
        &server,
        TOKEN,
        "copyMessage",
        json!({"chat_id": USER, "from_chat_id": USER, "message_id": original["message_id"], "caption": "copy"}),
    )
    .await;
    let copy_id = copied.result()["message_id"].as_i64().unwrap();
    let forwarded = api(
        &server,
        TOKEN,
        "forwardMessage",
        json!({"chat_id": USER, "from_chat_id": USER, "message_id": original["message_id"]}),
    )
    .await;
    assert_eq!(forwarded.result()["document"], original["document"]);
    let transcript = crate::support::get(
        &server,
        &format!("/__mock/bots/{BOT}/chats/{USER}/messages?from=bot"),
    )
    .await;
    let copy = transcript.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["message"]["message_id"] == copy_id)
        .unwrap()["message"]
        .clone();
    assert_eq!(copy["document"], original["document"]);
    assert_eq!(copy["caption"], "copy");
    let edited = api(
        &server,
        TOKEN,
        "editMessageCaption",
        json!({"chat_id": USER, "message_id": original["message_id"], "caption": "new"}),
    )
    .await;
    assert_eq!(edited.result()["caption"], "new");
    assert_eq!(edited.result()["document"], original["document"]);
    let user = USER.to_string();
    let sticker = upload(
        &server,
        TOKEN,
        "sendSticker",
        &[("chat_id", &user)],
        vec![part("sticker", "s.webp", b"s")],
    )
    .await;
    let refused = api(
        &server,
        TOKEN,
        "editMessageCaption",
        json!({"chat_id": USER, "message_id": sticker.result()["message_id"], "caption": "x"}),
    )
    .await;
    assert_eq!(
        refused.error(),
        (
            400,
            "Bad Request: there is no caption in the message to edit"
        )
    );
}

#[tokio::test]
async fn the_control_api_gives_a_bots_file_to_the_console_and_no_other_bots() {
    let server = MockServer::start();
    started(&server, BOT).await;
    started(&server, OTHER_BOT).await;
    let content = b"<script>alert(1)</script> shown by the console, never run";
    let sent = send_document(&server, TOKEN, "page.html", content).await;
    let id = file_id(&sent.result()["document"]);
    let client = reqwest::Client::new();
    let fetch = |bot: i64, file: String| {
        let url = format!("{}/__mock/bots/{bot}/files/{file}", server.uri());
        client.get(url).send()
    };
    let response = fetch(BOT, id.clone()).await.unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-disposition"), "attachment");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("content-security-policy"),
        "default-src 'none'; sandbox"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), content);
    for (bot, file) in [(OTHER_BOT, id), (BOT, "nope".to_owned())] {
        let response = fetch(bot, file).await.unwrap();
        assert_eq!(response.status(), 404);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["description"],
            "no such file: the bot has no file by that id or path"
        );
    }
    // Not a Bot API request: the journal does not show it.
    let methods: Vec<String> = server
        .received_requests()
        .iter()
        .map(|entry| entry.method.clone())
        .collect();
    assert_eq!(methods, ["sendDocument"], "{methods:?}");
}
