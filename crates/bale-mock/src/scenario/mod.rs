//! Scenario files: TOML that scripts what a real deployment meets — bots in every state,
//! when → then rules, counted rate limits, network faults — loaded by name or path.
//!
//! The format is documented in `docs/scenarios.md`. The shipped scenarios (the top-level
//! `scenarios/` folder) are embedded in the binary, so `--scenario rate-limit` works with no
//! checkout.
//!
//! - `file`: the TOML as written (serde), `validate`: from that to a checked [`Scenario`],
//!   `model`: the checked form, `error`: errors with file, line and column, `ranges`: the
//!   limits of every number, `values`: ranges, TOML values and spelling suggestions.

mod error;
mod file;
mod model;
mod ranges;
mod validate;
mod values;

use std::path::Path;

pub use error::{LoadError, ScenarioError, ScenarioErrors};
pub use model::*;

/// The rule state every scenario starts in (WireMock's name for it).
pub const INITIAL_RULE_STATE: &str = "Started";

/// A scenario shipped with the binary.
#[derive(Clone, Copy, Debug)]
pub struct Shipped {
    /// Its name, as given to `--scenario`.
    pub name: &'static str,
    /// The TOML source.
    pub source: &'static str,
}

macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        &[$(Shipped {
            name: $name,
            source: include_str!(concat!("../../../../scenarios/", $name, ".toml")),
        }),*]
    };
}

/// Every shipped scenario, by name.
pub const SHIPPED: &[Shipped] = shipped![
    "default",
    "invalid-token",
    "revoked-token",
    "inactive-instance",
    "rate-limit",
    "bale-proxy-rate-limit",
    "network-faults",
    "flaky",
];

impl Scenario {
    /// Parses and validates TOML. `file` names the source in error messages; the scenario's
    /// name is the file's stem.
    pub fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
        let name = Path::new(file)
            .file_stem()
            .map_or(file.to_owned(), |stem| stem.to_string_lossy().into_owned());
        validate::parse(file, &name, source)
    }

    /// Loads a shipped scenario by name, or a file by path.
    pub fn load(name_or_path: &str) -> Result<Scenario, LoadError> {
        if let Some(shipped) = SHIPPED.iter().find(|s| s.name == name_or_path) {
            return Scenario::parse(&format!("{}.toml", shipped.name), shipped.source)
                .map_err(LoadError::Invalid);
        }
        match std::fs::read_to_string(name_or_path) {
            Ok(source) => Scenario::parse(name_or_path, &source).map_err(LoadError::Invalid),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Err(LoadError::NotFound {
                    name: name_or_path.to_owned(),
                    shipped: SHIPPED.iter().map(|s| s.name).collect(),
                })
            }
            Err(error) => Err(LoadError::Io {
                path: name_or_path.to_owned(),
                error,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
