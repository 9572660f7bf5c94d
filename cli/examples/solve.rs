//! Solve one problem file with one solver: prints the solver table row, the lower bounds and
//! gap, the deviation from the set's known optimum when there is one, and a text Gantt chart;
//! writes the schedule as JSON. The schedule is verified before anything is printed.
//!
//! ```text
//! cargo run --release -p dagplan-cli --example solve -- [--solver NAME] [--time-limit S] [--threads N]
//!     [--seed N] [--out schedule.json] [--format json|sm|rcp|jss|fjs] [--width N] FILE
//! ```
//!
//! FILE is JSON or any benchmark format (by extension, or `--format`). Solvers are looked up
//! by name in the registry (`dagplan::solver_names()`); the default is `greedy` when
//! registered, else `critical-path`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use dagplan::LowerBounds;
use dagplan::io::{Format, read_problem, read_problem_as};
use dagplan::{SolveOptions, solver_by_name, solver_names, text_gantt};
use dagplan_cli::harness::report::{solver_header, solver_row};
use dagplan_cli::harness::{deviation_percent, file_name, find_optima};

const USAGE: &str = "usage: solve [--solver NAME] [--time-limit S] [--threads N] [--seed N] [--out FILE.json] \
[--format json|sm|rcp|jss|fjs] [--width N] FILE";

struct Args {
    solver: String,
    options: SolveOptions,
    out: Option<PathBuf>,
    format: Option<Format>,
    width: usize,
    file: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let default_solver = if solver_names().contains(&"greedy") { "greedy" } else { "critical-path" };
    let mut solver = default_solver.to_owned();
    let mut options = SolveOptions::default();
    let (mut out, mut format, mut width, mut file) = (None, None, 60, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--solver" => solver = value("--solver")?,
            "--time-limit" => {
                options = options.time_limit(dagplan_cli::harness::parse_seconds(&value("--time-limit")?)?)
            }
            "--threads" => {
                options = options.threads(dagplan_cli::harness::parse_count(&value("--threads")?, "--threads")?)
            }
            "--seed" => options = options.seed(dagplan_cli::harness::parse_count(&value("--seed")?, "--seed")? as u64),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--format" => format = Some(value("--format")?.parse::<Format>().map_err(|e| e.to_string())?),
            "--width" => width = dagplan_cli::harness::parse_count(&value("--width")?, "--width")?,
            "-h" | "--help" => return Err(USAGE.into()),
            other if other.starts_with("--") => return Err(format!("unknown option {other}\n{USAGE}")),
            other if file.is_none() => file = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument {other}: one FILE only\n{USAGE}")),
        }
    }
    let file = file.ok_or_else(|| format!("no FILE given\n{USAGE}"))?;
    Ok(Args { solver, options, out, format, width, file })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    // Printed at the end in one write: a closed pipe (`| head`) is then not a panic.
    let mut out = String::new();
    let problem = match args.format {
        Some(format) => read_problem_as(&args.file, format),
        None => read_problem(&args.file),
    }
    .map_err(|e| e.to_string())?;
    let solver = solver_by_name(&args.solver, &args.options).map_err(|e| e.to_string())?;
    let _ = writeln!(
        out,
        "{}: {} tasks, {} node(s), {} dependencies, resources {:?}\n",
        args.file.display(),
        problem.task_count(),
        problem.node_count(),
        problem.dependency_count(),
        problem.resources()
    );

    let solution = solver.schedule(&problem).map_err(|e| format!("{}: {e}", solver.name()))?;
    solution.schedule.verify(&problem).map_err(|e| format!("{}: {e}", solver.name()))?;
    let _ = writeln!(out, "{}\n{}\n", solver_header(), solver_row(solver.name(), &solution));

    let bounds = LowerBounds::compute(&problem);
    let _ = writeln!(
        out,
        "lower bound {} (critical path {}, energy {:?}, pinned {}); gap {:.2}%",
        solution.lower_bound,
        bounds.critical_path,
        bounds.energy,
        bounds.pinned,
        100.0 * solution.gap()
    );
    let optimum = args
        .file
        .parent()
        .and_then(|dir| find_optima(dir).ok().flatten())
        .and_then(|optima| optima.get(&file_name(&args.file)));
    if let Some(optimum) = optimum {
        let dev = deviation_percent(solution.makespan(), optimum.upper).unwrap_or(0.0);
        let what = if optimum.is_known() { "known optimum" } else { "best known bounds" };
        let _ = writeln!(out, "{what} {optimum}: deviation from the best known makespan {dev:.2}%");
    }
    let _ = writeln!(out, "\n{}", text_gantt(&problem, &solution.schedule, args.width));

    if let Some(path) = &args.out {
        std::fs::write(path, solution.schedule.to_json(&problem) + "\n")
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = writeln!(out, "schedule written to {}", path.display());
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(())
}
