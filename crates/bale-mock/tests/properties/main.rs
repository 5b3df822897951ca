//! Property tests: the parts of the server that read untrusted input — paths and tokens,
//! parameters, scenario files, the method handlers — never panic and answer in the Bot
//! API's shape for whatever proptest generates; and the inputs the fuzz targets found
//! (`fuzz/regressions/`), replayed. Case counts are small so that the whole binary takes
//! about a second.

mod handlers;
mod params;
mod regressions;
mod scenario;
mod token;

use std::future::Future;
use std::task::{Context, Poll, Waker};

/// `cases` cases, and no failure files written into the source tree (a failure prints its
/// minimal input; keep it as a plain test).
fn config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// The output of a future that never waits (parameter reading on a body that is all
/// there): polled once, it is done.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("waited on input that was all there"),
    }
}

/// A runtime whose time is paused: a wait with nothing else to do passes at once.
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
}
