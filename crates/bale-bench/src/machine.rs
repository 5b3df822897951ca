//! What the numbers were measured on: the date, the machine and the tools' versions.

use std::path::Path;
use std::process::Command;

/// The run's context, as text for the report.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    /// UTC date and time of the run.
    pub date: String,
    /// Logical CPUs.
    pub cpus: usize,
    /// CPU model name.
    pub cpu_model: String,
    /// Total memory.
    pub memory: String,
    /// Kernel release.
    pub kernel: String,
    /// Distribution.
    pub os: String,
    /// `name version` of each tool involved.
    pub tools: Vec<(String, String)>,
}

impl Machine {
    /// Reads /proc, /etc/os-release and the tools' version flags.
    pub fn describe(root: &Path, wrk_version: String) -> Machine {
        let cpuinfo = read("/proc/cpuinfo");
        let meminfo = read("/proc/meminfo");
        let mem_kib: u64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let os = read("/etc/os-release")
            .lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|s| s.trim_matches('"').to_owned())
            .unwrap_or_default();
        let ttapi = std::fs::read_to_string(
            root.join("bench/node/node_modules/telegram-test-api/package.json"),
        )
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "not installed".to_owned());
        let tools = vec![
            (
                "rustc".to_owned(),
                output("rustc", &["--version"])
                    .trim_start_matches("rustc ")
                    .to_owned(),
            ),
            ("hyper".to_owned(), locked_version(root, "hyper")),
            ("tokio".to_owned(), locked_version(root, "tokio")),
            (
                "wrk".to_owned(),
                wrk_version
                    .split(" Copyright")
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("wrk ")
                    .to_owned(),
            ),
            ("node".to_owned(), output("node", &["--version"])),
            ("telegram-test-api".to_owned(), ttapi),
            ("bale-mock commit".to_owned(), commit(root)),
        ];
        Machine {
            date: output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            cpus: cpuinfo
                .lines()
                .filter(|l| l.starts_with("processor"))
                .count(),
            cpu_model: cpuinfo
                .lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|r| r.trim_start_matches([' ', '\t', ':']).trim().to_owned())
                .unwrap_or_else(|| "unknown".to_owned()),
            memory: format!("{:.1} GiB", mem_kib as f64 / (1024.0 * 1024.0)),
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
            os,
            tools,
        }
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The first line a command prints, or `unknown`.
fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(|l| l.trim().to_owned())
        })
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A package's version in the workspace's Cargo.lock.
fn locked_version(root: &Path, package: &str) -> String {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return version.to_owned();
            }
        }
    }
    "unknown".to_owned()
}

/// `git rev-parse --short HEAD`, marked `+dirty` when tracked files differ from it.
fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(head) if !head.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{head}+dirty")
            } else {
                head
            }
        }
        _ => "unknown".to_owned(),
    }
}
