//! Who may use the control API: loopback peers of the mock's own address, same-origin
//! browser pages, JSON writes; anyone with the control token.

use bale_mock::{Clock, Config, ControlAccess, MockServer};
use serde_json::Value;

async fn send(
    server: &MockServer,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, format!("{}/__mock/{path}", server.uri()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body("{}").send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn a_page_from_another_origin_is_refused() {
    let server = MockServer::start();
    let (status, body) = send(
        &server,
        reqwest::Method::POST,
        "reset",
        &[JSON, ("origin", "http://evil.example")],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        body["description"],
        "Forbidden: a control request from another origin"
    );
    // Reads too: the journal is what a page would be after.
    let (status, _) = send(
        &server,
        reqwest::Method::GET,
        "journal",
        &[("origin", "null")],
    )
    .await;
    assert_eq!(status, 403);
    // The mock's own origin (the console's) is let in.
    let own = server.uri().to_string();
    let (status, body) = send(
        &server,
        reqwest::Method::POST,
        "reset",
        &[JSON, ("origin", own.trim_end_matches('/'))],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_foreign_host_is_refused_so_dns_rebinding_reads_nothing() {
    let server = MockServer::start();
    let (status, body) = send(
        &server,
        reqwest::Method::GET,
        "journal",
        &[("host", "evil.example:8081")],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    for host in ["localhost:8081", "127.0.0.1"] {
        let (status, body) =
            send(&server, reqwest::Method::GET, "journal", &[("host", host)]).await;
        assert_eq!(status, 200, "{host}: {body}");
    }
}

#[tokio::test]
async fn a_post_a_form_could_send_is_refused() {
    let server = MockServer::start();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let headers: Vec<_> = content_type
            .map(|c| ("content-type", c))
            .into_iter()
            .collect();
        let (status, body) = send(&server, reqwest::Method::POST, "clock/advance", &headers).await;
        assert_eq!(status, 403, "{content_type:?}: {body}");
        assert_eq!(
            body["description"],
            "Forbidden: a control POST needs Content-Type: application/json"
        );
    }
    assert_eq!(
        server.clock().now(),
        std::time::Duration::ZERO,
        "nothing moved"
    );
    let (status, _) = send(&server, reqwest::Method::POST, "reset", &[JSON]).await;
    assert_eq!(status, 200);
    // DELETE always needs a CORS preflight, so it needs no content type.
    let (status, _) = send(&server, reqwest::Method::DELETE, "journal", &[]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn with_a_control_token_only_its_bearer_gets_in() {
    let mut config = Config::default().clock(Clock::manual());
    config.control = ControlAccess {
        token: Some("control-secret".into()),
        allow_remote: false,
    };
    let server = MockServer::start_with(config);
    let (status, body) = send(&server, reqwest::Method::GET, "health", &[]).await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("control-secret"));
    let wrong = ("authorization", "Bearer control-secreT");
    assert_eq!(
        send(&server, reqwest::Method::GET, "health", &[wrong])
            .await
            .0,
        403
    );
    // The token stands for every other rule: a foreign Host and a text body pass.
    let right = ("authorization", "Bearer control-secret");
    let (status, _) = send(
        &server,
        reqwest::Method::POST,
        "reset",
        &[
            right,
            ("host", "mock.internal:8081"),
            ("content-type", "text/plain"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    // The Bot API itself never asks for it.
    let me = crate::support::call(&server, crate::support::TOKEN, "getMe").await;
    assert_eq!(me.status, 200);
}

/// A peer beyond loopback cannot be made over loopback sockets: this one is handed to the
/// router as a request read off such a socket would be.
#[tokio::test]
async fn a_remote_peer_is_refused_unless_let_in() {
    let remote = || {
        let mut request =
            bale_mock::RawRequest::new(http::Method::GET, "/__mock/health".parse().unwrap(), "");
        request.peer = Some("192.0.2.7:40000".parse().unwrap());
        request.local = Some("192.0.2.1:8081".parse().unwrap());
        request
    };
    let closed = bale_mock::Mock::new(Config::default());
    let reply = closed.handle(remote()).await;
    assert_eq!(reply.status, 403);
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(body["description"]
        .as_str()
        .unwrap()
        .contains("loopback peers only"));

    let mut config = Config::default();
    config.control.allow_remote = true;
    let open = bale_mock::Mock::new(config);
    assert_eq!(open.handle(remote()).await.status, 200);
}
