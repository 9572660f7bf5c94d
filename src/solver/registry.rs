//! Solvers by name, as used on command lines, in reports and in CSV files.
//!
//! One table, [`REGISTRY`], maps each name to a constructor taking [`SolveOptions`]:
//! [`solver_by_name`] looks a name up, [`solver_names`] lists the names in the order of the
//! solver table, [`all_solvers`] and [`heuristic_solvers`] build them. Registering a new
//! solver is one line of the table.

use std::fmt;
use std::time::Duration;

#[cfg(feature = "cp")]
use super::Cp;
#[cfg(feature = "ilp")]
use super::Ilp;
use super::{Auto, CriticalPath, Dp, Greedy, Scheduler, Search, SolveOptions, Topological};

/// A solver behind the [`Scheduler`] trait, shareable across threads.
type BoxedSolver = Box<dyn Scheduler + Send + Sync>;

/// A registered solver: its name, whether it is a fast (polynomial) heuristic, and its
/// constructor.
struct Entry {
    name: &'static str,
    heuristic: bool,
    build: fn(SolveOptions) -> BoxedSolver,
}

/// Every solver, in the order of the solver table.
const REGISTRY: &[Entry] = &[
    Entry { name: "topological", heuristic: true, build: |o| Box::new(Topological::new(o)) },
    Entry { name: "critical-path", heuristic: true, build: |o| Box::new(CriticalPath::new(o)) },
    Entry { name: "greedy", heuristic: true, build: |o| Box::new(Greedy::new(o)) },
    Entry { name: "search", heuristic: false, build: |o| Box::new(Search::new(o)) },
    Entry { name: "dp", heuristic: false, build: |o| Box::new(Dp::new(o)) },
    #[cfg(feature = "ilp")]
    Entry { name: "ilp", heuristic: false, build: |o| Box::new(Ilp::new(o)) },
    #[cfg(feature = "cp")]
    Entry { name: "cp", heuristic: false, build: |o| Box::new(Cp::new(o)) },
    Entry { name: "auto", heuristic: false, build: |o| Box::new(Auto::new(o)) },
];

/// Every registered solver name, in the order of the solver table:
/// `topological`, `critical-path`, `greedy`, `search`, `dp`, `ilp` and `cp` (with their
/// features) and `auto`.
pub fn solver_names() -> Vec<&'static str> {
    REGISTRY.iter().map(|e| e.name).collect()
}

/// The solver registered under `name`, configured with `options` (a solver that has no use
/// for an option ignores it, as its documentation says).
///
/// ```
/// use dagplan::{SolveOptions, solver_by_name};
/// let greedy = solver_by_name("greedy", &SolveOptions::default())?;
/// assert_eq!(greedy.name(), "greedy");
/// let error = solver_by_name("gredy", &SolveOptions::default()).err().unwrap();
/// assert!(error.to_string().starts_with("unknown solver `gredy`; the solvers are topological, critical-path"));
/// # Ok::<(), dagplan::UnknownSolver>(())
/// ```
pub fn solver_by_name(name: &str, options: &SolveOptions) -> Result<BoxedSolver, UnknownSolver> {
    REGISTRY
        .iter()
        .find(|e| e.name == name)
        .map(|e| (e.build)(options.clone()))
        .ok_or_else(|| UnknownSolver { name: name.to_owned() })
}

/// The fast list-scheduling solvers (`topological`, `critical-path`, `greedy`) with default
/// options: polynomial, safe to run on any instance size.
pub fn heuristic_solvers() -> Vec<BoxedSolver> {
    REGISTRY.iter().filter(|e| e.heuristic).map(|e| (e.build)(SolveOptions::default())).collect()
}

/// One of each registered solver, in the order of [`solver_names`], each with a 10-second
/// time limit so that a loop over all solvers always ends (the exact ones then return their
/// best schedule and bound as `Feasible`); `search`, which would use all of it, also gets a
/// budget of [`ALL_SOLVERS_SEARCH_BUDGET`] schedules. `auto` uses all 10 seconds unless one
/// of its members proves the plan optimal.
pub fn all_solvers() -> Vec<BoxedSolver> {
    let options = SolveOptions::default().time_limit(Duration::from_secs(10));
    REGISTRY
        .iter()
        .map(|e| match e.name {
            "search" => Box::new(Search::new(options.clone()).schedules(ALL_SOLVERS_SEARCH_BUDGET)) as BoxedSolver,
            _ => (e.build)(options.clone()),
        })
        .collect()
}

/// The schedule budget of `search` in [`all_solvers`].
pub const ALL_SOLVERS_SEARCH_BUDGET: u64 = 3_000;

/// [`solver_by_name`] was given a name no solver has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSolver {
    /// The name asked for.
    pub name: String,
}

impl fmt::Display for UnknownSolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown solver `{}`; the solvers are {}", self.name, solver_names().join(", "))?;
        if cfg!(not(feature = "ilp")) && self.name == "ilp" {
            f.write_str(" (`ilp` needs the cargo feature `ilp`)")?;
        }
        if cfg!(not(feature = "cp")) && self.name == "cp" {
            f.write_str(" (`cp` needs the cargo feature `cp`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownSolver {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_resolves_to_a_solver_of_that_name() {
        for name in solver_names() {
            let solver = solver_by_name(name, &SolveOptions::default()).unwrap();
            assert_eq!(solver.name(), name);
        }
        let names: Vec<&str> = all_solvers().iter().map(|s| s.name()).collect();
        assert_eq!(names, solver_names());
        let fast: Vec<&str> = heuristic_solvers().iter().map(|s| s.name()).collect();
        assert_eq!(fast, ["topological", "critical-path", "greedy"]);
    }

    #[test]
    fn an_unknown_name_is_named_with_the_known_ones() {
        let e = solver_by_name("no-such-solver", &SolveOptions::default()).err().unwrap();
        assert_eq!(e.name, "no-such-solver");
        let text = e.to_string();
        assert!(text.starts_with(
            "unknown solver `no-such-solver`; the solvers are topological, critical-path, greedy, search, dp"
        ));
    }
}
