//! Plans every WfCommons trace of a folder onto a stated cluster and prints a Markdown table:
//! tasks, the recorded makespan, the plan's makespan and proven lower bound per solver, the
//! gap to the bound and the change against the recorded run.
//!
//! ```sh
//! cargo run --release --example wfcommons -- ../shared/data/wfcommons
//! cargo run --release --example wfcommons -- ../shared/data/wfcommons --cluster data/kubernetes/nodes.json \
//!     --bandwidth 125000000 --solvers greedy,search
//! ```
//!
//! Default cluster: 4 nodes of 16 cores and 64 GiB (`cpu: "16"`, `memory: "64Gi"`); default
//! bandwidth 125,000,000 bytes/s (1 Gbit/s); durations in seconds (rounded up).

use std::error::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dagplan::io::read_cluster;
use dagplan::io::wfcommons::{WfCommonsOptions, read_wfcommons};
use dagplan::{NodeSpec, SolveOptions, solver_by_name};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("../shared/data/wfcommons");
    let mut cluster: Option<PathBuf> = None;
    let mut bandwidth: u64 = 125_000_000;
    let mut solvers = vec!["greedy".to_owned()];
    let mut limit = Duration::from_secs(5);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--cluster" => cluster = Some(PathBuf::from(value()?)),
            "--bandwidth" => bandwidth = value()?.parse()?,
            "--solvers" => solvers = value()?.split(',').map(str::to_owned).collect(),
            "--time-limit" => limit = Duration::from_secs_f64(value()?.parse()?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}").into()),
            _ => dir = PathBuf::from(arg),
        }
    }
    let nodes = match &cluster {
        Some(path) => read_cluster(path)?,
        None => (1..=4)
            .map(|i| {
                NodeSpec::new(format!("node-{i}")).capacity_quantity("cpu", "16").capacity_quantity("memory", "64Gi")
            })
            .collect(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let options = WfCommonsOptions::default().bandwidth(bandwidth);
    println!(
        "| workflow | tasks | recorded (s) | solver | makespan (s) | lower bound (s) | gap to bound | vs recorded | time |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|");
    for path in files {
        let trace = read_wfcommons(&path, &options)?;
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let tasks = trace.spec.tasks.len();
        let problem = match trace.spec.on_cluster(nodes.clone()).build() {
            Ok(problem) => problem,
            Err(e) => {
                println!("| {name} | {tasks} | | | not plannable on this cluster: {e} | | | | |");
                continue;
            }
        };
        let recorded = trace.recorded_makespan.unwrap_or(f64::NAN);
        for solver in &solvers {
            let scheduler = solver_by_name(solver, &SolveOptions::default().time_limit(limit).threads(1))?;
            let started = Instant::now();
            let solution = scheduler.schedule(&problem)?;
            let time = started.elapsed();
            solution.schedule.verify(&problem)?;
            let makespan = solution.makespan();
            let gap =
                if makespan == 0 { 0.0 } else { 100.0 * (makespan - solution.lower_bound) as f64 / makespan as f64 };
            let change = 100.0 * (makespan as f64 - recorded) / recorded;
            println!(
                "| {name} | {tasks} | {recorded} | {solver} | {makespan} | {} | {gap:.1} % | {change:+.1} % | {:.2} s |",
                solution.lower_bound,
                time.as_secs_f64()
            );
        }
    }
    Ok(())
}
