//! The mock's control API from a test, over a plain socket: making groups, playing users.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::Value;

/// `POST <path>` with a JSON body to the mock at `address` (`127.0.0.1:PORT`); the answer's
/// JSON body.
pub fn post(address: &str, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    exchange(address, path, &(head + &body))
}

/// `GET <path>` from the mock at `address`; the answer's JSON body.
pub fn get(address: &str, path: &str) -> Value {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    exchange(address, path, &request)
}

/// Sends `request`, reads the answer to the end, and parses its body (the mock always sends
/// `Content-Length`, never chunks).
fn exchange(address: &str, path: &str, request: &str) -> Value {
    let mut stream = TcpStream::connect(address).expect("connect to the mock");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{path}: {answer}");
    serde_json::from_str(body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"))
}

/// A user writes `text` to `bot`, which opens their private chat with it.
pub fn user_writes(address: &str, bot: u64, user: u64, text: &str) -> Value {
    let path = format!("/__mock/bots/{bot}/messages");
    post(
        address,
        &path,
        &serde_json::json!({"from": user, "text": text}),
    )
}

/// A supergroup (where every member method works, unbanChatMember included) of `members`,
/// the first its creator, with `bot` as an administrator; its id.
pub fn supergroup(address: &str, bot: u64, members: &[u64]) -> i64 {
    let members: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(i, user)| match i {
            0 => serde_json::json!({"user": user, "status": "creator"}),
            _ => serde_json::json!({"user": user}),
        })
        .collect();
    let chat = serde_json::json!({
        "type": "supergroup",
        "title": "T",
        "members": members,
        "bots": [{"bot": bot, "status": "administrator"}],
    });
    let answer = post(address, "/__mock/chats", &chat);
    answer["chat"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no chat id in {answer}"))
}
