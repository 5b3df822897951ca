//! Inputs the fuzz targets found (`fuzz/regressions/<target>/`), replayed with the property
//! their target checks. A new finding is fixed, then its input is added to the folder.

use std::path::PathBuf;

use bale_mock::fuzzing::{check_answer, exchange, mock};

/// Every input kept for `target`, by file name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn requests_the_fuzzer_found_are_answered_in_well_formed_http() {
    let inputs = inputs("request");
    assert!(!inputs.is_empty());
    let runtime = crate::paused_runtime();
    for (name, raw) in inputs {
        let exchange = runtime.block_on(exchange(mock(), &raw));
        assert!(
            exchange.ended,
            "{name}: the connection outlived the shutdown"
        );
        let answered = check_answer(&exchange.answer).unwrap_or_else(|problem| {
            panic!(
                "{name}: {problem}\n{}",
                String::from_utf8_lossy(&exchange.answer)
            )
        });
        assert!(answered >= 1, "{name}: no answer");
    }
}
