//! The real `bale-mock` binary: `call` against an in-process mock, and `serve` as a process.

mod call;
mod serve;
mod support;
