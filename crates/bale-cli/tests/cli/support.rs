//! Running the binary and snapshotting what it printed.

use std::process::{Command, Output};

/// A well-formed token of bot 123456789.
pub const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// The binary under test.
pub fn bale_mock() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bale-mock"));
    command
        .env_remove("BALE_TOKEN")
        .env_remove("BALE_BASE_URL")
        .env_remove("BALE_CA_CERT");
    command
}

/// Runs `bale-mock call` with `args`, the token in `BALE_TOKEN`.
pub fn call(base_url: &str, token: &str, args: &[&str]) -> Output {
    bale_mock()
        .arg("call")
        .args(args)
        .args(["--base-url", base_url])
        .env("BALE_TOKEN", token)
        .output()
        .expect("run bale-mock")
}

/// Exit code, stdout and stderr as one text, for a snapshot.
pub fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

/// Snapshots `output` as `name` in the top-level `snapshots/cli/`, ports and tokens redacted.
pub fn snapshot(name: &str, output: &Output) {
    let text = transcript(output);
    assert!(!text.contains("AAHdqTcv"), "the token was printed: {text}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../../snapshots/cli"));
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    settings.add_filter(r"\d+:[A-Za-z0-9_-]{24,}", "[token]");
    settings.bind(|| insta::assert_snapshot!(name, text));
}
