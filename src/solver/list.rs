//! The serial schedule generation scheme shared by the list-scheduling solvers.
//!
//! Tasks are taken one at a time, always the ready task (all predecessors placed) with the
//! highest priority, ties to the smallest id. Each goes on the node where it *finishes
//! earliest* (HEFT's insertion policy: it may fill an earlier gap of the node's timeline),
//! ties to the smallest node id. Its earliest start on a node is the latest predecessor
//! finish, plus the transfer delay for predecessors on other nodes.
//!
//! O(n log n + e·m + n·m·s) for n tasks, e dependencies, m candidate nodes per task and s
//! timeline steps inspected per placement ([`Profile::earliest_fit`]). Every task is placed
//! after its predecessors at a time where its demand fits, so the result is feasible by
//! construction (and verified in every test). Kolisch (1996), "Serial and parallel resource-
//! constrained project scheduling methods revisited"; Topcuoglu et al. (2002), HEFT.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::{NodeId, Problem, TaskId, Time};
use crate::profile::Profile;
use crate::schedule::{Assignment, Schedule};

/// Marker for unplaced tasks.
const UNPLACED: Assignment = Assignment { task: TaskId(u32::MAX), node: NodeId(u32::MAX), start: 0, finish: 0 };

/// Builds a schedule by the serial scheme with `priority[t]` (higher first) and
/// earliest-finish-time placement. `priority` has one entry per task.
pub fn serial_schedule(problem: &Problem, priority: &[u64]) -> Schedule {
    let n = problem.task_count();
    let mut profiles: Vec<Profile> = problem.nodes().map(|node| Profile::new(problem.capacity(node))).collect();
    let mut placed = vec![UNPLACED; n];
    let mut waiting: Vec<usize> = problem.tasks().map(|t| problem.predecessors(t).len()).collect();
    let key = |t: TaskId| (priority.get(t.index()).copied().unwrap_or(0), Reverse(t));
    let mut ready: BinaryHeap<(u64, Reverse<TaskId>)> =
        problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).map(key).collect();

    while let Some((_, Reverse(task))) = ready.pop() {
        let demand = problem.demand(task);
        let mut best: Option<Assignment> = None;
        for (node, duration) in problem.options(task) {
            let ready_at = ready_time(problem, &placed, task, node);
            let Some(profile) = profiles.get(node.index()) else { continue };
            let Some(start) = profile.earliest_fit(ready_at, duration, demand) else { continue };
            let finish = start.saturating_add(duration);
            if best.is_none_or(|b| finish < b.finish) {
                best = Some(Assignment { task, node, start, finish });
            }
        }
        // A valid problem gives every task at least one node it fits, so `best` is set.
        let Some(choice) = best else { continue };
        if let Some(profile) = profiles.get_mut(choice.node.index()) {
            profile.reserve(choice.start, choice.finish - choice.start, demand);
        }
        if let Some(slot) = placed.get_mut(task.index()) {
            *slot = choice;
        }
        for e in problem.successors(task) {
            if let Some(w) = waiting.get_mut(e.task.index()) {
                *w -= 1;
                if *w == 0 {
                    ready.push(key(e.task));
                }
            }
        }
    }
    Schedule::new(placed.into_iter().filter(|a| a.task != UNPLACED.task).collect())
}

/// The earliest time `task` may start on `node` given its placed predecessors.
pub(crate) fn ready_time(problem: &Problem, placed: &[Assignment], task: TaskId, node: NodeId) -> Time {
    problem
        .predecessors(task)
        .iter()
        .filter_map(|e| {
            let p = placed.get(e.task.index())?;
            Some(if p.node == node { p.finish } else { p.finish.saturating_add(e.delay) })
        })
        .max()
        .unwrap_or(0)
}
