//! Concurrent requests over real sockets, decided in parallel (a server on several worker
//! threads, as `bale-mock serve` runs): the lifecycle, the rate limits and the journal stay
//! exact. The clock is manual and never moves, so every rule depends on order alone.

use std::collections::BTreeMap;

use bale_mock::{MockServer, Scenario};
use serde_json::{json, Value};

use crate::support::{get, send, Answer};

const WORKERS: usize = 4;

const ALREADY_CLOSED: &str = "400 Bad Request: the bot has already been closed";
const LOGGED_OUT: &str = "400 Logged out";
const ABORTED: &str = "500 Internal Server Error: request aborted";

fn parallel_server(scenario: Scenario) -> MockServer {
    MockServer::builder()
        .worker_threads(WORKERS)
        .scenario(scenario)
        .start()
}

fn scenario(source: &str) -> Scenario {
    Scenario::parse("concurrency.toml", source).unwrap()
}

/// A well-formed token of bot `id`.
fn token(id: u64) -> String {
    format!("{id}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
}

/// `true`, or `"<status> <description>"`: an answer as one comparable word.
fn outcome(answer: &Answer) -> String {
    if answer.body["ok"] == true {
        return answer.body["result"].to_string();
    }
    let (status, description) = answer.error();
    format!("{status} {description}")
}

/// A journal entry's answer: `ok`, or `"<status> <description>"`.
fn journaled(entry: &Value) -> String {
    match entry["description"].as_str() {
        None => "ok".to_owned(),
        Some(description) => format!("{} {description}", entry["status"]),
    }
}

/// Sends every `(token, method)` at once, each on its own connection and task; the answers
/// in the same order.
async fn concurrently(server: &MockServer, calls: &[(String, &str)]) -> Vec<Answer> {
    let tasks: Vec<_> = calls
        .iter()
        .map(|(token, method)| {
            let url = format!("{}/bot{token}/{method}", server.uri());
            tokio::spawn(send(reqwest::Client::new().post(url).json(&json!({}))))
        })
        .collect();
    let mut answers = Vec::with_capacity(tasks.len());
    for task in tasks {
        answers.push(task.await.expect("a request task panicked"));
    }
    answers
}

/// How many answers of each outcome.
fn tally<'a>(outcomes: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut tally = BTreeMap::new();
    for outcome in outcomes {
        *tally.entry(outcome).or_default() += 1;
    }
    tally
}

/// The bot's instance as the control API shows it (`running`, `closed`, …).
async fn instance(server: &MockServer, bot: u64) -> String {
    let answer = get(server, &format!("/__mock/bots/{bot}")).await;
    answer.body["bot"]["instance"].as_str().unwrap().to_owned()
}

/// The bot's journal entries, in `seq` order.
async fn journal_of(server: &MockServer, bot: u64) -> Vec<Value> {
    let answer = get(server, &format!("/__mock/journal?bot={bot}")).await;
    let mut entries = answer.body["entries"].as_array().unwrap().clone();
    entries.sort_by_key(|entry| entry["seq"].as_u64());
    entries
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_64_concurrent_closes_exactly_one_succeeds() {
    let server = parallel_server(Scenario::zero_config());
    for bot in 700_000_001..=700_000_004 {
        let token = token(bot);
        send(reqwest::Client::new().post(format!("{}/bot{token}/getMe", server.uri())))
            .await
            .result();
        let answers = concurrently(&server, &vec![(token, "close"); 64]).await;
        let outcomes: Vec<String> = answers.iter().map(outcome).collect();
        // The first close closes the bot; every other finds it closed with no request in
        // between (state.rs: `Closed ──close──▶ 400 already closed`).
        assert_eq!(
            tally(outcomes.iter().map(String::as_str)),
            BTreeMap::from([("true", 1), (ALREADY_CLOSED, 63)]),
            "bot {bot}"
        );
        assert_eq!(instance(&server, bot).await, "closed");
        // The one that succeeded is the first close the journal records.
        let journal = journal_of(&server, bot).await;
        let closes: Vec<String> = journal[1..].iter().map(journaled).collect();
        assert_eq!(closes.len(), 64);
        assert_eq!(closes[0], "ok", "bot {bot}: {closes:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn log_out_racing_close_always_ends_in_a_state_the_lifecycle_allows() {
    for closing_seconds in [0, 30] {
        let server = parallel_server(scenario(&format!("closing_seconds = {closing_seconds}")));
        let mut seen = BTreeMap::new();
        for bot in 710_000_001..=710_000_040 {
            let token = token(bot);
            send(reqwest::Client::new().post(format!("{}/bot{token}/getMe", server.uri())))
                .await
                .result();
            // Each is sent first in turn, so that each gets to win.
            let mut calls = [(token.clone(), "logOut"), (token, "close")];
            if bot % 2 == 0 {
                calls.reverse();
            }
            let answers = concurrently(&server, &calls).await;
            let of = |method| {
                let i = calls.iter().position(|(_, m)| *m == method).unwrap();
                outcome(&answers[i])
            };
            let (log_out, close) = (of("logOut"), of("close"));
            let state = instance(&server, bot).await;
            let order: Vec<String> = journal_of(&server, bot).await[1..]
                .iter()
                .map(|entry| entry["method"].as_str().unwrap().to_owned())
                .collect();
            let first = order[0].clone();
            // logOut first: the bot is locked out and close is refused. close first: with no
            // closing time, logOut relaunches the closed bot and logs it out; while closing,
            // tdlib aborts logOut.
            let allowed: &[(&str, &str, &str, &str)] = if closing_seconds == 0 {
                &[
                    ("logOut", "true", LOGGED_OUT, "logged-out"),
                    ("close", "true", "true", "logged-out"),
                ]
            } else {
                &[
                    ("logOut", "true", LOGGED_OUT, "logged-out"),
                    ("close", ABORTED, "true", "closing"),
                ]
            };
            let got = (
                first.as_str(),
                log_out.as_str(),
                close.as_str(),
                state.as_str(),
            );
            assert!(
                allowed.contains(&got),
                "closing {closing_seconds} s, bot {bot}: (first, logOut, close, state) = \
                 {got:?}, journal order {order:?}"
            );
            *seen.entry(first).or_insert(0) += 1;
        }
        println!("closing {closing_seconds} s: who went first: {seen:?}");
    }
}

/// The real server's bucket: `limit` requests, then 429 until the window refills one.
async fn assert_exactly_limit_pass(server: &MockServer, calls: &[(String, &str)], name: &str) {
    let answers = concurrently(server, calls).await;
    let outcomes: Vec<String> = answers.iter().map(outcome).collect();
    let passed = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(
        passed,
        10,
        "{:?}",
        tally(outcomes.iter().map(String::as_str))
    );
    for answer in answers.iter().filter(|a| a.status != 200) {
        // 10 per 60 s: a request's worth comes back in 6 s.
        assert_eq!(answer.error(), (429, "Too Many Requests: retry after 6"));
        assert_eq!(answer.body["parameters"], json!({"retry_after": 6}));
        assert_eq!(answer.headers["retry-after"], "6");
    }
    let journal = get(server, "/__mock/journal").await;
    let limited = journal.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["rule"] == name)
        .count();
    assert_eq!(limited, calls.len() - 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bots_rate_limit_lets_exactly_its_limit_through_under_contention() {
    let server = parallel_server(scenario(
        "[[rate_limit]]\nname = \"per bot\"\nscope = \"bot\"\nlimit = 10\nwindow = 60\n",
    ));
    let calls = vec![(token(720_000_001), "getMe"); 100];
    assert_exactly_limit_pass(&server, &calls, "per bot").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_global_rate_limit_lets_exactly_its_limit_through_across_bots() {
    let server = parallel_server(scenario(
        "[[rate_limit]]\nname = \"global\"\nscope = \"global\"\nlimit = 10\nwindow = 60\n",
    ));
    let calls: Vec<_> = (0..100)
        .map(|i| (token(730_000_001 + i % 20), "getMe"))
        .collect();
    assert_exactly_limit_pass(&server, &calls, "global").await;
}

/// What the lifecycle answers a request of one bot, with no closing time and a clock that
/// does not move (state.rs), and the state it leaves.
fn model(state: &str, method: &str) -> (&'static str, &'static str) {
    match (state, method) {
        ("logged-out", _) => ("logged-out", LOGGED_OUT),
        ("closed", "close") => ("closed", ALREADY_CLOSED),
        (_, "close") => ("closed", "ok"),
        (_, "logOut") => ("logged-out", "ok"),
        // getMe launches a closed bot again.
        (_, _) => ("running", "ok"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_journal_order_is_the_order_the_lifecycle_decided_in() {
    let server = parallel_server(Scenario::zero_config());
    for bot in 740_000_001..=740_000_030 {
        let token = token(bot);
        // Mostly close and getMe (each getMe reopens the bot), one logOut that ends it all.
        let calls: Vec<(String, &str)> = (0..48)
            .map(|i| {
                let method = match i {
                    40 => "logOut",
                    i if i % 2 == 0 => "close",
                    _ => "getMe",
                };
                (token.clone(), method)
            })
            .collect();
        let answers = concurrently(&server, &calls).await;
        let journal = journal_of(&server, bot).await;
        assert_eq!(journal.len(), calls.len());

        // Replaying the journal in seq order through the lifecycle gives its answers.
        let mut state = "new";
        for (i, entry) in journal.iter().enumerate() {
            let method = entry["method"].as_str().unwrap();
            let (next, want) = model(state, method);
            let got = journaled(entry);
            assert_eq!(
                got,
                want,
                "bot {bot}: entry {i} ({method}, seq {}) after state {state}: {:#?}",
                entry["seq"],
                journal
                    .iter()
                    .map(|e| (e["seq"].clone(), e["method"].clone(), journaled(e)))
                    .collect::<Vec<_>>()
            );
            state = next;
        }
        // And the journal holds exactly the answers the clients got.
        let sent: Vec<String> = calls
            .iter()
            .zip(&answers)
            .map(|((_, method), answer)| format!("{method} {}", answer.status))
            .collect();
        let recorded: Vec<String> = journal
            .iter()
            .map(|entry| format!("{} {}", entry["method"].as_str().unwrap(), entry["status"]))
            .collect();
        assert_eq!(
            tally(sent.iter().map(String::as_str)),
            tally(recorded.iter().map(String::as_str))
        );
    }
}
