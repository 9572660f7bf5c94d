//! Measures the exact solvers (`dp`, `ilp`, `cp`, or any registered solver by name) on PSPLIB
//! sets (`.sm`, `.rcp`) and job shops (`.jss`): proven optima, deviation from the known
//! optimum and the gap between makespan and proven bound on the instances left unproven,
//! every schedule verified.
//!
//! ```text
//! cargo run --release -p dagplan-cli --example exact_psplib -- ilp ../shared/data/psplib/j30 --limit 10 --threads 2
//! cargo run --release -p dagplan-cli --example exact_psplib -- dp ../shared/data/psplib/patterson --limit 10 --max-tasks 27
//! cargo run --release -p dagplan-cli --example exact_psplib -- cp ../shared/data/jssp/la --limit 10
//! ```
//!
//! Options: `--limit S` (seconds per instance, default 10), `--threads N` (default 2),
//! `--every K` / `--offset I` (take every K-th instance in sorted file order starting at I),
//! `--max-tasks N` (skip larger instances; counted without the two PSPLIB dummies),
//! `--max-states N` (dp), `--dp-share F` (ilp: share of the limit for the dp primal run, 0:
//! off; default the library's), `--no-shaving` (ilp: presolve without shaving), `--only NAME`
//! (one instance), `--verbose` (solver counters). One CSV line per instance on stdout, a
//! summary at the end.
//!

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dagplan::{Dp, Scheduler, SolveOptions, Status};

type Error = Box<dyn std::error::Error>;

/// Known (lower, upper) makespans per instance from `optimum/optimum.csv`.
fn optima(dir: &Path) -> HashMap<String, (u64, u64)> {
    let Ok(optima) = dagplan::io::optimum::read(dir.join("optimum/optimum.csv")) else { return HashMap::new() };
    optima.iter().map(|(name, o)| (name.to_owned(), (o.lower, o.upper))).collect()
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let solver_name = args.first().ok_or("usage: exact_psplib <dp|ilp> <dir> [options]")?.clone();
    let dir = PathBuf::from(args.get(1).ok_or("missing data directory")?);
    let limit: f64 = flag("--limit").map_or(Ok(10.0), |v| v.parse())?;
    let threads: usize = flag("--threads").map_or(Ok(2), |v| v.parse())?;
    let every: usize = flag("--every").map_or(Ok(1), |v| v.parse())?;
    let offset: usize = flag("--offset").map_or(Ok(0), |v| v.parse())?;
    let max_tasks: usize = flag("--max-tasks").map_or(Ok(usize::MAX), |v| v.parse())?;
    let max_states: Option<usize> = flag("--max-states").map(|v| v.parse()).transpose()?;
    if !dir.is_dir() {
        println!("data directory {} not found; nothing measured", dir.display());
        return Ok(());
    }
    let options = SolveOptions::default().time_limit(Duration::from_secs_f64(limit)).threads(threads);
    let solver: Box<dyn Scheduler> = match solver_name.as_str() {
        "dp" => {
            let dp = Dp::new(options);
            Box::new(match max_states {
                Some(n) => dp.max_states(n),
                None => dp,
            })
        }
        #[cfg(feature = "ilp")]
        "ilp" => {
            let mut ilp = dagplan::Ilp::new(options).shaving(!args.iter().any(|a| a == "--no-shaving"));
            if let Some(share) = flag("--dp-share") {
                ilp = ilp.dp_share(share.parse()?)?;
            }
            Box::new(ilp)
        }
        other => dagplan::solver_by_name(other, &options)?,
    };
    let known = optima(&dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sm" || x == "rcp" || x == "jss"))
        .collect();
    files.sort();
    let (mut count, mut proven, mut at_optimum, mut dev_sum, mut time_sum) = (0usize, 0usize, 0usize, 0.0f64, 0.0f64);
    let (mut errors, mut gap_sum) = (0usize, 0.0f64);
    println!("instance,tasks,makespan,bound,status,optimum,deviation_pct,seconds");
    for path in files.iter().skip(offset).step_by(every.max(1)) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        if flag("--only").is_some_and(|only| only != name) {
            continue;
        }
        let problem = dagplan::io::read_problem(path)?;
        if problem.task_count().saturating_sub(2) > max_tasks {
            continue;
        }
        let solution = match solver.schedule(&problem) {
            Ok(s) => s,
            Err(e) => {
                println!("{name},{},,,error: {e},,,", problem.task_count());
                errors += 1;
                continue;
            }
        };
        solution.schedule.verify(&problem).map_err(|e| format!("{name}: {e}"))?;
        let (lo, hi) = known.get(&name).copied().unwrap_or((0, 0));
        let m = solution.makespan();
        if hi > 0 && lo == hi && m < lo {
            return Err(format!("{name}: makespan {m} below the known optimum {lo}").into());
        }
        if solution.lower_bound > hi && hi > 0 {
            return Err(format!("{name}: bound {} above the known best {hi}", solution.lower_bound).into());
        }
        let dev = if hi > 0 { (m as f64 - hi as f64) / hi as f64 * 100.0 } else { 0.0 };
        let secs = solution.stats.elapsed.as_secs_f64();
        count += 1;
        proven += usize::from(solution.status == Status::Optimal);
        if solution.status != Status::Optimal {
            gap_sum += solution.gap() * 100.0;
        }
        at_optimum += usize::from(m == hi);
        dev_sum += dev;
        time_sum += secs;
        if args.iter().any(|a| a == "--verbose") {
            eprintln!("{name}: {:?}", solution.stats.counters);
        }
        println!(
            "{name},{},{m},{},{},{hi},{dev:.2},{secs:.3}",
            problem.task_count(),
            solution.lower_bound,
            solution.status
        );
    }
    let n = count.max(1) as f64;
    println!(
        "# {solver_name}: {count} instances, {proven} proven optimal ({:.1}%), {at_optimum} at the known optimum, \
         mean deviation {:.2}%, mean time {:.2}s, {errors} errors; mean gap (makespan - bound) / makespan on the \
         {} unproven: {:.2}%",
        proven as f64 / n * 100.0,
        dev_sum / n,
        time_sum / n,
        count - proven,
        gap_sum / (count - proven).max(1) as f64
    );
    Ok(())
}
