//! The committed shape snapshots (insta `.snap` files in `snapshots/shapes/`, embedded at
//! build time) and pending ones (`.snap.new`, written by `--update` for `cargo insta review`).

use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `(case name, file text)` of every committed snapshot.
const COMMITTED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/snapshots.rs"));

/// Where the snapshots live in a checkout, relative to its root.
pub const DIR: &str = "snapshots/shapes";

/// The header insta writes above a snapshot of these tests.
const HEADER: &str = "---\nsource: tests/contract/shapes.rs\nexpression: shape\n---\n";

/// The committed shape of a case, if there is one.
pub fn committed(case: &str) -> Option<Value> {
    COMMITTED
        .iter()
        .find(|(name, _)| *name == case)
        .and_then(|(_, text)| parse(text))
}

/// Every committed snapshot's case name.
pub fn committed_names() -> Vec<&'static str> {
    COMMITTED.iter().map(|(name, _)| *name).collect()
}

/// The JSON of an insta snapshot file: what follows its `---` header.
pub fn parse(text: &str) -> Option<Value> {
    let rest = text.strip_prefix("---\n")?;
    let (_, body) = rest.split_once("\n---\n")?;
    serde_json::from_str(body).ok()
}

/// Writes `shape` as a pending snapshot `DIR/<case>.snap.new`, for `cargo insta review`.
pub fn write_pending(dir: &Path, case: &str, shape: &Value) -> io::Result<PathBuf> {
    let json = serde_json::to_string_pretty(shape).map_err(io::Error::other)?;
    let path = dir.join(format!("{case}.snap.new"));
    std::fs::create_dir_all(dir)?;
    std::fs::write(&path, format!("{HEADER}{json}\n"))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_insta_files() {
        let text = "---\nsource: x.rs\nexpression: shape\n---\n{\n  \"status\": 200\n}\n";
        assert_eq!(parse(text), Some(serde_json::json!({"status": 200})));
        assert_eq!(parse("no header"), None);
    }

    #[test]
    fn every_case_has_a_committed_snapshot_and_no_other_exists() {
        let mut cases: Vec<_> = crate::CASES.iter().map(|c| c.name).collect();
        cases.sort_unstable();
        assert_eq!(committed_names(), cases);
        for case in cases {
            assert!(committed(case).is_some(), "{case} does not parse");
        }
    }
}
