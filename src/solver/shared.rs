//! The incumbent of one solve: the best schedule and the best proven lower bound, shared by
//! every thread that works on the same problem (the members of a portfolio, the islands of a
//! search), and the one place where progress is reported.
//!
//! Reads are lock-free (two atomics); an improvement takes a mutex for the time it takes to
//! store an [`Arc`] and call the progress function, so events are delivered one at a time and
//! in order: reported makespans strictly decrease, reported bounds strictly increase. Nothing
//! waits for anything: a solver polls [`Incumbent::upper`] when it is cheap for it (a branch
//! and bound tightens its pruning bound with it), and every [`Deadline`](super::Deadline)
//! built from options that share an incumbent counts as reached once the incumbent is proven
//! optimal (bound ≥ makespan) or [closed](Incumbent::close), which is how a proof by one member
//! stops the others.
//!
//! An incumbent belongs to one problem: the solvers only ever offer schedules of the problem
//! they were given, and on a problem with time rules (deadlines, releases, …) only answers
//! that [`Solution::new`] checked. It is internal to the crate; embedders see it through
//! [`Progress`](super::Progress) and the portfolio's [`Stats`](super::Stats).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::progress::{Improvement, Progress, ProgressFn};
use super::{Solution, SolveError, Status};
use crate::model::{Problem, Time};
use crate::schedule::Schedule;

/// No schedule yet.
const NONE: Time = Time::MAX;

/// A duration in nanoseconds, saturating (585 years).
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The name under which the warm start ([`SolveOptions::warm_start`](super::SolveOptions::warm_start))
/// is offered and reported.
pub(crate) const WARM_START: &str = "warm_start";

/// The best schedule and bound of one solve (see the [module docs](self)).
pub(crate) struct Incumbent {
    started: Instant,
    progress: Option<ProgressFn>,
    /// Whether schedules are stored (a portfolio returns the stored one); otherwise only
    /// built when there is a progress function to hand them to.
    keep: bool,
    /// The best makespan ([`NONE`] before the first schedule).
    upper: AtomicU64,
    /// The best proven lower bound.
    lower: AtomicU64,
    /// Set by [`Incumbent::close`]: every deadline sharing the incumbent is reached.
    closed: AtomicBool,
    /// Set by [`Incumbent::heuristic_ran`]: the greedy portfolio already offered its plan.
    heuristic: AtomicBool,
    /// When the best makespan last improved, in nanoseconds from `started`.
    improved_at: AtomicU64,
    state: Mutex<State>,
}

/// What is written under the lock.
#[derive(Default)]
struct State {
    best: Option<Arc<Schedule>>,
    best_by: Option<&'static str>,
    bound_by: Option<&'static str>,
    /// Improvements of the schedule and of the bound so far.
    improvements: (u64, u64),
}

impl Incumbent {
    /// An incumbent whose clock starts now, reporting to `progress`; `keep` stores every
    /// improved schedule so that [`Incumbent::best`] can return it.
    pub(crate) fn new(progress: Option<ProgressFn>, keep: bool) -> Self {
        Self {
            started: Instant::now(),
            progress,
            keep,
            upper: AtomicU64::new(NONE),
            lower: AtomicU64::new(0),
            closed: AtomicBool::new(false),
            heuristic: AtomicBool::new(false),
            improved_at: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    /// The best makespan offered so far.
    pub(crate) fn upper(&self) -> Option<Time> {
        Some(self.upper.load(Ordering::Acquire)).filter(|&u| u != NONE)
    }

    /// The best proven lower bound offered so far (0 before any).
    pub(crate) fn lower(&self) -> Time {
        self.lower.load(Ordering::Acquire)
    }

    /// Whether the best makespan has stalled: it has not improved for `patience`, nor for as
    /// long as it took to reach it (the longer a search has been improving, the longer it may
    /// take to improve again).
    pub(crate) fn stalled(&self, patience: Duration) -> bool {
        let elapsed = self.started.elapsed();
        let at = Duration::from_nanos(self.improved_at.load(Ordering::Acquire));
        elapsed.saturating_sub(at) >= patience.max(at)
    }

    /// Whether the best schedule is proven optimal: nothing is left to do.
    pub(crate) fn proven(&self) -> bool {
        self.upper().is_some_and(|u| self.lower() >= u)
    }

    /// Whether the solvers sharing the incumbent should stop: it is proven optimal, or closed.
    pub(crate) fn done(&self) -> bool {
        self.proven() || self.closed.load(Ordering::Acquire)
    }

    /// Asks every solver sharing the incumbent to stop and return.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    /// Records that the greedy portfolio ran on this problem and offered its plan: the exact
    /// solvers sharing the incumbent start from its best schedule instead of running greedy
    /// again (see [`super::heuristic`]).
    pub(crate) fn heuristic_ran(&self) {
        self.heuristic.store(true, Ordering::Release);
    }

    /// Whether [`Incumbent::heuristic_ran`] was called.
    pub(crate) fn has_heuristic(&self) -> bool {
        self.heuristic.load(Ordering::Acquire)
    }

    /// The best schedule stored (only when created with `keep`) and the solver that found it.
    pub(crate) fn best(&self) -> Option<(Arc<Schedule>, &'static str)> {
        let state = self.lock();
        state.best.clone().zip(state.best_by)
    }

    /// The best schedule stored, if it is shorter than `makespan` (`None`: than nothing): the
    /// one an exact solver returns when another member of a portfolio found it (its own model
    /// or pruning excludes it then).
    pub(crate) fn best_below(&self, makespan: Option<Time>) -> Option<Arc<Schedule>> {
        self.best().map(|(s, _)| s).filter(|s| makespan.is_none_or(|m| s.makespan() < m))
    }

    /// The solvers that found the best schedule and proved the best bound.
    pub(crate) fn credits(&self) -> (Option<&'static str>, Option<&'static str>) {
        let state = self.lock();
        (state.best_by, state.bound_by)
    }

    /// How many times the schedule and the bound improved.
    pub(crate) fn improvements(&self) -> (u64, u64) {
        self.lock().improvements
    }

    /// Offers a schedule of makespan `makespan` found by `solver`; `schedule` builds it and is
    /// called only when it improves on the best one and someone needs it. Returns whether it
    /// improved.
    pub(crate) fn offer_schedule(
        &self,
        solver: &'static str,
        makespan: Time,
        schedule: impl FnOnce() -> Schedule,
    ) -> bool {
        let built: Result<bool, std::convert::Infallible> =
            self.try_offer_schedule(solver, makespan, || Ok(schedule()));
        built.unwrap_or_else(|never| match never {})
    }

    /// [`Incumbent::offer_schedule`] with a builder that may fail (its error is returned).
    pub(crate) fn try_offer_schedule<E>(
        &self,
        solver: &'static str,
        makespan: Time,
        schedule: impl FnOnce() -> Result<Schedule, E>,
    ) -> Result<bool, E> {
        if makespan >= self.upper.load(Ordering::Acquire) {
            return Ok(false);
        }
        let built = if self.keep || self.progress.is_some() { Some(Arc::new(schedule()?)) } else { None };
        debug_assert!(built.as_ref().is_none_or(|s| s.makespan() == makespan));
        let mut state = self.lock();
        if makespan >= self.upper.load(Ordering::Acquire) {
            return Ok(false); // another thread got there first
        }
        self.upper.store(makespan, Ordering::Release);
        self.improved_at.store(nanos(self.started.elapsed()), Ordering::Release);
        state.best_by = Some(solver);
        state.improvements.0 += 1;
        if self.keep {
            state.best.clone_from(&built);
        }
        if let (Some(report), Some(schedule)) = (&self.progress, built) {
            report(&self.progress_of(solver, Improvement::Schedule(schedule)));
        }
        Ok(true)
    }

    /// Offers a lower bound proven by `solver`. Returns whether it improved.
    pub(crate) fn offer_bound(&self, solver: &'static str, bound: Time) -> bool {
        if bound <= self.lower.load(Ordering::Acquire) {
            return false;
        }
        let mut state = self.lock();
        if bound <= self.lower.load(Ordering::Acquire) {
            return false;
        }
        self.lower.store(bound, Ordering::Release);
        state.bound_by = Some(solver);
        state.improvements.1 += 1;
        if let Some(report) = &self.progress {
            report(&self.progress_of(solver, Improvement::Bound(bound)));
        }
        true
    }

    /// Offers a solver's final answer: its schedule, then its bound. A proof that no schedule
    /// meets the deadlines ([`Status::Infeasible`]) offers nothing and closes the incumbent:
    /// there is nothing left to look for.
    pub(crate) fn offer_solution(&self, solver: &'static str, solution: &Solution) {
        if solution.status == Status::Infeasible {
            self.close();
            return;
        }
        self.offer_schedule(solver, solution.makespan(), || solution.schedule.clone());
        self.offer_bound(solver, solution.lower_bound);
    }

    fn progress_of(&self, solver: &'static str, improvement: Improvement) -> Progress {
        Progress { elapsed: self.elapsed(), solver, improvement, makespan: self.upper(), lower_bound: self.lower() }
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The state. A progress function that panicked poisons the lock after the state was
    /// written, so the state is whole and the poison is ignored.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `answer`, or the incumbent's best schedule (stored only when it keeps schedules, e.g. a
/// warm start) when it is shorter or `answer` found no schedule that meets the deadlines;
/// the bound is the better of the answer's and the incumbent's. A proof of infeasibility
/// while the incumbent holds a verified schedule is a bug ([`SolveError::Internal`]).
pub(crate) fn at_least_as_good(
    problem: &Problem,
    incumbent: &Incumbent,
    answer: Result<Solution, SolveError>,
    started: Instant,
) -> Result<Solution, SolveError> {
    let Some((best, by)) = incumbent.best() else { return answer };
    let (bound, counters) = match answer {
        Ok(solution) if solution.status == Status::Infeasible => {
            return Err(SolveError::Internal(format!(
                "proved no schedule meets the deadlines, but the schedule of `{by}` (makespan {}) does",
                best.makespan()
            )));
        }
        Ok(solution) if solution.makespan() <= best.makespan() => return Ok(solution),
        Ok(solution) => (solution.lower_bound, solution.stats.counters),
        Err(SolveError::DeadlinesMissed(_)) => (0, Vec::new()),
        Err(e) => return Err(e),
    };
    Solution::new(problem, Schedule::clone(&best), bound.max(incumbent.lower()), started, counters)
}

impl fmt::Debug for Incumbent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incumbent")
            .field("makespan", &self.upper())
            .field("lower_bound", &self.lower())
            .field("progress", &self.progress.as_ref().map(|_| "<fn>"))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NodeId, TaskId};
    use crate::schedule::Assignment;

    fn schedule_of(makespan: Time) -> Schedule {
        Schedule::new(vec![Assignment { task: TaskId(0), node: NodeId(0), start: 0, finish: makespan }])
    }

    #[test]
    fn only_improvements_are_reported_in_order_and_a_meeting_bound_proves() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let report: ProgressFn = Arc::new(move |p: &Progress| sink.lock().unwrap().push(p.clone()));
        let inc = Incumbent::new(Some(report), true);
        assert!(inc.offer_schedule("a", 10, || schedule_of(10)));
        assert!(!inc.offer_schedule("b", 10, || unreachable!("not built when not better")));
        assert!(inc.offer_bound("c", 7));
        assert!(!inc.offer_bound("c", 7));
        assert!(!inc.proven());
        assert!(inc.offer_schedule("b", 8, || schedule_of(8)));
        assert!(inc.offer_bound("d", 8));
        assert!(inc.proven());
        let seen = seen.lock().unwrap();
        let summary: Vec<_> = seen.iter().map(|p| (p.solver, p.makespan, p.lower_bound)).collect();
        assert_eq!(summary, [("a", Some(10), 0), ("c", Some(10), 7), ("b", Some(8), 7), ("d", Some(8), 8)]);
        assert!(seen.last().unwrap().proven());
        assert_eq!(inc.best().map(|(s, by)| (s.makespan(), by)), Some((8, "b")));
        assert_eq!(inc.credits(), (Some("b"), Some("d")));
    }

    #[test]
    fn without_a_listener_or_keep_no_schedule_is_built() {
        let inc = Incumbent::new(None, false);
        assert!(inc.offer_schedule("a", 5, || unreachable!("nobody needs it")));
        assert_eq!(inc.upper(), Some(5));
        assert!(inc.best().is_none());
    }

    #[test]
    fn concurrent_offers_keep_the_best() {
        let inc = Incumbent::new(None, true);
        std::thread::scope(|s| {
            for t in 0..4u64 {
                let inc = &inc;
                s.spawn(move || {
                    for m in (1..200).rev() {
                        inc.offer_schedule("t", m * 4 + t, || schedule_of(m * 4 + t));
                        inc.offer_bound("t", m / 4);
                    }
                });
            }
        });
        assert_eq!(inc.upper(), Some(4));
        assert_eq!(inc.best().map(|(s, _)| s.makespan()), Some(4));
        assert_eq!(inc.lower(), 49);
    }
}
