//! Which tasks cannot overlap: the small shared facts of the ilp pipeline, read by the
//! propagation (`windows/`) and by the cuts (`cuts.rs`), and importing neither.
//!
//! * [`Problem::clash`](crate::model::Problem::clash): two tasks whose demands together exceed a node's capacity in some dimension.
//! * [`Order`]: an order between two tasks, inferred by the propagation.
//! * [`Reach`]: the transitive closure of the dependencies and inferred orders, O(N · E / 64).
//! * [`greedy_cliques`]: sets of pairwise incompatible items, O(n² · k).

use std::collections::BTreeSet;

use crate::model::{PerTask, Problem, TaskId, TaskSet, Time};

/// Largest number of tasks for which the precedence closure is computed (N² bits).
const MAX_CLOSURE_TASKS: usize = 4_000;

/// An order between two tasks: `before` finishes (on the same node) before `after` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Order {
    pub before: TaskId,
    pub after: TaskId,
}

/// Greedy cliques of `items` under `incompatible`: from each item, the others are added in
/// order of decreasing `weight` (then position) when incompatible with every member. Each
/// clique as its sorted positions in `items`, duplicates dropped; O(n² · k) for cliques of
/// size k.
pub(crate) fn greedy_cliques<T: Copy>(
    items: &[T],
    weight: impl Fn(T) -> Time,
    incompatible: impl Fn(T, T) -> bool,
) -> BTreeSet<Vec<usize>> {
    let mut order: Vec<(usize, T)> = items.iter().copied().enumerate().collect();
    order.sort_by_key(|&(k, item)| (std::cmp::Reverse(weight(item)), k));
    let mut cliques = BTreeSet::new();
    for (seed, &first) in items.iter().enumerate() {
        let mut members = vec![(seed, first)];
        for &(k, item) in &order {
            if k != seed && members.iter().all(|&(_, m)| incompatible(m, item)) {
                members.push((k, item));
            }
        }
        let mut positions: Vec<usize> = members.into_iter().map(|(k, _)| k).collect();
        positions.sort_unstable();
        cliques.insert(positions);
    }
    cliques
}

/// The transitive closure of the dependencies and inferred orders, a set of successors per
/// task (`None`, so that nothing is ordered, beyond [`MAX_CLOSURE_TASKS`] tasks).
pub(crate) struct Reach {
    after: Option<PerTask<TaskSet>>,
}

impl Reach {
    pub(crate) fn new(problem: &Problem, orders: &[Order]) -> Self {
        if problem.task_count() > MAX_CLOSURE_TASKS {
            return Self { after: None };
        }
        let mut successors: PerTask<Vec<TaskId>> =
            PerTask::tasks(problem, |t| problem.successors(t).iter().map(|e| e.task).collect());
        for o in orders {
            successors[o.before].push(o.after);
        }
        let mut after = PerTask::tasks(problem, |_| TaskSet::new(problem));
        // Relax until nothing changes: the inferred orders need not follow the topological
        // order, but the graph stays acyclic, so each pass in reverse topological order is
        // exact for the dependencies and few passes settle the rest.
        for _ in 0..problem.task_count() {
            let mut changed = false;
            for &t in problem.topological_order().iter().rev() {
                let mut reach = after[t].clone();
                for &s in &successors[t] {
                    reach.insert(s);
                    reach.union_with(&after[s]);
                }
                changed |= reach != after[t];
                after[t] = reach;
            }
            if !changed {
                break;
            }
        }
        Self { after: Some(after) }
    }

    /// Whether `a` finishes before `b` starts in every schedule.
    pub(crate) fn ordered(&self, a: TaskId, b: TaskId) -> bool {
        self.after.as_ref().is_some_and(|after| after[a].contains(b))
    }
}
