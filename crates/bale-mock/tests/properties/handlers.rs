//! The method handlers' parameter parsing: every Bot API method, asked in any case with any
//! parameters (as a query string or a JSON body), answers a Bot API envelope — `ok:true`
//! with a result and status 200, or `ok:false` with an `error_code` equal to the HTTP
//! status and a description — and never panics the server.

use std::time::Duration;

use bale_api::Method;
use bale_mock::fuzzing::mock;
use bale_mock::{Mock, RawRequest, Reply};
use bytes::Bytes;
use proptest::prelude::*;
use serde_json::Value;

const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// Parameter names the methods read, and a few they do not.
fn name() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "chat_id",
        "text",
        "message_id",
        "from_chat_id",
        "reply_markup",
        "parse_mode",
        "offset",
        "limit",
        "timeout",
        "url",
        "allowed_updates",
        "caption",
        "entities",
        "latitude",
        "longitude",
        "phone_number",
        "first_name",
        "callback_query_id",
        "cache_time",
        "show_alert",
        "reply_to_message_id",
        "reply_parameters",
        "inline_message_id",
        "max_connections",
        "secret_token",
        "ip_address",
        "action",
        "drop_pending_updates",
        "horizontal_accuracy",
        "vcard",
        "method",
    ]);
    prop_oneof![4 => known.prop_map(str::to_owned), 1 => "[a-z_]{1,10}"]
}

/// Values at the edges of what each parameter's type reads.
fn value() -> impl Strategy<Value = String> {
    let edge = prop::sample::select(vec![
        "0",
        "-1",
        "1",
        "true",
        "yes",
        "",
        " ",
        "-0",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551616",
        "1e308",
        "-1e308",
        "NaN",
        "inf",
        "[",
        "{",
        "[]",
        "{}",
        "null",
        "[\"message\"]",
        "{\"inline_keyboard\":[[{}]]}",
        "{\"inline_keyboard\":[[{\"text\":\"a\",\"callback_data\":\"b\"}]]}",
        "{\"keyboard\":[[\"a\"]],\"resize_keyboard\":true}",
        "{\"message_id\":1}",
        "http://127.0.0.1:1/hook",
        "https://example.com/",
        "Markdown",
        "HTML",
        "typing",
        "@channel",
        "-1001234567890",
        "123456789",
        "\u{0}",
        "سلام",
    ]);
    prop_oneof![
        3 => edge.prop_map(str::to_owned),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "[ -~]{0,40}",
        1 => any::<String>(),
    ]
}

/// One request: a method in some case, its parameters, and how they travel.
fn call() -> impl Strategy<Value = (String, Vec<(String, String)>, bool)> {
    let method = (prop::sample::select(Method::ALL), 0..3u8).prop_map(|(method, case)| {
        let name = method.name();
        match case {
            0 => name.to_owned(),
            1 => name.to_ascii_lowercase(),
            _ => name.to_ascii_uppercase(),
        }
    });
    (
        method,
        prop::collection::vec((name(), value()), 0..6),
        any::<bool>(),
    )
}

fn request((method, params, as_json): &(String, Vec<(String, String)>, bool)) -> RawRequest {
    let path = format!("/bot{TOKEN}/{method}");
    let (uri, content_type, body) = if *as_json {
        let object: serde_json::Map<String, Value> = params
            .iter()
            .map(|(name, value)| (name.clone(), Value::from(value.clone())))
            .collect();
        let body = serde_json::to_vec(&object).unwrap();
        (
            path,
            Some(http::HeaderValue::from_static("application/json")),
            body,
        )
    } else {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        (format!("{path}?{query}"), None, Vec::new())
    };
    let request = RawRequest::new(http::Method::POST, uri.parse().unwrap(), Bytes::from(body));
    match content_type {
        Some(content_type) => request.with_header(http::header::CONTENT_TYPE, content_type),
        None => request,
    }
}

/// What is wrong with `reply` as a Bot API answer, if anything.
fn envelope_problem(reply: &Reply) -> Option<String> {
    let envelope: Value = match serde_json::from_slice(&reply.body) {
        Ok(envelope) => envelope,
        Err(error) => return Some(format!("not JSON: {error}")),
    };
    let fine = match envelope["ok"].as_bool() {
        Some(true) => reply.status == 200 && envelope.get("result").is_some(),
        Some(false) => {
            envelope["error_code"].as_u64() == Some(u64::from(reply.status))
                && envelope["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty())
        }
        None => false,
    };
    (!fine).then(|| format!("status {} with {envelope}", reply.status))
}

/// Answers `request`; a long poll (with nothing to deliver on a clock that stands still)
/// answers when the server shuts down.
async fn answer(mock: &Mock, request: RawRequest) -> Reply {
    let handling = mock.handle(request);
    tokio::pin!(handling);
    match tokio::time::timeout(Duration::from_secs(3600), &mut handling).await {
        Ok(reply) => reply,
        Err(_) => {
            mock.begin_shutdown();
            handling.await
        }
    }
}

proptest! {
    #![proptest_config(crate::config(96))]

    #[test]
    fn every_method_answers_an_envelope_whatever_its_parameters(
        calls in prop::collection::vec(call(), 1..5),
    ) {
        let runtime = crate::paused_runtime();
        let mock = mock();
        for call in &calls {
            let reply = runtime.block_on(answer(&mock, request(call)));
            if let Some(problem) = envelope_problem(&reply) {
                prop_assert!(false, "{} {:?}: {problem}", call.0, call.1);
            }
        }
    }
}
