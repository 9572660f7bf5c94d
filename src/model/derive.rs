//! A problem derived from another by ids, without the name-based spec: a subset of its tasks
//! with new time rules, some nodes removed, downtime added, a new `now` (what replanning
//! needs, see [`crate::Replan`]). The result is the problem that [`ProblemSpec::build`] would
//! make of the same changes written into the previous problem's spec (a test in
//! `replan.rs` compares the two), checked by the same validation of eligibility, the time rules
//! and the horizon, with the same errors; only the checks that the changes cannot break
//! (names, references, amounts, cycles) are skipped.
//!
//! O((tasks + dependencies) · log + tasks · (eligible nodes + per-node durations) + windows ·
//! log windows) time.
//!
//! [`ProblemSpec::build`]: super::ProblemSpec::build

use super::build::{adjacency, finish_validation, kahn_order, name_error};
use super::check_timing::merge;
use super::names::Names;
use super::timing::{Fixed, Timing, Window};
use super::{Edge, ModelError, NodeId, Placement, Problem, TaskId, Time, entry};

/// The time rules of a task of the derived problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TaskRules {
    /// Its release date.
    pub(crate) release: Time,
    /// Its deadline.
    pub(crate) deadline: Option<Time>,
    /// Where it is fixed (a node of the previous problem) and its duration there if that
    /// changes (a running task's actual duration).
    pub(crate) fixed: Option<(Fixed, Option<Time>)>,
    /// A node (of the previous problem) the task is restricted to, if any.
    pub(crate) only: Option<NodeId>,
}

/// What changes from the previous problem.
#[derive(Debug, Clone, Default)]
pub(crate) struct Derivation {
    /// The previous tasks kept, in their order (the `i`-th becomes task `i`), with their new
    /// time rules. Dependencies between kept tasks stay; the others go.
    pub(crate) tasks: Vec<(TaskId, TaskRules)>,
    /// Per previous node: whether it is removed (it leaves every eligibility list).
    pub(crate) removed: Vec<bool>,
    /// Downtime added to previous nodes: `(node, from, to)`.
    pub(crate) windows: Vec<(NodeId, Time, Time)>,
    /// The new plan start.
    pub(crate) now: Time,
}

impl Problem {
    /// The problem with the changes of `derivation` (see the module docs).
    pub(crate) fn derive(&self, derivation: &Derivation) -> Result<Problem, ModelError> {
        let gone = |n: NodeId| derivation.removed.get(n.index()).copied().unwrap_or(false);
        // Previous node id -> new one.
        let mut node_map: Vec<Option<NodeId>> = Vec::with_capacity(self.node_count());
        let mut node_names = Names::with_capacity(self.node_count());
        let (mut labels, mut capacity) = (Vec::new(), Vec::new());
        for n in self.nodes() {
            if gone(n) {
                node_map.push(None);
                continue;
            }
            let id = node_names.push(self.node_name(n).to_owned()).map_err(|r| name_error("node", r))?;
            node_map.push(Some(NodeId(id)));
            labels.push(entry(&self.labels, n.index()).clone());
            capacity.extend_from_slice(self.capacity(n));
        }
        let new_node = |n: NodeId| node_map.get(n.index()).copied().flatten();

        let mut task_map: Vec<Option<TaskId>> = vec![None; self.task_count()];
        for (i, &(t, _)) in derivation.tasks.iter().enumerate() {
            if let Some(slot) = task_map.get_mut(t.index()) {
                *slot = Some(TaskId(i as u32));
            }
        }
        let n = derivation.tasks.len();
        let mut task_names = Names::with_capacity(n);
        let (mut duration, mut demand, mut placement) = (Vec::with_capacity(n), Vec::new(), Vec::with_capacity(n));
        let mut edges: Vec<(TaskId, TaskId, Time)> = Vec::new();
        for (i, &(t, rules)) in derivation.tasks.iter().enumerate() {
            task_names.push(self.task_name(t).to_owned()).map_err(|r| name_error("task", r))?;
            duration.push(self.default_duration(t));
            demand.extend_from_slice(self.demand(t));
            let old = entry(&self.placement, t.index());
            let only = match rules.only {
                Some(n) => Some(new_node(n).into_iter().collect()),
                None => old.only.as_ref().map(|only| only.iter().filter_map(|&n| new_node(n)).collect()),
            };
            let allowed = |n: NodeId| rules.only.is_none_or(|only| only == n);
            let mut durations: Vec<(NodeId, Time)> = old
                .durations
                .iter()
                .filter(|&&(n, _)| allowed(n))
                .filter_map(|&(n, d)| Some((new_node(n)?, d)))
                .collect();
            if let Some((f, Some(d))) = rules.fixed
                && let Some(node) = new_node(f.node)
            {
                match durations.binary_search_by_key(&node, |&(n, _)| n) {
                    Ok(at) => durations.iter_mut().skip(at).take(1).for_each(|entry| entry.1 = d),
                    Err(at) => durations.insert(at, (node, d)),
                }
            }
            placement.push(Placement { only, durations: durations.into_boxed_slice() });
            let to = TaskId(i as u32);
            for e in self.predecessors(t) {
                if let Some(from) = task_map.get(e.task.index()).copied().flatten() {
                    edges.push((from, to, e.delay));
                }
            }
        }
        let preds = adjacency(n, edges.iter().map(|&(a, b, d)| (b, Edge { task: a, delay: d })));
        let succs = adjacency(n, edges.iter().map(|&(a, b, d)| (a, Edge { task: b, delay: d })));
        // A subgraph of a DAG: no cycle, but reported like validation would if there were one.
        let order = kahn_order(n, &preds, &succs).map_err(|cycle| ModelError::Cycle {
            tasks: cycle.iter().map(|t| entry(task_names.as_slice(), t.index()).clone()).collect(),
        })?;

        let timing = self.derived_timing(derivation, &node_map, &node_names)?;
        let problem = Problem {
            resources: self.resources.clone(),
            scales: self.scales.clone(),
            node_names,
            labels,
            capacity,
            task_names,
            duration,
            demand,
            placement,
            min_duration: Vec::new(),
            preds,
            succs,
            order,
            horizon: 0,
            timing,
        };
        finish_validation(problem)
    }

    /// The time rules of the derived problem (node ids already mapped by `node_map`).
    fn derived_timing(
        &self,
        derivation: &Derivation,
        node_map: &[Option<NodeId>],
        node_names: &Names,
    ) -> Result<Timing, ModelError> {
        let rules = || derivation.tasks.iter().map(|(_, r)| r);
        let mut timing = Timing { now: derivation.now, ..Timing::default() };
        if rules().any(|r| r.release > 0) {
            timing.release = rules().map(|r| r.release).collect();
        }
        if rules().any(|r| r.deadline.is_some()) {
            timing.deadline = rules().map(|r| r.deadline).collect();
        }
        if rules().any(|r| r.fixed.is_some()) {
            timing.fixed = derivation
                .tasks
                .iter()
                .map(|(t, r)| match r.fixed {
                    None => Ok(None),
                    Some((f, _)) => match node_map.get(f.node.index()).copied().flatten() {
                        Some(node) => Ok(Some(Fixed { node, start: f.start })),
                        None => Err(ModelError::UnknownNode {
                            task: self.task_name(*t).to_owned(),
                            node: self.node_name(f.node).to_owned(),
                        }),
                    },
                })
                .collect::<Result<_, _>>()?;
        }
        let mut windows: Vec<Vec<Window>> = vec![Vec::new(); node_names.len()];
        for n in self.nodes() {
            if let Some(new) = node_map.get(n.index()).copied().flatten()
                && let Some(list) = windows.get_mut(new.index())
            {
                list.extend_from_slice(self.unavailable(n));
            }
        }
        for &(n, from, to) in &derivation.windows {
            if from >= to {
                return Err(ModelError::EmptyWindow { node: self.node_name(n).to_owned(), from, to });
            }
            if let Some(list) = node_map.get(n.index()).copied().flatten().and_then(|new| windows.get_mut(new.index()))
            {
                list.push(Window { from, to });
            }
        }
        if windows.iter().any(|w| !w.is_empty()) {
            timing.unavailable = windows.into_iter().map(merge).collect();
        }
        Ok(timing)
    }
}
