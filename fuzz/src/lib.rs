//! Shared checks for the fuzz targets.

use dagplan::io::{Format, parse_problem};
use dagplan::{SolveOptions, solver_by_name};

/// Solvers cheap enough to run on every fuzz input.
const FAST: &[&str] = &["topological", "critical-path", "greedy"];

/// Reads `data` in `format`: never panics; an accepted problem of modest size gets, from every
/// fast solver, a schedule that verifies and is never below the lower bound (or, under
/// deadlines, the missed deadlines or a proof that none can be met).
pub fn read_and_solve(format: Format, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(problem) = parse_problem(text, format) else { return };
    if problem.task_count() > 300 || problem.node_count() > 50 {
        return;
    }
    let bound = dagplan::lower_bound(&problem);
    let options = SolveOptions::default().threads(1);
    for name in FAST {
        let solver = solver_by_name(name, &options).expect("a registered solver");
        // Under deadlines a heuristic may find no schedule (and must say which deadlines it
        // missed), or the critical path may prove there is none; anything else is a bug.
        let solution = match solver.schedule(&problem) {
            Ok(s) if s.status == dagplan::Status::Infeasible => {
                assert!(dagplan::deadline_conflict(&problem).is_some(), "{}", solver.name());
                continue;
            }
            Ok(s) => s,
            Err(dagplan::SolveError::DeadlinesMissed(missed)) if problem.has_deadlines() => {
                assert!(!missed.is_empty(), "{}", solver.name());
                continue;
            }
            Err(e) => panic!("{} failed on a valid problem: {e}", solver.name()),
        };
        assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", solver.name());
        assert!(solution.makespan() >= bound, "{} beat the lower bound", solver.name());
    }
}
