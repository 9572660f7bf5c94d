//! Priority rules: which ready task a list scheduler takes next.
//!
//! Each rule maps every task to a `u64` key, larger first; equal keys go to the smaller task
//! id, so no order depends on hashing or threads. "Smallest first" rules store
//! `u64::MAX - value`. All are O(n + e) except [`Rule::MostSuccessors`] (see there).
//! Literature: Kolisch (1996), "Serial and parallel resource-constrained project scheduling
//! methods revisited: theory and computation"; Topcuoglu, Hariri and Wu (2002) for the
//! upward rank; Alvarez-Valdés and Tamarit (1989) for GRPW; Cohen (1997) for the
//! reachability estimate.

use std::fmt;

use crate::graph::{Cpm, longest_path_to_end};
use crate::model::{Problem, Time};
use crate::rng::SplitMix64;

/// A priority rule: which ready task a list scheduler takes next (larger key first, ties to
/// the smaller task id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// Longest remaining path to the end of the DAG, counting the task's own shortest
    /// duration and every transfer delay in full: HEFT's upward rank (LRP). The default.
    UpwardRank,
    /// Smallest latest start time first (LST, from the critical path method).
    LatestStart,
    /// Smallest latest finish time first (LFT): the best single-pass rule on PSPLIB.
    LatestFinish,
    /// Most total (transitive) successors first (MTS).
    MostSuccessors,
    /// Greatest rank positional weight first: own duration plus the durations of the direct
    /// successors (GRPW).
    RankPositionalWeight,
    /// Shortest (smallest possible) duration first (SPT).
    ShortestDuration,
    /// A seeded uniformly random priority: a baseline and a diversifier.
    Random,
}

impl Rule {
    /// Every rule, in declaration order.
    pub const ALL: [Rule; 7] = [
        Rule::UpwardRank,
        Rule::LatestStart,
        Rule::LatestFinish,
        Rule::MostSuccessors,
        Rule::RankPositionalWeight,
        Rule::ShortestDuration,
        Rule::Random,
    ];

    /// The rule's short name (`"upward-rank"`, `"lft"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Rule::UpwardRank => "upward-rank",
            Rule::LatestStart => "lst",
            Rule::LatestFinish => "lft",
            Rule::MostSuccessors => "mts",
            Rule::RankPositionalWeight => "grpw",
            Rule::ShortestDuration => "spt",
            Rule::Random => "random",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The key of every task under `rule` (larger first). `seed` drives [`Rule::Random`].
pub(crate) fn priorities(problem: &Problem, rule: Rule, seed: u64) -> Vec<u64> {
    match rule {
        Rule::UpwardRank => upward_rank(problem),
        Rule::LatestStart | Rule::LatestFinish => {
            let cpm = Cpm::analyze(problem);
            problem
                .tasks()
                .map(|t| {
                    let late = if rule == Rule::LatestStart { cpm.latest_start(t) } else { cpm.latest_finish(t) };
                    u64::MAX - late
                })
                .collect()
        }
        Rule::MostSuccessors => total_successors(problem),
        Rule::RankPositionalWeight => problem
            .tasks()
            .map(|t| {
                let own = problem.min_duration(t);
                problem.successors(t).iter().fold(own, |acc, e| acc.saturating_add(problem.min_duration(e.task)))
            })
            .collect(),
        Rule::ShortestDuration => problem.tasks().map(|t| u64::MAX - problem.min_duration(t)).collect(),
        Rule::Random => {
            let mut rng = SplitMix64::new(seed ^ 0x005E_ED0F_6EED);
            problem.tasks().map(|_| rng.next_u64()).collect()
        }
    }
}

/// HEFT's upward rank with each task at its shortest duration and every delay in full.
pub(crate) fn upward_rank(problem: &Problem) -> Vec<Time> {
    longest_path_to_end(problem, |t| problem.min_duration(t), |_, e| e.delay)
}

/// Exact transitive successor counts up to this many tasks (bit sets, n²/8 bytes).
const EXACT_SUCCESSORS: usize = 4096;

/// Number of transitive successors: exact with bit sets for small graphs (O(n·e/64)), a
/// Cohen (1997) min-rank estimate with 8 independent ranks otherwise (O(8·(n + e)), within a
/// few tens of percent, enough to rank tasks).
fn total_successors(problem: &Problem) -> Vec<u64> {
    let n = problem.task_count();
    let order = problem.topological_order();
    if n <= EXACT_SUCCESSORS {
        let words = n.div_ceil(64);
        let mut reach: Vec<Vec<u64>> = vec![vec![0u64; words]; n];
        for &t in order.iter().rev() {
            let Some(slot) = reach.get_mut(t.index()) else { continue };
            let mut mine = std::mem::take(slot);
            for e in problem.successors(t) {
                let j = e.task.index();
                if let Some(w) = mine.get_mut(j / 64) {
                    *w |= 1 << (j % 64);
                }
                if let Some(theirs) = reach.get(j) {
                    for (w, &bits) in mine.iter_mut().zip(theirs) {
                        *w |= bits;
                    }
                }
            }
            if let Some(slot) = reach.get_mut(t.index()) {
                *slot = mine;
            }
        }
        return reach.iter().map(|r| r.iter().map(|w| u64::from(w.count_ones())).sum()).collect();
    }
    const K: usize = 8;
    let mut rng = SplitMix64::new(0xC0E4);
    let own: Vec<[f64; K]> = (0..n).map(|_| std::array::from_fn(|_| rng.unit())).collect();
    // min over strict descendants of each rank
    let mut below = vec![[f64::INFINITY; K]; n];
    for &t in order.iter().rev() {
        let mut best = [f64::INFINITY; K];
        for e in problem.successors(t) {
            let j = e.task.index();
            if let (Some(o), Some(b)) = (own.get(j), below.get(j)) {
                for ((slot, &mine), &theirs) in best.iter_mut().zip(o).zip(b) {
                    *slot = slot.min(mine).min(theirs);
                }
            }
        }
        if let Some(slot) = below.get_mut(t.index()) {
            *slot = best;
        }
    }
    below
        .iter()
        .map(|m| {
            if m.iter().any(|v| v.is_infinite()) {
                return 0;
            }
            let sum: f64 = m.iter().sum();
            ((K as f64 / sum - 1.0).max(1.0) * 16.0) as u64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProblemSpec, TaskSpec};

    fn chain_and_fan() -> Problem {
        // a -> b -> c, a -> d, e alone
        ProblemSpec::new()
            .node(crate::model::NodeSpec::new("n").capacity("cpu", 4))
            .task(TaskSpec::new("a", 2).demand("cpu", 1))
            .task(TaskSpec::new("b", 5).demand("cpu", 1).after("a"))
            .task(TaskSpec::new("c", 1).demand("cpu", 1).after("b"))
            .task(TaskSpec::new("d", 9).demand("cpu", 1).after("a"))
            .task(TaskSpec::new("e", 3).demand("cpu", 1))
            .build()
            .unwrap()
    }

    #[test]
    fn rules_give_known_keys() {
        let p = chain_and_fan();
        assert_eq!(priorities(&p, Rule::UpwardRank, 0), vec![11, 6, 1, 9, 3]);
        assert_eq!(priorities(&p, Rule::MostSuccessors, 0), vec![3, 1, 0, 0, 0]);
        assert_eq!(priorities(&p, Rule::RankPositionalWeight, 0), vec![16, 6, 1, 9, 3]);
        let spt = priorities(&p, Rule::ShortestDuration, 0);
        assert!(spt[2] > spt[0] && spt[0] > spt[4] && spt[4] > spt[1]);
        // CPM length 11: LS a 0, b 5, c 10, d 2, e 8; LF adds the duration.
        let lst: Vec<u64> = priorities(&p, Rule::LatestStart, 0).iter().map(|k| u64::MAX - k).collect();
        assert_eq!(lst, vec![0, 5, 10, 2, 8]);
        let lft: Vec<u64> = priorities(&p, Rule::LatestFinish, 0).iter().map(|k| u64::MAX - k).collect();
        assert_eq!(lft, vec![2, 10, 11, 11, 11]);
    }

    #[test]
    fn random_rule_is_seeded() {
        let p = chain_and_fan();
        assert_eq!(priorities(&p, Rule::Random, 7), priorities(&p, Rule::Random, 7));
        assert_ne!(priorities(&p, Rule::Random, 7), priorities(&p, Rule::Random, 8));
    }

    #[test]
    fn successor_estimate_ranks_a_long_chain() {
        let mut spec = ProblemSpec::new().node(crate::model::NodeSpec::new("n").capacity("cpu", 1));
        for i in 0..5000 {
            let t = TaskSpec::new(format!("t{i}"), 1).demand("cpu", 1);
            spec = spec.task(if i == 0 { t } else { t.after(format!("t{}", i - 1)) });
        }
        let keys = priorities(&spec.build().unwrap(), Rule::MostSuccessors, 0);
        assert!(keys[0] >= keys[2500] && keys[2500] >= keys[4990] && keys[0] > keys[4990]);
        assert_eq!(keys[4999], 0);
    }
}
