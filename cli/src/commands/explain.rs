//! `dagplan explain PROBLEM`: what limits the makespan before any solver runs: the critical
//! path, each task's slack, and every lower bound with the one that binds.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;
use dagplan::{Cpm, LowerBounds, Problem, Time};

use super::input::ProblemArgs;
use super::{Outcome, emit};

/// `dagplan explain` arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    problem: ProblemArgs,
}

/// Every lower bound of the problem by name: the critical path, the energy bound of each
/// resource, the one-node bound of pinned tasks.
pub fn named_bounds(problem: &Problem) -> Vec<(String, Time)> {
    let bounds = LowerBounds::compute(problem);
    let mut named = vec![("critical path".to_owned(), bounds.critical_path)];
    for (resource, energy) in problem.resources().iter().zip(&bounds.energy) {
        named.push((format!("energy of {resource}"), *energy));
    }
    named.push(("tasks pinned to one node".to_owned(), bounds.pinned));
    named
}

/// The bounds as one line: `critical path 18, energy of R1 7, ...`.
pub fn bounds_line(bounds: &[(String, Time)]) -> String {
    bounds.iter().map(|(name, value)| format!("{name} {value}")).collect::<Vec<_>>().join(", ")
}

/// Runs `dagplan explain`.
pub fn run(args: &ExplainArgs) -> Outcome {
    let problem = args.problem.read()?;
    let cpm = Cpm::analyze(&problem);
    let mut out = format!("{}\n\n", args.problem.describe(&problem));

    let path: Vec<&str> = cpm.critical_path().iter().map(|&t| problem.task_name(t)).collect();
    let _ = writeln!(
        out,
        "Critical path (length {}, shortest durations, transfer delays only where unavoidable):\n  {}\n",
        cpm.length(),
        if path.is_empty() { "(no tasks)".to_owned() } else { path.join(" -> ") }
    );

    let deadlines = problem.has_deadlines();
    let width = problem.tasks().map(|t| problem.task_name(t).len()).max().unwrap_or(0).max(4);
    let _ = write!(
        out,
        "{:<width$}  {:>8}  {:>14}  {:>12}  {:>8}  {:>8}",
        "task", "duration", "earliest start", "latest start", "slack", "critical"
    );
    let _ = writeln!(out, "{}", if deadlines { "  latest finish (deadlines)" } else { "" });
    for task in problem.tasks() {
        let due = match cpm.due(task) {
            Some(due) if deadlines => format!("  {due:>26}"),
            _ if deadlines => format!("  {:>26}", "–"),
            _ => String::new(),
        };
        let row = format!(
            "{:<width$}  {:>8}  {:>14}  {:>12}  {:>8}  {:>8}{due}",
            problem.task_name(task),
            cpm.duration(task),
            cpm.earliest_start(task),
            cpm.latest_start(task),
            cpm.slack(task),
            if cpm.is_critical(task) { "yes" } else { "" }
        );
        let _ = writeln!(out, "{}", row.trim_end());
    }
    let _ = writeln!(
        out,
        "\n(slack: how much later than its earliest start a task may start without delaying the end{}, \
         resources ignored)\n",
        if deadlines { " or missing a deadline" } else { "" }
    );

    let bounds = named_bounds(&problem);
    let best = bounds.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let _ = writeln!(out, "Lower bounds on the makespan (no plan is shorter than any of them):");
    let name_width = bounds.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, value) in &bounds {
        let _ = writeln!(out, "  {name:<name_width$}  {value:>8}{}", if *value == best { "  binds" } else { "" });
    }
    let binding: Vec<&str> = bounds.iter().filter(|(_, v)| *v == best).map(|(n, _)| n.as_str()).collect();
    let _ = writeln!(out, "best lower bound {best}, from the {}", binding.join(" and the "));
    if let Some((task, earliest, latest)) = cpm.deadline_conflict() {
        let _ = writeln!(
            out,
            "\nNo plan meets every deadline: {} finishes at {earliest} at the earliest but must finish by {latest}",
            problem.task_name(task)
        );
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}
