//! `critical-path`: list scheduling by longest remaining path.
//!
//! Priority of a task: the longest path from its start to the end of the DAG, each task at
//! its shortest duration and each delay counted in full (HEFT's upward rank). Tasks are
//! placed by the serial scheme of [`serial_schedule`] on the node where they finish earliest.
//! O(n log n + e·m + n·m·s) time. Heuristic: feasible, no optimality guarantee, but strong
//! on deep DAGs. Kelley and Walker (1959); Topcuoglu, Hariri and Wu (2002), HEFT.

use std::time::Instant;

use super::{Scheduler, Solution, SolveError, serial_schedule};
use crate::graph::longest_path_to_end;
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
        let rank = longest_path_to_end(problem, |t| problem.min_duration(t), |_, e| e.delay);
        let schedule = serial_schedule(problem, &rank);
        Solution::new(problem, schedule, 0, started, vec![("schedules", 1)])
    }
}
