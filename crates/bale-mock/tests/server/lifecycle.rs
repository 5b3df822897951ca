//! The logOut/close state machine with both 600-second rules, on the server clock (never
//! slept: the test handle's clock moves only when told).

use std::time::Duration;

use bale_api::Dialect;
use bale_mock::MockServer;
use serde_json::json;

use crate::support::{call, TOKEN};

const OTHER_BOT: &str = "987654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test]
async fn log_out_locks_the_bot_out_for_600_seconds() {
    let server = MockServer::start();
    assert_eq!(call(&server, TOKEN, "logOut").await.result(), &json!(true));
    for method in ["getMe", "logOut", "close", "noSuchMethod"] {
        assert_eq!(
            call(&server, TOKEN, method).await.error(),
            (400, "Logged out"),
            "{method}"
        );
    }
    // Other bots are not affected.
    call(&server, OTHER_BOT, "getMe").await.result();

    server.advance(Duration::from_millis(599_999));
    assert_eq!(
        call(&server, TOKEN, "getMe").await.error(),
        (400, "Logged out")
    );
    server.advance(Duration::from_millis(1));
    assert_eq!(
        call(&server, TOKEN, "getMe").await.result()["id"],
        123456789
    );
}

#[tokio::test]
async fn close_on_a_fresh_server_succeeds_at_once() {
    let server = MockServer::start();
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
}

#[tokio::test]
async fn a_second_close_with_no_request_between_is_already_closed() {
    let server = MockServer::start();
    call(&server, TOKEN, "getMe").await.result();
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
    assert_eq!(
        call(&server, TOKEN, "close").await.error(),
        (400, "Bad Request: the bot has already been closed")
    );
    // The next request launches the bot again, and close works again.
    call(&server, TOKEN, "getMe").await.result();
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
}

#[tokio::test]
async fn close_is_429_within_600_seconds_of_a_late_launch() {
    let server = MockServer::start();
    server.advance(secs(700));
    call(&server, TOKEN, "getMe").await.result(); // launched at 700 s
    server.advance(secs(100));

    let answer = call(&server, TOKEN, "close").await;
    assert_eq!(answer.error(), (429, "Too Many Requests: retry after 500"));
    assert_eq!(answer.body["parameters"], json!({"retry_after": 500}));
    assert_eq!(answer.headers["retry-after"], "500");

    // Seconds are truncated like tdlib's, and none left means success.
    server.advance(Duration::from_millis(499_000)); // age 599.0 s: 1 s left
    assert_eq!(
        call(&server, TOKEN, "close").await.error(),
        (429, "Too Many Requests: retry after 1")
    );
    server.advance(Duration::from_millis(100)); // age 599.1 s: 0.9 s left
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
}

#[tokio::test]
async fn the_429_rule_needs_a_launch_more_than_600_seconds_after_start() {
    let server = MockServer::start();
    server.advance(secs(600));
    call(&server, TOKEN, "getMe").await.result(); // launched at exactly 600 s
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
    // After the close, the relaunch at 600 s is not late either; one at 601 s is.
    server.advance(secs(1));
    call(&server, TOKEN, "getMe").await.result();
    assert_eq!(
        call(&server, TOKEN, "close").await.error(),
        (429, "Too Many Requests: retry after 600")
    );
}

#[tokio::test]
async fn log_out_lock_out_then_relaunch_makes_close_wait() {
    let server = MockServer::start();
    call(&server, TOKEN, "logOut").await.result();
    server.advance(secs(600));
    // The lock-out is over: this request relaunches the bot at 600 s...
    call(&server, TOKEN, "getMe").await.result();
    server.advance(secs(5));
    call(&server, OTHER_BOT, "getMe").await.result(); // launched at 605 s
                                                      // ...so close of the first succeeds, of the second (a late launch) is 429.
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
    assert_eq!(
        call(&server, OTHER_BOT, "close").await.error(),
        (429, "Too Many Requests: retry after 600")
    );
}

#[tokio::test]
async fn the_lifecycle_is_the_same_in_the_telegram_dialect() {
    let server = MockServer::builder().dialect(Dialect::Telegram).start();
    call(&server, TOKEN, "logOut").await.result();
    assert_eq!(
        call(&server, TOKEN, "getMe").await.error(),
        (400, "Logged out")
    );
    server.advance(secs(600));
    // tdlib dropped the logged-out bot's client: close finds nothing to close, until
    // another request launches the bot again.
    for _ in 0..2 {
        assert_eq!(
            call(&server, TOKEN, "close").await.error(),
            (400, "Bad Request: the bot has already been closed")
        );
    }
    call(&server, TOKEN, "getMe").await.result();
    assert_eq!(call(&server, TOKEN, "close").await.result(), &json!(true));
}
