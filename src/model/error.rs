//! Why a problem description was rejected.

use thiserror::Error;

use crate::quantity::{QuantityError, Scale};

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
    /// A capacity or demand written as a quantity string is not a valid, exact quantity.
    #[error("{owner}: {field} of `{resource}`: {error}")]
    BadQuantity {
        /// The node or task, e.g. ``node `n1` ``.
        owner: String,
        /// `"capacity"` or `"demand"`.
        field: &'static str,
        /// The resource.
        resource: String,
        /// What is wrong with the text (it holds the text).
        error: Box<QuantityError>,
    },
    /// One resource has amounts written both as plain numbers and as quantity strings.
    #[error(
        "resource `{resource}` mixes plain numbers ({number}) and Kubernetes quantities ({quantity}); write every \
         `{resource}` amount the same way: quantities are read in {}, plain numbers are in your own unit",
        .scale.unit()
    )]
    MixedAmounts {
        /// The resource.
        resource: String,
        /// The first plain number, e.g. ``capacity of node `n1` ``.
        number: String,
        /// The first quantity string, e.g. ``demand of task `a` ``.
        quantity: String,
        /// The scale quantities of this resource are read in.
        scale: Scale,
    },
    /// No node satisfies a task's node selector and tolerations (among its listed nodes).
    #[error("task `{task}` matches no node (selector `{selector}`): {}", mismatch_text(.nodes))]
    NoMatchingNode {
        /// The task.
        task: String,
        /// Its node selector as `key=value,...` (empty when only taints refuse it).
        selector: String,
        /// Every candidate node with the reason it was refused.
        nodes: Vec<NodeMismatch>,
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
    /// A node's downtime window is empty or reversed (`from` must be before `to`).
    #[error("node `{node}` is unavailable over [{from}, {to}), which is empty: `from` must be before `to`")]
    EmptyWindow {
        /// The node.
        node: String,
        /// The window's start.
        from: u64,
        /// The window's end.
        to: u64,
    },
    /// A task is fixed on a node it may not run on (eligibility list).
    #[error("task `{task}` is fixed on node `{node}`, which is not among its eligible nodes")]
    FixedOnIneligibleNode {
        /// The task.
        task: String,
        /// The node.
        node: String,
    },
    /// A task is fixed on a node too small for it.
    #[error("task `{task}` is fixed on node `{node}`, which has {capacity} {resource} of the {demand} it needs")]
    FixedNodeTooSmall {
        /// The task.
        task: String,
        /// The node.
        node: String,
        /// A dimension in which the node is too small.
        resource: String,
        /// The task's demand there.
        demand: u64,
        /// The node's capacity there.
        capacity: u64,
    },
    /// A fixed task starts before its release date.
    #[error("task `{task}` is fixed to start at {start}, before its release {release}")]
    FixedBeforeRelease {
        /// The task.
        task: String,
        /// Its fixed start.
        start: u64,
        /// Its release date.
        release: u64,
    },
    /// A fixed task finishes after its deadline.
    #[error("task `{task}` is fixed to finish at {finish}, after its deadline {deadline}")]
    FixedAfterDeadline {
        /// The task.
        task: String,
        /// Its finish where it is fixed.
        finish: u64,
        /// Its deadline.
        deadline: u64,
    },
    /// A fixed task runs while its node is unavailable.
    #[error(
        "task `{task}` is fixed on node `{node}` over [{start}, {finish}), but the node is unavailable over [{from}, {to})"
    )]
    FixedDuringDowntime {
        /// The task.
        task: String,
        /// The node.
        node: String,
        /// The task's start.
        start: u64,
        /// The task's finish.
        finish: u64,
        /// The downtime window's start.
        from: u64,
        /// The downtime window's end.
        to: u64,
    },
    /// The fixed tasks on a node need more than its capacity at some instant.
    #[error(
        "the tasks fixed on node `{}` need {} {} at time {}, more than its capacity {} (running: {})",
        .0.node, .0.used, .0.resource, .0.time, .0.capacity, .0.tasks.join(", ")
    )]
    FixedOverCapacity(Box<FixedLoad>),
    /// A fixed task starts before one of its dependencies can finish (plus the transfer delay
    /// when both are fixed on different nodes).
    #[error(
        "task `{task}` is fixed to start at {start}, but its dependency `{dependency}` lets it start at {earliest} at the earliest"
    )]
    FixedBreaksDependency {
        /// The fixed task.
        task: String,
        /// Its fixed start.
        start: u64,
        /// The dependency.
        dependency: String,
        /// The earliest start the dependency allows.
        earliest: u64,
    },
    /// A deadline comes before the task's earliest start (release date, or `now`) plus its
    /// shortest duration.
    #[error(
        "task `{task}` cannot finish by its deadline {deadline}: it starts at {earliest} at the earliest and takes at least {shortest}"
    )]
    DeadlineTooEarly {
        /// The task.
        task: String,
        /// Its earliest start: the later of its release and `now`.
        earliest: u64,
        /// Its shortest duration over the nodes it can run on.
        shortest: u64,
        /// Its deadline.
        deadline: u64,
    },
    /// Between its earliest start and its deadline, no eligible node is available long
    /// enough for the task (downtime leaves only shorter gaps).
    #[error(
        "task `{task}` fits no eligible node between {earliest} and its deadline {deadline}: {}",
        gap_text(.gaps)
    )]
    NoRoomBeforeDeadline {
        /// The task.
        task: String,
        /// Its earliest start.
        earliest: u64,
        /// Its deadline.
        deadline: u64,
        /// Per node it can run on: its duration there and the longest gap.
        gaps: Vec<NodeGap>,
    },
}

/// Why a node is not for a task (see [`ModelError::NoMatchingNode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMismatch {
    /// The node.
    pub node: String,
    /// A label it lacks or a taint the task does not tolerate.
    pub reason: String,
}

fn mismatch_text(nodes: &[NodeMismatch]) -> String {
    const SHOWN: usize = 5;
    let mut text =
        nodes.iter().take(SHOWN).map(|m| format!("`{}` has {}", m.node, m.reason)).collect::<Vec<_>>().join("; ");
    if nodes.len() > SHOWN {
        text.push_str(&format!("; and {} more", nodes.len() - SHOWN));
    }
    text
}

/// Fixed tasks overloading their node (see [`ModelError::FixedOverCapacity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedLoad {
    /// The node.
    pub node: String,
    /// The dimension.
    pub resource: String,
    /// The first instant of the overload.
    pub time: u64,
    /// The fixed tasks' total demand then.
    pub used: u128,
    /// The node's capacity.
    pub capacity: u64,
    /// The fixed tasks running then, by name.
    pub tasks: Vec<String>,
}

/// One node's room for a task before its deadline (see [`ModelError::NoRoomBeforeDeadline`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeGap {
    /// The node.
    pub node: String,
    /// The task's duration there.
    pub duration: u64,
    /// The longest stretch free of downtime in the task's window.
    pub longest: u64,
}

fn gap_text(gaps: &[NodeGap]) -> String {
    gaps.iter()
        .map(|g| format!("`{}` needs {} but is free for at most {}", g.node, g.duration, g.longest))
        .collect::<Vec<_>>()
        .join("; ")
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
