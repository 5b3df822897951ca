//! Managing a group: bans, unbans, restrictions, promotions, title, description, pins and
//! invite links, each with its rights check, its real errors and what it leaves behind
//! (standings, updates, service messages).

use bale_mock::MockServer;
use serde_json::{json, Value};

use crate::support::{api, control_post, get, TOKEN};

const BOT: i64 = 123_456_789;
const OWNER: i64 = 7001;
const MEMBER: i64 = 7002;
const ADMIN: i64 = 7004;

async fn chat(server: &MockServer, kind: &str, bot_status: &str) -> i64 {
    let (status, body) = control_post(
        server,
        "chats",
        json!({"type": kind, "title": "Team",
               "members": [{"user": OWNER, "status": "creator"}, {"user": MEMBER},
                           {"user": ADMIN, "status": "administrator"}],
               "bots": [{"bot": BOT, "status": bot_status}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["chat"]["id"].as_i64().unwrap()
}

async fn call(server: &MockServer, method: &str, params: Value) -> Value {
    api(server, TOKEN, method, params).await.result().clone()
}

async fn refused(server: &MockServer, method: &str, params: Value) -> String {
    let answer = api(server, TOKEN, method, params).await;
    assert_eq!(answer.status, 400, "{method}: {}", answer.body);
    answer.body["description"].as_str().unwrap().to_owned()
}

async fn standing(server: &MockServer, chat: i64, user: i64) -> Value {
    call(
        server,
        "getChatMember",
        json!({"chat_id": chat, "user_id": user}),
    )
    .await["status"]
        .clone()
}

async fn transcript(server: &MockServer, chat: i64) -> Vec<Value> {
    let answer = get(server, &format!("/__mock/bots/{BOT}/chats/{chat}/messages")).await;
    answer.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].clone())
        .collect()
}

#[tokio::test]
async fn a_ban_kicks_the_member_and_leaves_a_service_message() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    // The bot asks for chat_member updates: it is told of the change.
    call(
        &server,
        "getUpdates",
        json!({"allowed_updates": ["chat_member", "message"]}),
    )
    .await;
    let banned = call(
        &server,
        "banChatMember",
        json!({"chat_id": group, "user_id": MEMBER}),
    )
    .await;
    assert_eq!(banned, json!(true));
    assert_eq!(standing(&server, group, MEMBER).await, "kicked");
    let updates = call(&server, "getUpdates", json!({})).await;
    let updates = updates.as_array().unwrap();
    assert_eq!(
        updates.len(),
        1,
        "its own service message is not sent to the bot: {updates:?}"
    );
    let change = &updates[0]["chat_member"];
    assert_eq!(change["old_chat_member"]["status"], "member");
    assert_eq!(change["new_chat_member"]["status"], "kicked");
    assert_eq!(change["new_chat_member"]["until_date"], 0);
    let service = transcript(&server, group).await;
    let last = service.last().unwrap();
    assert_eq!(last["left_chat_member"]["id"], MEMBER);
    assert_eq!(last["left_chat_participant"]["id"], MEMBER);
    assert_eq!(last["from"]["id"], BOT);
}

#[tokio::test]
async fn ban_errors_follow_the_real_server() {
    let server = MockServer::start();
    let super_admin = chat(&server, "supergroup", "administrator").await;
    let basic_member = chat(&server, "group", "member").await;
    let super_member = chat(&server, "supergroup", "member").await;
    let ban = |chat: i64, user: Value| json!({"chat_id": chat, "user_id": user});
    assert_eq!(
        refused(&server, "banChatMember", ban(super_admin, json!("x"))).await,
        "Bad Request: invalid user_id specified"
    );
    assert_eq!(
        refused(&server, "banChatMember", ban(basic_member, json!(MEMBER))).await,
        "Bad Request: CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        refused(&server, "banChatMember", ban(super_member, json!(MEMBER))).await,
        "Bad Request: not enough rights to restrict/unrestrict chat member"
    );
    for (user, why) in [
        (OWNER, "Bad Request: can't remove chat owner"),
        (ADMIN, "Bad Request: user is an administrator of the chat"),
        (BOT, "Bad Request: can't restrict self"),
        (999_999, "Bad Request: PARTICIPANT_ID_INVALID"),
    ] {
        assert_eq!(
            refused(&server, "banChatMember", ban(super_admin, json!(user))).await,
            why
        );
    }
    control_post(
        &server,
        &format!("bots/{BOT}/messages"),
        json!({"from": OWNER, "text": "hi"}),
    )
    .await;
    assert_eq!(
        refused(&server, "banChatMember", ban(OWNER, json!(MEMBER))).await,
        "Bad Request: can't ban members in private chats"
    );
}

#[tokio::test]
async fn unban_lifts_a_ban_or_leaves_a_member_alone() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    let basic = chat(&server, "group", "administrator").await;
    assert_eq!(
        refused(
            &server,
            "unbanChatMember",
            json!({"chat_id": basic, "user_id": MEMBER})
        )
        .await,
        "Bad Request: method is available for supergroup and channel chats only"
    );
    let unban = |only: bool| json!({"chat_id": group, "user_id": MEMBER, "only_if_banned": only});
    assert_eq!(
        call(&server, "unbanChatMember", unban(true)).await,
        json!(true)
    );
    assert_eq!(
        standing(&server, group, MEMBER).await,
        "member",
        "only_if_banned spares a member"
    );
    call(
        &server,
        "banChatMember",
        json!({"chat_id": group, "user_id": MEMBER}),
    )
    .await;
    call(&server, "unbanChatMember", unban(true)).await;
    assert_eq!(standing(&server, group, MEMBER).await, "left");
}

#[tokio::test]
async fn restrictions_take_permissions_as_text_or_object() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    let basic = chat(&server, "group", "administrator").await;
    let restrict = |chat: i64, permissions: Value| json!({"chat_id": chat, "user_id": MEMBER, "permissions": permissions});
    assert_eq!(
        refused(
            &server,
            "restrictChatMember",
            restrict(group, json!("{nope"))
        )
        .await,
        "Bad Request: can't parse permissions JSON object"
    );
    assert_eq!(
        refused(&server, "restrictChatMember", restrict(group, json!("[1]"))).await,
        "Bad Request: object expected as permissions"
    );
    assert_eq!(
        refused(&server, "restrictChatMember", restrict(basic, json!({}))).await,
        "Bad Request: method is available only for supergroups"
    );
    let silent = json!({"can_send_messages": false});
    call(&server, "restrictChatMember", restrict(group, silent)).await;
    let member = call(
        &server,
        "getChatMember",
        json!({"chat_id": group, "user_id": MEMBER}),
    )
    .await;
    assert_eq!(member["status"], "restricted");
    assert_eq!(member["can_send_messages"], false);
    assert_eq!(member["is_member"], true);
    let speak = json!(r#"{"can_send_messages": true}"#);
    call(&server, "restrictChatMember", restrict(group, speak)).await;
    assert_eq!(standing(&server, group, MEMBER).await, "member");
}

#[tokio::test]
async fn promotion_needs_rights_and_none_demotes() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    let basic = chat(&server, "group", "administrator").await;
    let promote = |chat: i64, user: i64, right: bool| json!({"chat_id": chat, "user_id": user, "can_pin_messages": right});
    assert_eq!(
        refused(&server, "promoteChatMember", promote(basic, MEMBER, true)).await,
        "Bad Request: need owner rights in the group chat"
    );
    assert_eq!(
        refused(&server, "promoteChatMember", promote(group, BOT, true)).await,
        "Bad Request: can't promote self"
    );
    assert_eq!(
        refused(&server, "promoteChatMember", promote(group, OWNER, true)).await,
        "Bad Request: can't remove chat owner"
    );
    call(&server, "promoteChatMember", promote(group, MEMBER, true)).await;
    assert_eq!(standing(&server, group, MEMBER).await, "administrator");
    call(&server, "promoteChatMember", promote(group, MEMBER, false)).await;
    assert_eq!(standing(&server, group, MEMBER).await, "member");
}

#[tokio::test]
async fn title_and_description_change_with_rights() {
    let server = MockServer::start();
    let group = chat(&server, "group", "administrator").await;
    let member_of = chat(&server, "group", "member").await;
    assert_eq!(
        refused(
            &server,
            "setChatTitle",
            json!({"chat_id": group, "title": "  "})
        )
        .await,
        "Bad Request: title must be non-empty"
    );
    assert_eq!(
        refused(
            &server,
            "setChatTitle",
            json!({"chat_id": member_of, "title": "New"})
        )
        .await,
        "Bad Request: not enough rights to change chat title"
    );
    call(
        &server,
        "setChatTitle",
        json!({"chat_id": group, "title": " New name "}),
    )
    .await;
    let info = call(&server, "getChat", json!({"chat_id": group})).await;
    assert_eq!(info["title"], "New name");
    let last = transcript(&server, group).await.pop().unwrap();
    assert_eq!(last["new_chat_title"], "New name");
    assert_eq!(last["chat"]["title"], "New name");

    assert_eq!(
        refused(
            &server,
            "setChatDescription",
            json!({"chat_id": member_of, "description": "x"})
        )
        .await,
        "Bad Request: not enough rights to set chat description"
    );
    call(
        &server,
        "setChatDescription",
        json!({"chat_id": group, "description": "About"}),
    )
    .await;
    assert_eq!(
        call(&server, "getChat", json!({"chat_id": group})).await["description"],
        "About"
    );
    assert_eq!(
        refused(
            &server,
            "setChatDescription",
            json!({"chat_id": group, "description": "About"})
        )
        .await,
        "Bad Request: chat description is not modified"
    );
}

#[tokio::test]
async fn pins_need_the_message_and_the_rights() {
    let server = MockServer::start();
    let group = chat(&server, "group", "administrator").await;
    let sent = call(
        &server,
        "sendMessage",
        json!({"chat_id": group, "text": "rules"}),
    )
    .await;
    let id = sent["message_id"].as_i64().unwrap();
    assert_eq!(
        refused(
            &server,
            "pinChatMessage",
            json!({"chat_id": group, "message_id": 999})
        )
        .await,
        "Bad Request: message to pin not found"
    );
    call(
        &server,
        "pinChatMessage",
        json!({"chat_id": group, "message_id": id}),
    )
    .await;
    let last = transcript(&server, group).await.pop().unwrap();
    assert_eq!(last["pinned_message"]["text"], "rules");
    assert_eq!(
        last["message_id"],
        id + 1,
        "the service message takes an id"
    );
    call(&server, "unpinChatMessage", json!({"chat_id": group})).await;
    assert_eq!(
        refused(&server, "unpinChatMessage", json!({"chat_id": group})).await,
        "Bad Request: message to unpin not found"
    );
    assert_eq!(
        call(&server, "unpinAllChatMessages", json!({"chat_id": group})).await,
        json!(true)
    );
    let member_of = chat(&server, "group", "member").await;
    let mine = call(
        &server,
        "sendMessage",
        json!({"chat_id": member_of, "text": "x"}),
    )
    .await;
    assert_eq!(
        refused(
            &server,
            "pinChatMessage",
            json!({"chat_id": member_of, "message_id": mine["message_id"]})
        )
        .await,
        "Bad Request: not enough rights to manage pinned messages in the chat"
    );
}

#[tokio::test]
async fn invite_links_are_made_listed_and_revoked() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    let primary = call(&server, "exportChatInviteLink", json!({"chat_id": group})).await;
    let primary = primary.as_str().unwrap().to_owned();
    assert!(primary.starts_with("https://ble.ir/join/"), "{primary}");
    let made = call(
        &server,
        "createChatInviteLink",
        json!({"chat_id": group, "name": "friends", "member_limit": 5}),
    )
    .await;
    let keys: Vec<&str> = made
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "invite_link",
            "name",
            "creator",
            "member_limit",
            "creates_join_request",
            "is_primary",
            "is_revoked"
        ]
    );
    assert_eq!(made["creator"]["id"], BOT);
    let revoked = call(
        &server,
        "revokeChatInviteLink",
        json!({"chat_id": group, "invite_link": made["invite_link"]}),
    )
    .await;
    assert_eq!(revoked["is_revoked"], true);
    assert_eq!(
        refused(
            &server,
            "revokeChatInviteLink",
            json!({"chat_id": group, "invite_link": "https://ble.ir/join/none"})
        )
        .await,
        "Bad Request: INVITE_HASH_EXPIRED"
    );
    assert_eq!(
        refused(
            &server,
            "createChatInviteLink",
            json!({"chat_id": group, "member_limit": 3, "creates_join_request": true})
        )
        .await,
        "Bad Request: member limit can't be specified for links requiring administrator approval"
    );
    let member_of = chat(&server, "supergroup", "member").await;
    assert_eq!(
        refused(
            &server,
            "exportChatInviteLink",
            json!({"chat_id": member_of})
        )
        .await,
        "Bad Request: not enough rights to manage chat invite link"
    );
}

#[tokio::test]
async fn a_chat_photo_is_uploaded_shown_and_deleted() {
    let server = MockServer::start();
    let group = chat(&server, "group", "administrator").await;
    let url = format!("{}/bot{TOKEN}/setChatPhoto", server.uri());
    let upload = |photo: reqwest::multipart::Part| {
        let form = reqwest::multipart::Form::new()
            .text("chat_id", group.to_string())
            .part("photo", photo);
        reqwest::Client::new().post(&url).multipart(form).send()
    };
    let answer =
        upload(reqwest::multipart::Part::bytes(vec![0xFF, 0xD8, 0xFF]).file_name("logo.jpg"))
            .await
            .unwrap();
    assert_eq!(answer.status(), 200);
    let info = call(&server, "getChat", json!({"chat_id": group})).await;
    let photo = &info["photo"];
    assert_eq!(photo["small_file_id"], photo["big_file_id"]);
    let keys: Vec<&str> = info
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let at = |key: &str| keys.iter().position(|k| *k == key).unwrap();
    assert!(at("accepted_gift_types") < at("photo") && at("photo") < at("max_reaction_count"));
    let file = call(&server, "getFile", json!({"file_id": photo["big_file_id"]})).await;
    assert_eq!(file["file_size"], 3);
    let last = transcript(&server, group).await.pop().unwrap();
    assert_eq!(last["new_chat_photo"][0]["file_id"], photo["big_file_id"]);

    assert_eq!(
        refused(
            &server,
            "setChatPhoto",
            json!({"chat_id": group, "photo": "AgACAgIAAx"})
        )
        .await,
        "Bad Request: photo must be uploaded as an InputFile"
    );
    assert_eq!(
        refused(&server, "setChatPhoto", json!({"chat_id": group})).await,
        "Bad Request: there is no photo in the request"
    );
    assert_eq!(
        call(&server, "deleteChatPhoto", json!({"chat_id": group})).await,
        json!(true)
    );
    assert_eq!(
        call(&server, "getChat", json!({"chat_id": group}))
            .await
            .get("photo"),
        None
    );
    assert_eq!(
        transcript(&server, group).await.pop().unwrap()["delete_chat_photo"],
        true
    );
    assert_eq!(
        refused(&server, "deleteChatPhoto", json!({"chat_id": group})).await,
        "Bad Request: CHAT_NOT_MODIFIED"
    );
}

#[tokio::test]
async fn get_chat_shows_the_newest_pin() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    for text in ["first", "second"] {
        let sent = call(
            &server,
            "sendMessage",
            json!({"chat_id": group, "text": text}),
        )
        .await;
        call(
            &server,
            "pinChatMessage",
            json!({"chat_id": group, "message_id": sent["message_id"]}),
        )
        .await;
    }
    let info = call(&server, "getChat", json!({"chat_id": group})).await;
    assert_eq!(info["pinned_message"]["text"], "second");
    call(&server, "unpinChatMessage", json!({"chat_id": group})).await;
    let info = call(&server, "getChat", json!({"chat_id": group})).await;
    assert_eq!(info["pinned_message"]["text"], "first");
}
