//! The starting upper bound of the exact solvers: the default [`Greedy`] portfolio
//! (list scheduling over priority rules, node policies and both schedule generation schemes,
//! improved by double justification and biased random sampling; see
//! [`super::greedy`]). The exact solvers ([`super::Dp`], and `Ilp` with the `ilp` feature)
//! call only [`heuristic_schedule`], so switching their upper bound to another heuristic is a
//! change here. Inside a portfolio that already holds a schedule (`auto` runs greedy first),
//! the portfolio's best schedule is used instead of running greedy again. Heuristic: feasible,
//! no optimality guarantee; deterministic for a seed.

use std::time::Instant;

use super::{Greedy, Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;
use crate::schedule::Schedule;

/// The greedy portfolio's schedule under `options` (seed, threads, time limit, cancellation),
/// the exact solvers' starting upper bound; inside a portfolio, its best schedule so far.
pub(crate) fn heuristic_schedule(problem: &Problem, options: &SolveOptions) -> Result<Solution, SolveError> {
    if let Some((best, _)) = options.shared.as_ref().and_then(|shared| shared.best()) {
        return Solution::new(problem, Schedule::clone(&best), 0, Instant::now(), vec![("schedules", 0)]);
    }
    Greedy::new(options.clone()).schedule(problem)
}
