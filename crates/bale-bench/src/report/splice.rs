//! `BENCHMARKS.md`: the measured part is spliced between the markers, so that the notes
//! around it are kept; a missing file is written with a header.

use std::path::Path;

use anyhow::Context;

const BEGIN: &str = "<!-- bench:begin (written by bale-bench; edits inside are overwritten) -->";
const END: &str = "<!-- bench:end -->";
const SOAK_BEGIN: &str =
    "<!-- soak:begin (written by bale-bench --conversations-soak; edits inside are overwritten) -->";
const SOAK_END: &str = "<!-- soak:end -->";

/// Replaces the measured part of `path` (between the markers), or writes a new file.
pub fn write(path: &Path, measured: &str) -> anyhow::Result<()> {
    write_between(path, BEGIN, END, measured)
}

/// Replaces the conversation soak's part of `path`, or appends it.
pub fn write_soak(path: &Path, measured: &str) -> anyhow::Result<()> {
    write_between(path, SOAK_BEGIN, SOAK_END, measured)
}

fn write_between(path: &Path, begin: &str, end: &str, measured: &str) -> anyhow::Result<()> {
    let block = format!("{begin}\n\n{}\n{end}", measured.trim_end());
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let text = match (existing.find(begin), existing.find(end)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{block}{}", &existing[..b], &existing[e + end.len()..])
        }
        // A file without these markers keeps what it has; the part is added at its end.
        _ if !existing.trim().is_empty() => format!("{}\n\n{block}\n", existing.trim_end()),
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
