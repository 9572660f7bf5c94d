//! `ilp`: a time-indexed integer program solved by HiGHS — exact, with a proof of optimality
//! or a proven bound when stopped early.
//!
//! **Model** (`model.rs`): a binary `x[j,n,s]` per task, node it can run on and start time in
//! its window, an integer makespan `C`; one start per task; `C` after every task plus its
//! shortest tail; disaggregated precedence rows with the transfer delay charged when the two
//! tasks are on different nodes; per-node, per-dimension capacity at every possible start
//! time. Windows run from the CPM head of each task to the makespan `H` of the heuristic
//! schedule minus the task's duration and CPM tail, so no schedule of makespan ≤ `H` is cut
//! off: the model's optimum is the problem's optimum. On one node (RCPSP) the node index
//! vanishes and the model is the classic DDT formulation (Pritsker, Watters and Wolfe,
//! "Multiproject scheduling with limited resources: a zero-one programming approach", 1969;
//! Artigues, Koné, Lopez and Mongeau, "Mixed-integer linear programming formulations", in
//! *Handbook on Project Management and Scheduling*, 2015).
//!
//! **Horizon**: the makespan of [`heuristic_schedule`], improved by a short run of the `dp`
//! solver used as a primal heuristic ([`Ilp::dp_share`] of the time limit; its schedule only,
//! never its bound).
//!
//! **Solve**: the model is written with good_lp, handed to HiGHS (the `highs` crate, used
//! directly for what good_lp does not expose: the warm start of the model built from the
//! heuristic schedule, HiGHS's dual bound and its exact model status), with the time limit,
//! thread count and relative gap of [`Ilp`]. The absolute gap is set just below one tick,
//! as makespans are integers.
//!
//! **Guarantee**: exact. [`Status::Optimal`](crate::Status::Optimal) only when HiGHS's
//! proven dual bound, rounded up, meets the makespan; otherwise the best schedule (HiGHS's
//! or the heuristic's) with HiGHS's bound. **Size**: `Σ_j Σ_n |window|` columns, at most
//! `H` rows per edge and node and `H` rows per node and dimension; a model beyond
//! [`Ilp::max_columns`] / [`Ilp::max_nonzeros`] is refused with
//! [`SolveError::TooLarge`] (never silently truncated). Solving is NP-hard; HiGHS's
//! branch-and-cut is exponential in the worst case.
//!
//! HiGHS runs on its own thread with the time left and polls that limit itself; the caller's
//! thread watches the cancellation flag of [`SolveOptions`] and the deadline, and on a cancel,
//! or 250 ms past the limit, returns the warm-start schedule at once while HiGHS finishes in
//! the background (it cannot be interrupted without `unsafe` code). HiGHS shares one thread pool per process, sized by the first
//! solve, so later solves with a different `threads` may use the first count.

mod lp_file;
mod model;

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use good_lp::{Expression, ProblemVariables, SolverModel, constraint, highs, variable};
use highs::HighsModelStatus;

use super::heuristic::heuristic_schedule;
use super::{Deadline, Scheduler, Solution, SolveError, SolveOptions};
use crate::bounds::lower_bound;
use crate::model::{Problem, Time};
use model::{Limits, TimeIndexed};

/// The time-indexed ILP solver (see the [module docs](self)).
///
/// ```
/// use dagplan::{Ilp, Scheduler, Status};
/// let problem = dagplan::example::five_tasks();
/// let solution = Ilp::default().schedule(&problem).unwrap();
/// assert_eq!(solution.makespan(), 70);
/// assert_eq!(solution.status, Status::Optimal);
/// ```
#[derive(Debug, Clone)]
pub struct Ilp {
    options: SolveOptions,
    relative_gap: f64,
    max_columns: usize,
    max_nonzeros: usize,
    warm_start: bool,
    dp_share: f64,
    lp_file: Option<PathBuf>,
}

impl Default for Ilp {
    fn default() -> Self {
        Self {
            options: SolveOptions::default(),
            relative_gap: 0.0,
            max_columns: 2_000_000,
            max_nonzeros: 50_000_000,
            warm_start: true,
            dp_share: 0.25,
            lp_file: None,
        }
    }
}

impl Ilp {
    /// A solver with these options (time limit, threads; HiGHS is deterministic, the seed
    /// is not used).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// Replaces the shared options.
    pub fn options(mut self, options: SolveOptions) -> Self {
        self.options = options;
        self
    }

    /// Stops once `(makespan − bound) / makespan ≤ gap` (default 0: prove optimality).
    /// A gap outside `[0, 1]` or not finite is refused.
    pub fn relative_gap(mut self, gap: f64) -> Result<Self, SolveError> {
        if !(0.0..=1.0).contains(&gap) {
            return Err(SolveError::Backend(format!("relative gap {gap} is not in [0, 1]")));
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

    /// Whether HiGHS starts from the heuristic schedule (default `true`).
    pub fn warm_start(mut self, on: bool) -> Self {
        self.warm_start = on;
        self
    }

    /// Share of the time limit given to a short run of [`Dp`](super::Dp) as a *primal*
    /// heuristic before HiGHS starts (default 0.25; 0 turns it off). Only its schedule is
    /// used — as a smaller horizon and the warm start; its bound is discarded, so every
    /// `Optimal` status of `ilp` is HiGHS's proof. Without a time limit the run is capped at
    /// 100,000 states. A share outside `[0, 1)` is refused.
    pub fn dp_share(mut self, share: f64) -> Result<Self, SolveError> {
        if !(0.0..1.0).contains(&share) {
            return Err(SolveError::Backend(format!("dp share {share} is not in [0, 1)")));
        }
        self.dp_share = share;
        Ok(self)
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
        let started = Instant::now();
        let deadline = self.options.deadline();
        let mut heuristic = heuristic_schedule(problem, &self.options)?;
        let lower = lower_bound(problem);
        if self.dp_share > 0.0 && heuristic.makespan() > lower {
            let mut options = self.options.clone();
            options.time_limit = deadline.remaining().map(|r| r.mul_f64(self.dp_share));
            let dp =
                super::Dp::new(options).max_states(if self.options.time_limit.is_some() { 2_000_000 } else { 100_000 });
            let primal = dp.schedule(problem)?;
            if primal.makespan() < heuristic.makespan() {
                heuristic = primal;
            }
        }
        let upper = heuristic.makespan();
        if upper <= lower || deadline.reached() {
            return Solution::new(problem, heuristic.schedule, lower, started, vec![("columns", 0), ("rows", 0)]);
        }
        let limits = Limits { columns: self.max_columns, nonzeros: self.max_nonzeros };
        let model = TimeIndexed::build(problem, upper, lower, limits)?;
        if let Some(path) = &self.lp_file {
            std::fs::write(path, lp_file::lp_text(&model))
                .map_err(|e| SolveError::Backend(format!("cannot write the LP file {}: {e}", path.display())))?;
        }
        let counters = vec![
            ("columns", model.columns() as u64),
            ("rows", model.rows.len() as u64),
            ("nonzeros", model.nonzeros() as u64),
        ];
        if deadline.reached() {
            return Solution::new(problem, heuristic.schedule, lower, started, counters);
        }
        let warm = if self.warm_start { model.encode(&heuristic.schedule) } else { None };
        let model = Arc::new(model);
        let Some(outcome) = solve_in_background(&model, warm, self.threads(), &deadline, self.relative_gap)? else {
            // Cancelled, or HiGHS overran the time limit: the heuristic schedule stands.
            return Solution::new(problem, heuristic.schedule, lower, started, counters);
        };
        let mut schedule = heuristic.schedule;
        if let Some(values) = &outcome.values {
            let found = model.decode(values).ok_or_else(|| {
                SolveError::Internal("HiGHS returned a solution without a start for some task".into())
            })?;
            if let Err(violations) = found.verify(problem) {
                return Err(SolveError::Internal(format!(
                    "HiGHS's solution violates the problem: {}",
                    violations.first().map(ToString::to_string).unwrap_or_default()
                )));
            }
            if found.makespan() < schedule.makespan() {
                schedule = found;
            }
        }
        let bound = outcome.bound.min(schedule.makespan());
        Solution::new(problem, schedule, bound, started, counters)
    }
}

impl Ilp {
    fn threads(&self) -> u32 {
        let n = if self.options.threads == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            self.options.threads
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// What HiGHS returned: the columns of its best solution (if any) and its proven bound.
struct Outcome {
    values: Option<Vec<f64>>,
    bound: Time,
}

/// How long past the time limit to wait for HiGHS, which stops only at its own next check.
const GRACE: Duration = Duration::from_millis(250);

/// Runs [`solve`] on its own thread and waits for it while watching the deadline: on
/// cancellation, or [`GRACE`] after the time limit, it returns `None` at once and leaves the
/// thread to finish (HiGHS has been given the same time limit, so it ends soon after; without
/// a time limit a cancelled HiGHS runs on in the background until it finishes, as the `highs`
/// crate offers no way to interrupt it without `unsafe` code).
fn solve_in_background(
    model: &Arc<TimeIndexed>,
    warm: Option<Vec<f64>>,
    threads: u32,
    deadline: &Deadline,
    gap: f64,
) -> Result<Option<Outcome>, SolveError> {
    let (sender, receiver) = mpsc::channel();
    let (shared, solver_deadline) = (Arc::clone(model), deadline.clone());
    std::thread::Builder::new()
        .name("dagplan-highs".into())
        .spawn(move || {
            let _ = sender.send(solve(&shared, warm.as_deref(), threads, &solver_deadline, gap));
        })
        .map_err(|e| SolveError::Backend(format!("cannot start the HiGHS thread: {e}")))?;
    let mut overdue: Option<Instant> = None;
    loop {
        match receiver.recv_timeout(Duration::from_millis(5)) {
            Ok(result) => return result.map(Some),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(SolveError::Internal("the HiGHS thread ended without an answer".into()));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if deadline.cancelled() {
                    return Ok(None);
                }
                if deadline.reached() {
                    let since = *overdue.get_or_insert_with(Instant::now);
                    if since.elapsed() >= GRACE {
                        return Ok(None);
                    }
                }
            }
        }
    }
}

/// Hands the model to HiGHS through good_lp and solves it.
fn solve(
    model: &TimeIndexed,
    warm: Option<&[f64]>,
    threads: u32,
    deadline: &Deadline,
    gap: f64,
) -> Result<Outcome, SolveError> {
    let mut vars = ProblemVariables::new();
    let columns: Vec<good_lp::Variable> = (0..model.columns())
        .map(|c| {
            if c == model.makespan_col {
                vars.add(variable().integer().min(model.lower as f64).max(model.horizon as f64))
            } else {
                vars.add(variable().binary())
            }
        })
        .collect();
    let makespan = columns.get(model.makespan_col).copied().ok_or(SolveError::Internal("no makespan column".into()))?;
    let mut lp = vars.minimise(makespan).using(highs);
    for row in &model.rows {
        let mut expr = Expression::with_capacity(row.terms.len());
        for &(c, a) in &row.terms {
            if let Some(&v) = columns.get(c) {
                expr.add_mul(a, v);
            }
        }
        if row.lower == row.upper {
            lp.add_constraint(constraint::eq(expr, row.upper));
        } else {
            if row.lower.is_finite() {
                lp.add_constraint(constraint::geq(expr.clone(), row.lower));
            }
            if row.upper.is_finite() {
                lp.add_constraint(constraint::leq(expr, row.upper));
            }
        }
    }
    let mut highs_model =
        lp.try_into_inner().map_err(|e| SolveError::Backend(format!("HiGHS rejected the model: {e}")))?;
    set_option(&mut highs_model, "output_flag", false)?;
    set_option(&mut highs_model, "threads", i32::try_from(threads).unwrap_or(i32::MAX))?;
    set_option(&mut highs_model, "mip_rel_gap", gap)?;
    set_option(&mut highs_model, "mip_abs_gap", 1.0 - 1e-6)?;
    set_option(&mut highs_model, "random_seed", 0)?;
    set_option(&mut highs_model, "mip_heuristic_effort", 0.2)?;
    if let Some(limit) = deadline.remaining() {
        set_option(&mut highs_model, "time_limit", (limit.as_secs_f64() * 0.95).max(0.001))?;
    }
    if let Some(values) = warm {
        highs_model
            .try_set_solution(Some(values), None, None, None)
            .map_err(|e| SolveError::Backend(format!("HiGHS refused the warm start: {e:?}")))?;
    }
    let solved = highs_model.try_solve().map_err(|e| SolveError::Backend(format!("HiGHS failed: {e:?}")))?;
    let status = solved.status();
    match status {
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {}
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible | HighsModelStatus::Unbounded => {
            return Err(SolveError::Internal(format!(
                "HiGHS reports the model {status:?} although the heuristic schedule satisfies it"
            )));
        }
        other => return Err(SolveError::Backend(format!("HiGHS stopped with status {other:?}"))),
    }
    let values = (solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible)
        .then(|| solved.get_solution().columns().to_vec());
    let dual = solved.double_info_value(c"mip_dual_bound").unwrap_or(f64::NEG_INFINITY);
    let bound = if dual.is_finite() && dual > 0.0 { (dual - 1e-6).ceil() as Time } else { 0 };
    Ok(Outcome { values, bound })
}

fn set_option<V: highs::HighsOptionValue>(model: &mut highs::Model, name: &str, value: V) -> Result<(), SolveError> {
    model.try_set_option(name, value).map_err(|e| SolveError::Backend(format!("HiGHS option `{name}`: {e:?}")))
}
