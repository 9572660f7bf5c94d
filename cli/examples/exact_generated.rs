//! The exact solvers on generated multi-node instances of the full model (several nodes with
//! cpu, memory and gpu, eligibility lists, per-node durations, transfer delays): proven
//! counts, and a cross-check that every solver's proven optimum is the same and that no
//! solver's bound exceeds another's makespan. Every schedule is verified.
//!
//! ```text
//! cargo run --release -p dagplan-cli --example exact_generated -- --solvers cp,dp,ilp --count 20 --limit 10
//! ```
//!
//! Options: `--solvers A,B,..` (registered names; default `cp,dp,ilp`), `--count N` instances
//! (seeds 1..=N, default 20), `--tasks N` (30), `--nodes N` (6), `--limit S` (seconds per
//! solve, 10), `--threads N` (2). One CSV line per instance and solver on stdout, a summary
//! per solver at the end; exit code 1 on a disagreement.

use std::time::Duration;

use dagplan::{Generator, SolveOptions, Status, solver_by_name};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let solvers: Vec<String> =
        flag("--solvers").unwrap_or_else(|| "cp,dp,ilp".into()).split(',').map(str::to_owned).collect();
    let count: u64 = flag("--count").map_or(Ok(20), |v| v.parse())?;
    let tasks: usize = flag("--tasks").map_or(Ok(30), |v| v.parse())?;
    let nodes: usize = flag("--nodes").map_or(Ok(6), |v| v.parse())?;
    let limit: f64 = flag("--limit").map_or(Ok(10.0), |v| v.parse())?;
    let threads: usize = flag("--threads").map_or(Ok(2), |v| v.parse())?;
    let options = SolveOptions::default().time_limit(Duration::from_secs_f64(limit)).threads(threads);
    // Per solver: proven, time.
    let mut totals = vec![(0usize, 0.0f64); solvers.len()];
    let mut disagreements = 0usize;
    println!("seed,solver,makespan,bound,status,seconds");
    for seed in 1..=count {
        let problem = Generator {
            tasks,
            nodes,
            resources: 3,
            dependencies: 1.5,
            window: 8,
            tightness: 0.6,
            max_duration: 10,
            eligibility: 0.3,
            heterogeneity: 0.3,
            max_delay: 4,
            seed,
        }
        .generate()?;
        let mut results = Vec::new();
        for (name, total) in solvers.iter().zip(&mut totals) {
            let solution = solver_by_name(name, &options)?.schedule(&problem)?;
            solution.schedule.verify(&problem).map_err(|e| format!("seed {seed}, {name}: {e}"))?;
            let secs = solution.stats.elapsed.as_secs_f64();
            println!("{seed},{name},{},{},{},{secs:.3}", solution.makespan(), solution.lower_bound, solution.status);
            total.0 += usize::from(solution.status == Status::Optimal);
            total.1 += secs;
            results.push((name, solution));
        }
        for (a, x) in &results {
            for (b, y) in &results {
                let same_optimum =
                    x.status != Status::Optimal || y.status != Status::Optimal || x.makespan() == y.makespan();
                if x.lower_bound > y.makespan() || !same_optimum {
                    eprintln!(
                        "seed {seed}: {a} (bound {}, makespan {}) disagrees with {b} (bound {}, makespan {})",
                        x.lower_bound,
                        x.makespan(),
                        y.lower_bound,
                        y.makespan()
                    );
                    disagreements += 1;
                }
            }
        }
    }
    for (name, (proven, time)) in solvers.iter().zip(&totals) {
        println!("# {name}: {proven}/{count} proven optimal, mean time {:.2}s", time / count.max(1) as f64);
    }
    println!("# {disagreements} disagreements ({tasks} tasks x {nodes} nodes, limit {limit} s, {threads} threads)");
    if disagreements > 0 {
        std::process::exit(1);
    }
    Ok(())
}
