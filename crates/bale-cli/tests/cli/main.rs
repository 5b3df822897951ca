//! The real `bale-mock` binary: `call` against an in-process mock and against `serve` as a
//! process (the n8n node's operations, uploads, downloads), and `serve` itself.

mod call;
mod call_operations;
mod contract;
mod control;
mod scenario_calls;
mod scenarios;
mod serve;
mod support;
mod tls;
