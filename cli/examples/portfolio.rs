//! The portfolio benchmark: solvers side by side on generated multi-node workflows with tight
//! clusters, at the same time limit and thread count; every schedule verified.
//!
//! ```text
//! cargo run --release -p dagplan-cli --example portfolio -- [--solver auto,dp,ilp] [--time-limit S]
//!     [--threads N] [--instances N] [--tasks N] [--nodes N] [--first-seed N]
//!     [--split lanes|concurrent|improve-only] [--set DIR]
//! ```
//!
//! Instance `k` (seeds `first-seed .. first-seed + instances`) is the crate's generator preset
//! `Generator::tight_workflow` with `tasks` tasks (default 120) on `nodes` nodes (default 4):
//! cpu, memory and gpu, tasks demanding up to 80% of their home node, 30% of them restricted
//! to eligible nodes, 30% faster on one node, transfer delays 0–5, about 1.5 dependencies each. For every solver the
//! summary gives: instances proven optimal, mean % above the best makespan any solver found
//! on the instance in this run, mean proven gap `(makespan − bound) / makespan`, instances
//! where it found the best makespan, and mean wall time; for `auto`, which member found its
//! plan and which proved its bound. Per-instance rows go to stderr. `--split` sets how `auto`
//! shares the threads (`dagplan::Split`); `--set DIR` runs `--instances` problem files of a
//! directory, evenly spaced in name order, instead of generated instances.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use dagplan::Generator;
use dagplan::solver_by_name;
use dagplan::{Auto, Problem, Scheduler, Solution, SolveOptions, Split, Status};

const USAGE: &str = "usage: portfolio [--solver auto,dp,ilp] [--time-limit S] [--threads N] [--instances N] \
[--tasks N] [--nodes N] [--first-seed N] [--split lanes|concurrent|improve-only] [--set DIR]";

struct Args {
    solvers: Vec<String>,
    options: SolveOptions,
    instances: u64,
    tasks: usize,
    nodes: usize,
    first_seed: u64,
    split: Split,
    set: Option<PathBuf>,
}

fn number<T: std::str::FromStr>(name: &str, value: Option<String>) -> Result<T, String> {
    let text = value.ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
    text.parse().map_err(|_| format!("{name}: cannot read `{text}`\n{USAGE}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        solvers: vec!["auto".into(), "dp".into(), "ilp".into()],
        options: SolveOptions::default().time_limit(Duration::from_secs(10)).threads(2),
        instances: 20,
        tasks: 120,
        nodes: 4,
        first_seed: 1,
        split: Split::default(),
        set: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--solver" | "--solvers" => {
                let list: String = number("--solver", it.next())?;
                args.solvers = list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
            }
            "--time-limit" => {
                let seconds: f64 = number("--time-limit", it.next())?;
                let limit = Duration::try_from_secs_f64(seconds).map_err(|e| format!("--time-limit: {e}"))?;
                args.options = args.options.time_limit(limit);
            }
            "--threads" => args.options = args.options.threads(number("--threads", it.next())?),
            "--instances" => args.instances = number("--instances", it.next())?,
            "--tasks" => args.tasks = number("--tasks", it.next())?,
            "--nodes" => args.nodes = number("--nodes", it.next())?,
            "--first-seed" => args.first_seed = number("--first-seed", it.next())?,
            "--split" => {
                let name: String = number("--split", it.next())?;
                args.split = match name.as_str() {
                    "lanes" => Split::Lanes,
                    "concurrent" => Split::Concurrent,
                    "improve-only" => Split::ImproveOnly,
                    _ => return Err(format!("--split: unknown split `{name}`\n{USAGE}")),
                };
            }
            "--set" => args.set = Some(number("--set", it.next())?),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(args)
}

/// The tight multi-node workflow of seed `seed`.
fn instance(tasks: usize, nodes: usize, seed: u64) -> Result<Problem, String> {
    Generator::tight_workflow(tasks, nodes, seed).generate().map_err(|e| format!("seed {seed}: {e}"))
}

#[derive(Default)]
struct Tally {
    proven: usize,
    above_best: Vec<f64>,
    gap: Vec<f64>,
    best: usize,
    time: Duration,
    failed: usize,
    credits: BTreeMap<String, usize>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The instances: generated, or the first files of `--set` in name order.
fn instances(args: &Args) -> Result<Vec<(String, Problem)>, String> {
    let Some(dir) = &args.set else {
        return (args.first_seed..args.first_seed + args.instances)
            .map(|seed| Ok((format!("seed {seed}"), instance(args.tasks, args.nodes, seed)?)))
            .collect();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| dagplan::io::Format::from_path(path).is_some())
        .collect();
    files.sort();
    let step = (files.len() / (args.instances.max(1) as usize)).max(1);
    files
        .iter()
        .step_by(step)
        .take(args.instances as usize)
        .map(|path| {
            let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            Ok((name, dagplan::io::read_problem(path).map_err(|e| format!("{}: {e}", path.display()))?))
        })
        .collect()
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut tallies: Vec<Tally> = args.solvers.iter().map(|_| Tally::default()).collect();
    for (seed, problem) in instances(&args)? {
        let mut results: Vec<Option<Solution>> = Vec::new();
        for name in &args.solvers {
            let solver: Box<dyn Scheduler> = if name == "auto" {
                Box::new(Auto::new(args.options.clone()).split(args.split))
            } else {
                solver_by_name(name, &args.options).map_err(|e| e.to_string())?
            };
            let started = Instant::now();
            let result = solver.schedule(&problem);
            let elapsed = started.elapsed();
            match result {
                Ok(solution) => {
                    solution.schedule.verify(&problem).map_err(|e| format!("{name} on {seed}: {e}"))?;
                    let mut credit = match (solution.stats.found_by, solution.stats.proved_by) {
                        (Some(f), Some(p)) => format!("  found by {f}, bound by {p}"),
                        _ => String::new(),
                    };
                    for m in &solution.stats.members {
                        let end = m.started + m.stats.elapsed;
                        credit.push_str(&format!(
                            "; {} {:.2}-{:.2} s",
                            m.solver,
                            m.started.as_secs_f64(),
                            end.as_secs_f64()
                        ));
                    }
                    eprintln!(
                        "{seed:>10} {name:<8} makespan {:>5} bound {:>5} {:<8} {:>7.2} s{credit}",
                        solution.makespan(),
                        solution.lower_bound,
                        format!("{:?}", solution.status),
                        elapsed.as_secs_f64()
                    );
                    results.push(Some(solution));
                }
                Err(e) => {
                    eprintln!("{seed:>10} {name:<8} error: {e}");
                    results.push(None);
                }
            }
            if let Some(t) = tallies.get_mut(results.len() - 1) {
                t.time += elapsed;
            }
        }
        let best = results.iter().flatten().map(Solution::makespan).min().unwrap_or(0);
        for (tally, result) in tallies.iter_mut().zip(&results) {
            let Some(s) = result else {
                tally.failed += 1;
                continue;
            };
            tally.proven += usize::from(s.status == Status::Optimal);
            tally.best += usize::from(s.makespan() == best);
            if best > 0 {
                tally.above_best.push(100.0 * (s.makespan() - best) as f64 / best as f64);
            }
            tally.gap.push(100.0 * s.gap());
            for (what, who) in [("found", s.stats.found_by), ("bound", s.stats.proved_by)] {
                if let Some(who) = who {
                    *tally.credits.entry(format!("{what} by {who}")).or_default() += 1;
                }
            }
        }
    }
    let mean = |v: &[f64]| if v.is_empty() { f64::NAN } else { v.iter().sum::<f64>() / v.len() as f64 };
    let what = match &args.set {
        Some(dir) => format!("{} instances of {} (evenly spaced)", args.instances, dir.display()),
        None => format!("{} generated instances, {} tasks on {} nodes", args.instances, args.tasks, args.nodes),
    };
    println!(
        "{what}, {:?} per instance, {} threads, auto split {:?}",
        args.options.time_limit.unwrap_or_default(),
        args.options.threads,
        args.split
    );
    println!("\n| solver | proven | % above the run's best | proven gap % | best found | mean time | failed |");
    println!("|---|---|---|---|---|---|---|");
    for (name, t) in args.solvers.iter().zip(&tallies) {
        println!(
            "| {name} | {} | {:.2} | {:.2} | {} | {:.2} s | {} |",
            t.proven,
            mean(&t.above_best),
            mean(&t.gap),
            t.best,
            t.time.as_secs_f64() / args.instances.max(1) as f64,
            t.failed
        );
    }
    for (name, t) in args.solvers.iter().zip(&tallies) {
        if !t.credits.is_empty() {
            let credits: Vec<String> = t.credits.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            println!("\n{name}: {}", credits.join(", "));
        }
    }
    Ok(())
}
