//! Known optima of a benchmark set (`optimum/optimum.csv` beside the instances).
//!
//! ```text
//! problem,optimum
//! j301_1.sm,43
//! j609_1.sm,82..87
//! ```
//!
//! A value `a..b` is an open instance: `a` is the best proven lower bound, `b` the best known
//! makespan. `..b` (no lower bound published, as for some j60 instances) reads as `0..b`. Fields may carry spaces around them; blank lines are skipped; the header is
//! required (compared without case or spaces); a problem listed twice is an error.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::tokens::numbered_lines;
use super::{ParseError, Source, read_text};
use crate::model::Time;

/// The best known bounds on an instance's optimal makespan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Optimum {
    /// The best proven lower bound.
    pub lower: Time,
    /// The best known makespan (an upper bound).
    pub upper: Time,
}

impl Optimum {
    /// A closed instance: the optimum is known.
    pub fn exact(value: Time) -> Self {
        Self { lower: value, upper: value }
    }

    /// The optimum, when it is known (`lower == upper`).
    pub fn value(&self) -> Option<Time> {
        (self.lower == self.upper).then_some(self.lower)
    }

    /// Whether the optimum is known.
    pub fn is_known(&self) -> bool {
        self.lower == self.upper
    }
}

impl fmt::Display for Optimum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value() {
            Some(v) => write!(f, "{v}"),
            None if self.lower == 0 => write!(f, "..{}", self.upper),
            None => write!(f, "{}..{}", self.lower, self.upper),
        }
    }
}

/// The optima of a set, by problem file name (e.g. `j301_1.sm`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Optima {
    entries: BTreeMap<String, Optimum>,
}

impl Optima {
    /// The bounds of a problem, by file name.
    pub fn get(&self, problem: &str) -> Option<Optimum> {
        self.entries.get(problem).copied()
    }

    /// Number of problems listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no problem is listed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, by problem name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Optimum)> + '_ {
        self.entries.iter().map(|(k, &v)| (k.as_str(), v))
    }
}

impl FromIterator<(String, Optimum)> for Optima {
    fn from_iter<I: IntoIterator<Item = (String, Optimum)>>(iter: I) -> Self {
        Self { entries: iter.into_iter().collect() }
    }
}

/// Reads an `optimum.csv` file.
pub fn read(path: impl AsRef<Path>) -> Result<Optima, ParseError> {
    let path = path.as_ref();
    parse_from(&read_text(path)?, &Source::File(path.to_owned()))
}

/// Parses `optimum.csv` text.
pub fn parse(text: &str) -> Result<Optima, ParseError> {
    parse_from(text, &Source::Text)
}

pub(crate) fn parse_from(text: &str, file: &Source) -> Result<Optima, ParseError> {
    let error =
        |line: usize, column: usize, message: String| ParseError::Syntax { file: file.clone(), line, column, message };
    let mut lines = numbered_lines(text).filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, header)) if squash(header) == "problem,optimum" => {}
        Some((n, header)) => {
            return Err(error(n, 1, format!("expected the header `problem,optimum`, found `{}`", header.trim())));
        }
        None => return Err(error(1, 0, "expected the header `problem,optimum`, found an empty file".into())),
    }
    let mut entries = BTreeMap::new();
    for (n, line) in lines {
        let Some((name, value)) = line.split_once(',') else {
            return Err(error(n, 1, format!("expected `problem,optimum`, found `{}` (no comma)", line.trim())));
        };
        let value_column = name.chars().count() + 2;
        let name = name.trim();
        if name.is_empty() {
            return Err(error(n, 1, "expected a problem name before the comma".into()));
        }
        let optimum = parse_value(value.trim()).ok_or_else(|| {
            error(
                n,
                value_column,
                format!(
                    "expected the optimum of `{name}`: an integer, or `a..b` with integers a <= b (`..b`: no lower bound), found `{}`",
                    value.trim()
                ),
            )
        })?;
        if entries.insert(name.to_owned(), optimum).is_some() {
            return Err(error(n, 1, format!("expected each problem once, found `{name}` again")));
        }
    }
    Ok(Optima { entries })
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

fn parse_value(text: &str) -> Option<Optimum> {
    let integer = |t: &str| {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) { None } else { t.parse::<Time>().ok() }
    };
    match text.split_once("..") {
        Some((a, b)) => {
            let lower = if a.trim().is_empty() { 0 } else { integer(a)? };
            let upper = integer(b)?;
            (lower <= upper).then_some(Optimum { lower, upper })
        }
        None => integer(text).map(Optimum::exact),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exact_and_open_values_with_spaces() {
        let o = parse("problem, optimum\r\nMk01.fjs, 40\n\nMk02.fjs, 24..26\n").unwrap();
        assert_eq!(o.len(), 2);
        assert_eq!(o.get("Mk01.fjs"), Some(Optimum::exact(40)));
        assert_eq!(o.get("Mk02.fjs"), Some(Optimum { lower: 24, upper: 26 }));
        assert_eq!(o.get("Mk02.fjs").unwrap().to_string(), "24..26");
        assert!(!o.get("Mk02.fjs").unwrap().is_known());
        assert_eq!(o.get("Mk03.fjs"), None);
        let o = parse("problem,optimum\nj6042_1.sm,..83\n").unwrap();
        assert_eq!(o.get("j6042_1.sm"), Some(Optimum { lower: 0, upper: 83 }));
        assert_eq!(o.get("j6042_1.sm").unwrap().to_string(), "..83");
    }

    #[test]
    fn malformed_input_names_line_and_expectation() {
        let cases = [
            ("", "1:0: expected the header `problem,optimum`, found an empty file"),
            ("name,value\n", "1:1: expected the header `problem,optimum`, found `name,value`"),
            ("problem,optimum\na.sm 3\n", "2:1: expected `problem,optimum`, found `a.sm 3` (no comma)"),
            ("problem,optimum\na.sm,x\n", "2:6: expected the optimum of `a.sm`: an integer, or `a..b`"),
            ("problem,optimum\na.sm,9..3\n", "found `9..3`"),
            ("problem,optimum\na.sm,9..\n", "found `9..`"),
            ("problem,optimum\na.sm,99999999999999999999\n", "2:6: expected the optimum"),
            ("problem,optimum\na.sm,3\na.sm,3\n", "3:1: expected each problem once, found `a.sm` again"),
            ("problem,optimum\n,3\n", "2:1: expected a problem name"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: want {want:?}, got {e}");
        }
    }
}
