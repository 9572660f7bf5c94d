//! `dagplan solve PROBLEM`: plan one problem with one solver; print the solver's row, the
//! bounds and the gap, a portfolio's members (who found the plan, who proved the bound), and a
//! text Gantt chart; write the result document and an SVG.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dagplan::{ResultDocument, SolveError, Status, SvgOptions, svg_gantt, text_gantt};
use dagplan_cli::harness::report::{members_table, solver_header, solver_row};
use dagplan_cli::harness::{deviation_percent, file_name, find_optima};

use super::explain::{bounds_line, named_bounds};
use super::input::ProblemArgs;
use super::solvers::SolverArgs;
use super::{Outcome, answer_no, emit, write_file};

/// `dagplan solve` arguments.
#[derive(Debug, Args)]
pub struct SolveArgs {
    #[command(flatten)]
    problem: ProblemArgs,
    /// The solver: a name from `dagplan solvers`, or greedy/RULE/SCHEME[/POLICY] for one
    /// list-scheduling pass
    #[arg(long, value_name = "NAME", default_value = "greedy")]
    solver: String,
    #[command(flatten)]
    options: SolverArgs,
    /// Write the result document (schedule, makespan, lower bound, gap, status, solver,
    /// options, statistics; JSON, "version": 1)
    #[arg(long, value_name = "RESULT.json")]
    out: Option<PathBuf>,
    /// Draw the plan as an SVG Gantt chart (a lane per node, tasks as tall as their share of
    /// it, usage profiles, the critical path)
    #[arg(long, value_name = "PLAN.svg")]
    svg: Option<PathBuf>,
    /// Width of the text Gantt chart, in characters
    #[arg(long, value_name = "N", default_value_t = 60)]
    width: usize,
}

/// Runs `dagplan solve`.
pub fn run(args: &SolveArgs) -> Outcome {
    let problem = args.problem.read()?;
    let contenders = args.options.build(std::slice::from_ref(&args.solver))?;
    let [contender] = contenders.as_slice() else {
        return Err(format!("`{}`: solve runs one solver (compare several with `dagplan bench`)", args.solver));
    };
    let (label, solver) = (&contender.label, &contender.solver);
    // Printed at the end in one write.
    let mut out = format!("{}\n\n", args.problem.describe(&problem));

    let solution = match solver.schedule(&problem) {
        Ok(solution) => solution,
        Err(e @ SolveError::DeadlinesMissed(_)) => {
            emit(&out);
            eprintln!("{label}: {e}");
            return Ok(answer_no());
        }
        Err(e) => return Err(format!("{label}: {e}")),
    };
    let document = ResultDocument::new(&problem, label, &solution, &args.options.options());
    if solution.status == Status::Infeasible {
        if let Some(path) = &args.out {
            write_file(path, &(document.to_json() + "\n"))?;
        }
        let _ = writeln!(out, "{label} proved that no plan meets every deadline.");
        if let Some((task, earliest, latest)) = dagplan::deadline_conflict(&problem) {
            let _ = writeln!(
                out,
                "{} finishes at {earliest} at the earliest (around downtime) but must finish by {latest}",
                problem.task_name(task)
            );
        }
        if let Some(path) = &args.out {
            let _ = writeln!(out, "result written to {}", path.display());
        }
        emit(&out);
        return Ok(answer_no());
    }
    solution
        .schedule
        .verify(&problem)
        .map_err(|e| format!("internal error: {label}'s plan fails verification (please report it): {e}"))?;

    let _ = writeln!(out, "{}\n{}\n", solver_header(), solver_row(label, &solution));
    let _ = writeln!(
        out,
        "lower bound {} (proven; the problem's bounds: {}); gap {:.2}%",
        solution.lower_bound,
        bounds_line(&named_bounds(&problem)),
        100.0 * solution.gap()
    );
    let optimum = args
        .problem
        .file
        .parent()
        .and_then(|dir| find_optima(dir).ok().flatten())
        .and_then(|optima| optima.get(&file_name(&args.problem.file)));
    if let Some(optimum) = optimum {
        let deviation = deviation_percent(solution.makespan(), optimum.upper).unwrap_or(0.0);
        let what = if optimum.is_known() { "known optimum" } else { "best known bounds" };
        let _ = writeln!(out, "{what} {optimum}: {deviation:.2}% above the best known makespan");
    }
    if let Some(members) = members_table(&solution.stats) {
        let _ = writeln!(out, "\n{members}");
    }
    let _ = writeln!(out, "\n{}", text_gantt(&problem, &solution.schedule, args.width));

    if let Some(path) = &args.out {
        write_file(path, &(document.to_json() + "\n"))?;
    }
    if let Some(path) = &args.svg {
        let options = SvgOptions::default().lower_bound(solution.lower_bound);
        let svg = svg_gantt(&problem, &solution.schedule, &options).map_err(|e| e.to_string())?;
        write_file(path, &svg)?;
        let _ = writeln!(out, "SVG Gantt chart written to {}", path.display());
    }
    if let Some(path) = &args.out {
        let _ = writeln!(out, "result written to {}", path.display());
    }
    emit(&out);
    Ok(ExitCode::SUCCESS)
}
