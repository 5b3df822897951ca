//! Conversations over a real socket: a test plays the user, the bot polls, sends, edits,
//! deletes and answers buttons, with the real server's errors.

use std::time::Duration;

use bale_mock::MockServer;
use serde_json::{json, Value};

use crate::support::{api, control_post, get, TOKEN};

const BOT: i64 = 123_456_789;
const USER: i64 = 7001;

async fn started(server: &MockServer) -> i64 {
    let (status, body) = control_post(
        server,
        &format!("bots/{BOT}/messages"),
        json!({"from": USER, "text": "/start"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["update_id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_user_message_reaches_get_updates_with_its_command_entity() {
    let server = MockServer::start();
    let update_id = started(&server).await;
    let updates = api(&server, TOKEN, "getUpdates", json!({})).await;
    let updates = updates.result().as_array().unwrap().clone();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["update_id"], update_id);
    let message = &updates[0]["message"];
    assert_eq!(message["text"], "/start");
    assert_eq!(
        message["chat"],
        json!({"id": USER, "first_name": "User 7001", "type": "private"})
    );
    assert_eq!(
        message["entities"],
        json!([{"offset": 0, "length": 6, "type": "bot_command"}])
    );
    // Confirming with offset = id + 1 empties the queue; the same offset again keeps it empty.
    let after = api(
        &server,
        TOKEN,
        "getUpdates",
        json!({"offset": update_id + 1}),
    )
    .await;
    assert_eq!(after.result(), &json!([]));
}

#[tokio::test]
async fn updates_are_written_with_the_real_servers_newline() {
    let server = MockServer::start();
    started(&server).await;
    let url = format!("{}/bot{TOKEN}/getUpdates", server.uri());
    let raw = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(
        raw.starts_with("{\"ok\":true,\"result\":[{\"update_id\":"),
        "{raw}"
    );
    assert!(raw.contains(",\n\"message\":{"), "{raw}");
}

#[tokio::test]
async fn send_message_checks_in_the_real_servers_order() {
    let server = MockServer::start();
    let empty = api(&server, TOKEN, "sendMessage", json!({})).await;
    assert_eq!(empty.error(), (400, "Bad Request: message text is empty"));
    let no_chat = api(&server, TOKEN, "sendMessage", json!({"text": "x"})).await;
    assert_eq!(no_chat.error(), (400, "Bad Request: chat_id is empty"));
    let unknown = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": 99, "text": "x"}),
    )
    .await;
    assert_eq!(unknown.error(), (400, "Bad Request: chat not found"));
    control_post(&server, "users", json!({"id": 42, "first_name": "Ann"})).await;
    let stranger = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": 42, "text": "x"}),
    )
    .await;
    assert_eq!(
        stranger.error(),
        (
            403,
            "Forbidden: bot can't initiate conversation with a user"
        )
    );
    started(&server).await;
    let markup = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "x", "reply_markup": "{"}),
    )
    .await;
    assert_eq!(
        markup.error(),
        (
            400,
            "Bad Request: can't parse reply keyboard markup JSON object"
        )
    );
    let reply = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "x", "reply_to_message_id": 999}),
    )
    .await;
    assert_eq!(
        reply.error(),
        (400, "Bad Request: message to be replied not found")
    );
    let lenient = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "x", "reply_parameters": {"message_id": 999, "allow_sending_without_reply": true}}),
    )
    .await;
    assert!(lenient.result()["reply_to_message"].is_null());
}

#[tokio::test]
async fn a_sent_message_keeps_an_inline_keyboard_and_replies() {
    let server = MockServer::start();
    started(&server).await;
    let keyboard =
        json!({"inline_keyboard": [[{"text": "Yes", "callback_data": "yes", "hide": false}]]});
    let sent = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER.to_string(), "text": "Pick", "reply_markup": keyboard.to_string(), "reply_to_message_id": 1}),
    )
    .await;
    let message = sent.result();
    assert_eq!(
        message["message_id"], 2,
        "one counter per bot across private chats"
    );
    assert_eq!(message["from"]["id"], BOT);
    assert_eq!(message["from"]["is_bot"], true);
    assert!(
        message["from"].get("can_join_groups").is_none(),
        "getMe-only flags"
    );
    assert_eq!(message["reply_to_message"]["text"], "/start");
    assert_eq!(
        message["reply_markup"],
        json!({"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]})
    );
    // A reply keyboard is accepted but never echoed.
    let plain = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "k", "reply_markup": {"keyboard": [["a"]]}}),
    )
    .await;
    assert!(plain.result().get("reply_markup").is_none());
}

#[tokio::test]
async fn a_button_press_is_answered_and_visible_to_the_test() {
    let server = MockServer::start();
    started(&server).await;
    let keyboard = json!({"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]});
    let sent = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "Pick", "reply_markup": keyboard}),
    )
    .await;
    let id = sent.result()["message_id"].as_i64().unwrap();
    let (status, refused) = control_post(
        &server,
        &format!("bots/{BOT}/callback_queries"),
        json!({"from": USER, "message_id": id, "data": "no"}),
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let pressed = server.press(BOT, USER, id, "yes").unwrap();
    let updates = api(&server, TOKEN, "getUpdates", json!({"offset": -1})).await;
    let query = &updates.result()[0]["callback_query"];
    assert_eq!(query["id"], pressed.callback_query_id.as_str());
    assert_eq!(query["data"], "yes");
    assert_eq!(query["message"]["message_id"], id);
    assert!(query["chat_instance"].is_string());
    let answered = api(
        &server,
        TOKEN,
        "answerCallbackQuery",
        json!({"callback_query_id": pressed.callback_query_id, "text": "Noted"}),
    )
    .await;
    assert_eq!(answered.result(), &json!(true));
    let seen = get(
        &server,
        &format!(
            "/__mock/bots/{BOT}/callback_queries/{}",
            pressed.callback_query_id
        ),
    )
    .await;
    assert_eq!(seen.body["answered"], true);
    assert_eq!(seen.body["answer"]["text"], "Noted");
    let again = api(
        &server,
        TOKEN,
        "answerCallbackQuery",
        json!({"callback_query_id": pressed.callback_query_id}),
    )
    .await;
    assert_eq!(
        again.error(),
        (
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
    );
}

#[tokio::test]
async fn edits_and_deletions_follow_the_real_server() {
    let server = MockServer::start();
    started(&server).await;
    let sent = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": USER, "text": "one"}),
    )
    .await;
    let id = sent.result()["message_id"].as_i64().unwrap();
    let edit = |text: &str| json!({"chat_id": USER, "message_id": id, "text": text});
    let edited = api(&server, TOKEN, "editMessageText", edit("two")).await;
    assert_eq!(edited.result()["text"], "two");
    assert!(edited.result()["edit_date"].is_i64());
    let same = api(&server, TOKEN, "editMessageText", edit("two")).await;
    assert!(same
        .error()
        .1
        .starts_with("Bad Request: message is not modified: specified new message content"));
    let users = api(
        &server,
        TOKEN,
        "editMessageText",
        json!({"chat_id": USER, "message_id": 1, "text": "x"}),
    )
    .await;
    assert_eq!(users.error(), (400, "Bad Request: message can't be edited"));
    let caption = api(
        &server,
        TOKEN,
        "editMessageCaption",
        json!({"chat_id": USER, "message_id": id, "caption": "c"}),
    )
    .await;
    assert_eq!(
        caption.error(),
        (
            400,
            "Bad Request: there is no caption in the message to edit"
        )
    );
    let none = api(&server, TOKEN, "editMessageText", json!({"text": "x"})).await;
    assert_eq!(
        none.error(),
        (400, "Bad Request: message identifier is not specified")
    );
    let markup = api(
        &server,
        TOKEN,
        "editMessageReplyMarkup",
        json!({"chat_id": USER, "message_id": id, "reply_markup": {"inline_keyboard": [[{"text": "A", "url": "https://bale.ai"}]]}}),
    )
    .await;
    assert_eq!(
        markup.result()["reply_markup"]["inline_keyboard"][0][0]["url"],
        "https://bale.ai"
    );
    let deleted = api(
        &server,
        TOKEN,
        "deleteMessage",
        json!({"chat_id": USER, "message_id": id}),
    )
    .await;
    assert_eq!(deleted.result(), &json!(true));
    let twice = api(
        &server,
        TOKEN,
        "deleteMessage",
        json!({"chat_id": USER, "message_id": id}),
    )
    .await;
    assert_eq!(
        twice.error(),
        (400, "Bad Request: message to delete not found")
    );
    let gone = api(&server, TOKEN, "editMessageText", edit("three")).await;
    assert_eq!(
        gone.error(),
        (400, "Bad Request: message to edit not found")
    );
    let no_chat = api(&server, TOKEN, "deleteMessage", json!({"message_id": id})).await;
    assert_eq!(
        no_chat.error(),
        (400, "Bad Request: chat identifier is not specified")
    );
    let transcript = get(
        &server,
        &format!("/__mock/bots/{BOT}/chats/{USER}/messages"),
    )
    .await;
    let messages = transcript.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["deleted"], true);
    assert_eq!(messages[1]["message"]["text"], "two");
}

#[tokio::test]
async fn forward_copy_location_contact_action_and_get_chat() {
    let server = MockServer::start();
    started(&server).await;
    let forwarded = api(
        &server,
        TOKEN,
        "forwardMessage",
        json!({"chat_id": USER, "from_chat_id": USER, "message_id": 1}),
    )
    .await;
    let message = forwarded.result();
    assert_eq!(message["forward_origin"]["type"], "user");
    assert_eq!(message["forward_origin"]["sender_user"]["id"], USER);
    assert_eq!(message["forward_from"]["id"], USER);
    let copied = api(
        &server,
        TOKEN,
        "copyMessage",
        json!({"chat_id": USER, "from_chat_id": USER, "message_id": 1}),
    )
    .await;
    assert_eq!(copied.result(), &json!({"message_id": 3}));
    let missing = api(
        &server,
        TOKEN,
        "copyMessage",
        json!({"chat_id": USER, "message_id": 1}),
    )
    .await;
    assert_eq!(
        missing.error(),
        (400, "Bad Request: parameter \"from_chat_id\" is required")
    );
    let lost = api(
        &server,
        TOKEN,
        "forwardMessage",
        json!({"chat_id": USER, "from_chat_id": USER, "message_id": 77}),
    )
    .await;
    assert_eq!(
        lost.error(),
        (400, "Bad Request: message to forward not found")
    );
    let location = api(
        &server,
        TOKEN,
        "sendLocation",
        json!({"chat_id": USER, "latitude": 35.7, "longitude": 51.4}),
    )
    .await;
    assert_eq!(
        location.result()["location"],
        json!({"latitude": 35.7, "longitude": 51.4})
    );
    let no_longitude = api(
        &server,
        TOKEN,
        "sendLocation",
        json!({"chat_id": USER, "latitude": 1}),
    )
    .await;
    assert_eq!(
        no_longitude.error(),
        (400, "Bad Request: longitude is empty")
    );
    let contact = api(
        &server,
        TOKEN,
        "sendContact",
        json!({"chat_id": USER, "phone_number": "+98", "first_name": "Ali"}),
    )
    .await;
    assert_eq!(
        contact.result()["contact"],
        json!({"phone_number": "+98", "first_name": "Ali"})
    );
    let no_name = api(
        &server,
        TOKEN,
        "sendContact",
        json!({"chat_id": USER, "phone_number": "+98"}),
    )
    .await;
    assert_eq!(
        no_name.error(),
        (400, "Bad Request: parameter \"first_name\" is required")
    );
    let action = api(
        &server,
        TOKEN,
        "sendChatAction",
        json!({"chat_id": USER, "action": "typing"}),
    )
    .await;
    assert_eq!(action.result(), &json!(true));
    let wrong = api(
        &server,
        TOKEN,
        "sendChatAction",
        json!({"chat_id": USER, "action": "dancing"}),
    )
    .await;
    assert_eq!(
        wrong.error(),
        (400, "Bad Request: wrong parameter action in request")
    );
    let chat = api(&server, TOKEN, "getChat", json!({"chat_id": USER})).await;
    assert_eq!(chat.result()["type"], "private");
    assert_eq!(chat.result()["max_reaction_count"], 11);
}

#[tokio::test]
async fn groups_need_membership_and_share_supergroup_ids() {
    let server = MockServer::start();
    let (status, chat) = control_post(
        &server,
        "chats",
        json!({"type": "supergroup", "title": "Team", "members": [{"user": USER}], "bots": [{"bot": BOT, "status": "administrator"}]}),
    )
    .await;
    assert_eq!(status, 200, "{chat}");
    let id = chat["chat"]["id"].as_i64().unwrap();
    assert!(id < -1_000_000_000_000);
    let (status, written) = control_post(
        &server,
        &format!("bots/{BOT}/messages"),
        json!({"from": USER, "chat": id, "text": "hello all"}),
    )
    .await;
    assert_eq!(status, 200, "{written}");
    assert_eq!(
        written["message"]["message_id"], 1,
        "a supergroup numbers its own messages"
    );
    let sent = api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": id, "text": "hi"}),
    )
    .await;
    assert_eq!(sent.result()["message_id"], 2);
    assert_eq!(sent.result()["chat"]["type"], "supergroup");
    let (status, _) = control_post(
        &server,
        "chats",
        json!({"type": "group", "title": "Other", "members": [{"user": USER}]}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, outsider) = control_post(
        &server,
        &format!("bots/{BOT}/messages"),
        json!({"from": 5, "chat": id, "text": "x"}),
    )
    .await;
    assert_eq!(outsider["ok"], false);
}

#[tokio::test]
async fn a_long_poll_wakes_on_an_update_and_ends_on_the_clock() {
    let server = MockServer::start();
    let url = format!("{}/bot{TOKEN}/getUpdates", server.uri());
    let poll = tokio::spawn({
        let url = url.clone();
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .json(&json!({"timeout": 30}))
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!poll.is_finished(), "parked");
    server.user_says(BOT, USER, "wake up").unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), poll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer["result"][0]["message"]["text"], "wake up");

    let confirmed = answer["result"][0]["update_id"].as_i64().unwrap() + 1;
    let empty = tokio::spawn(async move {
        let response = reqwest::Client::new()
            .post(url)
            .json(&json!({"timeout": 30, "offset": confirmed}))
            .send()
            .await
            .unwrap();
        response.json::<Value>().await.unwrap()
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!empty.is_finished());
    server.advance(Duration::from_secs(30));
    let answer = tokio::time::timeout(Duration::from_secs(5), empty)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(answer, json!({"ok": true, "result": []}));
}

#[tokio::test]
async fn a_second_long_poll_ends_the_first_with_409() {
    let server = MockServer::start();
    let url = format!("{}/bot{TOKEN}/getUpdates", server.uri());
    let first = tokio::spawn({
        let url = url.clone();
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .json(&json!({"timeout": 30}))
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .json(&json!({"timeout": 30}))
            .send()
            .await
            .unwrap()
            .status()
    });
    let (status, body) = tokio::time::timeout(Duration::from_secs(5), first)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 409);
    assert_eq!(
        body["description"],
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    );
    server.advance(Duration::from_secs(30));
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(5), second)
            .await
            .unwrap()
            .unwrap(),
        200
    );
}

#[tokio::test]
async fn get_updates_parameters_are_read_like_tdlib() {
    let server = MockServer::start();
    for text in ["a", "b", "c"] {
        server.user_says(BOT, USER, text).unwrap();
    }
    let one = api(&server, TOKEN, "getUpdates", json!({"limit": 0})).await;
    assert_eq!(
        one.result().as_array().unwrap().len(),
        1,
        "limit 0 reads as 1"
    );
    let last = api(&server, TOKEN, "getUpdates", json!({"offset": -1})).await;
    assert_eq!(last.result()[0]["message"]["text"], "c");
    let rest = api(&server, TOKEN, "getUpdates", json!({})).await;
    assert_eq!(
        rest.result().as_array().unwrap().len(),
        1,
        "offset -1 forgot the others"
    );
    let filtered = api(
        &server,
        TOKEN,
        "getUpdates",
        json!({"allowed_updates": ["callback_query"]}),
    )
    .await;
    assert_eq!(
        filtered.result().as_array().unwrap().len(),
        1,
        "already queued updates still come"
    );
    let dropped = server.user_says(BOT, USER, "d").unwrap();
    assert_eq!(
        dropped.update_id, None,
        "a message is not queued once only callback queries are allowed"
    );
}

#[tokio::test]
async fn log_out_drops_pending_updates() {
    let server = MockServer::start();
    started(&server).await;
    api(&server, TOKEN, "logOut", json!({})).await.result();
    server.advance(Duration::from_secs(601));
    let updates = api(&server, TOKEN, "getUpdates", json!({})).await;
    assert_eq!(updates.result(), &json!([]));
}

#[tokio::test]
async fn the_test_handle_plays_the_user_and_awaits_the_bot() {
    let server = MockServer::start();
    server.expect(
        bale_mock::Expectation::called("sendMessage")
            .times(1)
            .by(BOT),
    );
    let written = server.user_says(BOT, USER, "/start").unwrap();
    let waiting = server.next_bot_message(
        BOT,
        USER,
        written.message.message_id,
        Duration::from_secs(5),
    );
    let reply = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        api(
            &server,
            TOKEN,
            "sendMessage",
            json!({"chat_id": USER, "text": "Welcome"}),
        )
        .await
    };
    let (message, _) = tokio::join!(waiting, reply);
    assert_eq!(message.unwrap().text.as_deref(), Some("Welcome"));
    assert!(server.unmet_expectations().is_empty());
}

#[test]
fn unmet_expectations_fail_the_test_when_the_server_is_dropped() {
    let server = MockServer::start();
    server.expect(bale_mock::Expectation::called("sendMessage"));
    assert_eq!(
        server.unmet_expectations(),
        ["sendMessage called 0 times, expected at least 1"]
    );
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(server)));
    let message = dropped.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("expectations not met"), "{message}");
}
