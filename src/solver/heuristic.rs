//! The starting upper bound of the exact solvers: the default [`Greedy`] portfolio
//! (list scheduling over priority rules, node policies and both schedule generation schemes,
//! improved by double justification and biased random sampling; see
//! [`super::greedy`]). The exact solvers (through their common frame, `exact.rs`) and
//! `search` call only [`heuristic_schedule`], so switching their upper bound to another
//! heuristic is a change here. Inside a portfolio that already holds a schedule (`auto` runs greedy first),
//! the portfolio's best schedule is used instead of running greedy again. Heuristic: feasible,
//! no optimality guarantee; deterministic for a seed.

use std::time::Instant;

use super::shared::at_least_as_good;
use super::{Greedy, Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;
use crate::schedule::Schedule;

/// The greedy portfolio's schedule under `options` (seed, threads, time limit, cancellation),
/// or the warm start when shorter: the exact solvers' starting upper bound; inside a portfolio
/// that ran greedy, its best schedule so far.
pub(crate) fn heuristic_schedule(problem: &Problem, options: &SolveOptions) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let Some(shared) = options.shared.as_ref() else { return Greedy::new(options.clone()).schedule(problem) };
    if shared.has_heuristic()
        && let Some((best, _)) = shared.best()
    {
        return Solution::new(problem, Schedule::clone(&best), 0, started, vec![("schedules", 0)]);
    }
    let greedy = Greedy::new(options.clone()).schedule(problem);
    at_least_as_good(problem, shared, greedy, started)
}
