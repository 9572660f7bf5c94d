//! The research harness on the command line: run solvers over whole benchmark sets and print
//! the figures the literature reports, per set and solver.
//!
//! ```text
//! cargo run --release -p dagplan-cli --example benchmark -- --solver NAME[,NAME...] [--time-limit S]
//!     [--threads N] [--seed N] [--limit N] [--csv out.csv] DIR...
//! ```
//!
//! Each DIR is a set: every problem file in it (by extension) is an instance, and its known
//! optima are read from `optimum/optimum.csv` beside the files. Every schedule is verified
//! and checked against the known bounds; a failure stops the run with an error (exit code 2).
//! Progress goes to stderr; the summary table (Markdown) to stdout; `--csv` writes one row
//! per instance and solver as the run goes. `--limit N` runs only the first N instances of
//! each set (natural order), for a quick look. `--solver all` runs every registered solver.
//!
//! The metrics are described in `dagplan_cli::harness::metrics`.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use dagplan::io::read_problem;
use dagplan::{SolveOptions, solver_by_name, solver_names};
use dagplan_cli::harness::report::{CSV_HEADER, csv_row, human_time, summary_table};
use dagplan_cli::harness::{InstanceSet, Record, Summary, file_name, run_instance};

const USAGE: &str = "usage: benchmark --solver NAME[,NAME...]|all [--time-limit S] [--threads N] [--seed N] \
[--limit N] [--csv out.csv] DIR...";

struct Args {
    solvers: Vec<String>,
    options: SolveOptions,
    limit: Option<usize>,
    csv: Option<PathBuf>,
    dirs: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut solvers = Vec::new();
    let mut options = SolveOptions::default();
    let (mut limit, mut csv, mut dirs) = (None, None, Vec::new());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--solver" | "--solvers" => {
                let list = value("--solver")?;
                if list == "all" {
                    solvers.extend(solver_names().iter().map(|s| (*s).to_owned()));
                } else {
                    solvers.extend(list.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
                }
            }
            "--time-limit" => {
                options = options.time_limit(dagplan_cli::harness::parse_seconds(&value("--time-limit")?)?)
            }
            "--threads" => {
                options = options.threads(dagplan_cli::harness::parse_count(&value("--threads")?, "--threads")?)
            }
            "--seed" => options = options.seed(dagplan_cli::harness::parse_count(&value("--seed")?, "--seed")? as u64),
            "--limit" => limit = Some(dagplan_cli::harness::parse_count(&value("--limit")?, "--limit")?),
            "--csv" => csv = Some(PathBuf::from(value("--csv")?)),
            "-h" | "--help" => return Err(USAGE.into()),
            other if other.starts_with("--") => return Err(format!("unknown option {other}\n{USAGE}")),
            other => dirs.push(PathBuf::from(other)),
        }
    }
    if solvers.is_empty() {
        return Err(format!("no --solver given (known: {})\n{USAGE}", solver_names().join(", ")));
    }
    if dirs.is_empty() {
        return Err(format!("no set directory given\n{USAGE}"));
    }
    Ok(Args { solvers, options, limit, csv, dirs })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut solvers = Vec::new();
    for name in &args.solvers {
        let solver = solver_by_name(name, &args.options).map_err(|e| e.to_string())?;
        solvers.push(solver);
    }
    let sets = args.dirs.iter().map(InstanceSet::load).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    let mut csv = match &args.csv {
        Some(path) => {
            let mut w = BufWriter::new(File::create(path).map_err(|e| format!("{}: {e}", path.display()))?);
            writeln!(w, "{CSV_HEADER}").map_err(|e| e.to_string())?;
            Some((path, w))
        }
        None => None,
    };

    // On a terminal, one progress line rewritten in place; in a log, a line every tenth of a set.
    let terminal = std::io::stderr().is_terminal();
    let mut summaries = Vec::new();
    for set in &sets {
        let count = args.limit.unwrap_or(usize::MAX).min(set.instances.len());
        let instances = set.instances.get(..count).unwrap_or(&[]);
        let mut records: Vec<Vec<Record>> = vec![Vec::new(); solvers.len()];
        for (i, path) in instances.iter().enumerate() {
            let name = file_name(path);
            let problem = read_problem(path).map_err(|e| e.to_string())?;
            let optimum = set.optimum(&name);
            let step = (instances.len() / 10).max(1);
            if !terminal && (i % step == 0 || i + 1 == instances.len()) {
                eprintln!("[{} {}/{}] {name}", set.name, i + 1, instances.len());
            }
            for (solver, out) in solvers.iter().zip(&mut records) {
                if terminal {
                    eprint!("\r\x1b[K[{} {}/{}] {name} {}", set.name, i + 1, instances.len(), solver.name());
                }
                let record = run_instance(&set.name, &name, &problem, solver.as_ref(), optimum)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if let Some((csv_path, w)) = &mut csv {
                    writeln!(w, "{}", csv_row(&record))
                        .and_then(|()| w.flush())
                        .map_err(|e| format!("{}: {e}", csv_path.display()))?;
                }
                out.push(record);
            }
        }
        if terminal {
            eprint!("\r\x1b[K");
        }
        for rows in &records {
            let summary = Summary::of(rows);
            eprintln!(
                "{}: {} on {} instances, {} at the known optimum, {} failed, {} in total",
                summary.set,
                summary.solver,
                summary.instances,
                summary.at_optimum,
                summary.failed,
                human_time(summary.total_time.as_secs_f64())
            );
            summaries.push(summary);
        }
    }
    let limit = args.options.time_limit.map_or_else(|| "none".to_owned(), |l| format!("{} s", l.as_secs_f64()));
    let threads = if args.options.threads == 0 { "all".to_owned() } else { args.options.threads.to_string() };
    let header = format!("solvers {}; time limit {limit} per instance; threads {threads}\n\n", args.solvers.join(", "));
    // One write: a closed pipe (`| head`) is then not a panic.
    let _ = std::io::stdout().write_all(format!("{header}{}\n", summary_table(&summaries)).as_bytes());
    if let Some((path, _)) = &csv {
        eprintln!("per-instance results written to {}", path.display());
    }
    Ok(())
}
