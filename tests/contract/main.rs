//! Contract tests: each client operation run through `bale-client` against `bale-mock`, its
//! output or error envelope pinned as an insta snapshot in `snapshots/contract/`.

mod operations;
mod scenarios;
mod shapes;
mod support;
