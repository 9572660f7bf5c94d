//! The last stage of the ilp pipeline: hands a [`TimeIndexed`] model to HiGHS through
//! good_lp and reads back its solution, its dual bound and its exact status (the `highs`
//! crate directly, for what good_lp does not expose), stopped by the deadline through
//! HiGHS's interrupt callback (`interrupt.rs`).

use good_lp::{Expression, ProblemVariables, SolverModel, constraint, highs, variable};
use highs::HighsModelStatus;

use super::interrupt;
use super::model::TimeIndexed;
use crate::model::Time;
use crate::solver::{Deadline, SolveError};

/// What HiGHS returned: the columns of its best solution (if any) and its proven bound.
pub(super) struct Outcome {
    pub values: Option<Vec<f64>>,
    pub bound: Time,
}

/// Hands the model to HiGHS through good_lp and solves it.
pub(super) fn solve(model: &TimeIndexed, threads: u32, deadline: &Deadline, gap: f64) -> Result<Outcome, SolveError> {
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
    set_option(&mut highs_model, "mip_heuristic_effort", 0.05)?;
    if let Some(limit) = deadline.remaining() {
        set_option(&mut highs_model, "time_limit", (limit.as_secs_f64() * 0.95).max(0.001))?;
    }
    // Stopped by the deadline (time up or cancelled) through HiGHS's interrupt callback.
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
            return Ok(Outcome { values: None, bound: model.horizon + 1 });
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
    Ok(Outcome { values, bound })
}

fn set_option<V: highs::HighsOptionValue>(model: &mut highs::Model, name: &str, value: V) -> Result<(), SolveError> {
    model.try_set_option(name, value).map_err(|e| SolveError::Backend(format!("HiGHS option `{name}`: {e:?}")))
}
