//! The validated problem ([`Problem`]): resources, nodes, tasks and their dependency DAG;
//! its wire format (`spec.rs`), what validation reads (`input.rs`, borrowed from JSON text),
//! validation (`build.rs`) and errors (`error.rs`).

mod amounts;
mod build;
mod check_timing;
mod derive;
mod error;
mod input;
mod names;
mod select;
mod spec;
mod table;
mod timing;

use std::collections::BTreeMap;

use names::Names;
use std::slice::SliceIndex;

use petgraph::graph::NodeIndex;

use crate::quantity::{Scale, format_quantity};

pub(crate) use build::build;
pub(crate) use derive::{Derivation, TaskRules};
pub use error::{FixedLoad, ModelError, NodeGap, NodeMismatch, Shortfall};
pub(crate) use input::Input;
pub use select::{Taint, TaintEffect, Toleration, TolerationOperator};
pub use spec::{Amount, DelayedDependency, DependencySpec, FixedSpec, NodeSpec, ProblemSpec, TaskSpec, WindowSpec};
pub(crate) use table::{PerNode, PerTask, TaskSet};
pub use timing::{Fixed, Window};

/// Time in ticks (the unit is the user's: seconds, minutes, ...).
pub type Time = u64;

/// A task's index in its [`Problem`], in input order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u32);

/// A node's index in its [`Problem`], in input order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl TaskId {
    /// The id as a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl NodeId {
    /// The id as a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One end of a dependency edge: the task at the other end and the transfer delay paid when
/// the two tasks run on different nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The task at the other end.
    pub task: TaskId,
    /// Cross-node transfer delay.
    pub delay: Time,
}

/// Compressed adjacency lists: the neighbours of task `i` are `edges[start[i]..start[i + 1]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Adjacency {
    start: Vec<usize>,
    edges: Vec<Edge>,
}

impl Adjacency {
    /// The edges of a task of the problem (`start` has one more entry than there are tasks
    /// and its values are positions in `edges`, by construction).
    fn of(&self, task: TaskId) -> &[Edge] {
        let i = task.index();
        entry(&self.edges, *entry(&self.start, i)..*entry(&self.start, i + 1))
    }
}

/// The entry at `at` of one of the problem's per-id vectors (see "Ids" on [`Problem`]).
#[expect(
    clippy::indexing_slicing,
    reason = "the vectors hold one entry per id of the problem; an id of another problem is a caller bug"
)]
fn entry<T, I: SliceIndex<[T]>>(values: &[T], at: I) -> &I::Output {
    &values[at]
}

/// [`entry`], to change it.
#[expect(
    clippy::indexing_slicing,
    reason = "the vectors hold one entry per id of the problem; an id of another problem is a caller bug"
)]
fn entry_mut<T, I: SliceIndex<[T]>>(values: &mut [T], at: I) -> &mut I::Output {
    &mut values[at]
}

/// Where a task may run: eligible nodes (`None` = all) and per-node duration overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placement {
    only: Option<Box<[NodeId]>>,
    durations: Box<[(NodeId, Time)]>,
}

/// A validated scheduling problem: resources, nodes, tasks and their dependency DAG.
///
/// A [`Problem`] can only be created through validation ([`ProblemSpec::build`] or
/// `Problem::try_from(spec)`), so every `Problem` is acyclic, every reference resolves, every
/// task fits at least one eligible node, and no finish time of a schedule built by list
/// scheduling can overflow `u64`. Solvers rely on this and never re-check.
///
/// Tasks, nodes and resources are addressed by dense ids ([`TaskId`], [`NodeId`]), indices
/// into the problem's vectors in input order; names live only at the boundary.
///
/// **Ids.** The methods that take a [`TaskId`] or a [`NodeId`] expect an id of this problem:
/// one from [`tasks`](Self::tasks), [`nodes`](Self::nodes), [`task_id`](Self::task_id),
/// [`node_id`](Self::node_id), a dependency, or a schedule of this problem that passed
/// [`Schedule::verify`](crate::Schedule::verify). For those, every lookup succeeds (names,
/// demands, durations and edges exist for every id of a valid problem). An id of another
/// problem is a bug in the caller: it panics, like an out-of-range slice index, rather than
/// answer with a made-up name or a zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    resources: Vec<String>,
    scales: Vec<Option<Scale>>,
    node_names: Names,
    labels: Vec<BTreeMap<String, String>>,
    capacity: Vec<u64>,
    task_names: Names,
    duration: Vec<Time>,
    demand: Vec<u64>,
    placement: Vec<Placement>,
    min_duration: Vec<Time>,
    preds: Adjacency,
    succs: Adjacency,
    order: Vec<TaskId>,
    horizon: Time,
    timing: timing::Timing,
}

impl Problem {
    /// The problem with no resources, nodes or tasks (its optimal makespan is 0).
    pub fn empty() -> Self {
        Self {
            resources: Vec::new(),
            scales: Vec::new(),
            node_names: Names::default(),
            labels: Vec::new(),
            capacity: Vec::new(),
            task_names: Names::default(),
            duration: Vec::new(),
            demand: Vec::new(),
            placement: Vec::new(),
            min_duration: Vec::new(),
            preds: Adjacency { start: vec![0], edges: Vec::new() },
            succs: Adjacency { start: vec![0], edges: Vec::new() },
            order: Vec::new(),
            horizon: 0,
            timing: timing::Timing::default(),
        }
    }

    /// Number of tasks.
    pub fn task_count(&self) -> usize {
        self.task_names.len()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_names.len()
    }

    /// Number of resource dimensions.
    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    /// All task ids, in input order.
    pub fn tasks(&self) -> impl ExactSizeIterator<Item = TaskId> + '_ {
        (0..self.task_names.len() as u32).map(TaskId)
    }

    /// All node ids, in input order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        (0..self.node_names.len() as u32).map(NodeId)
    }

    /// The resource names, in dimension order.
    pub fn resources(&self) -> &[String] {
        &self.resources
    }

    /// The scale a resource's amounts were read in when they were written as Kubernetes
    /// quantities (`cpu`: millicores, others: base units), `None` for plain numbers in the
    /// user's own unit (`resource` indexes [`resources`](Self::resources)).
    pub fn quantity_scale(&self, resource: usize) -> Option<Scale> {
        self.scales.get(resource).copied().flatten()
    }

    /// A node's labels (empty unless given).
    ///
    /// # Panics
    /// If `node` is not a node of this problem (see "Ids" above).
    pub fn node_labels(&self, node: NodeId) -> &BTreeMap<String, String> {
        entry(&self.labels, node.index())
    }

    /// A task's name.
    ///
    /// # Panics
    /// If `task` is not a task of this problem (see "Ids" above).
    pub fn task_name(&self, task: TaskId) -> &str {
        entry(self.task_names.as_slice(), task.index())
    }

    /// A node's name.
    ///
    /// # Panics
    /// If `node` is not a node of this problem (see "Ids" above).
    pub fn node_name(&self, node: NodeId) -> &str {
        entry(self.node_names.as_slice(), node.index())
    }

    /// The task with this name.
    pub fn task_id(&self, name: &str) -> Option<TaskId> {
        self.task_names.get(name).map(TaskId)
    }

    /// The node with this name.
    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.node_names.get(name).map(NodeId)
    }

    /// A node's capacity, one entry per resource dimension.
    pub fn capacity(&self, node: NodeId) -> &[u64] {
        row(&self.capacity, node.index(), self.resources.len())
    }

    /// A task's demand, one entry per resource dimension.
    pub fn demand(&self, task: TaskId) -> &[u64] {
        row(&self.demand, task.index(), self.resources.len())
    }

    /// Whether `a` and `b` cannot run side by side on `node`: in some dimension their demands
    /// together exceed its capacity.
    #[cfg(any(feature = "ilp", feature = "cp"))]
    pub(crate) fn clash(&self, node: NodeId, a: TaskId, b: TaskId) -> bool {
        self.demand(a).iter().zip(self.demand(b)).zip(self.capacity(node)).any(|((&x, &y), &c)| x.saturating_add(y) > c)
    }

    /// A task's demand in dimension `r` (an index into [`resources`](Self::resources); the
    /// solvers take it from enumerating a capacity or demand row, so it is always one).
    #[cfg(feature = "ilp")]
    pub(crate) fn demand_in(&self, task: TaskId, r: usize) -> u64 {
        *entry(self.demand(task), r)
    }

    /// A task's default duration (on nodes without an override).
    pub fn default_duration(&self, task: TaskId) -> Time {
        *entry(&self.duration, task.index())
    }

    /// The shortest duration of the task over the nodes it can run on.
    pub fn min_duration(&self, task: TaskId) -> Time {
        *entry(&self.min_duration, task.index())
    }

    /// Whether the task's demand fits within the node's capacity in every dimension
    /// (eligibility aside).
    pub fn fits(&self, task: TaskId, node: NodeId) -> bool {
        self.demand(task).iter().zip(self.capacity(node)).all(|(d, c)| d <= c)
    }

    /// Whether the task's eligibility list allows the node (capacity aside).
    pub fn is_eligible(&self, task: TaskId, node: NodeId) -> bool {
        match self.eligible_nodes(task) {
            Some(only) => only.binary_search(&node).is_ok(),
            None => node.index() < self.node_count(),
        }
    }

    /// The task's duration on the node, or `None` when it cannot run there (not eligible,
    /// does not fit, or [fixed](Self::fixed) on another node).
    pub fn duration_on(&self, task: TaskId, node: NodeId) -> Option<Time> {
        if !self.is_eligible(task, node) || !self.fits(task, node) || self.fixed_elsewhere(task, node) {
            return None;
        }
        Some(self.listed_duration(task, node))
    }

    /// The task's duration on the node by its per-node overrides alone, ignoring
    /// eligibility and fit (the verifier uses it to judge an assignment to a wrong node).
    pub fn listed_duration(&self, task: TaskId, node: NodeId) -> Time {
        let overrides = &entry(&self.placement, task.index()).durations;
        match overrides.binary_search_by_key(&node, |&(n, _)| n) {
            Ok(i) => entry(overrides, i).1,
            Err(_) => self.default_duration(task),
        }
    }

    /// The nodes the task can run on (eligible and large enough; for a fixed task, its
    /// node), with its duration on each, in node id order. Never empty for a valid problem.
    pub fn options(&self, task: TaskId) -> impl Iterator<Item = (NodeId, Time)> + '_ {
        let only = self.eligible_nodes(task);
        // Either the list or every node, without boxing (this runs once per task in bounds).
        let (listed, all) = match only {
            Some(only) => (only, 0..0),
            None => (&[][..], 0..self.node_names.len() as u32),
        };
        listed.iter().copied().chain(all.map(NodeId)).filter_map(move |n| self.duration_on(task, n).map(|d| (n, d)))
    }

    /// The task's eligible node list as given (`None` = every node).
    pub fn eligible_nodes(&self, task: TaskId) -> Option<&[NodeId]> {
        entry(&self.placement, task.index()).only.as_deref()
    }

    /// The tasks that must finish before `task` starts, with their transfer delays.
    pub fn predecessors(&self, task: TaskId) -> &[Edge] {
        self.preds.of(task)
    }

    /// The tasks that wait for `task`, with their transfer delays.
    pub fn successors(&self, task: TaskId) -> &[Edge] {
        self.succs.of(task)
    }

    /// Number of dependency edges.
    pub fn dependency_count(&self) -> usize {
        self.preds.edges.len()
    }

    /// A topological order (Kahn's algorithm, ready tasks taken in id order): every task
    /// comes after all its predecessors.
    pub fn topological_order(&self) -> &[TaskId] {
        &self.order
    }

    /// An upper bound on any finish time of a left-justified schedule: the latest time rule
    /// (`now`, a release date, a fixed finish, the end of a downtime window; 0 without any)
    /// plus the sum over tasks of their longest duration and the sum of all delays. Validation guarantees it fits in
    /// `u64` with room for one more addition of a duration, so solvers may add a duration to
    /// any time up to the horizon without overflow.
    pub fn horizon(&self) -> Time {
        self.horizon
    }

    /// The problem written back as a name-based spec (for JSON output). Amounts keep their
    /// way of writing (plain numbers, or quantities in their canonical form); node selectors
    /// and taints are written as the eligible `nodes` lists they resolved to.
    pub fn to_spec(&self) -> ProblemSpec {
        let names = |ids: &[NodeId]| ids.iter().map(|&n| self.node_name(n).to_owned()).collect();
        // Zero amounts are left out, except node capacities in quantity dimensions: they
        // keep the dimension's way of writing when nothing else names it.
        let amounts = |values: &[u64], keep_zero: bool| {
            let written = |r: usize, v: u64| match self.quantity_scale(r) {
                Some(scale) => Amount::quantity(format_quantity(v, scale)),
                None => Amount::Number(v),
            };
            let kept = move |r: usize, v: u64| v > 0 || (keep_zero && self.quantity_scale(r).is_some());
            self.resources
                .iter()
                .zip(values)
                .enumerate()
                .filter(|&(r, (_, &v))| kept(r, v))
                .map(|(r, (name, &v))| (name.clone(), written(r, v)))
                .collect()
        };
        let mut spec = ProblemSpec {
            resources: Some(self.resources.clone()),
            nodes: self
                .nodes()
                .map(|n| NodeSpec {
                    name: self.node_name(n).to_owned(),
                    capacity: amounts(self.capacity(n), true),
                    labels: self.node_labels(n).clone(),
                    taints: Vec::new(),
                    unavailable: Vec::new(),
                })
                .collect(),
            tasks: self
                .tasks()
                .map(|t| {
                    let placement = entry(&self.placement, t.index());
                    TaskSpec {
                        name: self.task_name(t).to_owned(),
                        duration: self.default_duration(t),
                        demand: amounts(self.demand(t), false),
                        after: self
                            .predecessors(t)
                            .iter()
                            .map(|e| {
                                let task = self.task_name(e.task).to_owned();
                                if e.delay == 0 {
                                    DependencySpec::Plain(task)
                                } else {
                                    DependencySpec::Delayed(DelayedDependency { task, delay: e.delay })
                                }
                            })
                            .collect(),
                        nodes: placement.only.as_deref().map(names),
                        node_selector: BTreeMap::new(),
                        tolerations: Vec::new(),
                        durations: placement
                            .durations
                            .iter()
                            .map(|&(n, d)| (self.node_name(n).to_owned(), d))
                            .collect(),
                        release: 0,
                        deadline: None,
                        fixed: None,
                    }
                })
                .collect(),
            now: 0,
        };
        self.write_timing(&mut spec);
        spec
    }

    /// The dependency DAG as a petgraph graph (node weight: task id, edge weight: delay),
    /// for use with petgraph's algorithms or its DOT export. Graph node `i` is task `i`.
    pub fn to_petgraph(&self) -> petgraph::graph::DiGraph<TaskId, Time> {
        let mut graph = petgraph::graph::DiGraph::with_capacity(self.task_count(), self.dependency_count());
        for t in self.tasks() {
            graph.add_node(t);
        }
        for t in self.tasks() {
            for e in self.successors(t) {
                graph.add_edge(NodeIndex::new(t.index()), NodeIndex::new(e.task.index()), e.delay);
            }
        }
        graph
    }
}

/// Row `index` of a row-major table `width` wide.
fn row(values: &[u64], index: usize, width: usize) -> &[u64] {
    entry(values, index * width..(index + 1) * width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_of_another_problem_panics_rather_than_answer() {
        let problem = crate::example::five_tasks().unwrap();
        let v1 = problem.task_id("v1").unwrap();
        assert_eq!((problem.task_name(v1), problem.node_name(NodeId(2))), ("v1", "n3"));
        let foreign = TaskId(problem.task_count() as u32);
        assert!(std::panic::catch_unwind(|| problem.task_name(foreign).to_owned()).is_err());
        assert!(std::panic::catch_unwind(|| problem.min_duration(foreign)).is_err());
        assert!(std::panic::catch_unwind(|| problem.predecessors(foreign).len()).is_err());
        assert!(std::panic::catch_unwind(|| problem.node_name(NodeId(3)).to_owned()).is_err());
    }
}
