//! The RCPSP shape shared by the PSPLIB and Patterson readers: one node whose capacity is the
//! renewable resource vector `R1..Rk`, one task per job, successor lists as dependencies.
//!
//! Tasks are named `j1..jn` after the file's job numbers, and the node `project`. The dummy
//! source and sink jobs of both formats (duration 0, no demand) are **kept**: they change no
//! makespan, keep task `jN` equal to job `N` of the file, and make the schedule easy to
//! compare with published solutions.

use super::{ParseError, Source};
use crate::model::{NodeSpec, Problem, ProblemSpec, TaskSpec};

/// One job of an RCPSP file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    /// Duration in periods.
    pub duration: u64,
    /// Demand per renewable resource, in order.
    pub demand: Vec<u64>,
    /// 1-based job numbers of the successors.
    pub successors: Vec<usize>,
}

/// The name of resource `r` (0-based): `R1`, `R2`, ...
pub(crate) fn resource_name(r: usize) -> String {
    format!("R{}", r + 1)
}

/// The name of job `j` (1-based).
pub(crate) fn job_name(j: usize) -> String {
    format!("j{j}")
}

/// Builds and validates the problem. The readers check that successor numbers are in range
/// (with the line and column); one that is not is still reported, never dropped.
pub(crate) fn build(file: &Source, capacity: &[u64], jobs: &[Job]) -> Result<Problem, ParseError> {
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    for (i, job) in jobs.iter().enumerate() {
        for &s in &job.successors {
            let Some(list) = s.checked_sub(1).and_then(|k| predecessors.get_mut(k)) else {
                return Err(ParseError::Syntax {
                    file: file.clone(),
                    line: 0,
                    column: 0,
                    message: format!("job {} lists successor {s}, but the jobs are 1 to {}", i + 1, jobs.len()),
                });
            };
            list.push(i + 1);
        }
    }
    let mut node = NodeSpec::new("project");
    for (r, &c) in capacity.iter().enumerate() {
        node = node.capacity(resource_name(r), c);
    }
    let mut spec = ProblemSpec::new().resources((0..capacity.len()).map(resource_name)).node(node);
    for (i, (job, preds)) in jobs.iter().zip(&predecessors).enumerate() {
        let mut task = TaskSpec::new(job_name(i + 1), job.duration);
        for (r, &d) in job.demand.iter().enumerate() {
            if d > 0 {
                task = task.demand(resource_name(r), d);
            }
        }
        for &p in preds {
            task = task.after(job_name(p));
        }
        spec = spec.task(task);
    }
    Problem::try_from(spec).map_err(|source| ParseError::Invalid { file: file.clone(), source })
}
