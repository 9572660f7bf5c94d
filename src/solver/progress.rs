//! Progress reports of a running solve: [`Progress`] (how to watch a solve is on the type).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::model::Time;
use crate::schedule::Schedule;

/// The function [`SolveOptions::on_progress`](super::SolveOptions::on_progress) stores.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// What improved.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Improvement {
    /// A schedule shorter than every one reported before in this solve (verified by the
    /// solver's tests, like every schedule a solver returns).
    Schedule(Arc<Schedule>),
    /// A proven lower bound on the optimal makespan, higher than every one reported before.
    Bound(Time),
}

impl fmt::Debug for Improvement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The makespan, not thousands of assignments.
            Improvement::Schedule(s) => {
                f.debug_struct("Schedule").field("makespan", &s.makespan()).finish_non_exhaustive()
            }
            Improvement::Bound(b) => f.debug_tuple("Bound").field(b).finish(),
        }
    }
}

/// One improvement observed during a solve.
///
/// Watching a running solve: every improved schedule and every improved lower bound, as it
/// happens.
///
/// Give [`SolveOptions::on_progress`](super::SolveOptions::on_progress) a function; the solver
/// calls it with a [`Progress`] each time it finds a schedule shorter than every one reported
/// before, or proves a lower bound higher than every one reported before. Within one solve the
/// reported makespans strictly decrease and the reported bounds strictly increase, and every
/// event carries both current values, so an orchestrator can act on the first good plan and a
/// command line can show the gap closing.
///
/// Why a callback rather than a channel: a callback costs nothing when absent, lets the
/// embedder choose the transport (a `std::sync::mpsc::Sender`, a Tokio channel, a log line, an
/// atomic), and can be written in one line from any of them:
///
/// ```
/// use std::sync::mpsc;
/// use dagplan::{Dp, Improvement, Scheduler, SolveOptions};
///
/// let (sender, receiver) = mpsc::channel();
/// let options = SolveOptions::default().on_progress(move |p| {
///     let _ = sender.send(p.clone()); // the receiver may be gone: ignore
/// });
/// let solution = Dp::new(options).schedule(&dagplan::example::five_tasks()?)?;
/// let events: Vec<_> = receiver.try_iter().collect();
/// assert!(events.iter().any(|p| matches!(p.improvement, Improvement::Schedule(_))));
/// assert_eq!(events.last().and_then(|p| p.makespan), Some(solution.makespan()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The callback runs on the solver's own threads (several at once inside a portfolio, but
/// never concurrently: events are delivered one at a time, in order), so it must be quick and
/// must not block; hand heavy work to another thread. A schedule is shared as an
/// [`Arc<Schedule>`](Schedule), so keeping it costs no copy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Time since the solve started (inside a portfolio: since the portfolio started).
    pub elapsed: Duration,
    /// The solver that found it: `"greedy"`, `"search"`, `"dp"`, `"ilp"`, `"cp"`, … (inside
    /// `auto`, the member).
    pub solver: &'static str,
    /// What improved.
    pub improvement: Improvement,
    /// The best makespan after this event (`None` before the first schedule).
    pub makespan: Option<Time>,
    /// The best proven lower bound after this event (0 before the first bound).
    pub lower_bound: Time,
}

impl Progress {
    /// The schedule of an [`Improvement::Schedule`] event.
    pub fn schedule(&self) -> Option<&Arc<Schedule>> {
        match &self.improvement {
            Improvement::Schedule(s) => Some(s),
            Improvement::Bound(_) => None,
        }
    }

    /// Whether the best schedule is proven optimal at this point (its makespan meets the bound).
    pub fn proven(&self) -> bool {
        self.makespan.is_some_and(|m| m <= self.lower_bound)
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.improvement {
            Improvement::Schedule(s) => format!("schedule {}", s.makespan()),
            Improvement::Bound(b) => format!("bound {b}"),
        };
        write!(f, "{:>9.3} s  {:<13} {what:<18}", self.elapsed.as_secs_f64(), self.solver)?;
        match self.makespan {
            Some(m) => write!(f, " best {m}, bound {}", self.lower_bound),
            None => write!(f, " no schedule yet, bound {}", self.lower_bound),
        }
    }
}
