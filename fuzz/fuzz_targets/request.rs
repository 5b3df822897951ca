//! The whole request handler from raw bytes: one HTTP/1.1 connection of a fresh server,
//! served by its own connection code on an in-memory pipe, answers with well-formed HTTP
//! responses whose envelopes agree with their statuses (or closes), and ends when the
//! server shuts down.
#![no_main]

use std::sync::OnceLock;

use bale_mock::fuzzing::{check_answer, exchange, mock};
use libfuzzer_sys::fuzz_target;
use tokio::runtime::Runtime;

/// One runtime for the whole process; its time is paused, so idling costs nothing.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let exchange = runtime().block_on(exchange(mock(), data));
    assert!(
        exchange.ended,
        "the connection outlived the server's shutdown"
    );
    if let Err(problem) = check_answer(&exchange.answer) {
        panic!(
            "{problem}\n--- answer\n{}",
            String::from_utf8_lossy(&exchange.answer)
        );
    }
});
