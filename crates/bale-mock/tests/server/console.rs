//! The browser console's files and the live journal (`GET /__mock/journal/events`) over a
//! real socket: types and headers, events live and in order, the subscriber cap, shutdown
//! with a stream open, the control API's access rules, and no token anywhere.

use std::time::Duration;

use bale_mock::{serve, Clock, Config, ControlAccess, MockServer};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::{api, call, get, TOKEN};

/// The secret part of [`TOKEN`].
const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// A live journal read: the response, and what has come of its body so far.
struct Events {
    response: reqwest::Response,
    text: String,
}

impl Events {
    async fn open(base: &str) -> Events {
        let response = reqwest::get(format!("{base}/__mock/journal/events"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut events = Events {
            response,
            text: String::new(),
        };
        // The opening comment: the stream is subscribed before it is sent.
        events
            .until(|text| text.contains(": bale-mock journal\n\n"))
            .await;
        events
    }

    /// Reads until `done` holds of everything read, for at most 5 s.
    async fn until(&mut self, done: impl Fn(&str) -> bool) {
        let read = async {
            while !done(&self.text) {
                let chunk = self
                    .response
                    .chunk()
                    .await
                    .unwrap()
                    .expect("the stream ended");
                self.text.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        };
        tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .unwrap_or_else(|_| panic!("not seen in time; so far: {}", self.text));
    }

    /// The entries of the `data:` events read so far.
    fn entries(&self) -> Vec<Value> {
        self.text
            .split("\n\n")
            .filter_map(|event| event.strip_prefix("data: "))
            .map(|json| serde_json::from_str(json).unwrap())
            .collect()
    }
}

#[tokio::test]
async fn the_page_and_its_files_come_with_their_types_and_a_strict_policy() {
    let server = MockServer::start();
    for (path, content_type) in [
        ("/__mock/console/", "text/html; charset=utf-8"),
        ("/__mock/console", "text/html; charset=utf-8"),
        ("/__mock/console/app.js", "text/javascript; charset=utf-8"),
        ("/__mock/console/chats.js", "text/javascript; charset=utf-8"),
        ("/__mock/console/style.css", "text/css; charset=utf-8"),
    ] {
        let response = reqwest::get(format!("{}{path}", server.uri()))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(header("content-type"), content_type, "{path}");
        assert!(header("content-security-policy").starts_with("default-src 'self';"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        let body = response.text().await.unwrap();
        assert!(!body.contains(SECRET));
    }
    let page = reqwest::get(format!("{}/__mock/console/", server.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<script type="module" src="/__mock/console/app.js">"#));

    let missing = get(&server, "/__mock/console/missing.js").await;
    assert_eq!(missing.status, 404);
    let posted = reqwest::Client::new()
        .post(format!("{}/__mock/console/", server.uri()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 405);
}

#[tokio::test]
async fn paths_outside_the_console_answer_as_before() {
    let server = MockServer::start();
    // The real server's 404 for a path that names no bot.
    let root = get(&server, "/").await;
    assert_eq!(root.error(), (404, "Not Found"));
    let beside = get(&server, "/__mock/consoles").await;
    assert_eq!(beside.status, 404);
}

#[tokio::test]
async fn the_stream_delivers_each_entry_live_in_order_as_the_journal_shows_it() {
    let server = MockServer::start();
    let mut events = Events::open(&server.uri()).await;
    assert_eq!(
        events.response.headers()["content-type"],
        "text/event-stream"
    );
    assert!(events.response.headers().get("content-length").is_none());

    call(&server, TOKEN, "getMe").await;
    api(
        &server,
        TOKEN,
        "sendMessage",
        json!({"chat_id": 5, "text": "hi"}),
    )
    .await;
    // A webhook URL that holds the token: the stream, like the journal, hides it.
    let url = format!("https://example.com/bot{TOKEN}");
    api(&server, TOKEN, "setWebhook", json!({"url": url})).await;
    events
        .until(|text| text.matches("data: ").count() == 3)
        .await;

    let live = events.entries();
    let methods: Vec<&str> = live.iter().map(|e| e["method"].as_str().unwrap()).collect();
    assert_eq!(methods, ["getMe", "sendMessage", "setWebhook"]);
    assert_eq!(live[1]["status"], 400);
    assert_eq!(live[1]["description"], "Bad Request: chat not found");
    assert!(live.iter().all(|e| e["latency_us"].is_u64()));
    let journal = get(&server, "/__mock/journal").await.body["entries"].clone();
    assert_eq!(
        Value::Array(live),
        journal,
        "the same entries, the same shape"
    );
    assert!(!events.text.contains(SECRET), "{}", events.text);
}

#[tokio::test]
async fn a_flood_is_streamed_or_counted_never_lost_and_ends_with_the_newest() {
    let server = MockServer::start();
    let mut events = Events::open(&server.uri()).await;
    const FLOOD: usize = 300; // more than a piece carries (64)
    let calls = (0..FLOOD).map(|_| call(&server, TOKEN, "getMe"));
    futures_util::future::join_all(calls).await;
    let newest = get(&server, "/__mock/journal?limit=1").await.body["entries"][0]["seq"].clone();
    let seen = |text: &str| text.contains(&format!("\"seq\":{newest},"));
    events.until(seen).await;

    // Each request is either streamed or counted in a lag notice, in order.
    let (mut streamed, mut skipped, mut last) = (0, 0, 0);
    for event in events.text.split("\n\n") {
        if let Some(data) = event.strip_prefix("event: lagged\ndata: ") {
            skipped += serde_json::from_str::<Value>(data).unwrap()["skipped"]
                .as_u64()
                .unwrap();
        } else if let Some(data) = event.strip_prefix("data: ") {
            let seq = serde_json::from_str::<Value>(data).unwrap()["seq"]
                .as_u64()
                .unwrap();
            assert!(seq > last, "in order: {seq} after {last}");
            (last, streamed) = (seq, streamed + 1);
        }
    }
    assert_eq!(streamed + skipped, FLOOD as u64, "{}", events.text);
    assert_eq!(Value::from(last), newest);
}

#[tokio::test]
async fn one_stream_more_than_the_limit_is_refused() {
    let config = Config {
        journal_streams: 1,
        ..Config::default()
    };
    let server = MockServer::start_with(config);
    let first = Events::open(&server.uri()).await;
    let second = get(&server, "/__mock/journal/events").await;
    assert_eq!(second.status, 429);
    assert!(second.body["description"]
        .as_str()
        .unwrap()
        .contains("journal-streams"));
    // The open one goes on.
    let mut first = first;
    call(&server, TOKEN, "getMe").await;
    first.until(|text| text.contains("\"getMe\"")).await;
}

#[tokio::test]
async fn a_shutdown_ends_an_open_stream_without_waiting_for_the_drain() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, Config::default(), async {
        let _ = stopped.await;
    }));
    let mut events = Events::open(&format!("http://{address}")).await;

    stop.send(()).unwrap();
    // The drain timeout is 10 s: an open stream must not hold it up.
    tokio::time::timeout(Duration::from_secs(3), server)
        .await
        .expect("serve waited for the open stream")
        .unwrap()
        .unwrap();
    let rest = tokio::time::timeout(Duration::from_secs(3), events.response.chunk()).await;
    assert!(
        matches!(rest, Ok(Ok(None) | Err(_))),
        "the stream ended: {rest:?}"
    );
}

#[tokio::test]
async fn the_console_and_the_stream_follow_the_control_api_rules() {
    let server = MockServer::start();
    let client = reqwest::Client::new();
    for path in ["/__mock/console/", "/__mock/journal/events"] {
        let url = format!("{}{path}", server.uri());
        let rebound = client.get(&url).header("host", "evil.example").send();
        assert_eq!(rebound.await.unwrap().status(), 403, "{path}: Host");
        let foreign = client
            .get(&url)
            .header("origin", "http://evil.example")
            .send();
        assert_eq!(foreign.await.unwrap().status(), 403, "{path}: Origin");
        let own = format!("http://{}", server.address());
        let same = client.get(&url).header("origin", own).send();
        assert_eq!(same.await.unwrap().status(), 200, "{path}: own origin");
    }
}

#[tokio::test]
async fn with_a_control_token_the_page_is_open_and_the_stream_needs_the_token() {
    let config = Config {
        control: ControlAccess {
            token: Some("console-control-token".into()),
            allow_remote: false,
        },
        ..Config::default()
    };
    let server = MockServer::start_with(config);
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{}/__mock/console/", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "the page holds no data");
    assert!(!page.text().await.unwrap().contains("console-control-token"));

    let url = format!("{}/__mock/journal/events", server.uri());
    let without = client.get(&url).send().await.unwrap();
    assert_eq!(without.status(), 403);
    let with = client
        .get(&url)
        .bearer_auth("console-control-token")
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), 200);
    assert_eq!(with.headers()["content-type"], "text/event-stream");
}

#[tokio::test]
async fn a_bot_lists_its_chats_and_a_lock_out_says_how_long_it_lasts() {
    let server = MockServer::start_with(Config::default().clock(Clock::manual()));
    let bot = 123_456_789;
    call(&server, TOKEN, "getMe").await;
    server.user_says(bot, 1001, "hello").unwrap();
    let chats = get(&server, &format!("/__mock/bots/{bot}/chats")).await;
    assert_eq!(chats.status, 200);
    let list = chats.body["chats"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id"], 1001);
    assert_eq!(list[0]["messages"], 1);
    assert_eq!(list[0]["chat"]["type"], "private");
    assert_eq!(get(&server, "/__mock/bots/42/chats").await.status, 404);
    assert_eq!(get(&server, "/__mock/bots/x/chats").await.status, 404);

    call(&server, TOKEN, "logOut").await;
    server.advance(Duration::from_secs(100));
    let state = get(&server, &format!("/__mock/bots/{bot}")).await;
    assert_eq!(state.body["bot"]["instance"], "logged-out");
    assert_eq!(state.body["bot"]["left_ms"], 500_000);
    server.advance(Duration::from_secs(600));
    let state = get(&server, &format!("/__mock/bots/{bot}")).await;
    assert_eq!(state.body["bot"]["left_ms"], 0);
}
