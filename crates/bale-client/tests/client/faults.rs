//! Transport faults and unusable bodies: each is classified, and no error shows the token.

use std::time::Duration;

use bale_client::{Client, Error, InvalidReason, NetworkErrorKind};

use crate::support::{json, refused_uri, response, Canned, Reply, SECRET, TOKEN};

/// Calls `logOut` against `uri` with short timeouts, and checks that neither `Display` nor
/// `Debug` of the error shows the token.
async fn fail(uri: &str) -> Error {
    let client = Client::builder(TOKEN)
        .base_url(uri)
        .timeout(Duration::from_millis(500))
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = client.log_out().await.unwrap_err();
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!shown.contains(SECRET), "the token leaked: {shown}");
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
    }
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        assert!(!format!("{inner} {inner:?}").contains(SECRET));
        source = inner.source();
    }
    error
}

async fn fail_with(reply: Reply) -> Error {
    let server = Canned::always(reply).await;
    fail(server.uri()).await
}

fn network_kind(error: &Error) -> NetworkErrorKind {
    error
        .network_kind()
        .unwrap_or_else(|| panic!("not a network error: {error:?}"))
}

fn invalid(error: Error) -> (u16, InvalidReason, String) {
    match error {
        Error::InvalidResponse {
            status,
            reason,
            excerpt,
        } => (status, reason, excerpt),
        other => panic!("not an invalid response: {other:?}"),
    }
}

#[tokio::test]
async fn refused_is_connect() {
    let error = fail(&refused_uri().await).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Connect);
}

#[tokio::test]
async fn no_answer_is_timeout() {
    let error = fail_with(Reply::Hang).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Timeout);
}

#[tokio::test]
async fn empty_reply_is_closed() {
    let error = fail_with(Reply::Close).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Closed);
}

#[tokio::test]
async fn reset_is_reset() {
    let error = fail_with(Reply::Reset).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Reset);
}

#[tokio::test]
async fn a_body_cut_short_is_truncated_with_what_arrived() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
    let error = fail_with(Reply::Raw(format!("{head}{{\"ok\":true").into_bytes())).await;
    assert_eq!(
        invalid(error),
        (200, InvalidReason::Truncated, "{\"ok\":true".to_owned())
    );
}

#[tokio::test]
async fn a_body_that_stalls_is_timeout() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{";
    let error = fail_with(Reply::Stall(head.as_bytes().to_vec())).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Timeout);
}

#[tokio::test]
async fn an_html_proxy_page_is_not_json_and_its_echo_of_the_token_is_redacted() {
    let page = format!("<html><body><h1>502 Bad Gateway</h1>POST /bot{TOKEN}/logOut</body></html>");
    let error = fail_with(response(
        "502 Bad Gateway",
        &[("content-type", "text/html")],
        &page,
    ))
    .await;
    let (status, reason, excerpt) = invalid(error);
    assert_eq!((status, reason), (502, InvalidReason::NotJson));
    assert!(excerpt.contains("POST /bot<token>/logOut"), "{excerpt}");
}

#[tokio::test]
async fn malformed_and_empty_json_are_invalid() {
    let error = fail_with(json("200 OK", r#"{"ok":tru"#)).await;
    assert_eq!(
        invalid(error),
        (200, InvalidReason::NotJson, r#"{"ok":tru"#.to_owned())
    );
    let error = fail_with(json("200 OK", "")).await;
    assert_eq!(invalid(error), (200, InvalidReason::Empty, String::new()));
    let error = fail_with(json("500 Internal Server Error", r#"{"error":"x"}"#)).await;
    assert_eq!(invalid(error).1, InvalidReason::NotEnvelope);
}

#[tokio::test]
async fn a_plain_text_429_is_rate_limited_with_the_headers_wait() {
    let reply = response(
        "429 Too Many Requests",
        &[("Retry-After", "3"), ("content-type", "text/plain")],
        "local_rate_limited",
    );
    let error = fail_with(reply).await;
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(3));
    assert!(
        matches!(&error, Error::RateLimited { body_excerpt, .. } if body_excerpt == "local_rate_limited")
    );
}

#[tokio::test]
async fn a_json_429_is_an_api_error_that_is_rate_limited() {
    let body = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
    let error = fail_with(response(
        "429 Too Many Requests",
        &[("Retry-After", "7"), ("content-type", "application/json")],
        body,
    ))
    .await;
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(7));
    assert_eq!(error.api_error().map(|e| e.error_code), Some(429));
}

#[tokio::test]
async fn a_bad_base_url_is_rejected_before_any_request() {
    let error = Client::new("ftp://127.0.0.1/", TOKEN).unwrap_err();
    assert!(matches!(error, Error::InvalidBaseUrl { .. }), "{error:?}");
    let error = Client::new(&format!("http://127.0.0.1/bot{TOKEN}?x"), TOKEN).unwrap_err();
    assert!(!format!("{error} {error:?}").contains(SECRET), "{error:?}");
}

#[tokio::test]
async fn https_to_a_server_that_does_not_speak_tls_is_tls() {
    // Answers plain HTTP at once, whatever it is sent.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            use tokio::io::AsyncWriteExt;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let error = fail(&format!("https://{address}")).await;
    assert_eq!(network_kind(&error), NetworkErrorKind::Tls);
    assert!(
        error.to_string().starts_with("network error (tls): "),
        "{error}"
    );
}
