//! Writes a [`TimeIndexed`] model in the CPLEX LP text format, for inspection or for
//! another solver (`highs model.lp`, `cbc model.lp`). O(nonzeros).
//!
//! Column `z_<task>_<node>_<t>` is 1 when task `<task>` (id) has started on `<node>` (id) by
//! `<t>`; `C` is the makespan. Rows are named `r<index>` in model order.

use std::fmt::Write as _;

use super::model::TimeIndexed;
use crate::solver::SolveError;

/// The model as LP text; a row that refers to a column the model does not have is an
/// internal error.
pub(crate) fn lp_text(model: &TimeIndexed) -> Result<String, SolveError> {
    // The blocks' columns are numbered consecutively in block order, then the makespan's.
    let mut names: Vec<String> =
        model.blocks().flat_map(|b| b.starts().map(|(s, _)| format!("z_{}_{}_{}", b.task.0, b.node.0, s))).collect();
    names.push("C".to_owned());
    if names.len() != model.columns() {
        return Err(SolveError::Internal(format!(
            "LP file: {} column names for {} columns",
            names.len(),
            model.columns()
        )));
    }
    let name = |c: usize| {
        names
            .get(c)
            .ok_or_else(|| SolveError::Internal(format!("LP file: a row refers to column {c} of {}", names.len())))
    };
    let mut out = String::new();
    let _ = writeln!(out, "\\ dagplan time-indexed model, horizon {}", model.horizon);
    let _ = writeln!(out, "Minimize\n obj: C\nSubject To");
    for (i, row) in model.rows.iter().enumerate() {
        let mut expr = String::new();
        for &(c, a) in &row.terms {
            let sign = if a < 0.0 { "-" } else { "+" };
            let _ = write!(expr, " {sign} {} {}", a.abs(), name(c)?);
        }
        if row.lower == row.upper {
            let _ = writeln!(out, " r{i}:{expr} = {}", row.upper);
        } else {
            if row.lower.is_finite() {
                let _ = writeln!(out, " r{i}_lo:{expr} >= {}", row.lower);
            }
            if row.upper.is_finite() {
                let _ = writeln!(out, " r{i}:{expr} <= {}", row.upper);
            }
        }
    }
    let _ = writeln!(out, "Bounds\n {} <= C <= {}", model.lower, model.horizon);
    let _ = writeln!(out, "Binaries");
    for (c, n) in names.iter().enumerate() {
        if c != model.makespan_col {
            let _ = writeln!(out, " {n}");
        }
    }
    let _ = writeln!(out, "Generals\n C\nEnd");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::ilp::model::{Limits, Row};
    use crate::solver::ilp::windows::Windows;

    #[test]
    fn a_row_on_a_missing_column_is_an_internal_error() {
        let problem = crate::example::five_tasks().unwrap();
        let windows = Windows::propagate(&problem, 75, usize::MAX, None);
        let limits = Limits { columns: 100_000, nonzeros: 1_000_000 };
        let mut model = TimeIndexed::build(&problem, &windows, 75, 70, limits).unwrap();
        let text = lp_text(&model).unwrap();
        assert!(text.contains("Minimize") && text.contains(" C\nEnd"));
        model.rows.push(Row { terms: vec![(model.columns(), 1.0)], lower: f64::NEG_INFINITY, upper: 1.0 });
        assert!(matches!(lp_text(&model), Err(SolveError::Internal(_))));
    }
}
