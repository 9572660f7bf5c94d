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
use crate::model::{Problem, TaskId, Time};

/// Largest number of tasks for which the precedence closure is computed (N² bits).
const MAX_CLOSURE_TASKS: usize = 4_000;
/// Largest number of blocks for which cliques are sought (the greedy search is quadratic).
const MAX_CLIQUE_BLOCKS: usize = 1_500;

/// The clique rows of a model.
pub(crate) fn clique_rows(model: &TimeIndexed, problem: &Problem, windows: &Windows) -> Vec<Row> {
    let reach = Reach::new(problem, &windows.orders);
    let blocks: Vec<&Block> = model.blocks.iter().filter(|b| b.duration > 0).collect();
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

/// The transitive closure of the dependencies and inferred orders, as bit rows (empty, so
/// that nothing is ordered, beyond [`MAX_CLOSURE_TASKS`] tasks).
pub(crate) struct Reach {
    words: usize,
    bits: Vec<u64>,
}

impl Reach {
    pub(crate) fn new(problem: &Problem, orders: &[Order]) -> Self {
        let n = problem.task_count();
        if n > MAX_CLOSURE_TASKS {
            return Self { words: 0, bits: Vec::new() };
        }
        let words = n.div_ceil(64);
        let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
        for t in problem.tasks() {
            if let Some(list) = successors.get_mut(t.index()) {
                list.extend(problem.successors(t).iter().map(|e| e.task.index()));
            }
        }
        for o in orders {
            if let Some(list) = successors.get_mut(o.before.index()) {
                list.push(o.after.index());
            }
        }
        let mut reach = Self { words, bits: vec![0; n * words] };
        // Relax until nothing changes: the inferred orders need not follow the topological
        // order, but the graph stays acyclic, so each pass in reverse topological order is
        // exact for the dependencies and few passes settle the rest.
        for _ in 0..n {
            let mut changed = false;
            for &t in problem.topological_order().iter().rev() {
                for &s in successors.get(t.index()).map_or(&[][..], Vec::as_slice) {
                    changed |= reach.absorb(t.index(), s);
                }
            }
            if !changed {
                break;
            }
        }
        reach
    }

    /// Adds `s` and everything `s` reaches to what `t` reaches; whether anything was new.
    fn absorb(&mut self, t: usize, s: usize) -> bool {
        let mut changed = false;
        for w in 0..self.words {
            let from =
                self.bits.get(s * self.words + w).copied().unwrap_or(0) | if w == s / 64 { 1 << (s % 64) } else { 0 };
            if let Some(word) = self.bits.get_mut(t * self.words + w) {
                changed |= *word | from != *word;
                *word |= from;
            }
        }
        changed
    }

    /// Whether `a`'s task finishes before `b`'s starts in every schedule.
    fn precedes(&self, a: &Block, b: &Block) -> bool {
        self.ordered(a.task, b.task)
    }

    /// Whether `a` finishes before `b` starts in every schedule.
    pub(crate) fn ordered(&self, a: TaskId, b: TaskId) -> bool {
        let (i, j) = (a.index(), b.index());
        self.bits.get(i * self.words + j / 64).is_some_and(|w| w >> (j % 64) & 1 == 1)
    }
}
