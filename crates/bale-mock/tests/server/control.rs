//! The control API under `/__mock/`: health, reset, scenario, clock, bots, journal.

use bale_mock::{Clock, Config, MockServer};
use serde_json::{json, Value};

use crate::support::{call, TOKEN};

async fn control(
    server: &MockServer,
    method: reqwest::Method,
    path: &str,
    body: Option<String>,
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}/__mock/{path}", server.uri()));
    if let Some(body) = body {
        // The mock refuses a control POST that a web page could have sent (see access).
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get(server: &MockServer, path: &str) -> Value {
    let (status, body) = control(server, reqwest::Method::GET, path, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn post(server: &MockServer, path: &str, body: &str) -> (u16, Value) {
    control(server, reqwest::Method::POST, path, Some(body.to_owned())).await
}

#[tokio::test]
async fn health_names_the_scenario() {
    let server = MockServer::builder().scenario_named("rate-limit").start();
    assert_eq!(
        get(&server, "health").await,
        json!({"ok": true, "scenario": "rate-limit", "now_ms": 0})
    );
    let (status, body) = control(&server, reqwest::Method::GET, "nothing-here", None).await;
    assert_eq!((status, body["ok"].clone()), (404, json!(false)));
}

#[tokio::test]
async fn the_clock_moves_on_request() {
    let server = MockServer::start();
    call(&server, TOKEN, "logOut").await.result();
    let (status, body) = post(&server, "clock/advance", r#"{"seconds": 600}"#).await;
    assert_eq!((status, &body["now_ms"]), (200, &json!(600_000)));
    call(&server, TOKEN, "getMe").await.result();
    let (_, body) = post(&server, "clock/advance?seconds=1.5", "").await;
    assert_eq!(body["now_ms"], 601_500);
    assert_eq!(get(&server, "clock").await["now_ms"], 601_500);
    let (status, _) = post(&server, "clock/advance", r#"{"seconds": -1}"#).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn huge_advances_stop_the_clock_at_its_end_and_never_turn_it_back() {
    let server = MockServer::start();
    let (status, first) = post(&server, "clock/advance", r#"{"seconds": 1e17}"#).await;
    assert_eq!(status, 200);
    let end = first["now_ms"].as_u64().unwrap();
    assert!(end >= 1 << 63, "{first}");
    let (status, second) = post(&server, "clock/advance?seconds=1e17", "").await;
    assert_eq!((status, second["now_ms"].as_u64()), (200, Some(end)));
    // The server still answers at the end of time, lock-outs included.
    call(&server, TOKEN, "logOut").await.result();
    for seconds in ["1e300", "inf", "NaN"] {
        let (status, _) = post(&server, &format!("clock/advance?seconds={seconds}"), "").await;
        assert_eq!(status, 400, "{seconds}");
    }
    assert_eq!(get(&server, "clock").await["now_ms"].as_u64(), Some(end));
}

#[tokio::test]
async fn bots_are_listed_by_id_never_by_token() {
    // A still clock: the time left of the lock-out is exact.
    let server = MockServer::start_with(Config::default().clock(Clock::manual()));
    call(&server, TOKEN, "logOut").await.result();
    let bots = get(&server, "bots").await;
    assert_eq!(
        bots["bots"],
        json!([{"bot_id": 123456789, "access": "active", "instance": "logged-out",
                "launched_at_ms": null, "until_ms": 600_000, "left_ms": 600_000,
                "pending_updates": 0, "webhook": false, "polling": false}])
    );
    assert_eq!(
        get(&server, "bots/123456789").await["bot"]["instance"],
        "logged-out"
    );
    let (status, _) = control(&server, reqwest::Method::GET, "bots/5", None).await;
    assert_eq!(status, 404);
    assert!(!bots.to_string().contains("AAHdqTcv"));
}

#[tokio::test]
async fn scenarios_are_loaded_at_run_time_and_validated() {
    let server = MockServer::start();
    let (status, body) = post(&server, "scenario?name=bale-proxy-rate-limit", "").await;
    assert_eq!(
        (status, body),
        (200, json!({"ok": true, "name": "bale-proxy-rate-limit"}))
    );
    assert_eq!(
        get(&server, "scenario").await["name"],
        "bale-proxy-rate-limit"
    );

    let toml = "[[rule]]\nwhen = { method = \"getMe\" }\nthen = { error = { code = 418, description = \"I'm a teapot\" } }\n";
    let (status, _) = control(
        &server,
        reqwest::Method::PUT,
        "scenario?file=teapot.toml",
        Some(toml.into()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        call(&server, TOKEN, "getMe").await.error(),
        (418, "I'm a teapot")
    );

    let broken = "[[rule]]\nwhen = { method = \"getMee\" }\nthen = { delay = 1 }\n";
    let (status, body) = post(&server, "scenario", broken).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"],
        json!([{"file": "request.toml", "line": 2, "column": 19,
                "reason": "unknown method \"getMee\" (did you mean \"getMe\"?)"}])
    );
    // A rejected scenario leaves the running one in place.
    assert_eq!(get(&server, "scenario").await["name"], "teapot");
    let (status, _) = post(&server, "scenario?name=../../etc/passwd", "").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn reset_starts_over_and_empties_the_journal() {
    let server = MockServer::start();
    call(&server, TOKEN, "logOut").await.result();
    assert_eq!(call(&server, TOKEN, "getMe").await.error().0, 400);
    let (status, _) = post(&server, "reset", "").await;
    assert_eq!(status, 200);
    assert!(get(&server, "journal").await["entries"]
        .as_array()
        .unwrap()
        .is_empty());
    call(&server, TOKEN, "getMe").await.result();
}

#[tokio::test]
async fn the_journal_is_filtered_and_holds_no_token() {
    let server = MockServer::start();
    let other = "5:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    call(&server, TOKEN, "getMe").await;
    call(&server, other, "getMe").await;
    call(&server, TOKEN, "close").await;
    call(&server, "123456:AAFAKE-token", "getMe").await;

    let all = get(&server, "journal").await;
    assert_eq!(all["entries"].as_array().unwrap().len(), 4);
    assert!(!all.to_string().contains("AAHdqTcv") && !all.to_string().contains("AAFAKE"));

    let by_bot = get(&server, "journal?bot=123456789").await;
    let methods: Vec<_> = by_bot["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["method"].clone())
        .collect();
    assert_eq!(methods, [json!("getMe"), json!("close")]);
    let by_method = get(&server, "journal?method=GETME&limit=1").await;
    assert_eq!(by_method["entries"][0]["bot_id"], 123456);
    assert_eq!(by_method["entries"].as_array().unwrap().len(), 1);

    let (status, _) = control(&server, reqwest::Method::DELETE, "journal", None).await;
    assert_eq!(status, 200);
    assert_eq!(get(&server, "journal").await["entries"], json!([]));
}

#[test]
fn the_journal_is_bounded() {
    let config = bale_mock::Config::default().clock(bale_mock::Clock::manual());
    let config = bale_mock::Config {
        journal_capacity: 3,
        ..config
    };
    let server = MockServer::start_with(config);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        for _ in 0..5 {
            call(&server, TOKEN, "getMe").await;
        }
        let journal = get(&server, "journal").await;
        assert_eq!(journal["dropped"], 2);
        let seqs: Vec<_> = journal["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].clone())
            .collect();
        assert_eq!(seqs, [json!(3), json!(4), json!(5)]);
    });
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let server = MockServer::start();
    let (status, body) = control(&server, reqwest::Method::GET, "nothing/here", None).await;
    assert_eq!((status, body["ok"].clone()), (404, json!(false)), "{body}");
    let (status, body) = post(&server, "health", "").await;
    assert_eq!(status, 405, "{body}");
    assert_eq!(body["description"], "use GET for /__mock/health");
    let (status, body) = control(&server, reqwest::Method::GET, "reset", None).await;
    assert_eq!(status, 405, "{body}");
    let (status, body) = control(&server, reqwest::Method::GET, "bots/12/messages", None).await;
    assert_eq!(status, 405, "{body}");
    assert_eq!(body["description"], "use POST for /__mock/bots/12/messages");
    // A trailing slash names the same endpoint.
    assert_eq!(get(&server, "health/").await["ok"], json!(true));
}
