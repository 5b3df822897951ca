//! The three servers under test: which they are, where their programs are, and how to
//! start each one.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

use crate::process::{free_port, Launch};

/// The three servers, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `bale-mock serve`, the server under test.
    Mock,
    /// `bare-hyper`, the transport ceiling.
    Bare,
    /// telegram-test-api, under node.
    Ttapi,
}

impl Kind {
    /// Every server, in table order (the mock first).
    pub const ALL: [Kind; 3] = [Kind::Mock, Kind::Bare, Kind::Ttapi];

    /// The server's name in logs and tables.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mock => "bale-mock",
            Kind::Bare => "bare-hyper",
            Kind::Ttapi => "telegram-test-api",
        }
    }
}

/// Where the programs are.
pub struct Paths {
    /// The repository root.
    pub root: PathBuf,
    /// The `bale-mock` binary.
    pub mock: PathBuf,
    /// The `bare-hyper` binary.
    pub bare: PathBuf,
    /// `bench/node`, where telegram-test-api is installed.
    pub node_dir: PathBuf,
    /// `target/bench-logs`, for the servers' logs and the generated scenario.
    pub logs: PathBuf,
}

impl Paths {
    /// Finds the repository (`root`, or the one this crate is in), the two binaries beside
    /// this one, and creates the logs folder.
    pub fn find(root: Option<&Path>) -> anyhow::Result<Paths> {
        let root = match root {
            Some(root) => root.to_path_buf(),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
        };
        let root = root
            .canonicalize()
            .with_context(|| format!("no repository at {}", root.display()))?;
        let exe = std::env::current_exe()?;
        let bin_dir = exe
            .parent()
            .ok_or_else(|| anyhow!("no folder for {}", exe.display()))?;
        let mock = bin_dir.join("bale-mock");
        let bare = bin_dir.join("bare-hyper");
        for bin in [&mock, &bare] {
            if !bin.is_file() {
                bail!(
                    "{} is missing: build with `cargo build --release -p bale-cli -p bale-bench` \
                     (bench/run does)",
                    bin.display()
                );
            }
        }
        if cfg!(debug_assertions) {
            eprintln!(
                "warning: a debug build of the driver; the servers beside it may be debug too"
            );
        }
        let logs = root.join("target/bench-logs");
        std::fs::create_dir_all(&logs)?;
        Ok(Paths {
            node_dir: root.join("bench/node"),
            root,
            mock,
            bare,
            logs,
        })
    }

    /// How to start a server of `kind` on `port` (0: any, except for telegram-test-api,
    /// which needs a real one).
    pub fn launch(&self, kind: Kind, port: u16) -> anyhow::Result<Launch> {
        let address = format!("127.0.0.1:{port}");
        Ok(match kind {
            Kind::Mock => Launch {
                name: kind.name(),
                program: self.mock.clone(),
                args: vec!["serve".into(), "--listen".into(), address],
                dir: None,
            },
            Kind::Bare => Launch {
                name: kind.name(),
                program: self.bare.clone(),
                args: vec![address],
                dir: None,
            },
            Kind::Ttapi => {
                let port = if port == 0 { free_port()? } else { port };
                Launch {
                    name: kind.name(),
                    program: "node".into(),
                    args: vec!["serve.js".into(), port.to_string()],
                    dir: Some(self.node_dir.clone()),
                }
            }
        })
    }
}
