//! `topological`: the baseline. Tasks in Kahn order (ready tasks by smallest id), each on the
//! eligible node where it finishes earliest, filling earlier gaps.
//!
//! Algorithm: the serial schedule generation scheme of [`serial_schedule`] with every task at
//! the same priority. O(n log n + e·m + n·m·s) time, O(n + e + timeline) memory. Heuristic:
//! feasible, no optimality guarantee. Kahn, "Topological sorting of large networks" (1962).

use std::time::Instant;

use super::{Scheduler, Solution, SolveError, serial_schedule};
use crate::model::Problem;

/// The baseline list scheduler (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Topological;

impl Scheduler for Topological {
    fn name(&self) -> &'static str {
        "topological"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let schedule = serial_schedule(problem, &vec![0; problem.task_count()]);
        Solution::new(problem, schedule, 0, started, vec![("schedules", 1)])
    }
}
