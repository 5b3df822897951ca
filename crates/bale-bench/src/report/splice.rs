//! `BENCHMARKS.md`: the measured part is spliced between the markers, so that the notes
//! around it are kept; a missing file is written with a header.

use std::path::Path;

use anyhow::Context;

const BEGIN: &str = "<!-- bench:begin (written by bale-bench; edits inside are overwritten) -->";
const END: &str = "<!-- bench:end -->";

/// Replaces the measured part of `path` (between the markers), or writes a new file.
pub fn write(path: &Path, measured: &str) -> anyhow::Result<()> {
    let block = format!("{BEGIN}\n\n{}\n{END}", measured.trim_end());
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let text = match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{block}{}", &existing[..b], &existing[e + END.len()..])
        }
        _ => format!("{}\n\n{block}\n", header().trim_end()),
    };
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The start of a new `BENCHMARKS.md`, before the markers.
fn header() -> &'static str {
    "# Benchmarks\n\n\
     How fast, small and quick to start `bale-mock serve` is, measured against a bare hyper \
     server (the limit of the machine) and telegram-test-api (the npm Bot API emulator), in \
     one run. Re-run everything with one command:\n\n\
     ```sh\nbench/run\n```\n\n\
     The part between the markers below is rewritten by each run; notes outside it are kept."
}
