//! Scenario errors: every one names the file, line, column and reason.

use std::fmt;

/// One mistake in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {reason}")]
pub struct ScenarioError {
    /// The file (as given, or the shipped scenario's name).
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
    /// What is wrong.
    pub reason: String,
}

/// Every mistake found in a file (at least one).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Neither a shipped scenario's name nor a readable file.
    #[error("no scenario {name:?}: not a file, nor a shipped scenario ({})", shipped.join(", "))]
    NotFound {
        /// What was asked for.
        name: String,
        /// The shipped scenarios' names.
        shipped: Vec<&'static str>,
    },
    /// The file exists but could not be read.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        #[source]
        error: std::io::Error,
    },
    /// The file has mistakes.
    #[error(transparent)]
    Invalid(ScenarioErrors),
}

/// Line and column (from 1) of a byte offset in `source`.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..source.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `str::floor_char_boundary` is not stable on the minimum Rust version.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut index: usize) -> usize {
        while !self.is_char_boundary(index) {
            index -= 1;
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_one() {
        let source = "a = 1\nbé = 2\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 6), (2, 1));
        assert_eq!(line_column(source, 9), (2, 3));
        assert_eq!(line_column(source, 999), (3, 1));
    }
}
