//! `dp`: the exact Bellman recursion [`Dp`] (the recursion, the proof that it is exact, its
//! complexity, sources and guarantee are on the type): the search (`search.rs`) over event
//! states (`state.rs`).

mod search;
mod state;

use super::exact::{Start, solve_exact};
use super::{Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;
use crate::schedule::Schedule;
use search::{Stop, search};
use state::Context;

/// `dp`: an exact Bellman recursion over event states, explored depth first with memoised
/// canonical states and lower-bound pruning — exact, anytime.
///
/// # The recursion
///
/// A *decision state* at time `t` holds the set of finished tasks (a bitset), the running
/// tasks with their node and finish time, the node and finish time of each finished task
/// whose transfer-delay window to an unstarted successor is still open, and a set of
/// forbidden (task, node) starts (below). Its value is `V(s) = min` over every feasible
/// *start set* `S` (tasks whose predecessors are finished, ready on their node at `t` — the
/// latest predecessor finish, plus the delay for predecessors on other nodes — each on one
/// node where it fits next to the running tasks; `S` may be empty) of `V(next(s, S))`,
/// where `next` starts `S` and advances to the next *event*: the earliest completion of a
/// running task or the earliest *release time* (a ready time later than `t`) of a waiting
/// task. `V` of a state with everything finished is its time. The answer is `V(root)`.
///
/// # Why it is exact
///
/// Take an optimal schedule σ* whose sum of start times is smallest among optimal ones.
/// (1) *Every start of σ* is an event of σ* or 0*: if task `j` starts at `s > 0` and no
/// task finishes at `s` and `s` is not a release time of `j` on its node, then `j` is ready
/// at `s − 1` and the tasks running at `s − 1` other than `j` are a subset of those running
/// at `s` (none finishes at `s`), so `j` fits at `s − 1`: shifting it left keeps σ*
/// feasible and optimal with a smaller sum — a contradiction. (2) The recursion visits every
/// event of σ* in order when it follows σ*'s start sets, because its next event is the
/// minimum of exactly the pending completions and release times (a release time depends only
/// on finished predecessors, which are in the state). Release times are decision points, so
/// a delay that makes a task available between two completions is not missed. (3) At each
/// decision point the start set of σ* is one of the sets enumerated (it is feasible).
/// Hence σ* is a path of the recursion, which is therefore complete.
///
/// *Left-shift dominance*: a task skipped at decision point `t` although it was ready and
/// still fitted on node `n` next to the chosen set may not start on `n` at the very next
/// decision point `t' > t`. In σ* this never happens: between `t` and `t'` nothing starts or
/// finishes, so the task would fit over `[t, t')` and σ* could start it at `t` — smaller
/// sum. *Memo*: the value of a state is its time plus a function of its canonical key (the
/// state with times made relative to `t` and identical nodes — same capacity, same duration
/// for every task — sorted by their contents), so a key reached again no earlier than
/// before is pruned. *Bounds*: a child whose lower bound (time + the longest remaining
/// critical path of the running and waiting tasks + the remaining resource energy per
/// dimension over the cluster's capacity) is not below the best makespan known is pruned;
/// the search starts from the makespan of the default [`Greedy`](crate::Greedy) portfolio. *Symmetry*: a task is
/// placed on only the first of several identical idle nodes.
///
/// # Complexity and limits
///
/// States are bounded by the number of order ideals of the DAG times the ways to run and
/// place the frontier: exponential in the width of the DAG and the number of nodes, and each
/// expansion enumerates up to `Π (nodes + 1)` start sets over the waiting tasks. Each child
/// costs O(n·(d + m) + n·r) (n tasks, d in-degree, m nodes, r dimensions); memory is one
/// key of O(n/64 + running + open windows) words per memoised state plus the open children
/// along the current path. Practical up to a few dozen tasks (PSPLIB j30, Patterson);
/// [`Dp::max_states`] caps the memo and the time limit of [`SolveOptions`] caps the run: on
/// either the best schedule is returned as `Feasible` with the smallest bound of all
/// unexplored subtrees. The search is a depth-first loop over an explicit stack (no
/// recursion); the order is deterministic (children by bound, ties by enumeration order:
/// tasks by decreasing CPM tail then id, nodes by id, "start" before "skip").
///
/// # Options and counters
///
/// Of [`SolveOptions`], the time limit and cancellation flag stop the search (the best
/// schedule so far is returned as `Feasible`, with the smallest bound of the unexplored
/// subtrees); the seed and `threads` reach only the starting [`Greedy`](crate::Greedy)
/// portfolio: the search itself is sequential and deterministic. Counters: `states`
/// (memoised), `expansions` (states expanded), `start_sets` (children generated),
/// `time_stops` and `state_cap_stops` (1 when the time limit or cancellation, or the state
/// cap, stopped the search, else 0).
///
/// References: Bellman, *Dynamic Programming* (1957); Demeulemeester and Herroelen, "A
/// branch-and-bound procedure for the multiple resource-constrained project scheduling
/// problem", *Management Science* 38 (1992) (cutset dominance, left-shift rule); Sprecher,
/// Kolisch and Drexl, "Semi-active, active, and non-delay schedules for the RCPSP",
/// *EJOR* 80 (1995).
///
/// ```
/// use dagplan::{Dp, Scheduler, Status};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Dp::default().schedule(&problem)?;
/// assert_eq!(solution.makespan(), 70);
/// assert_eq!(solution.status, Status::Optimal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dp {
    options: SolveOptions,
    max_states: usize,
}

impl Default for Dp {
    fn default() -> Self {
        Self { options: SolveOptions::default(), max_states: 2_000_000 }
    }
}

impl Dp {
    /// A solver with these options (the time limit and cancellation stop the search; the
    /// seed and threads reach only the starting heuristic: the search is sequential and
    /// deterministic).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// The options it was built with.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }

    /// Largest number of memoised states (default 2,000,000, a few hundred MB at most);
    /// reaching it stops the search with the best schedule so far.
    pub fn max_states(mut self, states: usize) -> Self {
        self.max_states = states;
        self
    }
}

impl Scheduler for Dp {
    fn name(&self) -> &'static str {
        "dp"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        solve_exact(self.name(), problem, &self.options, &["states"], |start| self.solve(problem, start))
    }
}

impl Dp {
    /// The search from `start` (see [`solve_exact`]).
    fn solve(&self, problem: &Problem, start: Start) -> Result<Solution, SolveError> {
        let Start { incumbent, started, deadline, heuristic } = start;
        let ctx = Context::new(problem);
        let upper = heuristic.as_ref().map_or(problem.horizon().saturating_add(1), Solution::makespan);
        let outcome = search(&ctx, upper, &deadline, self.max_states, &incumbent)?;
        let own = match (&outcome.best, heuristic) {
            (Some(state), _) => Some(ctx.schedule(state)?),
            (None, h) => h.map(|h| h.schedule),
        };
        // The search prunes with a shorter schedule found by another member of a portfolio
        // (and then cannot find it itself): return it.
        let schedule = match (incumbent.best_below(own.as_ref().map(Schedule::makespan)), own) {
            (Some(shared), _) => Schedule::clone(&shared),
            (None, Some(own)) => own,
            (None, None) if outcome.stopped.is_none() => {
                return Ok(Solution::infeasible(started, vec![("states", outcome.states as u64)]));
            }
            (None, None) => return Err(SolveError::DeadlinesMissed(Vec::new())),
        };
        let counters = vec![
            ("states", outcome.states as u64),
            ("expansions", outcome.expanded),
            ("start_sets", outcome.generated),
            ("time_stops", u64::from(outcome.stopped == Some(Stop::Time))),
            ("state_cap_stops", u64::from(outcome.stopped == Some(Stop::States))),
        ];
        // `outcome.bound` never exceeds the best makespan (the heuristic's when nothing
        // better, or the incumbent's).
        Solution::new(problem, schedule, outcome.bound, started, counters)
    }
}
