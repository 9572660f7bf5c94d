//! The cuts stage of the ilp pipeline: clique cuts for the time-indexed model: at every time, at most one of a set of pairwise
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
use super::relations::{Reach, greedy_cliques};
use super::windows::Windows;
use crate::model::{Problem, Time};
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
            || reach.ordered(a.task, b.task)
            || reach.ordered(b.task, a.task)
            || (a.node == b.node && problem.clash(a.node, a.task, b.task))
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
