//! Every error answer: routing, tokens in both dialects, HTTP methods, bodies.

use bale_api::Dialect;
use bale_mock::MockServer;

use crate::support::{call, get, send, TOKEN};

#[tokio::test]
async fn paths_that_name_no_bot_are_not_found() {
    let server = MockServer::start();
    for path in [
        "/",
        "/getMe",
        "//bot1/getMe",
        &format!("/file/bot{TOKEN}/x"),
        &format!("/bot{TOKEN}"),
    ] {
        assert_eq!(
            get(&server, path).await.error(),
            (404, "Not Found"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_methods_are_not_found_never_a_fake_success() {
    let server = MockServer::start();
    // answerInlineQuery is in the catalogue but Bale serves no inline mode; sendDice and
    // getMyCommands are Telegram methods Bale does not have.
    for method in [
        "answerInlineQuery",
        "sendDice",
        "getMyCommands",
        "getMe/extra",
        "",
        "..%2F..%2Fetc%2Fpasswd",
        "sendTelepathy",
    ] {
        let answer = get(&server, &format!("/bot{TOKEN}/{method}")).await;
        assert_eq!(
            answer.error(),
            (404, "Not Found: method not found"),
            "{method}"
        );
    }
}

#[tokio::test]
async fn bale_rejects_every_bad_token_as_token_not_found() {
    let server = MockServer::start();
    for token in [
        "",
        "123456:AAFAKE-token",
        "abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        "0123:x",
        "nocolon",
    ] {
        let answer = call(&server, token, "getMe").await;
        assert_eq!(
            answer.error(),
            (403, "Bad Request: Token not found"),
            "{token:?}"
        );
    }
}

#[tokio::test]
async fn telegram_tells_bad_tokens_apart() {
    let server = MockServer::builder().dialect(Dialect::Telegram).start();
    let cases = [
        ("", 401, "Unauthorized: invalid token specified"),
        ("nocolon", 401, "Unauthorized: invalid token specified"),
        (
            "0123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            401,
            "Unauthorized: invalid token specified",
        ),
        (
            "abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            421,
            "Misdirected Request: unallowed token specified",
        ),
        ("123456:AAFAKE-token", 401, "Unauthorized"),
    ];
    for (token, code, description) in cases {
        assert_eq!(
            call(&server, token, "getMe").await.error(),
            (code, description),
            "{token:?}"
        );
    }
    // A good token works the same in both dialects.
    assert_eq!(
        call(&server, TOKEN, "getMe").await.result()["id"],
        123456789
    );
}

#[tokio::test]
async fn the_token_is_checked_before_the_method() {
    let server = MockServer::start();
    let answer = call(&server, "123456:AAFAKE-token", "noSuchMethod").await;
    assert_eq!(answer.error(), (403, "Bad Request: Token not found"));
}

#[tokio::test]
async fn methods_other_than_get_and_post_are_not_implemented() {
    let server = MockServer::start();
    let url = format!("{}/bot{TOKEN}/getMe", server.uri());
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let answer = send(reqwest::Client::new().request(method.clone(), &url)).await;
        assert_eq!(answer.error(), (501, "Not Implemented"), "{method}");
    }
}

#[tokio::test]
async fn broken_bodies_are_bad_requests() {
    let server = MockServer::start();
    let url = format!("{}/bot{TOKEN}/getMe", server.uri());
    let cases = [
        (
            "application/json",
            "{\"a\":1",
            "Bad Request: can't parse JSON: ",
        ),
        (
            "application/json",
            "[1,2]",
            "Bad Request: JSON object expected",
        ),
        (
            "multipart/form-data",
            "x",
            "Bad Request: boundary not found",
        ),
    ];
    for (content_type, body, description) in cases {
        let request = reqwest::Client::new()
            .post(&url)
            .header("content-type", content_type)
            .body(body);
        let answer = send(request).await;
        let (status, text) = answer.error();
        assert_eq!(status, 400, "{body}");
        assert!(text.starts_with(description), "{text}");
    }
}

#[tokio::test]
async fn parameters_over_one_mebibyte_are_too_large() {
    let server = MockServer::start();
    let request = reqwest::Client::new()
        .post(format!("{}/bot{TOKEN}/getMe", server.uri()))
        .form(&[("text", "a".repeat(1 << 20))]);
    let answer = send(request).await;
    assert_eq!(
        answer.error(),
        (413, "Request Entity Too Large: too many parameters")
    );
}

#[tokio::test]
async fn rejected_requests_are_journaled_without_the_token() {
    let server = MockServer::start();
    call(&server, "123456:AAFAKE-token", "getMe").await;
    let entries = server.received_requests();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].bot_id, entries[0].status),
        (Some(123456), Some(403))
    );
    let exported = serde_json::to_string(&entries).unwrap();
    assert!(!exported.contains("AAFAKE"), "{exported}");
}

#[tokio::test]
async fn a_misplaced_token_is_not_journaled_either() {
    let server = MockServer::start();
    let answer = get(&server, &format!("/bot/{TOKEN}/getMe")).await;
    assert_eq!(answer.error(), (403, "Bad Request: Token not found"));
    let exported = serde_json::to_string(&server.received_requests()).unwrap();
    assert!(!exported.contains("AAHdqTcv"), "{exported}");
}

#[tokio::test]
async fn a_bot_has_one_token_the_first_seen() {
    let server = MockServer::start();
    let other_secret = "123456789:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    call(&server, TOKEN, "getMe").await.result();
    assert_eq!(
        call(&server, other_secret, "getMe").await.error(),
        (403, "Bad Request: Token not found")
    );
    call(&server, TOKEN, "getMe").await.result();
    // A reset forgets which token claimed the bot.
    server.reset();
    call(&server, other_secret, "getMe").await.result();
}

/// Bytes that are not HTTP get an HTTP error status from the transport (no envelope: tdlib
/// sends none either) and never take the server down.
#[test]
fn garbage_is_answered_and_the_server_keeps_serving() {
    use std::io::{Read, Write};
    let server = MockServer::start();
    let garbage: [&[u8]; 4] = [
        b"\x00\x01\x02 garbage\r\n\r\n",
        b"GET /bot1/getMe HTTP/9.9\r\n\r\n",
        b"GET /bot1/getMe HTTP/1.1\r\nno colon here\r\n\r\n",
        b"POST /bot1/getMe HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
    ];
    for bytes in garbage {
        let mut stream = std::net::TcpStream::connect(server.address()).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        stream.write_all(bytes).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.starts_with("HTTP/1.1 4") || answer.starts_with("HTTP/1.1 5"),
            "{:?} got {answer:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        assert_eq!(
            call(&server, TOKEN, "getMe").await.result()["id"],
            123456789
        );
    });
}
