//! Every shipped scenario through `bale-mock call`: getMe, close and logOut on each bot the
//! scenario affects, the transcripts (exit code, stdout, stderr) pinned per scenario.

use std::time::Duration;

use bale_mock::MockServer;

use crate::support::{bale_mock, transcript};

enum Step {
    Call(&'static str, &'static str),
    Advance(u64),
}

use Step::{Advance, Call};

fn run(scenario: &str, steps: &[Step]) {
    let server = MockServer::builder().scenario_named(scenario).start();
    let mut text = String::new();
    for step in steps {
        match step {
            Advance(seconds) => {
                server.advance(Duration::from_secs(*seconds));
                text.push_str(&format!("=== clock +{seconds} s\n"));
            }
            Call(token, method) => {
                let output = bale_mock()
                    .args([
                        "call",
                        method,
                        "--timeout",
                        "1",
                        "--base-url",
                        &server.uri(),
                    ])
                    .env("BALE_TOKEN", token)
                    .output()
                    .unwrap();
                let bot = token.split(':').next().unwrap();
                text.push_str(&format!("=== bale-mock call {method}  (bot {bot})\n"));
                text.push_str(&transcript(&output));
            }
        }
    }
    assert!(
        !text.contains("AAAAAAAAAAAA") && !text.contains("Token1"),
        "a token was printed"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.bind(|| insta::assert_snapshot!(format!("call_scenario__{scenario}"), text));
}

fn each(tokens: &[&'static str]) -> Vec<Step> {
    tokens
        .iter()
        .flat_map(|t| ["getMe", "close", "logOut"].map(|m| Call(t, m)))
        .collect()
}

#[test]
fn default() {
    run("default", &each(&["123:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"]));
}

#[test]
fn invalid_token() {
    run(
        "invalid-token",
        &each(&[
            "111111111:AAGoodTokenGoodTokenGoodToken1",
            "123456:short",
            "777777777:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "222222222:AARevokedRevokedRevokedRevoke",
            "333333333:AADeactivatedDeactivatedDeact",
            "444444444:AATelegramTelegramTelegramTel",
        ]),
    );
}

#[test]
fn revoked_token() {
    let by_calls = "555555555:AARevokedAfterThreeCallsXXXX";
    let by_time = "666666666:AARevokedAtSixtySecondsXXXXX";
    let mut steps = each(&[by_calls, by_calls]);
    steps.extend([Call(by_time, "getMe"), Advance(60)]);
    steps.extend(each(&[by_time]));
    run("revoked-token", &steps);
}

#[test]
fn inactive_instance() {
    let mut steps = each(&[
        "100000001:AALoggedOutLoggedOutLoggedOut",
        "100000002:AAClosedClosedClosedClosedClo",
        "100000003:AAClosingClosingClosingClosin",
    ]);
    steps.extend([
        Advance(601),
        Call("100000004:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "getMe"),
    ]);
    steps.push(Call("100000004:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "close"));
    run("inactive-instance", &steps);
}

#[test]
fn rate_limit() {
    let bot = "42:AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let mut steps = each(&[bot, bot]);
    steps.extend([Advance(2), Call(bot, "getMe")]);
    run("rate-limit", &steps);
}

#[test]
fn bale_proxy_rate_limit() {
    let bot = "7:AAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    run("bale-proxy-rate-limit", &each(&[bot, bot]));
}

#[test]
fn network_faults() {
    run(
        "network-faults",
        &each(&[
            "900000001:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000002:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000003:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000004:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000005:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000006:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "900000009:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ]),
    );
}

#[test]
fn flaky() {
    let tokens: Vec<&'static str> = (0..6)
        .map(|i| &*Box::leak(format!("{}:AAAAAAAAAAAAAAAAAAAAAAAAAAAA", 5000 + i).into_boxed_str()))
        .collect();
    run("flaky", &each(&tokens));
}
