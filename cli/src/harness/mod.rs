//! The research harness: run solvers over whole benchmark sets and compute the figures the
//! literature reports.
//!
//! A **set** is a directory of problem files in any format [`dagplan::io`] reads; its known
//! optima are in `optimum/optimum.csv` beside the files (or `optimum.csv` in the directory).
//! [`InstanceSet::load`] lists the instances in natural order (`j301_2` before `j3010_1`).
//! [`run_instance`] solves one instance, **verifies the schedule** with
//! [`Schedule::verify`](dagplan::Schedule::verify) and checks it against the known bounds, and
//! returns a [`Record`]; a failed check is a [`HarnessError`], never a figure.
//! [`Summary::of`] aggregates the records of one set and solver ([`metrics`]), and [`report`]
//! formats the table and the per-instance CSV.
//!
//! `dagplan bench` and `dagplan solve` are thin command lines over these functions.

pub mod metrics;
pub mod report;

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use metrics::{Summary, deviation_percent};

use dagplan::LowerBounds;
use dagplan::io::optimum::{Optima, Optimum};
use dagplan::io::{Format, ParseError};
use dagplan::{Problem, Time};
use dagplan::{Scheduler, SolveError, Status, VerifyError};

/// Why a benchmark run stopped: the set could not be read, or a solver's answer failed a check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HarnessError {
    /// A directory could not be listed.
    #[error("{dir}: {message}")]
    Io {
        /// The directory.
        dir: PathBuf,
        /// The operating system's message.
        message: String,
    },
    /// A directory holds no problem file.
    #[error("{0}: no problem files (.json, .sm, .rcp, .jss or .fjs) found")]
    EmptySet(PathBuf),
    /// An instance or optimum file could not be read.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A schedule failed [`Schedule::verify`](dagplan::Schedule::verify).
    #[error("{solver} on {instance}: {error}")]
    Verification {
        /// The instance.
        instance: String,
        /// The solver.
        solver: String,
        /// Every violation found.
        #[source]
        error: VerifyError,
    },
    /// A result contradicts the known bounds or the solver's own claims: a bug in a solver, a
    /// reader or the optimum file.
    #[error("{solver} on {instance}: {message}")]
    Inconsistent {
        /// The instance.
        instance: String,
        /// The solver.
        solver: String,
        /// What contradicts what.
        message: String,
    },
}

/// A benchmark set: a directory of instances and their known optima.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSet {
    /// The set's name (the directory name, e.g. `j30`).
    pub name: String,
    /// The directory.
    pub dir: PathBuf,
    /// The instance files, in natural order.
    pub instances: Vec<PathBuf>,
    /// The known optima, if the set has an optimum file.
    pub optima: Option<Optima>,
}

impl InstanceSet {
    /// Lists the problem files of a directory (by extension, [`Format::from_path`]) and reads
    /// its optimum file, if any.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, HarnessError> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| HarnessError::Io { dir: dir.to_owned(), message: e.to_string() };
        let mut instances = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_file() && Format::from_path(&path).is_some() {
                instances.push(path);
            }
        }
        if instances.is_empty() {
            return Err(HarnessError::EmptySet(dir.to_owned()));
        }
        instances.sort_by(|a, b| natural_cmp(&file_name(a), &file_name(b)));
        let name = dir
            .canonicalize()
            .ok()
            .as_deref()
            .and_then(Path::file_name)
            .or_else(|| dir.file_name())
            .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Self { name, dir: dir.to_owned(), instances, optima: find_optima(dir)? })
    }

    /// The known bounds of an instance, by its file name.
    pub fn optimum(&self, instance: &str) -> Option<Optimum> {
        self.optima.as_ref().and_then(|o| o.get(instance))
    }
}

/// The optimum file of a set directory: `optimum/optimum.csv`, else `optimum.csv`; `None`
/// when there is neither.
pub fn find_optima(dir: impl AsRef<Path>) -> Result<Option<Optima>, ParseError> {
    let dir = dir.as_ref();
    for candidate in [dir.join("optimum").join("optimum.csv"), dir.join("optimum.csv")] {
        if candidate.is_file() {
            return dagplan::io::optimum::read(&candidate).map(Some);
        }
    }
    Ok(None)
}

/// Parses a command-line number of seconds (`10`, `0.5`) for `--time-limit`.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("expected a number of seconds (e.g. 10 or 0.5), found `{text}`"))
}

/// The file name of a path, as text (`j301_1.sm`).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Compares names with digit runs taken as numbers: `j301_2 < j301_10 < j3010_1`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, rest_x) = split_digits(x);
                let (n, rest_y) = split_digits(y);
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (x.get(1..).unwrap_or(&[]), y.get(1..).unwrap_or(&[]));
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&str, &[u8]) {
    let end = s.iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, rest) = s.split_at(end);
    (std::str::from_utf8(digits).unwrap_or(""), rest)
}

/// How one solver did on one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The set's name.
    pub set: String,
    /// The instance (file name).
    pub instance: String,
    /// The solver's name.
    pub solver: String,
    /// Number of tasks.
    pub tasks: usize,
    /// Number of nodes.
    pub nodes: usize,
    /// The critical-path lower bound (resources ignored; the PSPLIB reference for j60–j120).
    pub cp_bound: Time,
    /// The known bounds from the set's optimum file.
    pub optimum: Option<Optimum>,
    /// The schedule found, or why there is none.
    pub outcome: Outcome,
    /// Wall time of the solve.
    pub elapsed: Duration,
    /// The solver's counters (empty when it returned no schedule).
    pub counters: Vec<(&'static str, u64)>,
    /// In a portfolio (`auto`), the member that found the plan and the one that proved the
    /// bound.
    pub credits: (Option<&'static str>, Option<&'static str>),
}

/// A solver's answer on one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A verified schedule.
    Solved {
        /// Its makespan.
        makespan: Time,
        /// The solver's proven lower bound.
        lower_bound: Time,
        /// Whether the solver proved it optimal.
        status: Status,
    },
    /// The solver returned no schedule (a limit, or an instance too large for it).
    Failed(String),
}

impl Record {
    /// The makespan, when solved.
    pub fn makespan(&self) -> Option<Time> {
        match self.outcome {
            Outcome::Solved { makespan, .. } => Some(makespan),
            Outcome::Failed(_) => None,
        }
    }

    /// Whether the solver proved its schedule optimal.
    pub fn proven_optimal(&self) -> bool {
        matches!(self.outcome, Outcome::Solved { status: Status::Optimal, .. })
    }
}

/// Solves one instance, verifies the schedule and checks it against the known bounds.
/// `label` names the solver in the record and in errors (a configured solver such as
/// `greedy/lft/serial` has a longer name than [`Scheduler::name`]).
///
/// A solver that returns no schedule ([`SolveError::TooLarge`], [`SolveError::Backend`]) gives a record with [`Outcome::Failed`]. Everything that means a
/// bug is an error: a schedule that fails verification, [`SolveError::Internal`], a makespan
/// below the known lower bound, a proven optimum above the best known makespan, or a proven
/// bound above it.
pub fn run_instance(
    set: &str,
    instance: &str,
    problem: &Problem,
    solver: &dyn Scheduler,
    label: &str,
    optimum: Option<Optimum>,
) -> Result<Record, HarnessError> {
    let cp_bound = LowerBounds::compute(problem).critical_path;
    let started = Instant::now();
    let result = solver.schedule(problem);
    let elapsed = started.elapsed();
    let bug = |message: String| HarnessError::Inconsistent {
        instance: instance.to_owned(),
        solver: label.to_owned(),
        message,
    };
    let (mut counters, mut credits) = (Vec::new(), (None, None));
    let outcome = match result {
        Ok(solution) => {
            solution.schedule.verify(problem).map_err(|error| HarnessError::Verification {
                instance: instance.to_owned(),
                solver: label.to_owned(),
                error,
            })?;
            let makespan = solution.makespan();
            if let Some(o) = optimum {
                if makespan < o.lower {
                    return Err(bug(format!("makespan {makespan} is below the known lower bound {}", o.lower)));
                }
                if solution.lower_bound > o.upper {
                    let lb = solution.lower_bound;
                    return Err(bug(format!("proven bound {lb} is above the best known makespan {}", o.upper)));
                }
            }
            counters = solution.stats.counters;
            credits = (solution.stats.found_by, solution.stats.proved_by);
            Outcome::Solved { makespan, lower_bound: solution.lower_bound, status: solution.status }
        }
        Err(SolveError::Internal(message)) => return Err(bug(format!("internal error: {message}"))),
        Err(e) => Outcome::Failed(e.to_string()),
    };
    Ok(Record {
        set: set.to_owned(),
        instance: instance.to_owned(),
        solver: label.to_owned(),
        tasks: problem.task_count(),
        nodes: problem.node_count(),
        cp_bound,
        optimum,
        outcome,
        elapsed,
        counters,
        credits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dagplan::CriticalPath;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let mut names = vec!["j3010_1.sm", "j301_10.sm", "j301_2.sm", "j301_1.sm", "pat100.rcp", "pat9.rcp", "a"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a", "j301_1.sm", "j301_2.sm", "j301_10.sm", "j3010_1.sm", "pat9.rcp", "pat100.rcp"]);
        assert_eq!(natural_cmp("x01", "x1"), "x01".cmp("x1")); // equal numbers: total order kept
    }

    #[test]
    fn a_makespan_below_the_known_bound_is_an_error() {
        let problem = dagplan::io::parse_problem("1 1\n0 5\n", dagplan::io::Format::JobShop).unwrap();
        let ok = run_instance("s", "i", &problem, &CriticalPath::default(), "critical-path", Some(Optimum::exact(5)))
            .unwrap();
        assert_eq!(ok.makespan(), Some(5));
        assert!(ok.proven_optimal());
        let e = run_instance("s", "i", &problem, &CriticalPath::default(), "critical-path", Some(Optimum::exact(6)))
            .unwrap_err();
        assert!(e.to_string().contains("makespan 5 is below the known lower bound 6"), "{e}");
        let e = run_instance("s", "i", &problem, &CriticalPath::default(), "critical-path", Some(Optimum::exact(4)))
            .unwrap_err();
        assert!(e.to_string().contains("proven bound 5 is above the best known makespan 4"), "{e}");
    }
}
