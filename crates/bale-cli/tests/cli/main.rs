//! The real `bale-mock` binary: `call` against an in-process mock, and `serve` as a process.

mod call;
mod contract;
mod scenario_calls;
mod scenarios;
mod serve;
mod support;
mod tls;
