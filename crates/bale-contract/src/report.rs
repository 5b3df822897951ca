//! Reports of a run: readable text, JSON, and JUnit XML for CI systems. None holds a token:
//! they are built from case names, shapes (placeholders, not values) and token-free errors.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::run::{CaseResult, Outcome, Report};

/// Counts of each outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Matched their snapshots.
    pub passed: usize,
    /// Differed from their snapshots, or had none.
    pub drifted: usize,
    /// Not run (destructive, not allowed).
    pub skipped: usize,
    /// Still rate-limited when the wait budget ran out.
    pub rate_limited: usize,
    /// Got no answer.
    pub failed: usize,
}

impl Report {
    /// Counts of each outcome.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for result in &self.results {
            match result.outcome {
                Outcome::Passed => summary.passed += 1,
                Outcome::Drifted(_) | Outcome::NoSnapshot => summary.drifted += 1,
                Outcome::Skipped(_) => summary.skipped += 1,
                Outcome::RateLimited { .. } => summary.rate_limited += 1,
                Outcome::Failed(_) => summary.failed += 1,
            }
        }
        summary
    }

    /// The readable report: one line a case, a drift's differences under it.
    pub fn text(&self) -> String {
        let kind = if self.in_process {
            "the in-process mock"
        } else {
            "target"
        };
        let mut out = format!("bale-mock contract: {} ({kind})\n", self.target);
        for result in &self.results {
            let (label, detail) = label_and_detail(result);
            let _ = writeln!(
                out,
                "  {label:<8} {:<26} {}",
                result.case.name, result.case.about
            );
            for line in detail {
                let _ = writeln!(out, "           {line}");
            }
            if result.waited > 0 {
                let _ = writeln!(
                    out,
                    "           waited {} s for a rate limit",
                    result.waited
                );
            }
        }
        let s = self.summary();
        let _ = writeln!(
            out,
            "{} passed, {} drifted, {} skipped, {} rate-limited, {} failed",
            s.passed, s.drifted, s.skipped, s.rate_limited, s.failed
        );
        out
    }

    /// The JSON report.
    pub fn json(&self) -> Value {
        let s = self.summary();
        json!({
            "target": self.target,
            "in_process": self.in_process,
            "summary": {
                "passed": s.passed, "drifted": s.drifted, "skipped": s.skipped,
                "rate_limited": s.rate_limited, "failed": s.failed,
            },
            "cases": self.results.iter().map(case_json).collect::<Vec<_>>(),
        })
    }

    /// The JUnit XML report: one test case a contract case; drift is a failure, no answer an
    /// error, skipped and rate-limited cases are skipped.
    pub fn junit(&self) -> String {
        let s = self.summary();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuite name=\"bale-mock contract\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            self.results.len(),
            s.drifted,
            s.failed,
            s.skipped + s.rate_limited
        );
        let _ = writeln!(
            out,
            "  <properties><property name=\"target\" value=\"{}\"/></properties>",
            xml(&self.target)
        );
        for result in &self.results {
            let name = xml(result.case.name);
            let _ = write!(out, "  <testcase classname=\"contract\" name=\"{name}\"");
            let (_, detail) = label_and_detail(result);
            let detail = xml(&detail.join("\n"));
            match &result.outcome {
                Outcome::Passed => out.push_str("/>\n"),
                Outcome::Drifted(_) | Outcome::NoSnapshot => {
                    let _ = writeln!(
                        out,
                        ">\n    <failure message=\"drift\">{detail}</failure>\n  </testcase>"
                    );
                }
                Outcome::Failed(_) => {
                    let _ = writeln!(
                        out,
                        ">\n    <error message=\"no answer\">{detail}</error>\n  </testcase>"
                    );
                }
                Outcome::Skipped(_) | Outcome::RateLimited { .. } => {
                    let _ = writeln!(out, ">\n    <skipped message=\"{detail}\"/>\n  </testcase>");
                }
            }
        }
        out.push_str("</testsuite>\n");
        out
    }
}

fn label_and_detail(result: &CaseResult) -> (&'static str, Vec<String>) {
    match &result.outcome {
        Outcome::Passed => ("PASS", Vec::new()),
        Outcome::Drifted(differences) => {
            ("DRIFT", differences.iter().map(|d| d.describe()).collect())
        }
        Outcome::NoSnapshot => ("DRIFT", vec!["no committed snapshot for this case".into()]),
        Outcome::Skipped(why) => ("SKIP", vec![why.clone()]),
        Outcome::RateLimited { retry_after } => (
            "LIMITED",
            vec![match retry_after {
                Some(s) => format!("still 429 (retry after {s} s) when the wait budget ran out"),
                None => "429 with no retry_after".into(),
            }],
        ),
        Outcome::Failed(error) => ("ERROR", vec![error.clone()]),
    }
}

fn case_json(result: &CaseResult) -> Value {
    let (outcome, detail) = match &result.outcome {
        Outcome::Passed => ("passed", json!(null)),
        Outcome::Drifted(differences) => ("drifted", json!(differences)),
        Outcome::NoSnapshot => ("drifted", json!("no committed snapshot")),
        Outcome::Skipped(why) => ("skipped", json!(why)),
        Outcome::RateLimited { retry_after } => {
            ("rate_limited", json!({"retry_after": retry_after}))
        }
        Outcome::Failed(error) => ("failed", json!(error)),
    };
    json!({
        "name": result.case.name,
        "about": result.case.about,
        "outcome": outcome,
        "detail": detail,
        "shape": result.shape,
        "waited_seconds": result.waited,
    })
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
