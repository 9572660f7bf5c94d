//! Reading and writing problems: the JSON format of the design notes.
//!
//! Every reader returns a validated [`Problem`] or a [`ParseError`] that names the file, the
//! line and what was expected; none panics on any input.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{ModelError, Problem, ProblemSpec};

/// Why a file could not be read as a problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The file could not be read.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: Source,
        /// The operating system's message.
        message: String,
    },
    /// The text does not follow the format.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: Source,
        /// 1-based line.
        line: usize,
        /// 1-based column (0 when not known).
        column: usize,
        /// What is wrong, saying what the format expects there.
        message: String,
    },
    /// The text is well-formed but describes an invalid problem.
    #[error("{file}: {source}")]
    Invalid {
        /// The file.
        file: Source,
        /// The validation error.
        source: ModelError,
    },
}

/// Where text came from: a file, or a string passed in directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file path.
    File(PathBuf),
    /// Text given as a string.
    Text,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Text => f.write_str("<input>"),
        }
    }
}

/// Reads a whole file as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, ParseError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ParseError::Io { file: Source::File(path.to_owned()), message: e.to_string() })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = e.as_bytes().get(..valid).unwrap_or(&[]);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        ParseError::Syntax { file: Source::File(path.to_owned()), line, column, message: "expected UTF-8 text".into() }
    })
}

/// Parses the JSON problem format from a string.
pub fn read_json_str(text: &str) -> Result<Problem, ParseError> {
    parse_json(text, Source::Text)
}

/// Reads the JSON problem format from a file.
pub fn read_json_file(path: impl AsRef<Path>) -> Result<Problem, ParseError> {
    let path = path.as_ref();
    parse_json(&read_text(path)?, Source::File(path.to_owned()))
}

/// Writes a problem as pretty-printed JSON (the inverse of [`read_json_str`]).
pub fn write_json(problem: &Problem) -> String {
    serde_json::to_string_pretty(&problem.to_spec()).unwrap_or_default()
}

fn parse_json(text: &str, file: Source) -> Result<Problem, ParseError> {
    let spec: ProblemSpec = serde_json::from_str(text).map_err(|e| ParseError::Syntax {
        file: file.clone(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    Problem::try_from(spec).map_err(|source| ParseError::Invalid { file, source })
}

/// serde_json appends " at line L column C" to its messages; the error carries those apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}
