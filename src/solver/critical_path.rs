//! `critical-path`: the list scheduler [`CriticalPath`] (algorithm and guarantee on the type).

use std::time::Instant;

use super::list::{serial_schedule, upward_rank};
use super::{Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;

/// `critical-path`: list scheduling by longest remaining path.
///
/// Priority of a task: the longest path from its start to the end of the DAG, each task at
/// its shortest duration and each delay counted in full (HEFT's upward rank). A preset of
/// the list-scheduling engine (`solver/list/`): the serial scheme with earliest-finish
/// placement. O(n log n + e + n·c·(p + log k + s·r)) time. Heuristic: feasible, no
/// optimality guarantee, but strong on deep DAGs. Kelley and Walker (1959); Topcuoglu, Hariri
/// and Wu (2002), HEFT.
///
/// Options: none apply (one pass, never interrupted, no randomness). Counters: `schedules`
/// (always 1).
///
/// ```
/// use dagplan::{CriticalPath, Scheduler};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = CriticalPath::default().schedule(&problem)?;
/// assert!(solution.schedule.verify(&problem).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CriticalPath {
    options: SolveOptions,
}

impl CriticalPath {
    /// A solver with these options (kept for uniformity: none of them applies).
    pub fn new(options: SolveOptions) -> Self {
        Self { options }
    }

    /// The options it was built with.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }
}

impl Scheduler for CriticalPath {
    fn name(&self) -> &'static str {
        "critical-path"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let (_, incumbent) = self.options.reporting(problem);
        let answer = serial_schedule(problem, &upward_rank(problem), self.options.preferred())
            .and_then(|schedule| Solution::new(problem, schedule, 0, started, vec![("schedules", 1)]));
        let solution = self.options.conclude(problem, &incumbent, answer, started)?;
        incumbent.offer_solution(self.name(), &solution);
        Ok(solution)
    }
}
