//! The upper bound and warm start of the exact solvers: the best schedule of the fast
//! heuristics.
//!
//! [`heuristic_schedule`] runs `critical-path` and `topological`, then up to 1,000
//! *randomised critical-path* passes (each task's longest-remaining-path priority scaled by a
//! random factor in [1, 1.5), seeded by [`SolveOptions::seed`]; fewer passes on large
//! instances, none from 200,000 tasks) and keeps the shortest schedule (ties to the first).
//! Biased random sampling of priority rules: Kolisch and Hartmann, "Heuristic algorithms for
//! the RCPSP: classification and computational analysis" (1999). The exact solvers
//! ([`super::Dp`], and `Ilp` with the `ilp` feature) call only this function, so switching
//! their upper bound to another heuristic is a change here. O(k·(n log n + e·m + n·m·s)) for k
//! passes. Heuristic: feasible, no optimality guarantee; deterministic for a seed.

use super::{CriticalPath, Scheduler, Solution, SolveError, SolveOptions, Topological, serial_schedule};
use crate::generate::SplitMix64;
use crate::graph::longest_path_to_end;
use crate::model::Problem;

/// The shortest schedule among `critical-path`, `topological` and randomised
/// critical-path passes (see the [module docs](self)), used as upper bound and warm start by
/// the exact solvers. Honours the time limit between passes.
pub fn heuristic_schedule(problem: &Problem, options: &SolveOptions) -> Result<Solution, SolveError> {
    let started = std::time::Instant::now();
    let deadline = options.deadline();
    // To use another heuristic (e.g. `Greedy`), change this list.
    let heuristics: [&dyn Scheduler; 2] = [&CriticalPath, &Topological];
    let mut best: Option<Solution> = None;
    for h in heuristics {
        let s = h.schedule(problem)?;
        if best.as_ref().is_none_or(|b| s.makespan() < b.makespan()) {
            best = Some(s);
        }
    }
    let mut best = best.ok_or(SolveError::Internal("no heuristic ran".into()))?;
    let passes = (200_000 / (problem.task_count() + 1)).min(1000);
    let rank = longest_path_to_end(problem, |t| problem.min_duration(t), |_, e| e.delay);
    let mut rng = SplitMix64::new(options.seed ^ 0x0005_EED0_FDA6_u64);
    let mut priority = vec![0u64; rank.len()];
    for _ in 0..passes {
        if deadline.reached() || best.makespan() <= best.lower_bound {
            break;
        }
        for (p, &r) in priority.iter_mut().zip(&rank) {
            *p = r.saturating_mul(1024).saturating_add(r.saturating_mul(rng.next_u64() % 512));
        }
        let schedule = serial_schedule(problem, &priority);
        if schedule.makespan() < best.makespan() {
            best = Solution::new(problem, schedule, 0, started, vec![("schedules", 1)])?;
        }
    }
    Ok(best)
}
