//! Solvers by name, as used on command lines, in reports and in CSV files.
//!
//! [`solver_by_name`] builds a solver configured from [`SolveOptions`] (time limit, seed,
//! threads; solvers that have no use for an option ignore it); [`solver_names`] lists the
//! names in the order of the solver table. Examples, benches and the research harness look
//! solvers up here and nowhere else, so registering a new solver is a one-line change.

#[cfg(feature = "ilp")]
use super::Ilp;
use super::{CriticalPath, Dp, Greedy, Scheduler, Search, SolveOptions, Topological};

/// Every registered solver name, in the order of the solver table.
pub fn solver_names() -> &'static [&'static str] {
    #[cfg(feature = "ilp")]
    return &["topological", "critical-path", "greedy", "search", "dp", "ilp"];
    #[cfg(not(feature = "ilp"))]
    return &["topological", "critical-path", "greedy", "search", "dp"];
}

/// The solver registered under `name`, configured with `options`; `None` for an unknown name.
pub fn solver_by_name(name: &str, options: &SolveOptions) -> Option<Box<dyn Scheduler + Send + Sync>> {
    match name {
        "topological" => Some(Box::new(Topological)),
        "critical-path" => Some(Box::new(CriticalPath)),
        "greedy" => Some(Box::new(Greedy::new().options(options.clone()))),
        "search" => Some(Box::new(Search::new(options.clone()))),
        "dp" => Some(Box::new(Dp::new(options.clone()))),
        #[cfg(feature = "ilp")]
        "ilp" => Some(Box::new(Ilp::new(options.clone()))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_resolves_to_a_solver_of_that_name() {
        for &name in solver_names() {
            let solver = solver_by_name(name, &SolveOptions::default()).unwrap();
            assert_eq!(solver.name(), name);
        }
        assert!(solver_by_name("no-such-solver", &SolveOptions::default()).is_none());
    }
}
