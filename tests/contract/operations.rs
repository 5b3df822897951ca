//! One snapshot per operation outcome: the success outputs of the n8n node and every error
//! envelope the skeleton produces.

use std::time::Duration;

use bale_api::Dialect;
use bale_mock::MockServer;

use crate::support::{outcome, snapshot, TOKEN};

#[tokio::test]
async fn successes() {
    let server = MockServer::start();
    snapshot("get_me__ok", &outcome(&server, TOKEN, "getMe").await);
    snapshot("close__ok", &outcome(&server, TOKEN, "close").await);
    snapshot("log_out__ok", &outcome(&server, TOKEN, "logOut").await);
}

#[tokio::test]
async fn logged_out() {
    let server = MockServer::start();
    outcome(&server, TOKEN, "logOut").await;
    snapshot(
        "get_me__logged_out",
        &outcome(&server, TOKEN, "getMe").await,
    );
    snapshot(
        "log_out__logged_out",
        &outcome(&server, TOKEN, "logOut").await,
    );
    snapshot("close__logged_out", &outcome(&server, TOKEN, "close").await);
}

#[tokio::test]
async fn closed() {
    let server = MockServer::start();
    outcome(&server, TOKEN, "close").await;
    snapshot(
        "close__already_closed",
        &outcome(&server, TOKEN, "close").await,
    );
}

#[tokio::test]
async fn close_too_early() {
    let server = MockServer::start();
    server.advance(Duration::from_secs(601));
    outcome(&server, TOKEN, "getMe").await;
    server.advance(Duration::from_secs(60));
    snapshot(
        "close__too_many_requests",
        &outcome(&server, TOKEN, "close").await,
    );
}

#[tokio::test]
async fn bad_tokens() {
    let bale = MockServer::start();
    snapshot(
        "get_me__bale_token_not_found",
        &outcome(&bale, "123456:AAFAKE-token", "getMe").await,
    );
    let telegram = MockServer::builder().dialect(Dialect::Telegram).start();
    snapshot(
        "get_me__telegram_unauthorized",
        &outcome(&telegram, "123456:AAFAKE-token", "getMe").await,
    );
    snapshot(
        "get_me__telegram_invalid_token",
        &outcome(&telegram, "no-colon", "getMe").await,
    );
}

#[tokio::test]
async fn unknown_method() {
    let server = MockServer::start();
    snapshot(
        "send_telepathy__method_not_found",
        &outcome(&server, TOKEN, "sendTelepathy").await,
    );
}
