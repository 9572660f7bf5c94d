//! Which nodes a task is tried on: all of them on small clusters, a bounded, well-chosen
//! sample on large ones.
//!
//! Scoring every node for every task costs O(tasks × nodes) timeline look-ups, 10⁹ for a
//! million tasks on a thousand nodes. Like Kubernetes, which scores only a share of the
//! feasible nodes in large clusters (`percentageOfNodesToScore`) and starts each search
//! where the previous one stopped, a task whose node set is larger than [`SCAN_ALL`] is tried
//! only on:
//!
//! 1. the nodes of its placed predecessors (same-node hand-off pays no transfer delay);
//! 2. per **capacity group**, the node that became idle latest before the task's ready time
//!    (the tightest idle fit: the task starts when ready and leaves the least idle gap), or,
//!    when no node is idle by then, the idle-soonest node (smallest free-from frontier); both
//!    found in an ordered set of `(frontier, node)` in O(log m), skipping nodes the task does
//!    not fit or may not use (at most [`WALK`] entries);
//! 3. a rotating window of [`SAMPLE`] nodes starting where the last search ended (nodes
//!    still running something but with room, and gaps earlier in their timelines).
//!
//! Groups are the distinct capacity vectors when there are at most [`MAX_GROUPS`] of them
//! (the usual case: a cluster has a few machine types); otherwise nodes sorted by capacity
//! are cut into [`MAX_GROUPS`] runs, each with its element-wise largest capacity as a filter.
//! Per task: O(p + g·log m + SAMPLE) candidates for p predecessors and g groups, each then
//! costing one timeline look-up. If no candidate fits (possible only with sampling), every
//! node the task can run on is tried, so placement never fails.

use std::collections::BTreeSet;

use crate::model::{NodeId, Problem, TaskId, Time};

/// Node sets up to this size are scanned in full.
pub(crate) const SCAN_ALL: usize = 48;
/// Rotating sample size on large node sets.
pub(crate) const SAMPLE: usize = 3;
/// Largest number of capacity groups.
pub(crate) const MAX_GROUPS: usize = 16;
/// Most frontier entries inspected per group and direction.
pub(crate) const WALK: usize = 24;

struct Group {
    largest: Vec<u64>,
    frontier: BTreeSet<(Time, u32)>,
}

/// The candidate-node index (see the [module docs](self)).
pub(crate) struct Candidates {
    groups: Vec<Group>,
    group_of: Vec<u32>,
    cursor: usize,
    full_scan: bool,
}

impl Candidates {
    /// Builds the index for a problem with all nodes idle.
    pub(crate) fn new(problem: &Problem) -> Self {
        let m = problem.node_count();
        let full_scan = m <= SCAN_ALL;
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of = vec![0u32; m];
        if !full_scan {
            let mut by_capacity: Vec<NodeId> = problem.nodes().collect();
            by_capacity.sort_by(|&a, &b| problem.capacity(a).cmp(problem.capacity(b)).then(a.cmp(&b)));
            let mut distinct: Vec<Vec<NodeId>> = Vec::new();
            for n in by_capacity.iter().copied() {
                match distinct.last_mut() {
                    Some(run) if run.first().is_some_and(|&f| problem.capacity(f) == problem.capacity(n)) => {
                        run.push(n)
                    }
                    _ => distinct.push(vec![n]),
                }
            }
            let runs: Vec<Vec<NodeId>> = if distinct.len() <= MAX_GROUPS {
                distinct
            } else {
                by_capacity.chunks(m.div_ceil(MAX_GROUPS)).map(<[NodeId]>::to_vec).collect()
            };
            for (g, run) in runs.iter().enumerate() {
                let mut largest = vec![0u64; problem.resource_count()];
                for &n in run {
                    for (l, &c) in largest.iter_mut().zip(problem.capacity(n)) {
                        *l = (*l).max(c);
                    }
                    if let Some(slot) = group_of.get_mut(n.index()) {
                        *slot = g as u32;
                    }
                }
                groups.push(Group { largest, frontier: run.iter().map(|n| (0, n.0)).collect() });
            }
        }
        Self { groups, group_of, cursor: 0, full_scan }
    }

    /// Back to every node idle (for a reused schedule).
    pub(crate) fn reset(&mut self) {
        self.cursor = 0;
        for group in &mut self.groups {
            if group.frontier.iter().any(|&(t, _)| t > 0) {
                group.frontier = group.frontier.iter().map(|&(_, n)| (0, n)).collect();
            }
        }
    }

    /// Records that `node`'s frontier moved from `old` to `new`.
    pub(crate) fn moved(&mut self, node: NodeId, old: Time, new: Time) {
        if self.full_scan || old == new {
            return;
        }
        let Some(group) = self.group_of.get(node.index()).and_then(|&g| self.groups.get_mut(g as usize)) else {
            return;
        };
        group.frontier.remove(&(old, node.0));
        group.frontier.insert((new, node.0));
    }

    /// Collects into `out` the nodes to try for `task` (sorted, distinct, each eligible and
    /// large enough). `pred_nodes` are the nodes of its placed predecessors and `ready` the
    /// earliest time it could start anywhere.
    pub(crate) fn collect(
        &mut self,
        problem: &Problem,
        task: TaskId,
        pred_nodes: impl Iterator<Item = NodeId>,
        ready: Time,
        out: &mut Vec<NodeId>,
    ) {
        out.clear();
        let eligible = problem.eligible_nodes(task);
        let size = eligible.map_or(problem.node_count(), <[NodeId]>::len);
        let can_run = |n: NodeId| problem.is_eligible(task, n) && problem.fits(task, n);
        if self.full_scan || size <= SCAN_ALL {
            match eligible {
                Some(list) => out.extend(list.iter().copied().filter(|&n| problem.fits(task, n))),
                None => out.extend(problem.nodes().filter(|&n| problem.fits(task, n))),
            }
            return;
        }
        out.extend(pred_nodes.filter(|&n| can_run(n)));
        let demand = problem.demand(task);
        for group in &self.groups {
            if demand.iter().zip(&group.largest).any(|(d, c)| d > c) {
                continue;
            }
            let usable = |&&(_, n): &&(Time, u32)| can_run(NodeId(n));
            let tightest = group.frontier.range(..(ready, u32::MAX)).rev().take(WALK).find(usable);
            if let Some(&(_, n)) = tightest.or_else(|| group.frontier.iter().take(WALK).find(usable)) {
                out.push(NodeId(n));
            }
        }
        for _ in 0..SAMPLE {
            let i = self.cursor % size;
            self.cursor = self.cursor.wrapping_add(1);
            let node = match eligible {
                Some(list) => list.get(i).copied(),
                None => Some(NodeId(i as u32)),
            };
            if let Some(n) = node.filter(|&n| can_run(n)) {
                out.push(n);
            }
        }
        if out.is_empty() {
            out.extend(problem.options(task).map(|(n, _)| n));
        }
        out.sort_unstable();
        out.dedup();
    }
}
