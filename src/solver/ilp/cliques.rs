//! Clique cuts for the time-indexed model: at every time, at most one of a set of pairwise
//! incompatible blocks runs. Two blocks (a task on a node) are incompatible when they belong
//! to the same task, when one task precedes the other (through dependencies and the orders
//! inferred by [`Windows`]), or when they share a node and their demands together exceed its
//! capacity in some dimension. Valid for every schedule, and much tighter in the LP than the
//! capacity rows alone, where a fractional schedule could otherwise run half of each task at
//! once (Christofides, Alvarez-Valdes and Tamarit, "Project scheduling with resource
//! constraints: a branch and bound approach", EJOR 29, 1987; Demassey, Artigues and Michelon
//! 2005 for the disjunctive cliques).
//!
//! The cliques are greedy: from each block, add the others in order of decreasing duration
//! when incompatible with every member; duplicates are dropped. O(B² · K) for B blocks and
//! cliques of size K, plus the transitive closure of the precedences, O(N · E / 64); none
//! beyond [`MAX_CLIQUE_BLOCKS`] blocks.

use std::collections::BTreeSet;

use super::model::{Block, Row, TimeIndexed};
use super::windows::{Order, Windows, clash};
use crate::model::{PerTask, Problem, TaskId, TaskSet, Time};

/// Largest number of tasks for which the precedence closure is computed (N² bits).
const MAX_CLOSURE_TASKS: usize = 4_000;
/// Largest number of blocks for which cliques are sought (the greedy search is quadratic).
const MAX_CLIQUE_BLOCKS: usize = 1_500;

/// The clique rows of a model.
pub(crate) fn clique_rows(model: &TimeIndexed, problem: &Problem, windows: &Windows) -> Vec<Row> {
    let reach = Reach::new(problem, &windows.orders);
    let blocks: Vec<&Block> = model.blocks().filter(|b| b.duration > 0).collect();
    if blocks.len() > MAX_CLIQUE_BLOCKS {
        return Vec::new();
    }
    let incompatible = |a: &Block, b: &Block| {
        a.task == b.task
            || reach.precedes(a, b)
            || reach.precedes(b, a)
            || (a.node == b.node && clash(problem, a.node, a.task, b.task))
    };
    // A clique within one task is the assignment row already.
    let cliques = greedy_cliques(&blocks, |b| b.duration, incompatible).into_iter().filter(|members| {
        let tasks: BTreeSet<_> = members.iter().filter_map(|&m| blocks.get(m).map(|b| b.task)).collect();
        tasks.len() >= 2
    });
    let mut rows = Vec::new();
    for members in cliques {
        let clique: Vec<&Block> = members.iter().filter_map(|&m| blocks.get(m).copied()).collect();
        let mut times: Vec<Time> = clique.iter().flat_map(|b| b.first..b.last + b.duration).collect();
        times.sort_unstable();
        times.dedup();
        for tau in times {
            let active: Vec<&&Block> = clique.iter().filter(|b| b.first <= tau && tau < b.last + b.duration).collect();
            if active.len() < 2 {
                continue;
            }
            let terms = active.iter().flat_map(|b| b.running_at(tau, 1.0)).collect();
            rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: 1.0 });
        }
    }
    rows
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

    /// Whether `a`'s task finishes before `b`'s starts in every schedule.
    fn precedes(&self, a: &Block, b: &Block) -> bool {
        self.ordered(a.task, b.task)
    }

    /// Whether `a` finishes before `b` starts in every schedule.
    pub(crate) fn ordered(&self, a: TaskId, b: TaskId) -> bool {
        self.after.as_ref().is_some_and(|after| after[a].contains(b))
    }
}
