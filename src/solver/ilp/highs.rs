//! The last stage of the ilp pipeline: hands a [`TimeIndexed`] model to HiGHS through
//! good_lp and reads back its solution, its dual bound and its exact status (the `highs`
//! crate directly, for what good_lp does not expose), stopped by the deadline through
//! HiGHS's interrupt callback (`interrupt.rs`) and, ahead of it, by HiGHS's own time limit.
//!
//! **Time.** HiGHS does not stop the moment its time limit passes: it first finishes the step
//! it is in (a presolve pass, an LP solve, a sub-MIP of a primal heuristic), which the
//! interrupt callback cannot reach either. On the generated workflows of BENCHMARKS.md (models
//! of 380,000–780,000 nonzeros, a loaded 2-core VM) that step took 0.5–2 s of wall time, and
//! `ilp` overran its 10 s limit by as much. So HiGHS gets the time left minus a reserve for
//! that step, [`REACTION_PER_NONZERO`] per nonzero of the model, and is not started at all
//! when the reserve would take more than half of the time left: [`solve`] then returns `None`
//! and `ilp` answers with the best schedule it has.

use std::time::Duration;

use good_lp::{Expression, ProblemVariables, SolverModel, constraint, highs, variable};
use highs::HighsModelStatus;

use super::interrupt;
use super::model::TimeIndexed;
use crate::model::Time;
use crate::solver::{Deadline, SolveError};

/// The time HiGHS may take per nonzero of the model to return once its time limit has passed
/// (see the module docs): 2.5 µs, so 1.25 s for 500,000 nonzeros.
pub(super) const REACTION_PER_NONZERO: Duration = Duration::from_nanos(2_500);

/// The time HiGHS needs beyond its time limit on a model of `nonzeros` nonzeros.
pub(super) fn reaction(nonzeros: usize) -> Duration {
    REACTION_PER_NONZERO.saturating_mul(u32::try_from(nonzeros).unwrap_or(u32::MAX))
}

/// The largest model (in nonzeros) worth handing to HiGHS with `left` of time: its reaction
/// time (see the module docs) takes at most half of it.
pub(super) fn max_nonzeros_for(left: Duration) -> usize {
    let nonzeros = left.as_secs_f64() / 2.0 / REACTION_PER_NONZERO.as_secs_f64();
    if nonzeros.is_finite() { nonzeros as usize } else { usize::MAX }
}

/// What HiGHS returned: the columns of its best solution (if any) and its proven bound.
pub(super) struct Outcome {
    pub values: Option<Vec<f64>>,
    pub bound: Time,
}

/// Hands the model to HiGHS through good_lp and solves it; `None` when the deadline was
/// reached, or too little time is left for a model this large, before HiGHS could start (see
/// the module docs).
pub(super) fn solve(
    model: &TimeIndexed,
    threads: u32,
    deadline: &Deadline,
    gap: f64,
) -> Result<Option<Outcome>, SolveError> {
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
    if deadline.reached() {
        return Ok(None);
    }
    let mut highs_model =
        lp.try_into_inner().map_err(|e| SolveError::Backend(format!("HiGHS rejected the model: {e}")))?;
    set_option(&mut highs_model, "output_flag", false)?;
    set_option(&mut highs_model, "threads", i32::try_from(threads).unwrap_or(i32::MAX))?;
    set_option(&mut highs_model, "mip_rel_gap", gap)?;
    set_option(&mut highs_model, "mip_abs_gap", 1.0 - 1e-6)?;
    set_option(&mut highs_model, "random_seed", 0)?;
    set_option(&mut highs_model, "mip_heuristic_effort", 0.05)?;
    // The time left once the model is in HiGHS, less HiGHS's reaction time (and 5 %).
    if let Some(left) = deadline.remaining() {
        let reserve = reaction(model.nonzeros());
        if left < reserve.saturating_mul(2) {
            return Ok(None);
        }
        set_option(&mut highs_model, "time_limit", (left - reserve).mul_f64(0.95).as_secs_f64())?;
    }
    if deadline.reached() {
        return Ok(None);
    }
    // Stopped by the deadline (cancelled, or time up in spite of the reserve) through
    // HiGHS's interrupt callback.
    let solved = interrupt::solve(highs_model, deadline)?;
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
        // Every column is bounded, so "unbounded or infeasible" means infeasible: no schedule
        // ends by the horizon, which proves `horizon + 1`.
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Ok(Some(Outcome { values: None, bound: model.horizon + 1 }));
        }
        HighsModelStatus::Unbounded => {
            return Err(SolveError::Internal(format!(
                "HiGHS reports the model {status:?} although the heuristic schedule satisfies it"
            )));
        }
        other => return Err(SolveError::Backend(format!("HiGHS stopped with status {other:?}"))),
    }
    let values = (solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible)
        .then(|| solved.get_solution().columns().to_vec());
    let dual = solved.double_info_value(c"mip_dual_bound").unwrap_or(f64::NEG_INFINITY);
    // Rounded up to whole ticks, with room for HiGHS's feasibility tolerance (1e-6 per row).
    let bound = if dual.is_finite() && dual > 0.0 { (dual - 1e-4).ceil() as Time } else { 0 };
    Ok(Some(Outcome { values, bound }))
}

fn set_option<V: highs::HighsOptionValue>(model: &mut highs::Model, name: &str, value: V) -> Result<(), SolveError> {
    model.try_set_option(name, value).map_err(|e| SolveError::Backend(format!("HiGHS option `{name}`: {e:?}")))
}
