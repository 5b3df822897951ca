//! Every way clients send a request is accepted (wire-facts §4).

use std::io::{Read, Write};

use bale_mock::MockServer;
use serde_json::json;

use crate::support::{call, get, send, TOKEN};

fn url(server: &MockServer, method: &str) -> String {
    format!("{}/bot{TOKEN}/{method}", server.uri())
}

#[tokio::test]
async fn get_me_answers_the_bots_user() {
    let server = MockServer::start();
    let answer = get(&server, &format!("/bot{TOKEN}/getMe")).await;
    assert_eq!(
        answer.result(),
        &json!({
            "id": 123456789,
            "is_bot": true,
            "first_name": "Mock Bot 123456789",
            "username": "mock_123456789_bot",
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false
        })
    );
}

#[tokio::test]
async fn get_with_query_string() {
    let server = MockServer::start();
    let answer = get(&server, &format!("/bot{TOKEN}/getMe?a=1&b=x+y")).await;
    answer.result();
    let params = &server.received_requests()[0].params;
    assert_eq!(
        (params["a"].as_str(), params["b"].as_str()),
        (Some("1"), Some("x y"))
    );
}

#[tokio::test]
async fn post_form_merged_with_query_first_wins() {
    let server = MockServer::start();
    let request = reqwest::Client::new()
        .post(format!("{}?a=query", url(&server, "close")))
        .form(&[("a", "body"), ("b", "2")]);
    assert_eq!(send(request).await.result(), &json!(true));
    let entry = &server.received_requests()[0];
    assert_eq!(entry.http_method, "POST");
    assert_eq!(entry.params["a"], "query");
    assert_eq!(entry.params["b"], "2");
}

#[tokio::test]
async fn post_json() {
    let server = MockServer::start();
    let request = reqwest::Client::new()
        .post(url(&server, "logOut"))
        .json(&json!({"x": 5, "nested": {"k": [1]}}));
    assert_eq!(send(request).await.result(), &json!(true));
    let params = &server.received_requests()[0].params;
    assert_eq!(params["x"], "5");
    assert_eq!(params["nested"], r#"{"k":[1]}"#);
}

#[tokio::test]
async fn get_with_json_body() {
    let server = MockServer::start();
    let request = reqwest::Client::new()
        .get(url(&server, "getMe"))
        .json(&json!({"chat_id": 7}));
    send(request).await.result();
    let entry = &server.received_requests()[0];
    assert_eq!(
        (entry.http_method.as_str(), &entry.params["chat_id"]),
        ("GET", &json!("7"))
    );
}

#[tokio::test]
async fn multipart_with_a_file() {
    let server = MockServer::start();
    let form = reqwest::multipart::Form::new().text("chat_id", "9").part(
        "photo",
        reqwest::multipart::Part::bytes(vec![0u8; 10]).file_name("a.jpg"),
    );
    let request = reqwest::Client::new()
        .post(url(&server, "getMe"))
        .multipart(form);
    send(request).await.result();
    let params = &server.received_requests()[0].params;
    assert_eq!(params["chat_id"], "9");
    assert_eq!(params["photo"], "<file a.jpg, 10 bytes>");
}

#[tokio::test]
async fn empty_post_body_with_and_without_json_type() {
    let server = MockServer::start();
    let client = reqwest::Client::new();
    send(client.post(url(&server, "getMe"))).await.result();
    let typed = client
        .post(url(&server, "getMe"))
        .header("content-type", "application/json");
    send(typed).await.result();
}

#[tokio::test]
async fn method_names_ignore_case() {
    let server = MockServer::start();
    for method in ["getme", "GETME", "GetMe"] {
        assert_eq!(call(&server, TOKEN, method).await.result()["id"], 123456789);
    }
    assert_eq!(call(&server, TOKEN, "LOGOUT").await.result(), &json!(true));
}

#[tokio::test]
async fn method_parameter_stands_in_for_an_empty_path_method() {
    let server = MockServer::start();
    let answer = get(&server, &format!("/bot{TOKEN}/?method=getMe")).await;
    assert_eq!(answer.result()["id"], 123456789);
    // A path method wins over the parameter.
    let answer = get(&server, &format!("/bot{TOKEN}/getMe?method=logOut")).await;
    assert_eq!(answer.result()["id"], 123456789);
}

#[tokio::test]
async fn path_is_percent_decoded_before_routing() {
    let server = MockServer::start();
    let encoded = TOKEN.replace(':', "%3A");
    let answer = get(&server, &format!("/bot{encoded}/get%4De")).await;
    assert_eq!(answer.result()["id"], 123456789);
}

/// The exact bytes of an answer: tdlib's headers in tdlib's order, no Date, keep-alive.
#[test]
fn raw_answer_headers() {
    let server = MockServer::start();
    let mut stream = std::net::TcpStream::connect(server.address()).unwrap();
    let request = format!("GET /bot{TOKEN}/logOut HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut buffer = [0u8; 1024];
    let n = stream.read(&mut buffer).unwrap();
    let text = String::from_utf8_lossy(&buffer[..n]);
    assert_eq!(
        text,
        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n\
         Content-Length: 25\r\n\r\n{\"ok\":true,\"result\":true}"
    );
    // The connection stays open for the next request.
    let request = format!("GET /bot{TOKEN}/getMe HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let n = stream.read(&mut buffer).unwrap();
    assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 400 Bad Request\r\n"));
}
