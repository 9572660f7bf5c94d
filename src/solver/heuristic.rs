//! The starting upper bound of the exact solvers: the default [`Greedy`] portfolio
//! (list scheduling over priority rules, node policies and both schedule generation schemes,
//! improved by double justification and biased random sampling; see
//! [`super::greedy`]). The exact solvers ([`super::Dp`], and `Ilp` with the `ilp` feature)
//! call only [`heuristic_schedule`], so switching their upper bound to another heuristic is a
//! change here. Heuristic: feasible, no optimality guarantee; deterministic for a seed.

use super::{Greedy, Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;

/// The greedy portfolio's schedule under `options` (seed, threads, time limit, cancellation),
/// the exact solvers' starting upper bound.
pub(crate) fn heuristic_schedule(problem: &Problem, options: &SolveOptions) -> Result<Solution, SolveError> {
    Greedy::new(options.clone()).schedule(problem)
}
