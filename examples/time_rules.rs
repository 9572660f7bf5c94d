//! `search` against `greedy` on generated workflows with time rules: release dates, deadlines,
//! fixed tasks and node downtime. Every plan is verified; the summary gives, per solver, the
//! mean makespan above the proven lower bound (over the instances where both found a plan),
//! how many instances it met every deadline on, and its mean wall time.
//!
//! ```text
//! cargo run --release --no-default-features --example time_rules -- [--instances 20] [--tasks 60]
//!     [--nodes 4] [--schedules 20000] [--time-limit S] [--threads 2]
//! ```
//!
//! Instance `k` (seeds 1..=instances) is `Generator::tight_workflow(tasks, nodes, k)` with, on
//! top: a release date on 20 % of the tasks (up to a third of a reference plan's makespan),
//! one downtime window on half of the nodes (a twentieth to a tenth of the reference makespan
//! long), two tasks without predecessors fixed where a reference plan runs them, and a
//! deadline on 25 % of the tasks at their finish in that reference plan. The reference plan is
//! one seeded random-priority pass of `greedy` on the instance with releases and downtime, so
//! it meets every deadline: each instance has a plan that meets them all. `search` runs with
//! the schedule budget (reproducible, load-independent) and, with `--time-limit`, also for that
//! many seconds.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use dagplan::{
    FixedSpec, Generator, Greedy, Policy, Problem, Rule, Scheduler, Scheme, Search, SolveError, SolveOptions,
    SplitMix64, TaskId, WindowSpec,
};

const USAGE: &str = "usage: time_rules [--instances N] [--tasks N] [--nodes N] [--schedules N] [--time-limit S] \
[--threads N]";

struct Args {
    instances: u64,
    tasks: usize,
    nodes: usize,
    schedules: u64,
    time_limit: Option<f64>,
    threads: usize,
}

fn number<T: std::str::FromStr>(name: &str, value: Option<String>) -> Result<T, String> {
    let text = value.ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
    text.parse().map_err(|_| format!("{name}: cannot read `{text}`\n{USAGE}"))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { instances: 20, tasks: 60, nodes: 4, schedules: 20_000, time_limit: None, threads: 2 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--instances" => args.instances = number(&arg, it.next())?,
            "--tasks" => args.tasks = number(&arg, it.next())?,
            "--nodes" => args.nodes = number(&arg, it.next())?,
            "--schedules" => args.schedules = number(&arg, it.next())?,
            "--time-limit" => args.time_limit = Some(number(&arg, it.next())?),
            "--threads" => args.threads = number(&arg, it.next())?,
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(args)
}

/// The workflow of seed `seed` with time rules (see the module docs).
fn instance(tasks: usize, nodes: usize, seed: u64) -> Result<Problem, Box<dyn std::error::Error>> {
    let mut spec = Generator::tight_workflow(tasks, nodes, seed).spec();
    let mut rng = SplitMix64::new(seed ^ 0x7135);
    // A first reference plan sets the time scale of releases and windows.
    let scale = reference(&spec.clone().build()?, seed)?.makespan().max(10);
    for task in &mut spec.tasks {
        if rng.chance(0.2) {
            task.release = rng.below(scale / 3);
        }
    }
    for node in &mut spec.nodes {
        if rng.chance(0.5) {
            let from = rng.below(scale);
            node.unavailable.push(WindowSpec { from, to: from + scale / 20 + rng.below(scale / 20 + 1) });
        }
    }
    let problem = spec.clone().build()?;
    let plan = reference(&problem, seed)?;
    let roots: Vec<TaskId> = problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).collect();
    for _ in 0..2 {
        let Some(&t) = roots.get(rng.below(roots.len() as u64) as usize) else { break };
        let Some(a) = plan.assignments().iter().find(|a| a.task == t) else { continue };
        let node = problem.node_name(a.node).to_owned();
        if let Some(task) = spec.tasks.get_mut(t.index()) {
            task.fixed = Some(FixedSpec { node, start: a.start });
        }
    }
    for a in plan.assignments() {
        if rng.chance(0.25)
            && let Some(task) = spec.tasks.get_mut(a.task.index())
        {
            task.deadline = Some(a.finish);
        }
    }
    let problem = spec.build()?;
    plan.verify(&problem)?; // the reference plan meets every rule
    Ok(problem)
}

/// One random-priority serial pass: the reference plan.
fn reference(problem: &Problem, seed: u64) -> Result<dagplan::Schedule, SolveError> {
    let pass =
        Greedy::new(SolveOptions::default().seed(seed)).single(Rule::Random, Policy::EarliestFinish, Scheme::Serial);
    Ok(pass.schedule(problem)?.schedule)
}

#[derive(Default)]
struct Tally {
    met: usize,
    /// Per instance: makespan / lower bound - 1, when it met every deadline.
    above: Vec<Option<f64>>,
    time: Duration,
}

fn run_solver(problem: &Problem, solver: &dyn Scheduler, tally: &mut Tally) -> Result<String, String> {
    let started = Instant::now();
    let answer = solver.schedule(problem);
    tally.time += started.elapsed();
    match answer {
        Ok(solution) => {
            solution.schedule.verify(problem).map_err(|e| format!("{}: {e}", solver.name()))?;
            let bound = dagplan::lower_bound(problem).max(1);
            tally.met += 1;
            tally.above.push(Some(solution.makespan() as f64 / bound as f64 - 1.0));
            Ok(format!("{:>6}", solution.makespan()))
        }
        Err(SolveError::DeadlinesMissed(missed)) => {
            tally.above.push(None);
            Ok(format!("{:>6}", format!("late{}", missed.len())))
        }
        Err(e) => Err(format!("{}: {e}", solver.name())),
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let options = SolveOptions::default().threads(args.threads);
    let mut solvers: Vec<(String, Box<dyn Scheduler>)> = vec![
        ("greedy".into(), Box::new(Greedy::new(options.clone()))),
        (
            format!("search ({} schedules)", args.schedules),
            Box::new(Search::new(options.clone()).schedules(args.schedules)),
        ),
    ];
    if let Some(seconds) = args.time_limit {
        let limit = Duration::try_from_secs_f64(seconds).map_err(|e| format!("--time-limit: {e}"))?;
        solvers.push((format!("search ({seconds} s)"), Box::new(Search::new(options.time_limit(limit)))));
    }
    let mut tallies: Vec<Tally> = solvers.iter().map(|_| Tally::default()).collect();
    eprintln!("seed  bound  {}", solvers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join("  "));
    for seed in 1..=args.instances {
        let problem = instance(args.tasks, args.nodes, seed).map_err(|e| format!("seed {seed}: {e}"))?;
        let mut row = format!("{seed:>4}  {:>5}", dagplan::lower_bound(&problem));
        for ((_, solver), tally) in solvers.iter().zip(&mut tallies) {
            row.push_str("  ");
            row.push_str(&run_solver(&problem, solver.as_ref(), tally)?);
        }
        eprintln!("{row}");
    }
    // The mean over the instances where every solver met the deadlines.
    let n = args.instances as usize;
    let common: Vec<usize> =
        (0..n).filter(|&i| tallies.iter().all(|t| t.above.get(i).is_some_and(Option::is_some))).collect();
    println!("| solver | deadlines met | mean above the lower bound ({} common instances) | mean time |", common.len());
    println!("|---|---|---|---|");
    for ((name, _), tally) in solvers.iter().zip(&tallies) {
        let sum: f64 = common.iter().filter_map(|&i| tally.above.get(i).copied().flatten()).sum();
        let mean = if common.is_empty() { 0.0 } else { 100.0 * sum / common.len() as f64 };
        let time = tally.time.as_secs_f64() / n.max(1) as f64;
        println!("| `{name}` | {}/{n} | {mean:.2} % | {time:.2} s |", tally.met);
    }
    let rescued = (0..n)
        .filter(|&i| {
            let greedy_late = tallies.first().is_some_and(|t| t.above.get(i).is_some_and(Option::is_none));
            let search_met = tallies.get(1).is_some_and(|t| t.above.get(i).is_some_and(Option::is_some));
            greedy_late && search_met
        })
        .count();
    println!("\ngreedy missed a deadline and search (budget) met them all: {rescued} of {n}");
    Ok(())
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
