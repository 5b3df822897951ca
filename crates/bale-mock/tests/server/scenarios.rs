//! Shipped scenarios over a real socket: tokens, inactive instances, rate limits, rules.
//! Time is moved with the test handle's clock, never slept.

use std::time::Duration;

use bale_mock::MockServer;
use serde_json::json;

use crate::support::{call, send};

fn token(id: u64) -> String {
    format!("{id}:AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test]
async fn invalid_token_refuses_each_kind_with_the_dialects_wording() {
    let server = MockServer::builder()
        .scenario_named("invalid-token")
        .start();
    let good = "111111111:AAGoodTokenGoodTokenGoodToken1";
    assert_eq!(call(&server, good, "getMe").await.result()["id"], 111111111);
    let not_found = (403, "Bad Request: Token not found");
    for refused in [
        "123456:short",
        "no-colon",
        "777777777:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", // well-formed, undeclared
        "111111111:AAOtherSecretOtherSecretOther", // declared bot, wrong secret
        "222222222:AARevokedRevokedRevokedRevoke",
        "333333333:AADeactivatedDeactivatedDeact",
    ] {
        assert_eq!(
            call(&server, refused, "getMe").await.error(),
            not_found,
            "{refused}"
        );
    }
    // A bot that answers in the Telegram dialect.
    let telegram = "444444444:AATelegramTelegramTelegramTel";
    assert_eq!(
        call(&server, telegram, "getMe").await.error(),
        (401, "Unauthorized")
    );
}

#[tokio::test]
async fn revoked_token_works_then_stops() {
    let server = MockServer::builder()
        .scenario_named("revoked-token")
        .start();
    let by_calls = "555555555:AARevokedAfterThreeCallsXXXX";
    for _ in 0..3 {
        call(&server, by_calls, "getMe").await.result();
    }
    let revoked = (403, "Bad Request: Token not found");
    assert_eq!(call(&server, by_calls, "getMe").await.error(), revoked);
    assert_eq!(call(&server, by_calls, "logOut").await.error(), revoked);

    let by_time = "666666666:AARevokedAtSixtySecondsXXXXX";
    server.advance(secs(59));
    call(&server, by_time, "getMe").await.result();
    server.advance(secs(1));
    assert_eq!(call(&server, by_time, "getMe").await.error(), revoked);

    // The journal names the rule that revoked it.
    let entries = server.received_requests();
    let revoking = entries
        .iter()
        .find(|e| e.bot_id == Some(666666666) && e.status == Some(403));
    assert_eq!(
        revoking.unwrap().rule.as_deref(),
        Some("revoke 666666666 at 60 s")
    );

    // A reset brings both back.
    server.reset();
    call(&server, by_calls, "getMe").await.result();
}

#[tokio::test]
async fn inactive_instances() {
    let server = MockServer::builder()
        .scenario_named("inactive-instance")
        .start();
    let logged_out = "100000001:AALoggedOutLoggedOutLoggedOut";
    let closed = "100000002:AAClosedClosedClosedClosedClo";
    let closing = "100000003:AAClosingClosingClosingClosin";

    assert_eq!(
        call(&server, logged_out, "getMe").await.error(),
        (400, "Logged out")
    );
    assert_eq!(
        call(&server, closed, "close").await.error(),
        (400, "Bad Request: the bot has already been closed")
    );
    assert_eq!(
        call(&server, closing, "getMe").await.error(),
        (500, "Internal Server Error: restart")
    );

    // closing_seconds = 30: a close leaves the bot restarting for 30 s, then closed.
    let other = token(100000009);
    assert_eq!(call(&server, &other, "close").await.result(), &json!(true));
    assert_eq!(
        call(&server, &other, "getMe").await.error(),
        (500, "Internal Server Error: restart")
    );
    server.advance(secs(30));
    call(&server, closing, "getMe").await.result(); // its closing ended at 30 s: relaunched
    assert_eq!(
        call(&server, &other, "close").await.error(),
        (400, "Bad Request: the bot has already been closed")
    );
    server.advance(secs(570));
    call(&server, logged_out, "getMe").await.result(); // the lock-out ended at 600 s
}

#[tokio::test]
async fn rate_limit_buckets_answer_429_with_retry_after() {
    let server = MockServer::builder().scenario_named("rate-limit").start();
    let bot = token(42);
    for _ in 0..5 {
        call(&server, &bot, "getMe").await.result();
    }
    let answer = call(&server, &bot, "getMe").await;
    assert_eq!(answer.error(), (429, "Too Many Requests: retry after 2"));
    assert_eq!(answer.body["parameters"], json!({"retry_after": 2}));
    assert_eq!(answer.headers["retry-after"], "2");
    let entry = server.received_requests().pop().unwrap();
    assert_eq!(entry.rule.as_deref(), Some("per bot: 5 requests per 10 s"));

    // Another bot has its own bucket; two seconds refill one request.
    call(&server, &token(43), "getMe").await.result();
    server.advance(secs(2));
    call(&server, &bot, "getMe").await.result();
    assert_eq!(call(&server, &bot, "getMe").await.error().0, 429);

    // close: once per 60 s per bot.
    let closer = token(44);
    assert_eq!(call(&server, &closer, "close").await.result(), &json!(true));
    assert_eq!(
        call(&server, &closer, "close").await.error(),
        (429, "Too Many Requests: retry after 60")
    );
}

#[tokio::test]
async fn per_chat_limits_count_each_chat_apart() {
    let server = MockServer::builder().scenario_named("rate-limit").start();
    let url = format!("{}/bot{}/sendMessage", server.uri(), token(50));
    let send_to = |chat: &str| {
        reqwest::Client::new()
            .post(&url)
            .json(&json!({"chat_id": chat, "text": "hi"}))
    };
    // No such chat (400), but the chat's bucket is counted first.
    assert_eq!(
        send(send_to("1")).await.error(),
        (400, "Bad Request: chat not found")
    );
    assert_eq!(
        send(send_to("1")).await.error(),
        (429, "Too Many Requests: retry after 1")
    );
    assert_eq!(send(send_to("2")).await.error().0, 400);
}

#[tokio::test]
async fn bale_proxy_rate_limit_is_plain_text() {
    let server = MockServer::builder()
        .scenario_named("bale-proxy-rate-limit")
        .start();
    let url = format!("{}/bot{}/getMe", server.uri(), token(7));
    let client = reqwest::Client::new();
    for _ in 0..3 {
        assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    }
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert!(
        response.headers().get("retry-after").is_none(),
        "Envoy gives no retry_after"
    );
    assert_eq!(response.text().await.unwrap(), "local_rate_limited");
    server.advance(secs(1));
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn flaky_is_the_same_for_the_same_seed() {
    let outcomes = || async {
        let server = MockServer::builder().scenario_named("flaky").start();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let mut outcomes = Vec::new();
        for i in 0..60 {
            let url = format!("{}/bot{}/getMe", server.uri(), token(1000 + i));
            outcomes.push(match client.get(&url).send().await {
                Ok(response) => response.status().as_u16(),
                Err(_) => 0,
            });
        }
        let rules: Vec<_> = server
            .received_requests()
            .into_iter()
            .map(|e| e.rule)
            .collect();
        (outcomes, rules)
    };
    let (first, rules) = outcomes().await;
    assert_eq!((first.clone(), rules.clone()), outcomes().await);
    let failed = first.iter().filter(|s| **s != 200).count();
    assert!(
        (1..=20).contains(&failed),
        "a modest rate: {failed} of 60 ({first:?})"
    );
    assert!(rules.iter().any(Option::is_some));
}

#[tokio::test]
async fn the_journal_records_what_went_out_when_a_fault_answered() {
    let server = MockServer::builder()
        .scenario_named("network-faults")
        .start();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for bot in [900000001, 900000002, 900000004, 900000006, 900000009] {
        let _ = client
            .get(format!("{}/bot{}/getMe", server.uri(), token(bot)))
            .send()
            .await;
    }
    let sent: Vec<_> = server
        .received_requests()
        .into_iter()
        .map(|e| (e.bot_id.unwrap(), e.status, e.description, e.fault.unwrap()))
        .collect();
    assert_eq!(
        sent,
        [
            (900000001, None, None, "hang".to_owned()),
            (900000002, None, None, "reset".to_owned()),
            (900000004, Some(200), None, "truncated-body".to_owned()),
            (900000006, Some(502), None, "proxy-error-page".to_owned()),
            (
                900000009,
                Some(429),
                Some("local_rate_limited".to_owned()),
                "proxy-rate-limited".to_owned()
            ),
        ]
    );
}
