//! Every shipped scenario, through `bale-client`: each operation it affects (getMe, logOut,
//! close) on each of its bots, the outcomes pinned in `snapshots/contract/scenario__*.snap`.
//! Time is moved with the server clock, never slept (the delay and drip faults take real
//! time by nature).

use std::time::Duration;

use bale_client::{Client, Operation};
use bale_mock::MockServer;
use serde_json::{json, Value};

use crate::support::{classify, snapshot};

/// One step of a scripted session.
enum Step {
    /// Run an operation with the token of this bot (`<id>:<secret>`).
    Call(&'static str, &'static str),
    /// Move the server clock by this many seconds.
    Advance(u64),
}

use Step::{Advance, Call};

/// close before logOut, so that close is answered by a running bot, not a logged-out one.
const OPERATIONS: [&str; 3] = ["getMe", "close", "logOut"];

/// Runs the steps against a fresh server with `scenario` and snapshots every outcome.
async fn session(scenario: &str, steps: &[Step]) {
    let server = MockServer::builder().scenario_named(scenario).start();
    let mut outcomes = Vec::new();
    for step in steps {
        match step {
            Advance(seconds) => {
                server.advance(Duration::from_secs(*seconds));
                outcomes.push(json!({ "advance_seconds": seconds }));
            }
            Call(token, method) => {
                let client = Client::builder(token)
                    .base_url(&server.uri())
                    .timeout(Duration::from_millis(700))
                    .build()
                    .unwrap();
                let outcome = classify(Operation::from_name(method).run(&client, &json!({})).await);
                let bot = token.split(':').next().unwrap();
                outcomes.push(json!({ "call": format!("{method} {bot}"), "outcome": outcome }));
            }
        }
    }
    snapshot(&format!("scenario__{scenario}"), &Value::Array(outcomes));
}

/// Every operation for each token, in order.
fn each_operation(tokens: &[&'static str]) -> Vec<Step> {
    tokens
        .iter()
        .flat_map(|token| OPERATIONS.iter().map(move |method| Call(token, method)))
        .collect()
}

#[tokio::test]
async fn default() {
    session(
        "default",
        &each_operation(&["123:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"]),
    )
    .await;
}

#[tokio::test]
async fn invalid_token() {
    let tokens = [
        "111111111:AAGoodTokenGoodTokenGoodToken1",
        "123456:short",
        "777777777:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "111111111:AAOtherSecretOtherSecretOther",
        "222222222:AARevokedRevokedRevokedRevoke",
        "333333333:AADeactivatedDeactivatedDeact",
        "444444444:AATelegramTelegramTelegramTel",
    ];
    session("invalid-token", &each_operation(&tokens)).await;
}

#[tokio::test]
async fn revoked_token() {
    let by_calls = "555555555:AARevokedAfterThreeCallsXXXX";
    let by_time = "666666666:AARevokedAtSixtySecondsXXXXX";
    let mut steps = each_operation(&[by_calls]); // calls 1–3 work
    steps.extend(each_operation(&[by_calls])); // from the 4th on: revoked
    steps.push(Call(by_time, "getMe"));
    steps.push(Advance(60));
    steps.extend(each_operation(&[by_time]));
    session("revoked-token", &steps).await;
}

#[tokio::test]
async fn inactive_instance() {
    let logged_out = "100000001:AALoggedOutLoggedOutLoggedOut";
    let closed = "100000002:AAClosedClosedClosedClosedClo";
    let closing = "100000003:AAClosingClosingClosingClosin";
    let late = "100000004:AALateLaunchLateLaunchLateLa";
    let mut steps = each_operation(&[logged_out, closing]);
    steps.extend([
        Call(closed, "close"),
        Call(closed, "getMe"),
        Call(closed, "close"),
    ]);
    steps.extend([Call(closed, "getMe"), Advance(30), Call(closed, "getMe")]);
    steps.extend([Advance(570), Call(logged_out, "getMe")]); // the lock-out ended at 600 s
    steps.extend([Advance(1), Call(late, "getMe")]); // launched 601 s after start
    steps.extend([
        Call(late, "close"),
        Advance(599),
        Call(late, "close"),
        Advance(1),
    ]);
    steps.extend([Call(late, "close")]);
    session("inactive-instance", &steps).await;
}

#[tokio::test]
async fn rate_limit() {
    let bot = "42:AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let closer = "44:AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let mut steps: Vec<Step> = (0..6).map(|_| Call(bot, "getMe")).collect();
    steps.extend([
        Call(bot, "logOut"),
        Advance(2),
        Call(bot, "logOut"),
        Call(bot, "close"),
    ]);
    steps.extend([
        Call(closer, "close"),
        Call(closer, "getMe"),
        Call(closer, "close"),
    ]);
    steps.extend([Advance(60), Call(closer, "close")]);
    session("rate-limit", &steps).await;
}

#[tokio::test]
async fn bale_proxy_rate_limit() {
    let bot = "7:AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let mut steps = each_operation(&[bot]);
    steps.extend(each_operation(&[bot]));
    steps.extend([Advance(1), Call(bot, "getMe")]);
    session("bale-proxy-rate-limit", &steps).await;
}

#[tokio::test]
async fn network_faults() {
    let tokens = [
        "900000001:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000002:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000003:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000004:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000005:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000006:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000007:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000008:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000009:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "900000012:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];
    let mut steps = each_operation(&tokens);
    // Drip (2 s) and delay (1–1.5 s) outlast the 0.7 s timeout: the client's timeout fires.
    steps.push(Call("900000010:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "getMe"));
    steps.push(Call("900000011:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "getMe"));
    session("network-faults", &steps).await;
}

#[tokio::test]
async fn network_faults_slow_answers_arrive_whole() {
    let server = MockServer::builder()
        .scenario_named("network-faults")
        .start();
    for bot in ["900000010", "900000011"] {
        let client = Client::builder(&format!("{bot}:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
            .base_url(&server.uri())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let user = client.get_me().await.unwrap();
        assert_eq!(user.id.to_string(), bot);
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{bot} was slow"
        );
    }
}

#[tokio::test]
async fn flaky() {
    let tokens: Vec<&'static str> = (0..12)
        .map(|i| &*Box::leak(format!("{}:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", 5000 + i).into_boxed_str()))
        .collect();
    session("flaky", &each_operation(&tokens)).await;
}
