//! Shared checks for the fuzz targets.

use dagplan::io::{Format, parse_problem};
use dagplan::solver::{solver_by_name, SolveOptions};

/// Solvers cheap enough to run on every fuzz input.
const FAST: &[&str] = &["topological", "critical-path", "greedy"];

/// Reads `data` in `format`: never panics; an accepted problem of modest size gets, from every
/// fast solver, a schedule that verifies and is never below the lower bound.
pub fn read_and_solve(format: Format, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(problem) = parse_problem(text, format) else { return };
    if problem.task_count() > 300 || problem.node_count() > 50 {
        return;
    }
    let bound = dagplan::lower_bound(&problem);
    let options = SolveOptions::default().threads(1);
    for solver in FAST.iter().filter_map(|name| solver_by_name(name, &options)) {
        let solution = solver.schedule(&problem).expect("a valid problem always has a schedule");
        assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", solver.name());
        assert!(solution.makespan() >= bound, "{} beat the lower bound", solver.name());
    }
}
