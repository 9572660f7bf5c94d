//! Improvement passes on top of one list schedule.
//!
//! * **Double justification** (forward-backward improvement; Valls, Ballestín and Quintanilla
//!   2005, "Justification and RCPSP: a technique that pays"): keep every task on its node,
//!   shift each as far *right* as possible in order of decreasing finish (a backward serial
//!   pass on mirrored time), then as far *left* as possible in order of increasing start.
//!   Each pass is a serial scheme over the previous schedule's order, so by the classic
//!   left-shift argument no task ends later than before: the makespan never grows, and often
//!   shrinks. O(2 · serial pass) with one candidate node per task.
//! * **Regret-based biased random sampling** (Kolisch and Drexl 1996): build an activity list
//!   by drawing each next task among the ready ones with probability proportional to
//!   `(regret + 1)^α`, where regret is how much better its priority is than the worst ready
//!   one's. O(n·E) per list for E ready tasks: for small and medium instances.

use std::cmp::Reverse;

use super::sgs::{Policy, UNPLACED, serial};
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::rng::SplitMix64;
use crate::schedule::Assignment;

/// Makespan of per-task assignments.
pub(crate) fn makespan(assignments: &[Assignment]) -> Time {
    assignments.iter().map(|a| a.finish).max().unwrap_or(0)
}

/// Double justification of a complete schedule (indexed by task id). Returns the justified
/// schedule, or the input when justification does not shorten it.
pub(crate) fn justify(problem: &Problem, schedule: Vec<Assignment>) -> Vec<Assignment> {
    if schedule.iter().any(|a| a.task == UNPLACED.task) {
        return schedule;
    }
    let mut position = vec![0usize; problem.task_count()];
    for (i, t) in problem.topological_order().iter().enumerate() {
        if let Some(p) = position.get_mut(t.index()) {
            *p = i;
        }
    }
    let pos = |t: TaskId| position.get(t.index()).copied().unwrap_or(0);
    let at = |s: &[Assignment], t: TaskId| s.get(t.index()).copied().unwrap_or(UNPLACED);
    let nodes: Vec<NodeId> = schedule.iter().map(|a| a.node).collect();

    let mut list: Vec<TaskId> = problem.tasks().collect();
    list.sort_by_key(|&t| (Reverse(at(&schedule, t).finish), Reverse(pos(t))));
    let mirrored = serial(problem, &list, Policy::EarliestFinish, true, Some(&nodes));
    let end = makespan(&mirrored);
    let right: Vec<Assignment> = mirrored
        .iter()
        .map(|a| Assignment { task: a.task, node: a.node, start: end - a.finish, finish: end - a.start })
        .collect();

    list.sort_by_key(|&t| (at(&right, t).start, pos(t)));
    let left = serial(problem, &list, Policy::EarliestFinish, false, Some(&nodes));
    let complete = left.iter().all(|a| a.task != UNPLACED.task);
    if complete && makespan(&left) < makespan(&schedule) { left } else { schedule }
}

/// A precedence-feasible activity list drawn by regret-based biased random sampling on
/// `keys` (larger is better) with bias exponent `alpha`.
pub(crate) fn sampled_list(problem: &Problem, keys: &[u64], rng: &mut SplitMix64, alpha: f64) -> Vec<TaskId> {
    let mut waiting: Vec<u32> = problem.tasks().map(|t| problem.predecessors(t).len() as u32).collect();
    let mut ready: Vec<TaskId> = problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).collect();
    let key = |t: TaskId| keys.get(t.index()).copied().unwrap_or(0);
    let mut list = Vec::with_capacity(problem.task_count());
    let mut weights: Vec<f64> = Vec::new();
    while !ready.is_empty() {
        let worst = ready.iter().map(|&t| key(t)).min().unwrap_or(0);
        weights.clear();
        weights.extend(ready.iter().map(|&t| ((key(t) - worst) as f64 + 1.0).powf(alpha)));
        let total: f64 = weights.iter().sum();
        let mut draw = rng.unit() * total;
        let mut pick = ready.len() - 1;
        for (i, w) in weights.iter().enumerate() {
            if draw < *w {
                pick = i;
                break;
            }
            draw -= w;
        }
        let t = ready.swap_remove(pick);
        list.push(t);
        for e in problem.successors(t) {
            if let Some(w) = waiting.get_mut(e.task.index()) {
                *w -= 1;
                if *w == 0 {
                    ready.push(e.task);
                }
            }
        }
    }
    list
}
