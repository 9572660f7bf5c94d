//! `topological`: the baseline list scheduler [`Topological`] (algorithm and guarantee on the type).

use std::time::Instant;

use super::list::serial_schedule;
use super::{Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;

/// `topological`: the baseline. Tasks in Kahn order (ready tasks by smallest id), each on the
/// eligible node where it finishes earliest, filling earlier gaps.
///
/// Algorithm: a preset of the list-scheduling engine (`solver/list/`): the serial scheme with
/// every task at the same priority and earliest-finish placement. O(n log n + e + n·c·(p +
/// log k + s·r)) time, O(n + e + timeline) memory. Heuristic: feasible, no optimality
/// guarantee. Kahn, "Topological sorting of large networks" (1962).
///
/// Options: none apply (one pass, never interrupted, no randomness). Counters: `schedules`
/// (always 1).
///
/// ```
/// use dagplan::{Topological, Scheduler};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Topological::default().schedule(&problem)?;
/// assert!(solution.schedule.verify(&problem).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Topological {
    options: SolveOptions,
}

impl Topological {
    /// A solver with these options (kept for uniformity: none of them applies).
    pub fn new(options: SolveOptions) -> Self {
        Self { options }
    }

    /// The options it was built with.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }
}

impl Scheduler for Topological {
    fn name(&self) -> &'static str {
        "topological"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let (_, incumbent) = self.options.reporting(problem);
        let answer = serial_schedule(problem, &vec![0; problem.task_count()], self.options.preferred())
            .and_then(|schedule| Solution::new(problem, schedule, 0, started, vec![("schedules", 1)]));
        let solution = self.options.conclude(problem, &incumbent, answer, started)?;
        incumbent.offer_solution(self.name(), &solution);
        Ok(solution)
    }
}
