//! A schedule: for every task, the node it runs on and its start and finish times.
//!
//! [`Schedule::verify`] (in `verify.rs`, which depends on this file and not the other way)
//! checks a schedule against its problem independently of every solver. Schedules read and write the JSON of the design notes:
//! `{"makespan": 70, "assignments": [{"task": "v1", "node": "n1", "start": 0, "finish": 10}]}`.

use serde::{Deserialize, Serialize};

use crate::model::{NodeId, Problem, TaskId, Time};

/// One task placed on one node over `[start, finish)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// The task.
    pub task: TaskId,
    /// The node it runs on.
    pub node: NodeId,
    /// Start time.
    pub start: Time,
    /// Finish time (start + the task's duration on that node, in a valid schedule).
    pub finish: Time,
}

/// A list of assignments. A valid schedule has exactly one per task; a `Schedule` built by
/// hand may have anything, which is what [`verify`](Schedule::verify) is for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    assignments: Vec<Assignment>,
}

/// Why a schedule could not be read from JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The text is not the schedule JSON format.
    #[error("schedule JSON, line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde expected.
        message: String,
    },
    /// An assignment names a task the problem does not have.
    #[error("schedule assigns unknown task `{0}`")]
    UnknownTask(String),
    /// An assignment names a node the problem does not have.
    #[error("schedule uses unknown node `{0}`")]
    UnknownNode(String),
}

/// The wire format of a schedule: assignments by task and node name, as in the design notes.
/// [`Schedule::to_spec`] writes one; [`Schedule::from_spec`] resolves the names against a
/// problem. Unknown fields are errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    /// The latest finish time (informative: readers recompute it from the assignments).
    pub makespan: Time,
    /// One entry per task.
    pub assignments: Vec<AssignmentSpec>,
}

/// One task placed on one node over `[start, finish)`, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignmentSpec {
    /// The task's name.
    pub task: String,
    /// The name of the node it runs on.
    pub node: String,
    /// Start time.
    pub start: Time,
    /// Finish time.
    pub finish: Time,
}

impl Schedule {
    /// A schedule of these assignments (any order).
    pub fn new(assignments: Vec<Assignment>) -> Self {
        Self { assignments }
    }

    /// The assignments, in the order given (solvers return them in task id order).
    pub fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }

    /// The latest finish time (0 for an empty schedule).
    pub fn makespan(&self) -> Time {
        self.assignments.iter().map(|a| a.finish).max().unwrap_or(0)
    }

    /// The assignment of a task, if any (the first one, if a bad schedule has several).
    pub fn assignment(&self, task: TaskId) -> Option<&Assignment> {
        match self.assignments.get(task.index()) {
            Some(a) if a.task == task => Some(a),
            _ => self.assignments.iter().find(|a| a.task == task),
        }
    }

    /// The schedule in its wire format, with task and node names.
    ///
    /// # Panics
    /// If an assignment holds an id that is not of `problem` (see "Ids" on [`Problem`]);
    /// [`verify`](Self::verify) reports such ids without panicking.
    pub fn to_spec(&self, problem: &Problem) -> ScheduleSpec {
        ScheduleSpec {
            makespan: self.makespan(),
            assignments: self
                .assignments
                .iter()
                .map(|a| AssignmentSpec {
                    task: problem.task_name(a.task).to_owned(),
                    node: problem.node_name(a.node).to_owned(),
                    start: a.start,
                    finish: a.finish,
                })
                .collect(),
        }
    }

    /// The schedule as JSON, with task and node names.
    ///
    /// # Panics
    /// As [`to_spec`](Self::to_spec).
    pub fn to_json(&self, problem: &Problem) -> String {
        #[expect(clippy::expect_used, reason = "a struct of strings and integers always serializes")]
        serde_json::to_string_pretty(&self.to_spec(problem)).expect("a schedule serializes to JSON")
    }

    /// Resolves a schedule's task and node names against the problem. The spec's `makespan`
    /// is informative; the schedule's makespan is recomputed.
    pub fn from_spec(problem: &Problem, spec: ScheduleSpec) -> Result<Self, ScheduleError> {
        let assignments = spec
            .assignments
            .into_iter()
            .map(|a| {
                Ok(Assignment {
                    task: problem.task_id(&a.task).ok_or(ScheduleError::UnknownTask(a.task))?,
                    node: problem.node_id(&a.node).ok_or(ScheduleError::UnknownNode(a.node))?,
                    start: a.start,
                    finish: a.finish,
                })
            })
            .collect::<Result<_, ScheduleError>>()?;
        Ok(Self { assignments })
    }

    /// Reads a schedule in the JSON format, resolving names against the problem. The
    /// `makespan` field is informative; the schedule's makespan is recomputed.
    pub fn from_json(problem: &Problem, text: &str) -> Result<Self, ScheduleError> {
        let spec: ScheduleSpec = serde_json::from_str(text).map_err(|e| ScheduleError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        Self::from_spec(problem, spec)
    }
}
