//! What the client sends, and what typed methods and n8n operations make of the answers.

use bale_client::{Client, Error, InvalidReason, Operation};
use serde_json::{json, Value};

use crate::support::{json as json_reply, Canned, TOKEN};

const USER: &str = r#"{"id":123456789,"is_bot":true,"first_name":"Mock Bot","username":"mock_bot","can_join_groups":true,"extra":"kept"}"#;

fn ok(result: &str) -> String {
    format!(r#"{{"ok":true,"result":{result}}}"#)
}

#[tokio::test]
async fn posts_json_to_bot_token_slash_method() {
    let mut server = Canned::always(json_reply("200 OK", &ok("true"))).await;
    let base = format!("{}/prefix/", server.uri());
    let client = Client::new(&base, TOKEN).unwrap();

    assert!(client.log_out().await.unwrap());
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        format!("POST /prefix/bot{TOKEN}/logOut HTTP/1.1")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({}));

    let params = json!({"chat_id": 42, "text": "salam"});
    client.call("sendMessage", &params).await.unwrap();
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        format!("POST /prefix/bot{TOKEN}/sendMessage HTTP/1.1")
    );
    assert_eq!(request.json(), params);

    client.call("getUpdates", &Value::Null).await.unwrap();
    assert_eq!(server.next_request().await.json(), json!({}));
}

#[tokio::test]
async fn malformed_tokens_are_sent_as_given() {
    let mut server = Canned::always(json_reply("200 OK", &ok("true"))).await;
    let client = Client::new(server.uri(), "not a token/").unwrap();
    client.close().await.unwrap();
    let request = server.next_request().await;
    assert_eq!(
        request.request_line,
        "POST /botnot%20a%20token%2F/close HTTP/1.1"
    );
}

#[tokio::test]
async fn typed_methods_convert_results() {
    let server = Canned::start(vec![
        json_reply("200 OK", &ok(USER)),
        json_reply("200 OK", &ok("true")),
        json_reply("200 OK", &ok(r#""yes""#)),
    ])
    .await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let me = client.get_me().await.unwrap();
    assert_eq!(
        (me.id, me.is_bot, me.first_name.as_str()),
        (123456789, true, "Mock Bot")
    );
    assert!(client.close().await.unwrap());
    match client.log_out().await.unwrap_err() {
        Error::InvalidResponse {
            status,
            reason,
            excerpt,
        } => {
            assert_eq!((status, reason), (200, InvalidReason::UnexpectedResult));
            assert_eq!(excerpt, r#""yes""#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn operations_give_the_n8n_nodes_output() {
    let server = Canned::start(vec![
        json_reply("200 OK", &ok(USER)),
        json_reply("200 OK", &ok("true")),
        json_reply("200 OK", &ok("true")),
        json_reply("200 OK", &ok(r#"{"message_id":7}"#)),
    ])
    .await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let user: Value = serde_json::from_str(USER).unwrap();
    let cases = [
        ("GETME", user),
        ("logout", json!({"logged_out": true})),
        ("close", json!({"closed": true})),
        ("sendMessage", json!({"message_id": 7})),
    ];
    for (name, want) in cases {
        let output = Operation::from_name(name).run(&client, &Value::Null).await;
        assert_eq!(output.unwrap(), want, "{name}");
    }
}

#[tokio::test]
async fn api_errors_keep_code_description_and_parameters() {
    let body = r#"{"ok":false,"error_code":403,"description":"Bad Request: Token not found"}"#;
    let server = Canned::always(json_reply("403 Forbidden", body)).await;
    let client = Client::new(server.uri(), TOKEN).unwrap();
    let error = client.log_out().await.unwrap_err();
    assert!(error.is_unauthorized());
    assert!(!error.is_rate_limited());
    let api = error.api_error().unwrap();
    assert_eq!(
        (api.error_code, api.description.as_str()),
        (403, "Bad Request: Token not found")
    );
    assert_eq!(
        error.to_string(),
        "API error 403 Bad Request: Token not found"
    );

    let error = Operation::LogOut
        .run(&client, &Value::Null)
        .await
        .unwrap_err();
    assert!(error.is_unauthorized());
}
