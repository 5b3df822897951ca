//! Parameters: a request's query string and body, with its content type, never panic the
//! reading, and what was read decodes into any method's parameter types.
//!
//! The input is `content-type\nquery\nbody`: the first line is the `Content-Type` header
//! (a multipart boundary in it is fuzzed with the body), the second the query string.
#![no_main]

use std::collections::BTreeMap;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use bale_mock::request::{parse_params, Params};
use bytes::Bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let content_type = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = Bytes::copy_from_slice(parts.next().unwrap_or_default());
    let content_type = (!content_type.is_empty()).then_some(&*content_type);
    let query = (!query.is_empty()).then_some(&*query);
    match ready(parse_params(query, content_type, body)) {
        Ok(params) => decode(&params),
        Err(error) => assert!(
            matches!(error.error_code, 400 | 413),
            "{}: {}",
            error.error_code,
            error.description
        ),
    }
});

/// Every scalar and structured shape a method's parameters have.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // Read only by `Debug`: decoding is the test.
struct Shapes {
    chat_id: Option<i64>,
    message_id: Option<i32>,
    limit: Option<u8>,
    offset: Option<u64>,
    text: Option<String>,
    disable: Option<bool>,
    latitude: Option<f64>,
    allowed_updates: Option<Vec<String>>,
    reply_markup: Option<BTreeMap<String, serde_json::Value>>,
}

fn decode(params: &Params) {
    if let Ok(shapes) = params.decode::<Shapes>() {
        let _ = format!("{shapes:?}");
    }
}

/// `parse_params` on a body that is all there never waits: polled once, it is done.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("parse_params waited on a body that is all there"),
    }
}
