//! Sticker sets: a bot uploads sticker files for a user, makes a set, adds to it, reads it
//! and deletes from it, in Telegram's form and in the one Bale's libraries send.

use bale_mock::MockServer;
use serde_json::{json, Value};

use crate::support::{api, control_post, TOKEN};

const USER: i64 = 7001;

async fn known_user(server: &MockServer) {
    let (status, body) = control_post(server, "users", json!({"id": USER})).await;
    assert_eq!(status, 200, "{body}");
}

/// A multipart call with one file part named `field`.
async fn upload(server: &MockServer, method: &str, texts: &[(&str, &str)], field: &str) -> Value {
    upload_as(server, TOKEN, method, texts, field).await
}

async fn upload_as(
    server: &MockServer,
    token: &str,
    method: &str,
    texts: &[(&str, &str)],
    field: &str,
) -> Value {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in texts {
        form = form.text(name.to_string(), value.to_string());
    }
    let part = reqwest::multipart::Part::bytes(b"RIFF\0\0\0\0WEBP".to_vec()).file_name("s.webp");
    let url = format!("{}/bot{token}/{method}", server.uri());
    let answer = reqwest::Client::new()
        .post(url)
        .multipart(form.part(field.to_owned(), part))
        .send()
        .await
        .unwrap();
    answer.json().await.unwrap()
}

async fn refused(server: &MockServer, method: &str, params: Value) -> String {
    let answer = api(server, TOKEN, method, params).await;
    assert_eq!(answer.status, 400, "{method}: {}", answer.body);
    answer.body["description"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_set_is_made_from_uploads_grown_read_and_shrunk() {
    let server = MockServer::start();
    known_user(&server).await;
    let user = USER.to_string();
    let file = upload(
        &server,
        "uploadStickerFile",
        &[("user_id", &user), ("sticker_format", "static")],
        "sticker",
    )
    .await;
    let file_id = file["result"]["file_id"].as_str().unwrap().to_owned();
    assert!(file["result"]["file_path"]
        .as_str()
        .unwrap()
        .starts_with("stickers/"));

    let stickers =
        json!([{"sticker": file_id, "format": "static", "emoji_list": ["😀"]}]).to_string();
    let made = api(
        &server,
        TOKEN,
        "createNewStickerSet",
        json!({"user_id": USER, "name": "team_set", "title": "Team", "stickers": stickers}),
    )
    .await;
    assert_eq!(made.result().clone(), json!(true));
    // Bale's libraries send one sticker file, without `format`.
    let added = upload(
        &server,
        "addStickerToSet",
        &[("user_id", &user), ("name", "team_set"), ("emojis", "🎉")],
        "sticker",
    )
    .await;
    assert_eq!(added["result"], json!(true), "{added}");

    let set = api(&server, TOKEN, "getStickerSet", json!({"name": "TEAM_SET"})).await;
    let set = set.result();
    let keys: Vec<&str> = set
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "name",
            "title",
            "sticker_type",
            "contains_masks",
            "stickers"
        ]
    );
    let stickers = set["stickers"].as_array().unwrap();
    assert_eq!(stickers.len(), 2);
    assert_eq!(stickers[0]["emoji"], "😀");
    assert_eq!(stickers[0]["set_name"], "team_set");
    assert_eq!(stickers[1]["emoji"], "🎉");

    // Balethon deletes under another name.
    let second = stickers[1]["file_id"].clone();
    for method in ["deleteStickerFromSet", "deleteStickerToSet"] {
        let sticker = if method == "deleteStickerFromSet" {
            file_id.clone().into()
        } else {
            second.clone()
        };
        let deleted = api(&server, TOKEN, method, json!({"sticker": sticker})).await;
        assert_eq!(deleted.result().clone(), json!(true), "{method}");
    }
    let set = api(&server, TOKEN, "getStickerSet", json!({"name": "team_set"})).await;
    assert_eq!(set.result()["stickers"], json!([]));
}

#[tokio::test]
async fn sticker_errors_follow_the_real_server() {
    let server = MockServer::start();
    known_user(&server).await;
    assert_eq!(
        refused(&server, "uploadStickerFile", json!({"user_id": USER})).await,
        "Bad Request: there is no sticker file in the request"
    );
    assert_eq!(
        refused(
            &server,
            "uploadStickerFile",
            json!({"user_id": USER, "sticker": "CAACAgIAAx"})
        )
        .await,
        "Bad Request: sticker must be uploaded as an InputFile"
    );
    assert_eq!(
        refused(
            &server,
            "createNewStickerSet",
            json!({"user_id": USER, "name": "x", "title": "T", "stickers": "{"})
        )
        .await,
        "Bad Request: can't parse stickers JSON object"
    );
    assert_eq!(
        refused(
            &server,
            "createNewStickerSet",
            json!({"user_id": USER, "name": "x", "title": "T", "stickers": "{}"})
        )
        .await,
        "Bad Request: expected an Array of InputSticker"
    );
    assert_eq!(
        refused(
            &server,
            "createNewStickerSet",
            json!({"user_id": USER, "name": "x", "title": "T", "stickers": "[{}]"})
        )
        .await,
        "Bad Request: can't parse InputSticker: sticker not found"
    );
    let user = USER.to_string();
    let bad_name = upload(
        &server,
        "createNewStickerSet",
        &[("user_id", &user), ("name", "9lives"), ("title", "T")],
        "sticker",
    )
    .await;
    assert_eq!(
        bad_name["description"],
        "Bad Request: invalid sticker set name is specified"
    );
    let no_title = upload(
        &server,
        "createNewStickerSet",
        &[("user_id", &user), ("name", "ok_set"), ("title", " ")],
        "sticker",
    )
    .await;
    assert_eq!(
        no_title["description"],
        "Bad Request: sticker set title must be non-empty"
    );
    let first = upload(
        &server,
        "createNewStickerSet",
        &[("user_id", &user), ("name", "ok_set"), ("title", "T")],
        "sticker",
    )
    .await;
    assert_eq!(first["result"], true, "{first}");
    let again = upload(
        &server,
        "createNewStickerSet",
        &[("user_id", &user), ("name", "OK_set"), ("title", "T")],
        "sticker",
    )
    .await;
    assert_eq!(
        again["description"],
        "Bad Request: sticker set name is already occupied"
    );
    let stranger = upload(
        &server,
        "createNewStickerSet",
        &[("user_id", "999999"), ("name", "b_set"), ("title", "T")],
        "sticker",
    )
    .await;
    assert_eq!(stranger["description"], "Bad Request: user not found");
    assert_eq!(
        refused(&server, "getStickerSet", json!({"name": "nope"})).await,
        "Bad Request: STICKERSET_INVALID"
    );
    let other_bot = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    let texts = [("user_id", user.as_str()), ("name", "ok_set")];
    let not_theirs = upload_as(&server, other_bot, "addStickerToSet", &texts, "sticker").await;
    assert_eq!(
        not_theirs["description"], "Bad Request: STICKERSET_INVALID",
        "another bot's set"
    );
    assert_eq!(
        refused(&server, "deleteStickerFromSet", json!({"sticker": ""})).await,
        "Bad Request: sticker is not specified"
    );
}
