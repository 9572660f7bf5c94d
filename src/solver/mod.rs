//! The [`Scheduler`] trait, what every solver returns ([`Solution`]), shared options and
//! errors, progress reports while a solve runs ([`Progress`]), and the solvers themselves (one
//! private module each, re-exported from the crate root; each solver's algorithm, complexity,
//! sources and guarantee are on its type).

mod auto;
#[cfg(feature = "cp")]
mod cp;
mod critical_path;
mod dp;
mod exact;
mod greedy;
mod heuristic;
#[cfg(feature = "ilp")]
mod ilp;
mod list;
mod progress;
mod registry;
mod search;
mod shared;
mod topological;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use auto::{Auto, Split};
#[cfg(feature = "cp")]
pub use cp::Cp;
pub use critical_path::CriticalPath;
pub use dp::Dp;
pub use greedy::{Combination, Greedy, Policy, Rule, Scheme};
#[cfg(feature = "ilp")]
pub use ilp::Ilp;
pub use progress::{Improvement, Progress, ProgressFn};
pub use registry::{
    ALL_SOLVERS_SEARCH_BUDGET, UnknownSolver, all_solvers, heuristic_solvers, solver_by_name, solver_names,
};
pub use search::Search;
pub use topological::Topological;

use crate::bounds::{deadline_conflict, lower_bound};
use crate::model::{NodeId, Problem, Time};
use crate::schedule::Schedule;
use shared::Incumbent;

/// A scheduling algorithm.
pub trait Scheduler {
    /// The solver's short name as used on command lines and in reports (`"greedy"`).
    fn name(&self) -> &'static str;

    /// Plans the problem. Returns a feasible schedule with a proven lower bound.
    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError>;
}

impl<S: Scheduler + ?Sized> Scheduler for Box<S> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        (**self).schedule(problem)
    }
}

/// Whether a solution is proven optimal, or proven not to exist. Displayed, and written in
/// JSON, as `optimal`, `feasible` or `infeasible`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// The makespan equals a proven lower bound: no schedule is shorter.
    Optimal,
    /// A valid schedule whose optimality is not proven.
    Feasible,
    /// Proven: no schedule meets every deadline (and the other time rules). The solution's
    /// schedule is empty and its lower bound is `Time::MAX`.
    Infeasible,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
        })
    }
}

/// Solver statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Wall time of the solve.
    pub elapsed: Duration,
    /// Solver-specific counters, named by `snake_case` plural nouns, e.g. `("schedules", 24)`
    /// or `("states", 10_000)`; each solver's documentation lists its own.
    pub counters: Vec<(&'static str, u64)>,
    /// A portfolio's members ([`Auto`]), in the order they started, each with its own answer;
    /// empty for other solvers.
    pub members: Vec<Member>,
    /// In a portfolio, the member that found the returned schedule.
    pub found_by: Option<&'static str>,
    /// In a portfolio, the member that proved the returned lower bound (`"bounds"`: the
    /// crate's [`lower_bound`], computed before any member ran).
    pub proved_by: Option<&'static str>,
}

/// What one member of a portfolio returned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// The member's solver name.
    pub solver: &'static str,
    /// When it started, counted from the start of the portfolio.
    pub started: Duration,
    /// The status of its answer (`None` if it returned an error).
    pub status: Option<Status>,
    /// The makespan of its schedule (`None` if it returned an error or proved the problem
    /// infeasible).
    pub makespan: Option<Time>,
    /// The lower bound it returned (0 if it returned an error or proved the problem
    /// infeasible).
    pub lower_bound: Time,
    /// The error it returned, e.g. [`SolveError::TooLarge`] from a solver that refused the
    /// instance.
    pub error: Option<SolveError>,
    /// Its own statistics (time, counters).
    pub stats: Stats,
}

impl Stats {
    /// The value of the counter `name`, if the solver reports it.
    pub fn counter(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|(k, _)| *k == name).map(|&(_, v)| v)
    }
}

/// A solver's answer: a schedule, a lower bound, whether it is optimal, and statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The schedule (verified by [`Schedule::verify`] in every test).
    pub schedule: Schedule,
    /// A proven lower bound on the optimal makespan.
    pub lower_bound: Time,
    /// [`Status::Optimal`] exactly when `schedule.makespan() == lower_bound`.
    pub status: Status,
    /// Statistics.
    pub stats: Stats,
}

impl Solution {
    /// Wraps a schedule: the lower bound is the larger of `solver_bound` (one the solver
    /// proved itself, 0 if none) and the problem's [`lower_bound`]; the status is `Optimal`
    /// exactly when it meets the makespan. A makespan below a proven bound means a bug and is
    /// reported as [`SolveError::Internal`], never returned. On a problem with time rules
    /// the schedule is verified: one that misses deadlines is
    /// [`SolveError::DeadlinesMissed`] (or [`Status::Infeasible`] when the critical path
    /// method proves no schedule can meet them), one that breaks another rule `Internal`.
    pub fn new(
        problem: &Problem,
        schedule: Schedule,
        solver_bound: Time,
        started: Instant,
        counters: Vec<(&'static str, u64)>,
    ) -> Result<Self, SolveError> {
        if problem.has_time_rules() {
            match check_time_rules(problem, &schedule) {
                Ok(()) => {}
                // Missed deadlines that the critical path method proves unavoidable.
                Err(SolveError::DeadlinesMissed(_)) if deadline_conflict(problem).is_some() => {
                    return Ok(Self::infeasible(started, counters));
                }
                Err(e) => return Err(e),
            }
        }
        let bound = solver_bound.max(lower_bound(problem));
        let makespan = schedule.makespan();
        if makespan < bound {
            return Err(SolveError::Internal(format!("makespan {makespan} is below the proven lower bound {bound}")));
        }
        let status = if makespan == bound { Status::Optimal } else { Status::Feasible };
        let stats = Stats { elapsed: started.elapsed(), counters, ..Stats::default() };
        Ok(Self { schedule, lower_bound: bound, status, stats })
    }

    /// The answer of a solver that proved no schedule meets every deadline: an empty
    /// schedule, [`Status::Infeasible`], and `Time::MAX` as the lower bound.
    pub fn infeasible(started: Instant, counters: Vec<(&'static str, u64)>) -> Self {
        Self {
            schedule: Schedule::default(),
            lower_bound: Time::MAX,
            status: Status::Infeasible,
            stats: Stats { elapsed: started.elapsed(), counters, ..Stats::default() },
        }
    }

    /// The makespan of the schedule.
    pub fn makespan(&self) -> Time {
        self.schedule.makespan()
    }

    /// Relative gap `(makespan - bound) / makespan` (0 when optimal or empty).
    pub fn gap(&self) -> f64 {
        let m = self.makespan();
        if m == 0 { 0.0 } else { (m - self.lower_bound.min(m)) as f64 / m as f64 }
    }
}

/// Why a solver returned no schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SolveError {
    /// The instance is too large for this solver (e.g. a time-indexed model over a long
    /// horizon); the message says what limit and how to proceed.
    #[error("instance too large for this solver: {0}")]
    TooLarge(String),
    /// A backend (e.g. HiGHS) failed.
    #[error("solver backend failed: {0}")]
    Backend(String),
    /// A bug: a solver produced something inconsistent. Please report it.
    #[error("internal error: {0}")]
    Internal(String),
    /// A heuristic found no schedule that meets every deadline (which does not prove that
    /// none exists: an exact solver answers that). Lists each task its best schedule
    /// finished late.
    #[error("no schedule found that meets every deadline: {}", missed_text(.0))]
    DeadlinesMissed(Vec<MissedDeadline>),
}

/// A task that finished after its deadline in a heuristic's best schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedDeadline {
    /// The task.
    pub task: String,
    /// Its deadline.
    pub deadline: Time,
    /// Its finish in the schedule.
    pub finish: Time,
}

fn missed_text(missed: &[MissedDeadline]) -> String {
    if missed.is_empty() {
        return "the search ended before finding any schedule".into();
    }
    missed
        .iter()
        .map(|m| format!("`{}` finishes at {}, deadline {}", m.task, m.finish, m.deadline))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The safety net of [`Solution::new`] on problems with time rules: a missed deadline is
/// [`SolveError::DeadlinesMissed`]; any other broken rule is a solver bug
/// ([`SolveError::Internal`]). Either way the schedule is never returned.
fn check_time_rules(problem: &Problem, schedule: &Schedule) -> Result<(), SolveError> {
    let Err(error) = schedule.verify(problem) else { return Ok(()) };
    let mut missed = Vec::new();
    for v in &error.violations {
        match v {
            crate::verify::Violation::AfterDeadline { task, deadline, finish } => {
                missed.push(MissedDeadline { task: task.clone(), deadline: *deadline, finish: *finish })
            }
            other => return Err(SolveError::Internal(format!("a solver broke a rule of the problem: {other}"))),
        }
    }
    Err(SolveError::DeadlinesMissed(missed))
}

/// A solver option set to a value it cannot take: names the option, the value and what is
/// allowed.
///
/// ```
/// # #[cfg(feature = "ilp")] {
/// let error = dagplan::Ilp::default().relative_gap(1.5).unwrap_err();
/// assert_eq!(error.option, "relative_gap");
/// assert_eq!(error.to_string(), "option `relative_gap` = 1.5: must be in [0, 1]");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("option `{option}` = {value}: {expected}")]
pub struct OptionError {
    /// The option (the setter's name).
    pub option: &'static str,
    /// The value refused, as text.
    pub value: String,
    /// What the option accepts.
    pub expected: &'static str,
}

impl OptionError {
    /// An error for `option` set to `value`, which must be as `expected` says (for solvers
    /// written outside this crate, too).
    pub fn new(option: &'static str, value: impl fmt::Display, expected: &'static str) -> Self {
        Self { option, value: value.to_string(), expected }
    }
}

/// Options shared by solvers: plain values with chained setters.
#[derive(Clone, Default)]
pub struct SolveOptions {
    /// Stop after this long and return the best schedule so far (anytime solvers).
    pub time_limit: Option<Duration>,
    /// Seed for randomised choices (same seed, same schedule).
    pub seed: u64,
    /// Worker threads (0: the machine's available parallelism).
    pub threads: usize,
    /// Set to `true` from another thread to stop a running solve.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Called with every improved schedule and every improved lower bound (see [`Progress`]).
    pub progress: Option<ProgressFn>,
    /// A schedule to start from (see [`SolveOptions::warm_start`]).
    pub warm_start: Option<Arc<Schedule>>,
    /// Per task, a node to prefer among equally good ones (see
    /// [`SolveOptions::prefer_nodes`]).
    pub prefer_nodes: Option<Arc<[Option<NodeId>]>>,
    /// The incumbent shared with the other members of a portfolio (set by the portfolio).
    pub(crate) shared: Option<Arc<Incumbent>>,
    /// Stop once the shared incumbent's makespan has stalled with this patience (see
    /// [`Incumbent::stalled`]; set by the portfolio for an improving member that hands its
    /// thread over to exact solvers).
    pub(crate) stall: Option<Duration>,
}

impl fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveOptions")
            .field("time_limit", &self.time_limit)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.as_ref().map(|_| "<fn>"))
            .field("warm_start", &self.warm_start.as_ref().map(|s| s.makespan()))
            .field("prefer_nodes", &self.prefer_nodes.as_ref().map(|p| p.len()))
            .field("stall", &self.stall)
            .finish_non_exhaustive()
    }
}

impl SolveOptions {
    /// Sets the time limit.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the number of threads (0: all available).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Shares a cancellation flag.
    pub fn cancel(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Calls `report` with every improved schedule and every improved lower bound of the
    /// solve, in order, from the solver's threads (see [`Progress`]).
    pub fn on_progress(mut self, report: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// Starts the solve from `schedule`, a schedule of the problem to be solved (for example
    /// the previous plan when replanning, see [`Replanning`](crate::Replanning)).
    ///
    /// At the start of each solve it is checked with [`Schedule::verify`]: a schedule that
    /// breaks a rule of the problem, misses a task or belongs to another problem is **ignored**
    /// (the solve runs as without it; call [`Schedule::verify`] yourself to learn why). One
    /// that verifies is the first schedule of the solve, reported through
    /// [`SolveOptions::on_progress`] as found by `"warm_start"`, and every solver returns a
    /// schedule no longer than it:
    /// * the heuristics (`greedy`, `critical-path`, `topological`) return it when their own plan
    ///   is longer or misses a deadline;
    /// * `dp`, `ilp` and `cp` take its makespan as their initial upper bound (the better of it
    ///   and the greedy plan), so they only search for shorter schedules, and prove it optimal
    ///   when none exists;
    /// * `search` improves the better of it and the greedy plan;
    /// * `auto` shares it with every member from the start ([`Stats::found_by`] is
    ///   `"warm_start"` when nothing shorter was found).
    ///
    /// A solver that proves the problem infeasible although the warm start verifies reports
    /// [`SolveError::Internal`].
    ///
    /// ```
    /// use dagplan::{Dp, Scheduler, SolveOptions, Status};
    /// let problem = dagplan::example::five_tasks()?;
    /// let plan = dagplan::example::documented_deployment(&problem)?;
    /// let solution = Dp::new(SolveOptions::default().warm_start(plan)).schedule(&problem)?;
    /// assert_eq!((solution.makespan(), solution.status), (70, Status::Optimal));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn warm_start(mut self, schedule: Schedule) -> Self {
        self.warm_start = Some(Arc::new(schedule));
        self
    }

    /// Per task (indexed by task id), a node to prefer among equally good ones: the list
    /// schedulers (`greedy`, `critical-path`, `topological`, and the greedy start of the other
    /// solvers) place a task on its preferred node when no other node lets it finish earlier
    /// (or, for the allocation policies, start earlier with a better score), so a replanning
    /// with [`Replan::keep_nodes`](crate::Replan::keep_nodes) moves few tasks. A missing
    /// entry, `None`, or a node the task cannot use means no preference. Only ties are broken
    /// differently (later choices follow, so a heuristic's plan may end earlier or later);
    /// the exact solvers ignore it.
    pub fn prefer_nodes(mut self, nodes: Vec<Option<NodeId>>) -> Self {
        self.prefer_nodes = Some(nodes.into());
        self
    }

    /// The preferred nodes, or none.
    pub(crate) fn preferred(&self) -> &[Option<NodeId>] {
        self.prefer_nodes.as_deref().unwrap_or(&[])
    }

    /// A deadline clock started now (it also counts as reached once a shared incumbent is
    /// proven optimal).
    pub(crate) fn deadline(&self) -> Deadline {
        Deadline {
            end: self.time_limit.and_then(|l| Instant::now().checked_add(l)),
            cancel: self.cancel.clone(),
            shared: self.shared.clone(),
            stall: self.stall,
        }
    }

    /// The incumbent a solve of `problem` reports to — the portfolio's when shared, else a
    /// new one for this solve ([`SolveOptions::incumbent`]) — and these options sharing it, for
    /// the solvers run inside this one (their reports then reach the same listener in order).
    /// Call it once per solve, at its start, and pass the answer through
    /// [`SolveOptions::conclude`].
    pub(crate) fn reporting(&self, problem: &Problem) -> (Self, Arc<Incumbent>) {
        let incumbent = match &self.shared {
            Some(shared) => Arc::clone(shared),
            None => Arc::new(self.incumbent(problem, false)),
        };
        (Self { shared: Some(Arc::clone(&incumbent)), ..self.clone() }, incumbent)
    }

    /// A new incumbent for a solve of `problem` (clock started now) that reports to
    /// [`SolveOptions::progress`] and holds the warm start when it verifies; it stores its
    /// best schedule when `keep` or when there is a warm start (the answer may then be it).
    pub(crate) fn incumbent(&self, problem: &Problem, keep: bool) -> Incumbent {
        let incumbent = Incumbent::new(self.progress.clone(), keep || self.warm_start.is_some());
        if let Some(warm) = self.warm_start.as_deref()
            && warm.verify(problem).is_ok()
        {
            incumbent.offer_schedule(shared::WARM_START, warm.makespan(), || warm.clone());
        }
        incumbent
    }

    /// The answer of a solve that began with [`SolveOptions::reporting`] on these options:
    /// outside a portfolio, the warm start instead when it is shorter (see
    /// [`shared::at_least_as_good`]); inside one, `answer` as it is (the portfolio keeps the
    /// best).
    pub(crate) fn conclude(
        &self,
        problem: &Problem,
        incumbent: &Incumbent,
        answer: Result<Solution, SolveError>,
        started: Instant,
    ) -> Result<Solution, SolveError> {
        match self.shared {
            Some(_) => answer,
            None => shared::at_least_as_good(problem, incumbent, answer, started),
        }
    }

    /// These options without the progress function and the shared incumbent: for a solver
    /// run inside another one whose results the outer solver reports itself.
    #[cfg_attr(not(feature = "ilp"), expect(dead_code, reason = "used by ilp's primal dp"))]
    pub(crate) fn private(&self) -> Self {
        Self { progress: None, shared: None, ..self.clone() }
    }
}

/// When to stop: a wall-clock end and/or a cancellation flag (and, inside a portfolio, a proof
/// of optimality by another member, or a stall of the portfolio's best makespan). Cheap to
/// poll.
#[derive(Debug, Clone)]
pub(crate) struct Deadline {
    end: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
    shared: Option<Arc<Incumbent>>,
    /// Reached once the shared incumbent's makespan has stalled with this patience (see
    /// [`Incumbent::stalled`]).
    stall: Option<Duration>,
}

impl Deadline {
    /// No limit.
    #[cfg(test)]
    pub fn none() -> Self {
        Self { end: None, cancel: None, shared: None, stall: None }
    }

    /// Whether the solve was cancelled, or nothing is left to do because the portfolio's best
    /// schedule is proven optimal (the time limit aside).
    pub fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
            || self.shared.as_ref().is_some_and(|s| s.done())
    }

    /// Whether the time is up, the solve was cancelled, or the shared makespan stalled.
    pub fn reached(&self) -> bool {
        self.cancelled()
            || self.end.is_some_and(|e| Instant::now() >= e)
            || self.stall.zip(self.shared.as_deref()).is_some_and(|(patience, s)| s.stalled(patience))
    }

    /// This deadline without the shared incumbent: reached only by the clock or cancellation.
    pub(crate) fn unshared(&self) -> Deadline {
        Deadline { shared: None, ..self.clone() }
    }

    /// Time left (`None`: unlimited).
    #[cfg_attr(all(not(feature = "ilp"), not(test)), expect(dead_code, reason = "used by the ilp solver"))]
    pub fn remaining(&self) -> Option<Duration> {
        self.end.map(|e| e.saturating_duration_since(Instant::now()))
    }

    /// A deadline `fraction` (clamped to `[0, 1]`; not a number: 1) of the time left from
    /// now, with the same cancellation flag (unlimited stays unlimited).
    #[cfg_attr(
        all(not(feature = "ilp"), not(feature = "cp"), not(test)),
        expect(dead_code, reason = "used by the ilp and cp solvers")
    )]
    pub fn share(&self, fraction: f64) -> Deadline {
        let now = Instant::now();
        let end = self.end.map(|e| {
            let left = e.saturating_duration_since(now).as_secs_f64() * fraction.clamp(0.0, 1.0);
            // A fraction that is not a number keeps the whole time left.
            Duration::try_from_secs_f64(left).ok().and_then(|d| now.checked_add(d)).unwrap_or(e)
        });
        Deadline { end, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_the_words_of_the_tables() {
        assert_eq!(Status::Optimal.to_string(), "optimal");
        assert_eq!(format!("{:>9}", Status::Feasible.to_string()), " feasible");
    }

    #[test]
    fn counters_are_looked_up_by_name() {
        let stats = Stats { counters: vec![("schedules", 3), ("states", 0)], ..Stats::default() };
        assert_eq!(
            (stats.counter("schedules"), stats.counter("states"), stats.counter("rows")),
            (Some(3), Some(0), None)
        );
    }

    #[test]
    fn a_deadline_with_a_stall_is_reached_once_the_shared_plan_stops_improving() {
        let shared = Arc::new(Incumbent::new(None, false));
        let options = |stall| SolveOptions { shared: Some(Arc::clone(&shared)), stall, ..SolveOptions::default() };
        assert!(!options(None).deadline().reached());
        assert!(!options(Some(Duration::from_secs(3600))).deadline().reached());
        std::thread::sleep(Duration::from_millis(350));
        let stalled = options(Some(Duration::from_millis(300))).deadline();
        assert!(stalled.reached());
        // An improvement restarts the clock.
        shared.offer_schedule("test", 10, || unreachable!("no schedule is stored"));
        assert!(!stalled.reached());
        // Without a shared incumbent there is nothing to stall.
        assert!(!SolveOptions { stall: Some(Duration::ZERO), ..SolveOptions::default() }.deadline().reached());
    }

    #[test]
    fn a_share_of_a_deadline_ends_sooner_and_keeps_the_cancel_flag() {
        let flag = Arc::new(AtomicBool::new(false));
        let options = SolveOptions {
            time_limit: Some(Duration::from_secs(100)),
            cancel: Some(Arc::clone(&flag)),
            ..SolveOptions::default()
        };
        let quarter = options.deadline().share(0.25);
        let left = quarter.remaining().unwrap();
        assert!(Duration::from_secs(24) < left && left <= Duration::from_secs(25), "{left:?}");
        assert!(!quarter.reached());
        assert!(options.deadline().share(f64::NAN).remaining().unwrap() > Duration::from_secs(99));
        flag.store(true, Ordering::Relaxed);
        assert!(quarter.reached());
        assert_eq!(Deadline::none().share(0.5).remaining(), None);
    }
}
