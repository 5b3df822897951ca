//! The contract suite: the cases, how an answer is reduced to a shape, the committed shape
//! snapshots, the runner and its reports. The in-repo snapshot tests
//! (`tests/contract/shapes.rs`) and `bale-mock contract` share all of it, so the suite the
//! mock passes in CI is exactly the suite a user runs against the real API.
//!
//! # Layout
//!
//! - [`case`]: [`CASES`], the cases as data.
//! - [`shape`]: an answer → its shape; the differences between two shapes.
//! - [`snapshot`]: the committed snapshots (embedded at build time) and pending ones.
//! - [`mod@run`]: running the cases against a target, waiting out rate limits.
//! - [`report`]: text, JSON and JUnit reports.
//! - [`target`]: the in-process mock target.

pub mod case;
pub mod report;
pub mod run;
pub mod shape;
pub mod snapshot;
pub mod target;

pub use case::{Case, TokenVariant, CASES};
pub use run::{run, CaseResult, Options, Outcome, Report};
pub use target::{start_mock, MOCK_TOKEN};
