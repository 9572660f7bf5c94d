//! `topological`: the baseline. Tasks in Kahn order (ready tasks by smallest id), each on the
//! eligible node where it finishes earliest, filling earlier gaps.
//!
//! Algorithm: a preset of the list-scheduling engine (`solver/list/`): the serial scheme with
//! every task at the same priority and earliest-finish placement. O(n log n + e + n·c·(p +
//! log k + s·r)) time, O(n + e + timeline) memory. Heuristic: feasible, no optimality
//! guarantee. Kahn, "Topological sorting of large networks" (1962).

use std::time::Instant;

use super::list::serial_schedule;
use super::{Scheduler, Solution, SolveError};
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
        let schedule = serial_schedule(problem, &vec![0; problem.task_count()])?;
        Solution::new(problem, schedule, 0, started, vec![("schedules", 1)])
    }
}
