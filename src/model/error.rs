//! Why a problem description was rejected.

use thiserror::Error;

/// A reason a [`ProblemSpec`](crate::ProblemSpec) cannot become a [`Problem`](crate::Problem).
///
/// Every variant names the offending items, so a message can be shown to the person who wrote
/// the input and a tool can match on the fields.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Two resources, two nodes or two tasks share a name.
    #[error("duplicate {kind} name `{name}`")]
    DuplicateName {
        /// `"resource"`, `"node"` or `"task"`.
        kind: &'static str,
        /// The repeated name.
        name: String,
    },
    /// A capacity or demand names a resource that is not declared.
    #[error("{owner} uses unknown resource `{resource}`")]
    UnknownResource {
        /// The node or task that uses it, e.g. ``node `n1` ``.
        owner: String,
        /// The unknown resource name.
        resource: String,
    },
    /// A task lists a node (eligibility or per-node duration) that does not exist.
    #[error("task `{task}` refers to unknown node `{node}`")]
    UnknownNode {
        /// The task.
        task: String,
        /// The unknown node name.
        node: String,
    },
    /// A task depends on a task that does not exist.
    #[error("task `{task}` depends on unknown task `{dependency}`")]
    UnknownTask {
        /// The dependent task.
        task: String,
        /// The unknown name.
        dependency: String,
    },
    /// A task lists the same dependency twice.
    #[error("task `{task}` lists dependency `{dependency}` more than once")]
    DuplicateDependency {
        /// The dependent task.
        task: String,
        /// The repeated dependency.
        dependency: String,
    },
    /// A task lists the same eligible node twice.
    #[error("task `{task}` lists eligible node `{node}` more than once")]
    DuplicateEligibleNode {
        /// The task.
        task: String,
        /// The repeated node.
        node: String,
    },
    /// The dependencies contain a cycle; `tasks` lists it in dependency order
    /// (each task must finish before the next starts, and the last before the first).
    #[error("dependency cycle: {}", cycle_text(.tasks))]
    Cycle {
        /// The tasks on the cycle, in order.
        tasks: Vec<String>,
    },
    /// A task's eligible node list is empty, or there are no nodes at all.
    #[error("task `{task}` has no eligible node")]
    NoEligibleNode {
        /// The task.
        task: String,
    },
    /// A per-node duration is given for a node the task is not eligible for.
    #[error("task `{task}` gives a duration for node `{node}`, which is not among its eligible nodes")]
    DurationForIneligibleNode {
        /// The task.
        task: String,
        /// The node.
        node: String,
    },
    /// In some dimension the task needs more than any of its eligible nodes has.
    #[error(
        "task `{task}` fits no eligible node: it needs {demand} {resource}, the largest eligible node `{node}` has {capacity}"
    )]
    DoesNotFit {
        /// The task.
        task: String,
        /// The dimension that is too small everywhere.
        resource: String,
        /// The task's demand in that dimension.
        demand: u64,
        /// The eligible node with the largest capacity in that dimension.
        node: String,
        /// That node's capacity.
        capacity: u64,
    },
    /// Each eligible node is too small in some dimension, but no single dimension is too
    /// small everywhere; `shortfalls` lists one failing dimension per eligible node.
    #[error("task `{task}` fits no eligible node: {}", shortfall_text(.shortfalls))]
    FitsNoNode {
        /// The task.
        task: String,
        /// Per eligible node: the node, a dimension it lacks, the demand and its capacity.
        shortfalls: Vec<Shortfall>,
    },
    /// Durations and delays are so large that a schedule's finish time could exceed `u64`.
    #[error("durations and delays overflow: {what}")]
    Overflow {
        /// What overflowed.
        what: String,
    },
}

/// One node's reason for rejecting a task (see [`ModelError::FitsNoNode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// The node.
    pub node: String,
    /// A dimension in which the node is too small.
    pub resource: String,
    /// The task's demand in that dimension.
    pub demand: u64,
    /// The node's capacity in that dimension.
    pub capacity: u64,
}

fn cycle_text(tasks: &[String]) -> String {
    let mut text = tasks.join(" -> ");
    if let Some(first) = tasks.first() {
        text.push_str(" -> ");
        text.push_str(first);
    }
    text
}

fn shortfall_text(shortfalls: &[Shortfall]) -> String {
    shortfalls
        .iter()
        .map(|s| format!("`{}` has {} {} of {} needed", s.node, s.capacity, s.resource, s.demand))
        .collect::<Vec<_>>()
        .join("; ")
}
