//! A bot token is a password: no `Debug`, `Display`, answer, journal entry or error shows
//! its secret part, wherever the token was held or echoed.

use bale_mock::request::Target;
use bale_mock::{MockServer, RawRequest, Scenario};
use serde_json::json;

use crate::support::{api, get, send, TOKEN};

/// The secret part of [`TOKEN`].
const SECRET: &str = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// A webhook's `secret_token`: a password as well.
const WEBHOOK_SECRET: &str = "webhook_Secret_T0ken_value";

fn assert_hidden(shown: &str) {
    assert!(!shown.contains(SECRET), "the token's secret shows: {shown}");
    assert!(
        !shown.contains(WEBHOOK_SECRET),
        "the webhook's secret shows: {shown}"
    );
}

/// A declared bot, and rules matching its token and a malformed variant of it.
fn scenario() -> Scenario {
    let source = format!(
        r#"
        [[bot]]
        token = "{TOKEN}"

        [[rule]]
        name = "by token"
        when = {{ token = "{TOKEN}", method = "getChat" }}
        then = {{ error = {{ code = 400, description = "Bad Request: chat not found" }} }}

        [[rule]]
        name = "by a malformed token"
        when = {{ token = "{TOKEN}!" }}
        then = {{ delay = 1 }}
        "#
    );
    Scenario::parse("secrets.toml", &source).unwrap()
}

#[tokio::test]
async fn debug_of_a_scenario_and_a_server_shows_no_secret() {
    let scenario = scenario();
    assert_hidden(&format!("{scenario:?}"));
    assert_hidden(&format!("{:?}", scenario.rules[0].when));
    assert_hidden(&format!("{:?}", scenario.bots));

    let server = MockServer::builder().scenario(scenario).start();
    // The bot's state now holds a webhook whose URL carries the token, and its secret.
    let url = format!("http://127.0.0.1:1/bot{TOKEN}");
    let hook = json!({"url": url, "secret_token": WEBHOOK_SECRET});
    api(&server, TOKEN, "setWebhook", hook).await.result();
    assert_hidden(&format!("{server:?}"));
    assert_hidden(&format!("{:?}", server.mock()));
    assert_hidden(&format!("{:?}", server.received_requests()));
}

#[test]
fn raw_requests_and_targets_show_no_secret() {
    let paths = [
        format!("/bot{TOKEN}/setWebhook?url=https://x/bot{TOKEN}"),
        format!("/bot123456789%3A{SECRET}/getMe"),
        format!("/bot/{TOKEN}/getMe"),
    ];
    for path in paths {
        let body = format!("url=https%3A%2F%2Fx%2Fbot123456789%3A{SECRET}");
        let request = RawRequest::new(http::Method::POST, path.parse().unwrap(), body)
            .with_header(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .with_header(
                http::header::AUTHORIZATION,
                http::HeaderValue::from_static("Bearer control-secret-value"),
            );
        let shown = format!("{request:?}");
        assert_hidden(&shown);
        assert!(!shown.contains("control-secret-value"), "{shown}");
        assert!(
            shown.contains("123456789"),
            "the bot id still shows: {shown}"
        );
    }
    let target = Target {
        token: bale_api::Secret::new(TOKEN),
        method: "getMe",
    };
    assert_hidden(&format!("{target:?}"));
}

/// Requests that carry the token where it does not belong, each in a different way.
fn leaky_requests(server: &MockServer) -> Vec<reqwest::RequestBuilder> {
    let client = reqwest::Client::new();
    let base = server.uri();
    vec![
        // A link that does not parse, quoted in the error.
        client
            .post(format!("{base}/bot{TOKEN}/sendMessage"))
            .json(&json!({
                "chat_id": 1,
                "text": "hi",
                "entities": [{"type": "text_link", "offset": 0, "length": 2,
                              "url": format!("ftp://127.0.0.1/bot{TOKEN}")}],
            })),
        // A percent-encoded token in a webhook URL.
        client
            .post(format!("{base}/bot{TOKEN}/setWebhook"))
            .json(&json!({"url": format!("http://127.0.0.1:1/bot123456789%3A{SECRET}")})),
        // The token in the query string.
        client.get(format!("{base}/bot{TOKEN}/getMe?x={TOKEN}")),
        // A misplaced token, and the secret alone as a method name.
        client.post(format!("{base}/bot/{TOKEN}/getMe")),
        client.post(format!("{base}/bot{TOKEN}/{SECRET}")),
        // A broken JSON body around the token.
        client
            .post(format!("{base}/bot{TOKEN}/sendMessage"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"text":"{TOKEN}"#)),
    ]
}

#[tokio::test]
async fn a_token_in_a_request_never_comes_back_in_an_answer_or_the_journal() {
    let server = MockServer::start();
    let mut descriptions = Vec::new();
    for request in leaky_requests(&server) {
        let answer = send(request).await;
        assert_hidden(&answer.body.to_string());
        descriptions.push(answer.body["description"].clone());
    }
    // The link's error still quotes the link, with the token taken out.
    assert_eq!(
        descriptions[0],
        "Bad Request: entity URL 'ftp://127.0.0.1/bot<token>' is invalid: Unsupported URL protocol"
    );
    let journal = get(&server, "/__mock/journal").await;
    assert_eq!(
        journal.body["entries"].as_array().map(Vec::len),
        Some(leaky_requests(&server).len())
    );
    assert_hidden(&journal.body.to_string());
    assert_hidden(&format!("{:?}", server.received_requests()));
}

#[tokio::test]
async fn a_scenario_error_never_quotes_a_token() {
    let sources = [
        format!("[[rule]]\nwhen = {{ bot = \"{TOKEN}\" }}\nthen = {{ delay = 1 }}\n"),
        format!("[[rule]]\nwhen = {{ method = \"{TOKEN}\" }}\nthen = {{ delay = 1 }}\n"),
        format!("[[bot]]\ntoken = \"{TOKEN}\"\nstate = \"{TOKEN}\"\n"),
        format!("[[bot]]\ntoken = \"{TOKEN}\"\n[[bot]]\ntoken = \"{TOKEN}\"\n"),
    ];
    let server = MockServer::start();
    for source in sources {
        let error = Scenario::parse("bad.toml", &source).unwrap_err();
        assert_hidden(&format!("{error}"));
        assert_hidden(&format!("{error:?}"));
        let answer = send(
            reqwest::Client::new()
                .put(format!("{}/__mock/scenario", server.uri()))
                .body(source.clone()),
        )
        .await;
        assert_eq!(answer.status, 400, "{source}");
        assert_hidden(&answer.body.to_string());
    }
}
