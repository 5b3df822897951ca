//! The opt-in retry policy against real sockets (waits kept at 0–1 s).

use std::time::{Duration, Instant};

use bale_client::{Client, RetryPolicy};

use crate::support::{json, response, Canned, TOKEN};

fn too_many(retry_after: u64) -> crate::support::Reply {
    json(
        "429 Too Many Requests",
        &format!(
            r#"{{"ok":false,"error_code":429,"description":"Too Many Requests: retry after {retry_after}","parameters":{{"retry_after":{retry_after}}}}}"#
        ),
    )
}

fn client(uri: &str, policy: RetryPolicy) -> Client {
    Client::builder(TOKEN)
        .base_url(uri)
        .retry(policy)
        .build()
        .unwrap()
}

#[tokio::test]
async fn retries_after_the_requested_wait() {
    let mut server = Canned::start(vec![
        too_many(1),
        json("200 OK", r#"{"ok":true,"result":true}"#),
    ])
    .await;
    let client = client(server.uri(), RetryPolicy::new(2, Duration::from_secs(5)));
    let started = Instant::now();
    assert!(client.close().await.unwrap());
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.received(), 2);
}

#[tokio::test]
async fn honours_the_header_of_a_plain_text_429() {
    let limited = response(
        "429 Too Many Requests",
        &[("retry-after", "0"), ("content-type", "text/plain")],
        "local_rate_limited",
    );
    let ok = json("200 OK", r#"{"ok":true,"result":true}"#);
    let mut server = Canned::start(vec![limited.clone(), limited, ok]).await;
    let client = client(server.uri(), RetryPolicy::new(2, Duration::from_secs(1)));
    assert!(client.log_out().await.unwrap());
    assert_eq!(server.received(), 3);
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let mut server = Canned::always(too_many(0)).await;
    let client = client(server.uri(), RetryPolicy::new(2, Duration::from_secs(1)));
    let error = client.close().await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(0));
    assert_eq!(server.received(), 3);
}

#[tokio::test]
async fn a_wait_longer_than_max_wait_is_returned_at_once() {
    let mut server = Canned::always(too_many(3600)).await;
    let client = client(server.uri(), RetryPolicy::new(5, Duration::from_secs(60)));
    let started = Instant::now();
    let error = client.close().await.unwrap_err();
    assert_eq!(error.retry_after(), Some(3600));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.received(), 1);
}

#[tokio::test]
async fn the_default_policy_never_retries() {
    let mut server = Canned::always(too_many(0)).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    assert!(client.close().await.unwrap_err().is_rate_limited());
    assert_eq!(server.received(), 1);
}
