//! HTTPS: `MockServer::builder().tls()` and bale-client trusting its CA, answers and faults
//! as an HTTP client sees them over TLS.

use std::time::Duration;

use bale_client::{Client, Error, InvalidReason, NetworkErrorKind};
use bale_mock::MockServer;

use crate::support::TOKEN;

/// A client of `server` that trusts its generated CA.
fn trusting(server: &MockServer, token: &str) -> Client {
    Client::builder(token)
        .base_url(&server.uri())
        .ca_cert_pem(server.ca_pem().expect("a TLS server has a CA").as_bytes())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A token of the network-faults scenario's bot `id`.
fn bot(id: u64) -> String {
    format!("{id}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
}

#[tokio::test]
async fn get_me_over_https() {
    let server = MockServer::builder().tls().start();
    assert!(
        server.uri().starts_with("https://127.0.0.1:"),
        "{}",
        server.uri()
    );
    let me = trusting(&server, TOKEN).get_me().await.unwrap();
    assert_eq!(me.id, 123_456_789);
    assert_eq!(server.received_requests().len(), 1);
}

#[tokio::test]
async fn a_plain_server_has_no_ca() {
    let server = MockServer::start();
    assert!(server.uri().starts_with("http://"), "{}", server.uri());
    assert_eq!(server.ca_pem(), None);
}

#[tokio::test]
async fn a_client_without_the_ca_fails_the_handshake() {
    let server = MockServer::builder().tls().start();
    let client = Client::builder(TOKEN)
        .base_url(&server.uri())
        .build()
        .unwrap();
    let error = client.get_me().await.unwrap_err();
    assert_eq!(
        error.network_kind(),
        Some(NetworkErrorKind::Tls),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("UnknownIssuer"), "{message}");
    assert!(
        !message.contains("AAHdqTcv"),
        "the token was shown: {message}"
    );
    // The server went on serving.
    trusting(&server, TOKEN).get_me().await.unwrap();
    assert_eq!(server.received_requests().len(), 1);
}

#[tokio::test]
async fn faults_over_https_are_classified_as_over_http() {
    let server = MockServer::builder()
        .tls()
        .scenario_named("network-faults")
        .start();

    let error = trusting(&server, &bot(900_000_002))
        .get_me()
        .await
        .unwrap_err();
    assert_eq!(
        error.network_kind(),
        Some(NetworkErrorKind::Reset),
        "{error:?}"
    );

    let error = trusting(&server, &bot(900_000_003))
        .get_me()
        .await
        .unwrap_err();
    assert_eq!(
        error.network_kind(),
        Some(NetworkErrorKind::Closed),
        "{error:?}"
    );

    let error = trusting(&server, &bot(900_000_004))
        .get_me()
        .await
        .unwrap_err();
    match error {
        Error::InvalidResponse {
            status: 200,
            reason: InvalidReason::Truncated,
            excerpt,
        } => assert!(excerpt.starts_with("{\"ok\":true"), "{excerpt}"),
        other => panic!("not a truncated body: {other:?}"),
    }

    let error = trusting(&server, &bot(900_000_005))
        .get_me()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidResponse {
                reason: InvalidReason::NotJson,
                ..
            }
        ),
        "{error:?}"
    );

    let error = trusting(&server, &bot(900_000_006))
        .get_me()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(502), "{error:?}");
}
