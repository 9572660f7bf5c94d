//! A text Gantt chart: one row per task (by start time), with its node, start, finish and a
//! bar scaled to a fixed width.

use std::fmt::Write;

use crate::model::Problem;
use crate::schedule::Schedule;

/// Renders the schedule as a text Gantt chart `width` characters wide (bars only).
///
/// # Panics
/// If an assignment holds an id that is not of `problem` (see "Ids" on
/// [`Problem`](crate::Problem)); [`Schedule::verify`] reports such ids without panicking.
///
/// ```
/// let problem = dagplan::example::five_tasks()?;
/// let chart = dagplan::text_gantt(&problem, &dagplan::example::documented_deployment(&problem)?, 35);
/// // v3 runs [10, 40) of 70: columns 5 to 20 of 35.
/// let v3 = chart.lines().find(|line| line.starts_with("v3")).unwrap();
/// assert!(v3.contains("n3") && v3.ends_with("|     ###############               |"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn text_gantt(problem: &Problem, schedule: &Schedule, width: usize) -> String {
    let makespan = schedule.makespan().max(1);
    let width = width.max(1);
    let mut rows: Vec<_> = schedule.assignments().iter().collect();
    rows.sort_by_key(|a| (a.start, a.finish, a.task));
    // Columns at least as wide as their headers ("task", "node").
    let task_w = rows.iter().map(|a| problem.task_name(a.task).len()).fold(4, usize::max);
    let node_w = rows.iter().map(|a| problem.node_name(a.node).len()).fold(4, usize::max);
    let scale = |t: u64| (u128::from(t) * width as u128 / u128::from(makespan)) as usize;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:task_w$}  {:node_w$}  {:>6}  {:>6}  |{}|",
        "task",
        "node",
        "start",
        "finish",
        "-".repeat(width)
    );
    for a in rows {
        let (from, to) = (scale(a.start), scale(a.finish).max(scale(a.start) + usize::from(a.finish > a.start)));
        let bar = format!("{}{}", " ".repeat(from), "#".repeat(to.saturating_sub(from)));
        let _ = writeln!(
            out,
            "{:task_w$}  {:node_w$}  {:>6}  {:>6}  |{:width$}|",
            problem.task_name(a.task),
            problem.node_name(a.node),
            a.start,
            a.finish,
            bar
        );
    }
    let _ = writeln!(out, "makespan {}", schedule.makespan());
    out
}
