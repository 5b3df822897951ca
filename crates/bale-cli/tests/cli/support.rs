//! Running the binary and snapshotting what it printed.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

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

/// A scratch folder of a test's own under the system temp dir, removed on drop.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("bale-mock-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `bale-mock serve` as a process, killed on drop.
pub struct Served {
    pub child: Child,
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`, from the ready line.
    pub base_url: String,
}

impl Served {
    /// `127.0.0.1:PORT`.
    pub fn address(&self) -> &str {
        self.base_url
            .split_once("://")
            .map_or("", |(_, address)| address)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bale-mock serve --listen 127.0.0.1:0 ARGS` and waits for its ready line.
pub fn serve(args: &[&str]) -> Served {
    let mut child = bale_mock()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bale-mock serve");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let base_url = first_line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .to_owned();
    Served { child, base_url }
}
