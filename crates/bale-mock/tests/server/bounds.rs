//! Memory is bounded by configuration whatever the input: bots, group memberships and the
//! journal each have a cap and a defined behaviour at it.

use bale_mock::{Clock, Config, MockServer, Scenario};
use serde_json::{json, Value};

use crate::support::{call, control_post, get};

fn token(id: u64) -> String {
    format!("{id}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
}

#[tokio::test]
async fn the_bot_map_forgets_the_least_recently_used_beyond_its_cap() {
    let declared = Scenario::parse(
        "bots.toml",
        "[[bot]]\ntoken = \"777:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\"\nstate = \"logged-out\"\n",
    )
    .unwrap();
    let config = Config {
        max_bots: 32,
        ..Config::default().clock(Clock::manual()).scenario(declared)
    };
    let server = MockServer::start_with(config);
    for id in 1000..1300 {
        assert_eq!(call(&server, &token(id), "getMe").await.status, 200);
    }
    let bots = get(&server, "/__mock/bots").await.body;
    let bots = bots["bots"].as_array().unwrap();
    assert!(bots.len() <= 32, "{} bots kept", bots.len());
    // The most recent bot is kept, and the declared one is never forgotten.
    let ids: Vec<i64> = bots.iter().map(|b| b["bot_id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&1299), "{ids:?}");
    assert!(ids.contains(&777), "{ids:?}");
    let logged_out = call(&server, &token(777), "getMe").await;
    assert_eq!(logged_out.status, 400, "{}", logged_out.body);
}

#[tokio::test]
async fn group_memberships_are_capped() {
    let mut config = Config::default().clock(Clock::manual());
    config.world_limits.memberships = 3;
    let server = MockServer::start_with(config);
    let members = |n: i64| -> Vec<Value> { (1..=n).map(|u| json!({"user": u})).collect() };
    let (status, body) = control_post(
        &server,
        "chats",
        json!({"type": "group", "title": "small", "members": members(3)}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = control_post(
        &server,
        "chats",
        json!({"type": "group", "title": "one too many", "members": members(1)}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["description"]
        .as_str()
        .unwrap()
        .contains("more than 3 members in all"));
}

#[tokio::test]
async fn a_huge_parameter_is_journaled_cut_and_marked() {
    let server = MockServer::start();
    let filler = "x".repeat(900_000);
    let url = format!("{}/bot{}/getMe", server.uri(), token(5));
    for _ in 0..20 {
        let answer = reqwest::Client::new()
            .post(&url)
            .form(&[("filler", filler.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }
    let journal = get(&server, "/__mock/journal?limit=1").await.body;
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "limit=1 returns one entry");
    let kept = entries[0]["params"]["filler"].as_str().unwrap();
    assert!(kept.len() < 5000, "{} bytes kept", kept.len());
    assert!(kept.ends_with("… <900000 bytes in all>"));
}

#[tokio::test]
async fn a_ban_of_a_non_member_counts_against_the_memberships_cap() {
    let mut config = Config::default().clock(Clock::manual());
    config.world_limits.memberships = 3;
    let server = MockServer::start_with(config);
    let (status, body) = control_post(&server, "users", json!({"id": 7009})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = control_post(
        &server,
        "chats",
        json!({"type": "supergroup", "title": "Full",
               "members": [{"user": 7001, "status": "creator"}, {"user": 7002}],
               "bots": [{"bot": 123456789, "status": "administrator"}]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let chat = body["chat"]["id"].as_i64().unwrap();
    // 7009 was never in the chat: banning them would be a fourth membership.
    let ban = crate::support::api(
        &server,
        crate::support::TOKEN,
        "banChatMember",
        json!({"chat_id": chat, "user_id": 7009}),
    )
    .await;
    assert_eq!(ban.status, 400, "{}", ban.body);
    assert!(ban.body["description"]
        .as_str()
        .unwrap()
        .contains("more than 3 members in all"));
}
