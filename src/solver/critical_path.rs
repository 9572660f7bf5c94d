//! `critical-path`: list scheduling by longest remaining path.
//!
//! Priority of a task: the longest path from its start to the end of the DAG, each task at
//! its shortest duration and each delay counted in full (HEFT's upward rank). A preset of
//! the list-scheduling engine (`solver/list/`): the serial scheme with earliest-finish
//! placement. O(n log n + e + n·c·(p + log k + s·r)) time. Heuristic: feasible, no
//! optimality guarantee, but strong on deep DAGs. Kelley and Walker (1959); Topcuoglu, Hariri
//! and Wu (2002), HEFT.

use std::time::Instant;

use super::list::{serial_schedule, upward_rank};
use super::{Scheduler, Solution, SolveError};
use crate::model::Problem;

/// The critical-path list scheduler (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct CriticalPath;

impl Scheduler for CriticalPath {
    fn name(&self) -> &'static str {
        "critical-path"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let schedule = serial_schedule(problem, &upward_rank(problem))?;
        Solution::new(problem, schedule, 0, started, vec![("schedules", 1)])
    }
}
