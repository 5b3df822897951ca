//! Webhooks over real sockets: delivery with the secret header, retries with their
//! `getWebhookInfo` errors, the 409s, and what `logOut` forgets.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bale_mock::MockServer;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::{api, TOKEN};

const BOT: i64 = 123_456_789;
const USER: i64 = 7001;

/// A webhook receiver answering each delivery with the next of `statuses` (then 200),
/// recording the request heads and bodies.
async fn receiver(statuses: Vec<&'static str>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // One request per connection: read the head, then Content-Length bytes.
            loop {
                let n = socket.read(&mut buffer).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&request).to_string());
            let status = statuses.next().unwrap_or("200 OK");
            let answer =
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (url, seen)
}

async fn until(mut condition: impl FnMut() -> bool) {
    for _ in 0..200 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("condition not met in 5 s");
}

#[tokio::test]
async fn updates_are_delivered_with_the_secret_header() {
    let server = MockServer::start();
    let (url, seen) = receiver(vec![]).await;
    let set = api(
        &server,
        TOKEN,
        "setWebhook",
        json!({"url": url, "secret_token": "s3cret_T"}),
    )
    .await;
    assert_eq!(
        set.body,
        json!({"ok": true, "result": true, "description": "Webhook was set"})
    );
    server.user_says(BOT, USER, "via webhook").unwrap();
    until(|| !seen.lock().unwrap().is_empty()).await;
    let request = seen.lock().unwrap()[0].clone();
    assert!(request.starts_with("POST /hook HTTP/1.1\r\n"), "{request}");
    assert!(
        request.contains("x-telegram-bot-api-secret-token: s3cret_T\r\n"),
        "{request}"
    );
    assert!(
        request.contains("content-type: application/json\r\n"),
        "{request}"
    );
    assert!(request.contains(",\n\"message\":{"), "{request}");
    let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
    assert_eq!(info.result()["url"], url.as_str());
    let polled = api(&server, TOKEN, "getUpdates", json!({})).await;
    assert_eq!(
        polled.error(),
        (409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
    );
    let again = api(
        &server,
        TOKEN,
        "setWebhook",
        json!({"url": url, "secret_token": "s3cret_T"}),
    )
    .await;
    assert_eq!(again.error(), (429, "Too Many Requests: retry after 1"));
    server.advance(Duration::from_secs(1));
    let same = api(
        &server,
        TOKEN,
        "setWebhook",
        json!({"url": url, "secret_token": "s3cret_T"}),
    )
    .await;
    assert_eq!(same.body["description"], "Webhook is already set");
    let deleted = api(&server, TOKEN, "deleteWebhook", json!({})).await;
    assert_eq!(deleted.body["description"], "Webhook was deleted");
    let twice = api(&server, TOKEN, "deleteWebhook", json!({})).await;
    assert_eq!(twice.body["description"], "Webhook is already deleted");
}

#[tokio::test]
async fn failures_are_retried_with_backoff_and_reported() {
    let server = MockServer::start();
    let (url, seen) = receiver(vec!["502 Bad Gateway", "503 Service Unavailable"]).await;
    api(&server, TOKEN, "setWebhook", json!({"url": url}))
        .await
        .result();
    server.user_says(BOT, USER, "retry me").unwrap();
    // The first failure is retried at once; the second waits 2 s on the server clock.
    until(|| seen.lock().unwrap().len() == 2).await;
    let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
    let info = info.result();
    assert_eq!(info["pending_update_count"], 1);
    assert_eq!(
        info["last_error_message"],
        "Wrong response from the webhook: 503 Service Unavailable"
    );
    assert!(info["last_error_date"].is_i64());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(seen.lock().unwrap().len(), 2, "waits for the clock");
    server.advance(Duration::from_secs(2));
    until(|| seen.lock().unwrap().len() == 3).await;
    for _ in 0..100 {
        let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
        if info.result()["pending_update_count"] == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the update was not taken off the queue after a 200");
}

#[tokio::test]
async fn a_refused_connection_is_reported_in_the_os_wording() {
    let server = MockServer::start();
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    api(&server, TOKEN, "setWebhook", json!({"url": url}))
        .await
        .result();
    server.user_says(BOT, USER, "x").unwrap();
    for _ in 0..200 {
        let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
        if info.result()["last_error_message"] == "Connection refused" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no Connection refused in getWebhookInfo");
}

#[tokio::test]
async fn set_webhook_validates_like_the_real_server() {
    let server = MockServer::start();
    let cases: [(Value, &str); 4] = [
        (
            json!({"url": "ftp://127.0.0.1/x"}),
            "Bad Request: invalid webhook URL specified",
        ),
        (
            json!({"url": "http://127.0.0.1:1/x", "secret_token": "a b"}),
            "Bad Request: secret token contains unallowed characters",
        ),
        (
            json!({"url": "http://127.0.0.1:1/x", "secret_token": "a".repeat(257)}),
            "Bad Request: secret token is too long",
        ),
        (
            json!({"url": "https://example.com/hook"}),
            "Bad Request: bad webhook: Failed to resolve host: Name or service not known",
        ),
    ];
    for (params, description) in cases {
        let answer = api(&server, TOKEN, "setWebhook", params.clone()).await;
        assert_eq!(answer.error(), (400, description), "{params}");
    }
    let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
    assert_eq!(
        info.body,
        json!({"ok": true, "result": {"url": "", "has_custom_certificate": false, "pending_update_count": 0}})
    );
}

#[tokio::test]
async fn a_token_in_a_webhook_url_never_reaches_the_journal() {
    let server = MockServer::start();
    let url = format!("http://127.0.0.1:1/bot{TOKEN}");
    api(&server, TOKEN, "setWebhook", json!({"url": url}))
        .await
        .result();
    let journal = serde_json::to_string(&server.received_requests()).unwrap();
    assert!(!journal.contains(TOKEN), "{journal}");
    assert!(
        journal.contains("http://127.0.0.1:1/bot<token>"),
        "{journal}"
    );
}

#[tokio::test]
async fn log_out_forgets_the_webhook() {
    let server = MockServer::start();
    let (url, _) = receiver(vec![]).await;
    api(&server, TOKEN, "setWebhook", json!({"url": url}))
        .await
        .result();
    api(&server, TOKEN, "logOut", json!({})).await.result();
    server.advance(Duration::from_secs(601));
    let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
    assert_eq!(info.result()["url"], "");
}

/// A keep-alive webhook receiver: serves up to `per_connection` requests on each connection
/// (then closes it without saying so), answering 200; counts connections and requests.
async fn keep_alive_receiver(per_connection: usize) -> (String, Arc<Mutex<(usize, usize)>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let counts = Arc::new(Mutex::new((0, 0)));
    let record = Arc::clone(&counts);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            record.lock().unwrap().0 += 1;
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let mut pending = Vec::new();
                let mut buffer = [0u8; 4096];
                for _ in 0..per_connection {
                    // Read one request: the head, then Content-Length bytes.
                    let complete = loop {
                        let text = String::from_utf8_lossy(&pending).to_string();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length: usize = text[..end]
                                .lines()
                                .find_map(|l| {
                                    l.to_ascii_lowercase()
                                        .strip_prefix("content-length: ")
                                        .map(|v| v.trim().parse().unwrap())
                                })
                                .unwrap_or(0);
                            if pending.len() >= end + 4 + length {
                                pending.drain(..end + 4 + length);
                                break true;
                            }
                        }
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => break false,
                            Ok(n) => pending.extend_from_slice(&buffer[..n]),
                        }
                    };
                    if !complete {
                        return;
                    }
                    record.lock().unwrap().1 += 1;
                    let answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, counts)
}

async fn deliveries(server: &MockServer, url: &str, texts: usize, counts: &Mutex<(usize, usize)>) {
    api(server, TOKEN, "setWebhook", json!({"url": url}))
        .await
        .result();
    for i in 0..texts {
        server.user_says(BOT, USER, &format!("update {i}")).unwrap();
    }
    until(|| counts.lock().unwrap().1 == texts).await;
}

#[tokio::test]
async fn deliveries_keep_the_receivers_connection_open() {
    let server = MockServer::start();
    let (url, counts) = keep_alive_receiver(usize::MAX).await;
    deliveries(&server, &url, 5, &counts).await;
    assert_eq!(*counts.lock().unwrap(), (1, 5), "(connections, requests)");
}

#[tokio::test]
async fn a_kept_connection_the_receiver_closed_is_replaced_without_a_failure() {
    let server = MockServer::start();
    let (url, counts) = keep_alive_receiver(1).await;
    deliveries(&server, &url, 4, &counts).await;
    assert_eq!(*counts.lock().unwrap(), (4, 4), "(connections, requests)");
    for _ in 0..200 {
        let info = api(&server, TOKEN, "getWebhookInfo", json!({})).await;
        let info = info.result();
        assert!(info.get("last_error_message").is_none(), "{info}");
        if info["pending_update_count"] == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the last update was not taken off the queue");
}
