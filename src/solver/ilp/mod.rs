//! `ilp`: the time-indexed integer program [`Ilp`] solved by HiGHS (question asked, presolve,
//! model, solve, guarantee and size are documented on the type).
//!
//! **Pipeline.** Data flows one way through the files of this folder; each imports only the
//! stages before it:
//!
//! ```text
//! relations.rs  clash, Order, Reach, greedy_cliques   (shared facts: what cannot overlap)
//!      ↓
//! windows/      propagation: windows and inferred orders   (+ energetic.rs, shaving.rs)
//!      ↓
//! model.rs      the time-indexed model over the windows   (→ lp_file.rs writes it out)
//!      ↓
//! cuts.rs       clique cuts added to the model
//!      ↓
//! highs.rs      the HiGHS backend   (+ interrupt.rs, its interrupt callback)
//! ```
//!
//! `mod.rs` (this solver) runs them in that order.

mod cuts;
mod highs;
mod interrupt;
mod lp_file;
mod model;
mod relations;
mod windows;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::exact::{Start, solve_exact};
use super::{Deadline, OptionError, Scheduler, Solution, SolveError, SolveOptions, Status};
use crate::bounds::lower_bound;
use crate::model::{Problem, Time};
use crate::schedule::Schedule;
use model::{Limits, TimeIndexed};
use windows::Windows;

/// The largest share of the time left that [`Ilp::shaving`] may take.
const SHAVING_SHARE: f64 = 0.25;

/// `ilp`: a time-indexed integer program solved by HiGHS — exact, with a proof of optimality
/// or a proven bound when stopped early.
///
/// **Question asked**: is there a schedule shorter than the best one known? With `H` the
/// makespan of the default [`Greedy`](crate::Greedy) portfolio (improved by a short run of the `dp` solver used as a
/// primal heuristic, [`Ilp::dp_share`] of the time limit: its schedule only, never its bound),
/// the model admits exactly the schedules that end by `H − 1` and minimises the makespan.
/// HiGHS then either proves the model infeasible — `H` is optimal — or finds a shorter
/// schedule and proves the model's optimum, which is the problem's. Asking for `H − 1` rather
/// than `H` narrows every window by one tick and drops the heuristic schedule from the search,
/// which tightens the LP. With a [relative gap](Ilp::relative_gap) `g`, the horizon is
/// `⌈H (1 − g)⌉ − 1`.
///
/// **Presolve**: constraint propagation (precedence, disjunction of pinned tasks
/// that cannot run side by side, time-tabling, energetic reasoning) narrows each task's window
/// and infers orders between such tasks, then [shaving](Ilp::shaving) removes the starts,
/// finishes and orders it refutes; all valid for every schedule within the horizon.
///
/// **Model**: step variables `z[j,n,t]` = "task `j` has started on node `n` by
/// `t`" over each window, which is the classic start-time formulation (`x = z(t) − z(t − 1)`)
/// with the same LP bound and far fewer nonzeros: precedence rows per edge and time with the
/// transfer delay charged across nodes, capacity rows per node, dimension and time, clique
/// cuts (`solver/ilp/cuts.rs`), and an integer makespan `C`. On one node (RCPSP) it is the DDT
/// formulation (Pritsker, Watters and Wolfe, "Multiproject scheduling with limited resources:
/// a zero-one programming approach", 1969; Christofides, Alvarez-Valdes and Tamarit 1987) in
/// the step form of Artigues, Koné, Lopez and Mongeau, "Mixed-integer linear programming
/// formulations", in *Handbook on Project Management and Scheduling*, 2015.
///
/// **Solve**: the model is written with good_lp, handed to HiGHS (the `highs` crate, used
/// directly for what good_lp does not expose: HiGHS's dual bound and its exact model status),
/// with the time limit, thread count and relative gap of [`Ilp`]. The absolute gap is set just
/// below one tick, as makespans are integers; primal heuristics get little effort, since the
/// model usually has no solution.
///
/// **Guarantee**: exact. [`Status::Optimal`] only when HiGHS proves
/// the model infeasible or its own solution optimal, or when the best schedule already meets
/// the crate's [lower bound](crate::lower_bound) (then no model is built: the counters
/// `columns` and `rows` are 0). The presolve stops at its first contradiction and never
/// empties a window, so HiGHS, not the presolve, decides infeasibility; the counter
/// `presolve_contradictions` is 1 when the presolve had met a contradiction first (HiGHS then
/// usually confirms it at once). Otherwise the best schedule (HiGHS's, `dp`'s or the
/// heuristic's) with HiGHS's dual bound.
/// **Size**: `Σ_j Σ_n |window|` columns, at most `H` rows per edge and node and `H` rows per
/// node and dimension; a model beyond [`Ilp::max_columns`] / [`Ilp::max_nonzeros`] is refused
/// with [`SolveError::TooLarge`] (never silently truncated). Solving is NP-hard; HiGHS's
/// branch-and-cut is exponential in the worst case.
///
/// **Time limit**: the deadline (time up or cancelled) is checked between the stages (starting
/// heuristic, `dp`, presolve, model, HiGHS), and a stage not begun in time is skipped: the
/// answer is then the best schedule known with the bound proven so far (counter `time_stops`
/// 1). HiGHS runs on a thread of its own, which `ilp` joins before it returns, with the time
/// left less a reserve for the step it finishes after its own time limit (2.5 µs per nonzero:
/// `solver/ilp/highs.rs`); a model whose reserve would take more than half of the time left is
/// neither built nor handed to HiGHS. An interrupt callback (`solver/ilp/interrupt.rs`, the
/// crate's only `unsafe` code) stops HiGHS at its next interrupt point once the time is up or
/// the cancellation flag of [`SolveOptions`] is set. HiGHS's presolve has no interrupt point
/// (a cancel waits for it: about a second on a 30-task RCPSP model); HiGHS's own time limit
/// covers it. HiGHS keeps a pool of worker threads per thread that runs it; on a thread of its
/// own, the pool is released when the solve ends. So once `schedule` returns, nothing of the
/// solve is running.
///
/// **Options and counters**: of [`SolveOptions`], the time limit and cancellation flag (see
/// above) and `threads` (HiGHS's) apply; the seed reaches only the starting heuristic (HiGHS
/// runs with a fixed seed). Counters: `columns`, `rows` and `nonzeros` of the model,
/// `inferred_orders` (orders the presolve inferred), `presolve_milliseconds`,
/// `presolve_contradictions` (0 or 1), `time_stops` (1: stopped before HiGHS for lack of time).
///
/// ```
/// use dagplan::{Ilp, Scheduler, Status};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Ilp::default().schedule(&problem)?;
/// assert_eq!(solution.makespan(), 70);
/// assert_eq!(solution.status, Status::Optimal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ilp {
    options: SolveOptions,
    relative_gap: f64,
    max_columns: usize,
    max_nonzeros: usize,
    dp_share: f64,
    shaving: bool,
    lp_file: Option<PathBuf>,
}

impl Default for Ilp {
    fn default() -> Self {
        Self {
            options: SolveOptions::default(),
            relative_gap: 0.0,
            max_columns: 2_000_000,
            max_nonzeros: 50_000_000,
            dp_share: 0.1,
            shaving: true,
            lp_file: None,
        }
    }
}

impl Ilp {
    /// A solver with these options (time limit, cancellation, threads; the seed reaches only
    /// the starting heuristic).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// The options it was built with.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }

    /// Stops once `(makespan − bound) / makespan ≤ gap` (default 0: prove optimality): the
    /// model then asks only for schedules shorter than `⌈H (1 − gap)⌉`, `H` the best known
    /// makespan, and HiGHS stops at the same gap on its own schedules. A gap outside `[0, 1]`
    /// or not finite is refused.
    pub fn relative_gap(mut self, gap: f64) -> Result<Self, OptionError> {
        if !(0.0..=1.0).contains(&gap) {
            return Err(OptionError::new("relative_gap", gap, "must be in [0, 1]"));
        }
        self.relative_gap = gap;
        Ok(self)
    }

    /// Largest model (number of binary columns) built; larger ones are refused with
    /// [`SolveError::TooLarge`]. Default 2,000,000.
    pub fn max_columns(mut self, columns: usize) -> Self {
        self.max_columns = columns;
        self
    }

    /// Largest model (number of nonzeros) built. Default 50,000,000.
    pub fn max_nonzeros(mut self, nonzeros: usize) -> Self {
        self.max_nonzeros = nonzeros;
        self
    }

    /// Share of the time limit given to a short run of [`Dp`](crate::Dp) as a *primal*
    /// heuristic before HiGHS starts (default 0.1; 0 turns `dp` off). A second run searches
    /// alongside HiGHS until it stops. Only their schedules are used — the first as a
    /// smaller horizon, both as answers; their bounds are discarded, so every `Optimal`
    /// status of `ilp` is HiGHS's proof. Without a time limit each run is capped at 100,000
    /// states. A share outside `[0, 1)` is refused.
    pub fn dp_share(mut self, share: f64) -> Result<Self, OptionError> {
        if !(0.0..1.0).contains(&share) {
            return Err(OptionError::new("dp_share", share, "must be in [0, 1)"));
        }
        self.dp_share = share;
        Ok(self)
    }

    /// Whether the presolve shaves the windows (default on): each task's earliest start and
    /// latest finish, and each order between two pinned tasks that cannot run side by side,
    /// is tried, and whatever propagation refutes is removed. Shaving stops after about a
    /// second of work on a 2-vCPU VM, or after a quarter of the time left.
    pub fn shaving(mut self, on: bool) -> Self {
        self.shaving = on;
        self
    }

    /// Also writes the model to this file in the CPLEX LP format before solving.
    pub fn lp_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.lp_file = Some(path.into());
        self
    }
}

impl Scheduler for Ilp {
    fn name(&self) -> &'static str {
        "ilp"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        solve_exact(self.name(), problem, &self.options, &["columns", "rows", "time_stops"], |start| {
            self.solve(problem, start)
        })
    }
}

impl Ilp {
    /// The primal `dp`, the presolve, the model and HiGHS, from `start` (see [`solve_exact`]).
    fn solve(&self, problem: &Problem, start: Start) -> Result<Solution, SolveError> {
        let Start { incumbent, started, deadline, mut heuristic } = start;
        let lower = lower_bound(problem);
        // With deadlines the heuristics may find no schedule: then the model covers every
        // schedule up to the problem's horizon, and its infeasibility proves that none exists.
        if self.dp_share > 0.0 {
            match self.primal_dp(problem, &deadline, self.dp_share, self.options.cancel.clone()) {
                Ok(primal) if primal.status == Status::Infeasible => return Ok(primal),
                Ok(primal) if heuristic.as_ref().is_none_or(|h| primal.makespan() < h.makespan()) => {
                    heuristic = Some(primal);
                }
                Ok(_) | Err(SolveError::DeadlinesMissed(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let Some(mut heuristic) = heuristic else {
            return self.without_upper_bound(problem, &deadline, started);
        };
        // Inside a portfolio, a shorter schedule found meanwhile by another member.
        if let Some(best) = incumbent.best_below(Some(heuristic.makespan())) {
            heuristic.schedule = Schedule::clone(&best);
        }
        incumbent.offer_schedule(self.name(), heuristic.makespan(), || heuristic.schedule.clone());
        let upper = heuristic.makespan();
        // The model asks for a schedule ending before `target`; proving it has none proves
        // the gap (with the default gap 0, `target` is `upper`: the proof of optimality).
        let target = ((upper as f64 * (1.0 - self.relative_gap)).ceil() as Time).min(upper);
        // The counters of an answer without a model (stopped for lack of time, or not).
        let no_model = |stopped: bool| vec![("columns", 0), ("rows", 0), ("time_stops", u64::from(stopped))];
        if target <= lower || deadline.reached() {
            return Solution::new(problem, heuristic.schedule, lower, started, no_model(target > lower));
        }
        let horizon = target - 1;
        let presolve = Instant::now();
        let shaving = self.shaving.then(|| deadline.share(SHAVING_SHARE));
        let windows = Windows::propagate(problem, horizon, self.max_columns, shaving.as_ref());
        let presolve_ms = presolve.elapsed().as_millis() as u64;
        let limits = self.limits(&deadline);
        let model = match build_model(problem, &windows, horizon, lower, limits) {
            // Too large for the time left (not for the size caps): the best schedule known.
            Err(SolveError::TooLarge(_)) if limits.nonzeros < self.max_nonzeros => None,
            Ok(_) if deadline.reached() => None,
            other => Some(other?),
        };
        let Some(model) = model else {
            return Solution::new(problem, heuristic.schedule, lower, started, no_model(true));
        };
        if let Some(path) = &self.lp_file {
            std::fs::write(path, lp_file::lp_text(&model)?)
                .map_err(|e| SolveError::Backend(format!("cannot write the LP file {}: {e}", path.display())))?;
        }
        let mut counters = vec![
            ("columns", model.columns() as u64),
            ("rows", model.rows.len() as u64),
            ("nonzeros", model.nonzeros() as u64),
            ("inferred_orders", windows.orders.len() as u64),
            ("presolve_milliseconds", presolve_ms),
            ("presolve_contradictions", u64::from(windows.contradiction)),
            ("time_stops", 0),
        ];
        // HiGHS's branch-and-bound keeps one worker busy; `dp` searches for shorter schedules
        // on the other core meanwhile (its schedules only: the proof stays HiGHS's).
        let stop = Arc::new(AtomicBool::new(false));
        let (outcome, primal) = std::thread::scope(|scope| {
            let primal = (self.dp_share > 0.0)
                .then(|| scope.spawn(|| self.primal_dp(problem, &deadline, 1.0, Some(Arc::clone(&stop)))));
            let outcome = std::thread::Builder::new()
                .name("dagplan-highs".into())
                .spawn_scoped(scope, || highs::solve(&model, self.threads(), &deadline, self.relative_gap))
                .map_err(|e| SolveError::Backend(format!("cannot start the HiGHS thread: {e}")))
                .and_then(|handle| {
                    handle.join().unwrap_or_else(|_| Err(SolveError::Internal("the HiGHS thread panicked".into())))
                });
            stop.store(true, Ordering::Relaxed);
            let primal = primal.map(|handle| {
                handle.join().unwrap_or_else(|_| Err(SolveError::Internal("the dp primal run panicked".into())))
            });
            (outcome, primal)
        });
        match primal.transpose() {
            Ok(Some(primal)) if primal.status != Status::Infeasible && primal.makespan() < heuristic.makespan() => {
                heuristic = primal;
            }
            Ok(_) | Err(SolveError::DeadlinesMissed(_)) => {}
            Err(e) => return Err(e),
        }
        let mut schedule = heuristic.schedule;
        let Some(outcome) = outcome? else {
            // HiGHS did not start: the time left did not suffice.
            if let Some(stops) = counters.last_mut() {
                stops.1 = 1;
            }
            return Solution::new(problem, schedule, lower, started, counters);
        };
        if let Some(values) = &outcome.values {
            let found = model.decode(values).ok_or_else(|| {
                SolveError::Internal("HiGHS returned a solution without a start for some task".into())
            })?;
            if let Err(error) = found.verify(problem) {
                return Err(SolveError::Internal(format!("HiGHS's solution violates the problem: {error}")));
            }
            if found.makespan() < schedule.makespan() {
                schedule = found;
            }
        }
        // No clamping: a bound above a verified schedule would be a contradiction, and
        // `Solution::new` reports it as an internal error rather than claiming optimality.
        Solution::new(problem, schedule, outcome.bound, started, counters)
    }

    /// The size caps of a model built with the time `deadline` leaves: the configured ones,
    /// and no more nonzeros than HiGHS can take in that time (`highs.rs`).
    fn limits(&self, deadline: &Deadline) -> Limits {
        let for_time = deadline.remaining().map_or(usize::MAX, highs::max_nonzeros_for);
        Limits { columns: self.max_columns, nonzeros: self.max_nonzeros.min(for_time) }
    }

    /// The model over the problem's whole horizon when no heuristic found a schedule that
    /// meets the deadlines: HiGHS finds one, or proves that none exists (every feasible
    /// schedule can be left-shifted to end by the horizon). Out of time first (or the model
    /// too large for the time left), the deadlines count as missed.
    fn without_upper_bound(
        &self,
        problem: &Problem,
        deadline: &Deadline,
        started: Instant,
    ) -> Result<Solution, SolveError> {
        let horizon = problem.horizon();
        let lower = lower_bound(problem);
        let limits = self.limits(deadline);
        let windows = Windows::propagate(problem, horizon, limits.columns, None);
        let model = match build_model(problem, &windows, horizon, lower, limits) {
            // The propagation emptied a task's window: no schedule ends by the horizon.
            Err(SolveError::Internal(_)) if windows.contradiction => {
                return Ok(Solution::infeasible(started, vec![("columns", 0), ("rows", 0)]));
            }
            Err(SolveError::TooLarge(_)) if limits.nonzeros < self.max_nonzeros => {
                return Err(SolveError::DeadlinesMissed(Vec::new()));
            }
            other => other?,
        };
        let counters = vec![("columns", model.columns() as u64), ("rows", model.rows.len() as u64)];
        let Some(outcome) = highs::solve(&model, self.threads(), deadline, self.relative_gap)? else {
            return Err(SolveError::DeadlinesMissed(Vec::new()));
        };
        match &outcome.values {
            Some(values) => {
                let found = model.decode(values).ok_or_else(|| {
                    SolveError::Internal("HiGHS returned a solution without a start for some task".into())
                })?;
                Solution::new(problem, found, outcome.bound, started, counters)
            }
            None if outcome.bound > horizon => Ok(Solution::infeasible(started, counters)),
            None => Err(SolveError::DeadlinesMissed(Vec::new())),
        }
    }

    /// A run of `dp` as a primal heuristic for `share` of the time left, stopped by `cancel`
    /// (its bound is discarded by the caller). Without a time limit it is capped at 100,000
    /// states, else at 2,000,000.
    fn primal_dp(
        &self,
        problem: &Problem,
        deadline: &Deadline,
        share: f64,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<Solution, SolveError> {
        let mut options = self.options.private();
        options.time_limit = deadline.remaining().map(|r| r.mul_f64(share));
        options.cancel = cancel;
        options.threads = 1;
        let states = if self.options.time_limit.is_some() { 2_000_000 } else { 100_000 };
        super::Dp::new(options).max_states(states).schedule(problem)
    }

    fn threads(&self) -> u32 {
        let n = if self.options.threads == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            self.options.threads
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// The model and cuts stages: the time-indexed model over the windows, its clique cuts, and
/// the size check over both.
fn build_model(
    problem: &Problem,
    windows: &Windows,
    horizon: Time,
    lower: Time,
    limits: Limits,
) -> Result<TimeIndexed, SolveError> {
    let mut model = TimeIndexed::build(problem, windows, horizon, lower, limits)?;
    let mut cuts = cuts::clique_rows(&model, problem, windows);
    model.rows.append(&mut cuts);
    model.check_size(problem, limits)?;
    Ok(model)
}
