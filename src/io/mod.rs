//! Reading and writing problems: the JSON format of the design notes and the standard
//! benchmark formats.
//!
//! | format | extension | module | maps to |
//! |---|---|---|---|
//! | JSON (the design notes) | `.json` | here | as written |
//! | PSPLIB single-mode RCPSP (j30, j60, j90, j120) | `.sm` | [`psplib`] | one node `project`, resources `R1..Rk` |
//! | Patterson RCPSP | `.rcp` | [`patterson`] | one node `project`, resources `R1..Rk` |
//! | job shop (Fisher–Thompson, Lawrence) | `.jss` | [`jobshop`] | a node per machine, operations pinned |
//! | flexible job shop (Brandimarte) | `.fjs` | [`fjs`] | eligible machines with their durations |
//! | known optima of a set | `optimum.csv` | [`optimum`] | [`optimum::Optima`] |
//! | WfCommons trace (WfFormat 1.5) | `.json` | [`wfcommons`] | tasks, runtimes, cores, memory, file transfers; the recorded machines |
//! | Argo Workflow (DAG) | `.yaml`, `.yml`, `.json` | [`argo`] | tasks with requests, selectors, tolerations; plans written back as Argo Workflows |
//! | Kubernetes NodeList (`kubectl get nodes -o json`) | `.json` | [`kubernetes`], [`read_cluster`] | the nodes: allocatable, labels, taints |
//!
//! [`read_problem`] picks the reader from the file's extension ([`Format::from_path`]);
//! [`read_problem_as`] takes the format explicitly (names as in [`Format::from_str`]).
//!
//! Every reader returns a validated [`Problem`] or a [`ParseError`] that names the file, the
//! line and what was expected; none panics on any input, and numbers too large for their type
//! are errors.
//!
//! ```
//! let problem = dagplan::io::parse_problem("2 2\n0 3 1 2\n1 4 0 1\n", dagplan::io::Format::JobShop)?;
//! assert_eq!((problem.task_count(), problem.node_count()), (4, 2));
//! # Ok::<(), dagplan::io::ParseError>(())
//! ```

pub mod argo;
pub mod fjs;
pub mod jobshop;
pub mod kubernetes;
pub mod optimum;
pub mod patterson;
pub mod psplib;
mod rcpsp;
mod tokens;
pub mod wfcommons;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::model::{ModelError, NodeSpec, Problem};

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
    /// The file's format could not be told from its name (and none was given).
    #[error(
        "{file}: unknown problem format (expected a file ending in {}); name the format explicitly",
        Format::EXTENSIONS
    )]
    UnknownFormat {
        /// The file.
        file: Source,
    },
    /// The text is well-formed but its content cannot be read: a field of the wrong kind, a
    /// construct dagplan does not plan (the message says which and why), a missing duration.
    #[error("{file}: {message}")]
    Content {
        /// The file.
        file: Source,
        /// What is wrong, naming the item and the field.
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
pub(crate) fn read_text(path: &Path) -> Result<String, ParseError> {
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
    #[expect(clippy::expect_used, reason = "a spec of strings, integers and string-keyed maps always serializes")]
    serde_json::to_string_pretty(&problem.to_spec()).expect("a problem serializes to JSON")
}

fn parse_json(text: &str, file: Source) -> Result<Problem, ParseError> {
    let input: crate::model::Input<'_> = serde_json::from_str(text).map_err(|e| syntax_error(&e, &file))?;
    crate::model::build(input).map_err(|source| ParseError::Invalid { file, source })
}

/// A serde_json error as a syntax error at its position.
pub(crate) fn syntax_error(e: &serde_json::Error, file: &Source) -> ParseError {
    ParseError::Syntax {
        file: file.clone(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// Reads the nodes of a cluster: a Kubernetes NodeList (`kubectl get nodes -o json`, see
/// [`kubernetes`]; cordoned nodes left out) or a JSON object with a `"nodes"` array in the
/// problem format (a problem file's other fields are ignored). Plan a workflow on them with
/// [`ProblemSpec::on_cluster`](crate::ProblemSpec::on_cluster).
pub fn read_cluster(path: impl AsRef<Path>) -> Result<Vec<NodeSpec>, ParseError> {
    let path = path.as_ref();
    let file = Source::File(path.to_owned());
    parse_cluster(&read_text(path)?, &file)
}

/// [`read_cluster`] on text.
pub fn parse_cluster_str(text: &str) -> Result<Vec<NodeSpec>, ParseError> {
    parse_cluster(text, &Source::Text)
}

fn parse_cluster(text: &str, file: &Source) -> Result<Vec<NodeSpec>, ParseError> {
    #[derive(serde::Deserialize)]
    struct Shape {
        kind: Option<serde::de::IgnoredAny>,
        nodes: Option<serde::de::IgnoredAny>,
    }
    #[derive(serde::Deserialize)]
    struct Nodes {
        nodes: Vec<NodeSpec>,
    }
    let shape: Shape = serde_json::from_str(text).map_err(|e| syntax_error(&e, file))?;
    match shape {
        Shape { kind: Some(_), .. } => Ok(kubernetes::parse_from(text, file)?.nodes),
        Shape { nodes: Some(_), .. } => {
            Ok(serde_json::from_str::<Nodes>(text).map_err(|e| syntax_error(&e, file))?.nodes)
        }
        Shape { kind: None, nodes: None } => Err(ParseError::Content {
            file: file.clone(),
            message: "expected a Kubernetes NodeList (`kubectl get nodes -o json`) or an object with a \"nodes\" array"
                .into(),
        }),
    }
}

/// serde_json appends " at line L column C" to its messages; the error carries those apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_owned(),
        None => message.to_owned(),
    }
}

/// A problem file format (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// The JSON problem format (`.json`).
    Json,
    /// PSPLIB single-mode RCPSP (`.sm`).
    Psplib,
    /// Patterson RCPSP (`.rcp`).
    Patterson,
    /// Job shop (`.jss`).
    JobShop,
    /// Flexible job shop (`.fjs`).
    FlexibleJobShop,
}

impl Format {
    /// Every format, in the order of the module table.
    pub const ALL: [Format; 5] = [Self::Json, Self::Psplib, Self::Patterson, Self::JobShop, Self::FlexibleJobShop];

    /// The extensions recognised, for messages.
    pub const EXTENSIONS: &'static str = ".json, .sm, .rcp, .jss or .fjs";

    /// The format's short name, accepted by [`Format::from_str`]: `json`, `sm`, `rcp`, `jss`, `fjs`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Psplib => "sm",
            Self::Patterson => "rcp",
            Self::JobShop => "jss",
            Self::FlexibleJobShop => "fjs",
        }
    }

    /// The format a file's extension implies (case-insensitive), if any.
    pub fn from_path(path: impl AsRef<Path>) -> Option<Self> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.name() == ext)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unrecognised format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (expected json, sm, rcp, jss or fjs; also psplib, patterson, jobshop, fjsp)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Accepts the extension names and a few long names, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().trim_start_matches('.').to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "sm" | "psplib" => Ok(Self::Psplib),
            "rcp" | "patterson" => Ok(Self::Patterson),
            "jss" | "jsp" | "jobshop" | "job-shop" => Ok(Self::JobShop),
            "fjs" | "fjsp" | "flexible-job-shop" => Ok(Self::FlexibleJobShop),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// Reads a problem file in the format its extension names ([`Format::from_path`]).
pub fn read_problem(path: impl AsRef<Path>) -> Result<Problem, ParseError> {
    let path = path.as_ref();
    let format =
        Format::from_path(path).ok_or_else(|| ParseError::UnknownFormat { file: Source::File(path.into()) })?;
    read_problem_as(path, format)
}

/// Reads a problem file in the given format, whatever its name.
pub fn read_problem_as(path: impl AsRef<Path>, format: Format) -> Result<Problem, ParseError> {
    let path = path.as_ref();
    parse_as(&read_text(path)?, format, &Source::File(path.to_owned()))
}

/// Parses problem text in the given format.
pub fn parse_problem(text: &str, format: Format) -> Result<Problem, ParseError> {
    parse_as(text, format, &Source::Text)
}

fn parse_as(text: &str, format: Format, file: &Source) -> Result<Problem, ParseError> {
    match format {
        Format::Json => parse_json(text, file.clone()),
        Format::Psplib => psplib::parse_from(text, file),
        Format::Patterson => patterson::parse_from(text, file),
        Format::JobShop => jobshop::parse_from(text, file),
        Format::FlexibleJobShop => fjs::parse_from(text, file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_extension_and_name() {
        assert_eq!(Format::from_path("a/j301_1.sm"), Some(Format::Psplib));
        assert_eq!(Format::from_path("pat1.RCP"), Some(Format::Patterson));
        assert_eq!(Format::from_path("ft06.jss"), Some(Format::JobShop));
        assert_eq!(Format::from_path("Mk01.fjs"), Some(Format::FlexibleJobShop));
        assert_eq!(Format::from_path("x.json"), Some(Format::Json));
        assert_eq!(Format::from_path("optimum.csv"), None);
        assert_eq!(Format::from_path("README"), None);
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("Patterson".parse::<Format>(), Ok(Format::Patterson));
        assert!("xml".parse::<Format>().unwrap_err().to_string().contains("unknown format `xml`"));
    }

    #[test]
    fn unknown_extension_is_an_error_and_the_format_can_be_forced() {
        let dir = std::env::temp_dir().join(format!("dagplan-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.txt");
        std::fs::write(&path, "1 1\n0 5\n").unwrap();
        let e = read_problem(&path).unwrap_err();
        assert!(matches!(e, ParseError::UnknownFormat { .. }), "{e}");
        assert!(e.to_string().contains("tiny.txt: unknown problem format"), "{e}");
        let p = read_problem_as(&path, Format::JobShop).unwrap();
        assert_eq!(p.task_count(), 1);
        let e = read_problem_as(&path, Format::Patterson).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}:2:", path.display())), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
