//! Snapshot settings and the one call every case makes.

use bale_api::Envelope;
use bale_client::{Client, Error, Operation};
use bale_mock::MockServer;
use serde_json::{json, Value};

/// A well-formed token of bot 123456789.
pub const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// Snapshots go to the top-level `snapshots/contract/`, named explicitly, with loopback
/// ports and anything shaped like a token redacted.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/contract"));
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r"\d+:[A-Za-z0-9_-]{24,}", "[token]");
    settings
}

/// Runs `method` as the n8n node does: `{"output": …}` on success, `{"error": envelope}` on
/// an API error. Any other failure fails the test.
pub async fn outcome(server: &MockServer, token: &str, method: &str) -> Value {
    let client = Client::new(&server.uri(), token).expect("client");
    let outcome = classify(Operation::from_name(method).run(&client, &json!({})).await);
    assert!(
        outcome.get("output").is_some() || outcome.get("error").is_some(),
        "{method}: not an API answer: {outcome}"
    );
    outcome
}

/// What a call ended in, as the client classifies it, without volatile text (OS error
/// messages): `output`, `error` (the envelope), `rate_limited`, `network` or
/// `invalid_response`.
pub fn classify(result: Result<Value, Error>) -> Value {
    match result {
        Ok(output) => json!({ "output": output }),
        Err(Error::Api(error)) => json!({ "error": Envelope::<Value>::Err(error) }),
        Err(Error::RateLimited {
            retry_after,
            body_excerpt,
        }) => {
            json!({ "rate_limited": { "retry_after": retry_after, "body": body_excerpt } })
        }
        Err(Error::Network { kind, .. }) => json!({ "network": kind.name() }),
        Err(Error::InvalidResponse { status, reason, .. }) => {
            json!({ "invalid_response": { "status": status, "reason": reason.to_string() } })
        }
        Err(other) => panic!("not a call outcome: {other}"),
    }
}

/// Snapshots `value` as `name`.
pub fn snapshot(name: &str, value: &Value) {
    settings().bind(|| insta::assert_json_snapshot!(name, value));
}
