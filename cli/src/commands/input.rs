//! Reading what the commands take: a problem in any format the library reads, and a plan
//! (a result document written by `dagplan solve --out`, or a plain schedule).

use std::path::{Path, PathBuf};

use clap::Args;
use dagplan::io::{Format, UnknownFormat};
use dagplan::{Problem, ResultDocument, ResultError, Schedule};

/// The problem file of a command.
#[derive(Debug, Args)]
pub struct ProblemArgs {
    /// The problem: JSON (.json), PSPLIB (.sm), Patterson (.rcp), job shop (.jss) or
    /// flexible job shop (.fjs), by its extension
    #[arg(value_name = "PROBLEM")]
    pub file: PathBuf,
    /// Read PROBLEM in this format, whatever its extension [json, sm, rcp, jss, fjs]
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub input_format: Option<Format>,
}

fn parse_format(text: &str) -> Result<Format, UnknownFormat> {
    text.parse()
}

impl ProblemArgs {
    /// Reads and validates the problem; the error names the file, the line and what is wrong.
    pub fn read(&self) -> Result<Problem, String> {
        match self.input_format {
            Some(format) => dagplan::io::read_problem_as(&self.file, format),
            None => dagplan::io::read_problem(&self.file),
        }
        .map_err(|e| e.to_string())
    }

    /// One line describing the problem: file, size, resources.
    pub fn describe(&self, problem: &Problem) -> String {
        let resources = problem.resources();
        format!(
            "{}: {} task{}, {} node{}, {} dependenc{}, resources {}",
            self.file.display(),
            problem.task_count(),
            plural(problem.task_count()),
            problem.node_count(),
            plural(problem.node_count()),
            problem.dependency_count(),
            if problem.dependency_count() == 1 { "y" } else { "ies" },
            if resources.is_empty() { "none".to_owned() } else { resources.join(", ") }
        )
    }
}

/// `"s"` unless there is exactly one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A plan read from a file: its schedule, and the result document it came in, if it did.
#[derive(Debug)]
pub struct Plan {
    /// The schedule, its names resolved against the problem.
    pub schedule: Schedule,
    /// The result document (solver, status, bound, ...), when the file is one.
    pub document: Option<ResultDocument>,
}

/// Reads a plan for `problem`: a result document (`"version": 1`, as `dagplan solve --out`
/// writes) or a plain schedule (`{"makespan": .., "assignments": [..]}`). A result document
/// from a newer dagplan is an error that says so.
pub fn read_plan(problem: &Problem, path: &Path) -> Result<Plan, String> {
    let at = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| at(&e))?;
    match ResultDocument::from_json(&text) {
        Ok(document) => {
            let schedule = document.schedule(problem).map_err(|e| at(&e))?;
            Ok(Plan { schedule, document: Some(document) })
        }
        Err(ResultError::NoVersion) => match Schedule::from_json(problem, &text) {
            Ok(schedule) => Ok(Plan { schedule, document: None }),
            Err(e) => Err(at(&format!("neither a result document (it has no `version` field) nor a schedule: {e}"))),
        },
        Err(e) => Err(at(&e)),
    }
}
