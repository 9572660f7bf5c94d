//! Quality of the greedy solver on PSPLIB: mean deviation from the optimum on j30 for each
//! single rule (serial and parallel scheme, earliest-finish placement, one pass) and for the
//! default portfolio; on j60, mean deviation from the critical-path lower bound.
//!
//! ```text
//! cargo run --release -p dagplan-cli --no-default-features --example psplib_quality            # j30 and j60
//! cargo run --release -p dagplan-cli --no-default-features --example psplib_quality -- j30 20   # first 20 files
//! ```
//!
//! The data is read from `../shared/data/psplib` (or `$DAGPLAN_DATA/psplib`).
//!

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dagplan::{Cpm, Greedy, Policy, Problem, Rule, Scheduler, Scheme};

/// The reference makespan of an instance (optimum or bound), if known.
type Reference<'a> = &'a dyn Fn(&str, &Problem) -> Option<u64>;

/// The best known makespan per instance (the optimum, or the upper end of `a..b`).
fn optima(dir: &Path) -> HashMap<String, u64> {
    let Ok(optima) = dagplan::io::optimum::read(dir.join("optimum/optimum.csv")) else { return HashMap::new() };
    optima.iter().map(|(name, optimum)| (name.to_owned(), optimum.upper)).collect()
}

fn instances(dir: &Path, limit: usize) -> Vec<(String, Problem)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "sm")).collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .take(limit)
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            match dagplan::io::read_problem(&p) {
                Ok(problem) => Some((name, problem)),
                Err(e) => {
                    eprintln!("skipping {name}: {e}");
                    None
                }
            }
        })
        .collect()
}

/// Mean percentage deviation of `solver` from `reference`, checking every schedule.
fn deviation(
    set: &[(String, Problem)],
    reference: Reference<'_>,
    solver: &dyn Scheduler,
) -> Result<(f64, usize, f64), Box<dyn std::error::Error>> {
    let (mut total, mut count) = (0.0, 0usize);
    let started = Instant::now();
    for (name, problem) in set {
        let solution = solver.schedule(problem)?;
        solution.schedule.verify(problem).map_err(|e| format!("{name}: {e}"))?;
        let Some(best) = reference(name, problem) else { continue };
        let m = solution.makespan();
        if m < best && best > 0 {
            return Err(format!("{name}: makespan {m} below the reference {best}").into());
        }
        total += if best == 0 { 0.0 } else { 100.0 * (m - best) as f64 / best as f64 };
        count += 1;
    }
    let per_instance_ms = 1000.0 * started.elapsed().as_secs_f64() / set.len().max(1) as f64;
    Ok((total / count.max(1) as f64, count, per_instance_ms))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sets: Vec<&str> = match args.first() {
        Some(s) => vec![s.as_str()],
        None => vec!["j30", "j60"],
    };
    let limit = args.get(1).and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
    let root = std::env::var("DAGPLAN_DATA").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("../shared/data"));
    for set in sets {
        let dir = root.join("psplib").join(set);
        let problems = instances(&dir, limit);
        if problems.is_empty() {
            println!("{set}: no instances in {} (skipped)", dir.display());
            continue;
        }
        let known = optima(&dir);
        let by_optimum = |name: &str, _: &Problem| known.get(name).copied();
        let by_cpm = |_: &str, p: &Problem| Some(Cpm::analyze(p).length());
        let (reference, label): (Reference<'_>, &str) =
            if set == "j30" { (&by_optimum, "optimum") } else { (&by_cpm, "critical-path bound") };
        println!("{set}: {} instances, mean deviation from the {label}", problems.len());
        println!("| solver | scheme | deviation % | ms/instance |");
        println!("|---|---|---|---|");
        for rule in Rule::ALL {
            for scheme in Scheme::ALL {
                let solver = Greedy::default().single(rule, Policy::EarliestFinish, scheme);
                let (dev, _, ms) = deviation(&problems, reference, &solver)?;
                println!("| {rule} | {scheme} | {dev:.2} | {ms:.2} |");
            }
        }
        let (dev, n, ms) = deviation(&problems, reference, &Greedy::default())?;
        println!("| **portfolio (default)** | both | **{dev:.2}** | {ms:.2} |   ({n} compared)");
    }
    Ok(())
}
