//! The documented five-task example (the reference case, optimum 70).
//!
//! | task | duration | cpu | memory (GB) | after |
//! |---|---|---|---|---|
//! | v1 | 10 | 1 | 4 | – |
//! | v2 | 20 | 2 | 8 | v1 |
//! | v3 | 30 | 4 | 16 | v1 |
//! | v4 | 20 | 2 | 8 | v2, v3 |
//! | v5 | 10 | 1 | 4 | v4 |
//!
//! Nodes n1 (2 cpu, 8 GB), n2 (4 cpu, 16 GB), n3 (8 cpu, 32 GB). The critical path
//! v1 → v3 → v4 → v5 is 70 long, and 70 is reachable, e.g. by the documented deployment
//! v1→n1, v2→n2, v3→n3, v4→n2, v5→n1 ([`documented_deployment`]).

use crate::io::{ParseError, read_json_str};
use crate::model::Problem;
use crate::schedule::{Assignment, Schedule, ScheduleError};

/// The example's JSON text (`data/five_tasks.json`).
pub const FIVE_TASKS_JSON: &str = include_str!("../data/five_tasks.json");

/// The five-task example as a validated problem (reading the embedded text; it cannot fail
/// unless the crate itself is broken, and then says why).
///
/// ```
/// let problem = dagplan::example::five_tasks()?;
/// assert_eq!((problem.task_count(), problem.node_count()), (5, 3));
/// # Ok::<(), dagplan::io::ParseError>(())
/// ```
pub fn five_tasks() -> Result<Problem, ParseError> {
    read_json_str(FIVE_TASKS_JSON)
}

/// The documented deployment of the example with v2 and v3 overlapping (makespan 70):
/// v1→n1 [0,10), v2→n2 [10,30), v3→n3 [10,40), v4→n2 [40,60), v5→n1 [60,70). An error names
/// the task or node that `problem` lacks (it is meant for [`five_tasks`]).
pub fn documented_deployment(problem: &Problem) -> Result<Schedule, ScheduleError> {
    let plan =
        [("v1", "n1", 0, 10), ("v2", "n2", 10, 30), ("v3", "n3", 10, 40), ("v4", "n2", 40, 60), ("v5", "n1", 60, 70)];
    let assignments = plan
        .iter()
        .map(|&(t, n, start, finish)| {
            Ok(Assignment {
                task: problem.task_id(t).ok_or_else(|| ScheduleError::UnknownTask(t.to_owned()))?,
                node: problem.node_id(n).ok_or_else(|| ScheduleError::UnknownNode(n.to_owned()))?,
                start,
                finish,
            })
        })
        .collect::<Result<_, ScheduleError>>()?;
    Ok(Schedule::new(assignments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_example_is_the_documented_one() {
        let problem = read_json_str(FIVE_TASKS_JSON).unwrap();
        assert_eq!((problem.task_count(), problem.node_count()), (5, 3));
        let deployment = documented_deployment(&problem).unwrap();
        assert_eq!(deployment.assignments().len(), 5);
        deployment.verify(&problem).unwrap();
        assert_eq!(deployment.makespan(), 70);
    }
}
