//! The frame of the exact solvers' [`Scheduler::schedule`](super::Scheduler::schedule)
//! (`dp`, `cp`, `ilp`): what every one of them does before and after its own search, in one
//! place.
//!
//! 1. The clock starts, and the options share the solve's incumbent (a portfolio's, or a new
//!    one that reports to the progress function and holds the warm start), so that solvers
//!    run inside this one report to the same listener ([`SolveOptions::reporting`]).
//! 2. A deadline that the critical path method proves unmeetable is answered
//!    [`Status::Infeasible`] at once.
//! 3. The starting heuristic runs ([`heuristic_schedule`]: greedy or the warm start, or the
//!    portfolio's best schedule); if it proves infeasibility, that is the answer; if its
//!    schedule meets the crate's [`lower_bound`], it is the answer, `Optimal`, and no search
//!    runs.
//! 4. Otherwise the solver's search runs from a [`Start`].
//! 5. Outside a portfolio a shorter warm start replaces the answer
//!    ([`SolveOptions::conclude`]), and the answer is offered to the incumbent (a proof of
//!    infeasibility closes it).

use std::sync::Arc;
use std::time::Instant;

use super::heuristic::heuristic_schedule;
use super::shared::Incumbent;
use super::{Deadline, Solution, SolveError, SolveOptions, Status};
use crate::bounds::{deadline_conflict, lower_bound};
use crate::model::Problem;

/// Where an exact solver's search starts.
pub(crate) struct Start {
    /// The solve's incumbent: better schedules and bounds are offered to it, and a
    /// portfolio's are read from it.
    pub incumbent: Arc<Incumbent>,
    /// When `schedule` was called.
    pub started: Instant,
    /// The solve's deadline, started with it.
    pub deadline: Deadline,
    /// The heuristic's solution, longer than the crate's lower bound; `None` when it missed a
    /// deadline (the search then finds a schedule or proves that none exists).
    pub heuristic: Option<Solution>,
}

/// Runs the exact solver `solver` on `problem` under `options` (see the [module docs](self)):
/// `search` runs only when the heuristic's answer is not already final. `counters` are the
/// solver's counters, all 0, for an answer found without a search.
pub(crate) fn solve_exact(
    solver: &'static str,
    problem: &Problem,
    options: &SolveOptions,
    counters: &[&'static str],
    search: impl FnOnce(Start) -> Result<Solution, SolveError>,
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let (shared, incumbent) = options.reporting(problem);
    let answer = answer(problem, &shared, &incumbent, started, counters, search);
    let solution = options.conclude(problem, &incumbent, answer, started)?;
    incumbent.offer_solution(solver, &solution);
    Ok(solution)
}

/// The answer before [`SolveOptions::conclude`]: steps 2 to 4 of the [module docs](self),
/// with `options` sharing `incumbent`.
fn answer(
    problem: &Problem,
    options: &SolveOptions,
    incumbent: &Arc<Incumbent>,
    started: Instant,
    counters: &[&'static str],
    search: impl FnOnce(Start) -> Result<Solution, SolveError>,
) -> Result<Solution, SolveError> {
    let deadline = options.deadline();
    let idle = || counters.iter().map(|&c| (c, 0)).collect();
    if deadline_conflict(problem).is_some() {
        return Ok(Solution::infeasible(started, idle()));
    }
    let heuristic = match heuristic_schedule(problem, options) {
        Ok(solution) if solution.status == Status::Infeasible => return Ok(solution),
        Ok(solution) => Some(solution),
        Err(SolveError::DeadlinesMissed(_)) => None,
        Err(e) => return Err(e),
    };
    let lower = lower_bound(problem);
    match heuristic {
        Some(h) if h.makespan() <= lower => Solution::new(problem, h.schedule, lower, started, idle()),
        heuristic => search(Start { incumbent: Arc::clone(incumbent), started, deadline, heuristic }),
    }
}
