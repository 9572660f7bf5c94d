//! Writes a [`TimeIndexed`] model in the CPLEX LP text format, for inspection or for
//! another solver (`highs model.lp`, `cbc model.lp`). O(nonzeros).
//!
//! Column `z_<task>_<node>_<t>` is 1 when task `<task>` (id) has started on `<node>` (id) by
//! `<t>`; `C` is the makespan. Rows are named `r<index>` in model order.

use std::fmt::Write as _;

use super::model::TimeIndexed;

/// The model as LP text.
pub(crate) fn lp_text(model: &TimeIndexed) -> String {
    let mut names = vec![String::new(); model.columns()];
    for b in &model.blocks {
        for (s, c) in b.starts() {
            if let Some(slot) = names.get_mut(c) {
                *slot = format!("z_{}_{}_{}", b.task.0, b.node.0, s);
            }
        }
    }
    if let Some(slot) = names.get_mut(model.makespan_col) {
        *slot = "C".to_owned();
    }
    let name = |c: usize| names.get(c).map_or("?", String::as_str);
    let mut out = String::new();
    let _ = writeln!(out, "\\ dagplan time-indexed model, horizon {}", model.horizon);
    let _ = writeln!(out, "Minimize\n obj: C\nSubject To");
    for (i, row) in model.rows.iter().enumerate() {
        let mut expr = String::new();
        for &(c, a) in &row.terms {
            let sign = if a < 0.0 { "-" } else { "+" };
            let _ = write!(expr, " {sign} {} {}", a.abs(), name(c));
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
    out
}
