//! The upper bound and warm start of the exact solvers: the best schedule of the fast
//! heuristics.
//!
//! [`heuristic_schedule`] runs each heuristic named in it and keeps the shortest schedule
//! (ties to the first). The exact solvers ([`super::Dp`], and `Ilp` with the `ilp` feature)
//! call only this function, so switching their upper bound to another heuristic is a
//! one-line change here. O(cost of the heuristics run): list scheduling, O(n log n + e·m +
//! n·m·s). Heuristic: feasible, no optimality guarantee.

use super::{CriticalPath, Scheduler, Solution, SolveError, SolveOptions, Topological};
use crate::model::Problem;

/// The shortest schedule among the heuristics `topological` and `critical-path`
/// (ties to the first), used as upper bound and warm start by the exact solvers.
///
/// The options are accepted so that a heuristic that honours a time limit or a seed can be
/// plugged in here without touching the callers.
pub fn heuristic_schedule(problem: &Problem, options: &SolveOptions) -> Result<Solution, SolveError> {
    let _ = options;
    // To use another heuristic (e.g. `Greedy`), change this list.
    let heuristics: [&dyn Scheduler; 2] = [&CriticalPath, &Topological];
    let mut best: Option<Solution> = None;
    for h in heuristics {
        let s = h.schedule(problem)?;
        if best.as_ref().is_none_or(|b| s.makespan() < b.makespan()) {
            best = Some(s);
        }
    }
    best.ok_or(SolveError::Internal("no heuristic ran".into()))
}
