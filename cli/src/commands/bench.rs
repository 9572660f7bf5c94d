//! `dagplan bench DIR... --solver NAME,...`: the research harness over whole benchmark sets.
//!
//! Every schedule is verified and checked against the set's known bounds (a failure stops the
//! run: it means a bug); progress goes to standard error (a bar on a terminal, a line every
//! tenth of a set in a log), the summary table (Markdown) to standard output, and `--csv`
//! gets one row per instance and solver as the run goes.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use dagplan::io::read_problem;
use dagplan_cli::harness::report::{CSV_HEADER, csv_record, human_time, summary_table};
use dagplan_cli::harness::{self, InstanceSet, Record, Summary, file_name, run_instance};
use indicatif::{ProgressBar, ProgressStyle};

use super::solvers::{Contender, SolverArgs};
use super::{Outcome, emit};

/// `dagplan bench` arguments.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Set directories: every problem file in each (by extension) is an instance; known optima
    /// come from optimum/optimum.csv (or optimum.csv) beside them
    #[arg(value_name = "DIR", required = true, num_args = 1..)]
    dirs: Vec<PathBuf>,
    /// Solvers to run (comma-separated or repeated): names from `dagplan solvers`, all,
    /// greedy/RULE/SCHEME[/POLICY] (one pass) or greedy/all (every rule, both schemes)
    #[arg(long = "solver", value_name = "NAME", required = true, value_delimiter = ',')]
    solvers: Vec<String>,
    #[command(flatten)]
    options: SolverArgs,
    /// Run only the first N selected instances of each set
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Take every K-th instance of each set (in natural order: j301_2 before j301_10)
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    every: u64,
    /// Start at the I-th instance (0-based) of each set
    #[arg(long, value_name = "I", default_value_t = 0)]
    offset: usize,
    /// Run only the instance with this file name (e.g. j3045_2.sm)
    #[arg(long, value_name = "NAME")]
    only: Option<String>,
    /// Skip instances with more than N tasks (as read: PSPLIB and Patterson files count their
    /// two dummy jobs)
    #[arg(long, value_name = "N")]
    max_tasks: Option<usize>,
    /// Write one CSV row per instance and solver to this file
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Print every instance's result and the solver's counters to standard error (for `auto`,
    /// also which member found the plan and which proved the bound)
    #[arg(long)]
    verbose: bool,
}

/// The instances of a set that the selection options keep.
fn select(set: &InstanceSet, args: &BenchArgs) -> Vec<PathBuf> {
    let step = usize::try_from(args.every).unwrap_or(usize::MAX);
    set.instances
        .iter()
        .skip(args.offset)
        .step_by(step)
        .filter(|path| args.only.as_ref().is_none_or(|only| file_name(path) == *only))
        .take(args.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect()
}

/// The CSV file, written row by row.
struct Csv {
    path: PathBuf,
    writer: csv::Writer<File>,
}

impl Csv {
    fn create(path: &Path) -> Result<Self, String> {
        let error = |e: csv::Error| format!("cannot write {}: {e}", path.display());
        let mut writer = csv::Writer::from_path(path).map_err(error)?;
        writer.write_record(CSV_HEADER).map_err(error)?;
        Ok(Self { path: path.to_owned(), writer })
    }

    fn write(&mut self, record: &Record) -> Result<(), String> {
        let error = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", self.path.display());
        self.writer.write_record(csv_record(record)).map_err(|e| error(&e))?;
        self.writer.flush().map_err(|e| error(&e))
    }
}

/// Runs `dagplan bench`.
pub fn run(args: &BenchArgs) -> Outcome {
    let contenders = args.options.build(&args.solvers)?;
    let sets = args.dirs.iter().map(InstanceSet::load).collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    let selected: Vec<Vec<PathBuf>> = sets.iter().map(|set| select(set, args)).collect();
    let total: usize = selected.iter().map(Vec::len).sum();
    if total == 0 {
        return Err(match &args.only {
            Some(only) => format!("no instance named `{only}` among the selected instances of the sets"),
            None => "no instance selected (see --offset, --every, --limit)".into(),
        });
    }
    let mut csv = args.csv.as_deref().map(Csv::create).transpose()?;

    let bar = ProgressBar::new((total * contenders.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed_precise} (eta {eta}) {msg}")
            .map_err(|e| format!("internal error: progress bar template: {e}"))?,
    );
    let mut summaries = Vec::new();
    let mut skipped = 0usize;
    for (set, instances) in sets.iter().zip(&selected) {
        let mut records: Vec<Vec<Record>> = contenders.iter().map(|_| Vec::new()).collect();
        for (i, path) in instances.iter().enumerate() {
            let name = file_name(path);
            let problem = read_problem(path).map_err(|e| e.to_string())?;
            if args.max_tasks.is_some_and(|max| problem.task_count() > max) {
                skipped += 1;
                bar.inc(contenders.len() as u64);
                continue;
            }
            let step = (instances.len() / 10).max(1);
            if bar.is_hidden() && (i % step == 0 || i + 1 == instances.len()) {
                eprintln!("[{} {}/{}] {name}", set.name, i + 1, instances.len());
            }
            for (contender, out) in contenders.iter().zip(&mut records) {
                bar.set_message(format!("{}/{name} {}", set.name, contender.label));
                let record = solve_one(contender, set, &name, &problem)?;
                if args.verbose {
                    say(&bar, &describe(&record));
                }
                if let Some(csv) = &mut csv {
                    csv.write(&record)?;
                }
                out.push(record);
                bar.inc(1);
            }
        }
        for rows in records.iter().filter(|rows| !rows.is_empty()) {
            let s = Summary::of(rows);
            say(
                &bar,
                &format!(
                    "{}: {} on {} instances, {} at the known optimum, {} failed, {} in total",
                    s.set,
                    s.solver,
                    s.instances,
                    s.at_optimum,
                    s.failed,
                    human_time(s.total_time.as_secs_f64())
                ),
            );
            summaries.push(s);
        }
    }
    bar.finish_and_clear();
    if skipped > 0 {
        eprintln!("{skipped} instance(s) skipped: more than {} tasks", args.max_tasks.unwrap_or(0));
    }
    emit(&format!("{}\n\n{}", heading(args, &contenders), summary_table(&summaries)));
    if let Some(csv) = &csv {
        eprintln!("per-instance results written to {}", csv.path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn solve_one(
    contender: &Contender,
    set: &InstanceSet,
    name: &str,
    problem: &dagplan::Problem,
) -> Result<Record, String> {
    run_instance(&set.name, name, problem, contender.solver.as_ref(), &contender.label, set.optimum(name))
        .map_err(|e| format!("{}: {e}", set.dir.join(name).display()))
}

/// A line on standard error that does not break the progress bar.
fn say(bar: &ProgressBar, line: &str) {
    if bar.is_hidden() {
        eprintln!("{line}");
    } else {
        bar.println(line);
    }
}

/// One instance's result, for `--verbose`.
fn describe(record: &Record) -> String {
    let what = match &record.outcome {
        harness::Outcome::Solved { makespan, lower_bound, status } => {
            format!("{makespan} ({status}, bound {lower_bound})")
        }
        harness::Outcome::Failed(e) => format!("no schedule: {e}"),
    };
    let (found_by, proved_by) = record.credits;
    let credits = [("found_by", found_by), ("proved_by", proved_by)];
    let counters: Vec<String> = record
        .counters
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .chain(credits.iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))))
        .collect();
    format!(
        "{}/{} {}: {what} in {} {}",
        record.set,
        record.instance,
        record.solver,
        human_time(record.elapsed.as_secs_f64()),
        counters.join(" ")
    )
}

/// The line above the table: solvers, limit, threads.
fn heading(args: &BenchArgs, contenders: &[Contender]) -> String {
    let options = args.options.options();
    let limit = options.time_limit.map_or_else(|| "none".to_owned(), |l: Duration| format!("{} s", l.as_secs_f64()));
    let threads = if options.threads == 0 { "all".to_owned() } else { options.threads.to_string() };
    let names: Vec<&str> = contenders.iter().map(|c| c.label.as_str()).collect();
    format!("solvers {}; time limit {limit} per instance; threads {threads}", names.join(", "))
}
