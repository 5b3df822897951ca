//! Reading a chat's members and leaving it: getChatMember, getChatAdministrators,
//! getChatMemberCount (and getChatMembersCount), leaveChat, with the real server's JSON and
//! errors.

use bale_mock::MockServer;
use serde_json::{json, Value};

use crate::support::{api, control_post, TOKEN};

const BOT: i64 = 123_456_789;
const OTHER_BOT: i64 = 555_000_111;
const OWNER: i64 = 7001;
const MEMBER: i64 = 7002;
const STRANGER: i64 = 7003;

/// A chat of `kind`: the owner, a member, the bot as `bot_status`, another bot as an
/// administrator; a stranger the server knows but who is not in it.
async fn chat(server: &MockServer, kind: &str, bot_status: &str) -> i64 {
    let (status, body) = control_post(
        server,
        "users",
        json!({"id": STRANGER, "first_name": "Stranger"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = control_post(
        server,
        "chats",
        json!({"type": kind, "title": "Team",
               "members": [{"user": OWNER, "status": "creator"}, {"user": MEMBER}],
               "bots": [{"bot": BOT, "status": bot_status},
                        {"bot": OTHER_BOT, "status": "administrator"}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["chat"]["id"].as_i64().unwrap()
}

/// The owner writes to the bot, so their private chat exists.
async fn start_chat(server: &MockServer) {
    let path = format!("bots/{BOT}/messages");
    let (status, body) =
        control_post(server, &path, json!({"from": OWNER, "text": "/start"})).await;
    assert_eq!(status, 200, "{body}");
}

async fn error(server: &MockServer, method: &str, params: Value) -> (u16, String) {
    let answer = api(server, TOKEN, method, params).await;
    let description = answer.body["description"].as_str().unwrap_or_default();
    (answer.status, description.to_owned())
}

#[tokio::test]
async fn get_chat_member_writes_each_standing_as_tdlib_does() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "administrator").await;
    let member = |user| {
        api(
            &server,
            TOKEN,
            "getChatMember",
            json!({"chat_id": group, "user_id": user}),
        )
    };
    assert_eq!(
        member(OWNER).await.result().clone(),
        json!({"user": {"id": OWNER, "is_bot": false, "first_name": "User 7001"},
               "status": "creator", "is_anonymous": false})
    );
    assert_eq!(
        member(MEMBER).await.result().clone(),
        json!({"user": {"id": MEMBER, "is_bot": false, "first_name": "User 7002"}, "status": "member"})
    );
    assert_eq!(member(STRANGER).await.result()["status"], "left");
    let me = member(BOT).await;
    let me = me.result();
    assert_eq!(me["status"], "administrator");
    assert_eq!(me["user"]["id"], BOT);
    assert_eq!(
        me["user"].get("can_join_groups"),
        None,
        "getMe's flags are getMe's only"
    );
    assert_eq!(me["can_manage_topics"], false, "a supergroup shows topics");
    assert_eq!(me["can_manage_voice_chats"], true);
}

#[tokio::test]
async fn get_chat_member_errors_come_in_the_real_order() {
    let server = MockServer::start();
    let group = chat(&server, "group", "member").await;
    // user_id is read before the chat.
    assert_eq!(
        error(
            &server,
            "getChatMember",
            json!({"chat_id": "nope", "user_id": "x"})
        )
        .await,
        (400, "Bad Request: invalid user_id specified".into())
    );
    assert_eq!(
        error(
            &server,
            "getChatMember",
            json!({"chat_id": "nope", "user_id": 5})
        )
        .await,
        (400, "Bad Request: chat not found".into())
    );
    assert_eq!(
        error(
            &server,
            "getChatMember",
            json!({"chat_id": group, "user_id": 999_999})
        )
        .await,
        (400, "Bad Request: member not found".into())
    );
    let channel = chat(&server, "channel", "member").await;
    assert_eq!(
        error(
            &server,
            "getChatMember",
            json!({"chat_id": channel, "user_id": OWNER})
        )
        .await,
        (400, "Bad Request: member list is inaccessible".into())
    );
    // The bot may always read itself.
    let me = api(
        &server,
        TOKEN,
        "getChatMember",
        json!({"chat_id": channel, "user_id": BOT}),
    )
    .await;
    assert_eq!(me.result()["status"], "member");
}

#[tokio::test]
async fn administrators_leave_other_bots_out_unless_asked() {
    let server = MockServer::start();
    let group = chat(&server, "group", "administrator").await;
    let admins = api(
        &server,
        TOKEN,
        "getChatAdministrators",
        json!({"chat_id": group}),
    )
    .await;
    let ids: Vec<i64> = admins
        .result()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [OWNER, BOT],
        "the creator first; the other bot left out"
    );
    let all = api(
        &server,
        TOKEN,
        "getChatAdministrators",
        json!({"chat_id": group, "return_bots": "true"}),
    )
    .await;
    assert_eq!(all.result().as_array().unwrap().len(), 3);
    // A basic group's administrator shows can_pin_messages and no channel rights.
    let bot = &admins.result()[1];
    assert_eq!(bot["can_pin_messages"], true);
    assert_eq!(bot.get("can_post_messages"), None);

    start_chat(&server).await;
    assert_eq!(
        error(&server, "getChatAdministrators", json!({"chat_id": OWNER})).await,
        (
            400,
            "Bad Request: there are no administrators in the private chat".into()
        )
    );
}

#[tokio::test]
async fn member_counts_under_both_names() {
    let server = MockServer::start();
    let group = chat(&server, "supergroup", "member").await;
    for method in ["getChatMemberCount", "getChatMembersCount"] {
        let count = api(&server, TOKEN, method, json!({"chat_id": group})).await;
        assert_eq!(count.result().clone(), json!(4), "{method}");
    }
    start_chat(&server).await;
    let private = api(
        &server,
        TOKEN,
        "getChatMemberCount",
        json!({"chat_id": OWNER}),
    )
    .await;
    assert_eq!(private.result().clone(), json!(2));
}

#[tokio::test]
async fn a_bot_that_leaves_is_told_and_locked_out() {
    let server = MockServer::start();
    let group = chat(&server, "group", "member").await;
    let left = api(&server, TOKEN, "leaveChat", json!({"chat_id": group})).await;
    assert_eq!(left.result().clone(), json!(true));
    let updates = api(&server, TOKEN, "getUpdates", json!({})).await;
    let update = &updates.result()[0]["my_chat_member"];
    assert_eq!(update["chat"]["id"], group);
    assert_eq!(update["from"]["id"], BOT);
    assert_eq!(update["old_chat_member"]["status"], "member");
    assert_eq!(update["new_chat_member"]["status"], "left");
    assert_eq!(
        error(
            &server,
            "sendMessage",
            json!({"chat_id": group, "text": "hi"})
        )
        .await,
        (
            403,
            "Forbidden: bot is not a member of the group chat".into()
        )
    );
    let (status, _) = error(&server, "getChatMemberCount", json!({"chat_id": group})).await;
    assert_eq!(status, 403, "a bot that left cannot read the chat");

    start_chat(&server).await;
    assert_eq!(
        error(&server, "leaveChat", json!({"chat_id": OWNER})).await,
        (400, "Bad Request: can't leave private chats".into())
    );
}

#[tokio::test]
async fn members_may_be_named_by_bare_ids() {
    let server = MockServer::start();
    let (status, body) = control_post(
        &server,
        "chats",
        json!({"type": "group", "title": "Short", "members": [OWNER, {"id": MEMBER}],
               "bots": [{"id": BOT, "status": "administrator"}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let group = body["chat"]["id"].as_i64().unwrap();
    let count = api(
        &server,
        TOKEN,
        "getChatMemberCount",
        json!({"chat_id": group}),
    )
    .await;
    assert_eq!(count.result().clone(), json!(3));
    let (status, body) = control_post(
        &server,
        "chats",
        json!({"type": "group", "title": "Bad", "members": [{"who": 1}]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("unknown field `who`"),
        "{body}"
    );
}
