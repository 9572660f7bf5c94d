//! Measures the exact solvers (`dp`, `ilp`) on PSPLIB sets: proven optima and deviation from
//! the known optimum, every schedule verified.
//!
//! ```text
//! cargo run --release --example exact_psplib -- ilp ../shared/data/psplib/j30 --limit 10 --threads 2
//! cargo run --release --example exact_psplib -- dp ../shared/data/psplib/patterson --limit 10 --max-tasks 27
//! ```
//!
//! Options: `--limit S` (seconds per instance, default 10), `--threads N` (default 2),
//! `--every K` / `--offset I` (take every K-th instance in sorted file order starting at I),
//! `--max-tasks N` (skip larger instances; counted without the two PSPLIB dummies),
//! `--max-states N` (dp), `--dp-share F` (ilp: share of the limit for the dp primal run, 0: off), `--only NAME` (one instance), `--verbose` (solver counters). One CSV line per instance on stdout, a summary at the end.
//!
//! TEMPORARY: the small `.sm` / `.rcp` readers below stand in for `dagplan::io` (written on
//! another branch); switch to it at merge.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dagplan::{Dp, NodeSpec, Problem, ProblemSpec, Scheduler, SolveOptions, Status, TaskSpec};

type Error = Box<dyn std::error::Error>;

/// A parsed RCPSP: capacities, and per job its duration, demands and successors (0-based).
struct Rcpsp {
    capacity: Vec<u64>,
    jobs: Vec<(u64, Vec<u64>, Vec<usize>)>,
}

/// TEMPORARY reader for PSPLIB `.sm` files (single mode).
fn read_sm(text: &str) -> Result<Rcpsp, Error> {
    let lines: Vec<&str> = text.lines().collect();
    let find = |prefix: &str| lines.iter().position(|l| l.trim_start().starts_with(prefix));
    let prec = find("PRECEDENCE RELATIONS").ok_or("no PRECEDENCE RELATIONS section")?;
    let req = find("REQUESTS/DURATIONS").ok_or("no REQUESTS/DURATIONS section")?;
    let avail = find("RESOURCEAVAILABILITIES").ok_or("no RESOURCEAVAILABILITIES section")?;
    let nums = |l: &str| l.split_whitespace().map(str::parse::<u64>).collect::<Result<Vec<u64>, _>>();
    let mut succ: Vec<Vec<usize>> = Vec::new();
    for l in lines.iter().skip(prec + 2).take_while(|l| !l.starts_with('*')) {
        let v = nums(l)?;
        let k = *v.get(2).ok_or("short precedence line")? as usize;
        succ.push(v.iter().skip(3).take(k).map(|&s| s as usize - 1).collect());
    }
    let mut jobs = Vec::new();
    for (l, s) in lines.iter().skip(req + 3).take_while(|l| !l.starts_with('*')).zip(succ) {
        let v = nums(l)?;
        jobs.push((*v.get(2).ok_or("short request line")?, v.iter().skip(3).copied().collect(), s));
    }
    let capacity = nums(lines.get(avail + 2).ok_or("no availabilities")?)?;
    Ok(Rcpsp { capacity, jobs })
}

/// TEMPORARY reader for Patterson `.rcp` files.
fn read_rcp(text: &str) -> Result<Rcpsp, Error> {
    let v = text.split_whitespace().map(str::parse::<u64>).collect::<Result<Vec<u64>, _>>()?;
    let mut it = v.into_iter();
    let mut next = || it.next().ok_or("truncated .rcp file");
    let (n, r) = (next()? as usize, next()? as usize);
    let capacity = (0..r).map(|_| next()).collect::<Result<Vec<_>, _>>()?;
    let mut jobs = Vec::new();
    for _ in 0..n {
        let d = next()?;
        let q = (0..r).map(|_| next()).collect::<Result<Vec<_>, _>>()?;
        let k = next()? as usize;
        let s = (0..k).map(|_| next().map(|s| s as usize - 1)).collect::<Result<Vec<_>, _>>()?;
        jobs.push((d, q, s));
    }
    Ok(Rcpsp { capacity, jobs })
}

fn to_problem(p: &Rcpsp) -> Result<Problem, Error> {
    let mut node = NodeSpec::new("cluster");
    for (r, &c) in p.capacity.iter().enumerate() {
        node = node.capacity(format!("R{}", r + 1), c);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); p.jobs.len()];
    for (j, (_, _, s)) in p.jobs.iter().enumerate() {
        for &k in s {
            preds.get_mut(k).ok_or("successor out of range")?.push(j);
        }
    }
    let mut spec = ProblemSpec::new().node(node);
    for (j, (d, q, _)) in p.jobs.iter().enumerate() {
        let mut t = TaskSpec::new(format!("j{}", j + 1), *d);
        for (r, &a) in q.iter().enumerate() {
            t = t.demand(format!("R{}", r + 1), a);
        }
        for &i in preds.get(j).into_iter().flatten() {
            t = t.after(format!("j{}", i + 1));
        }
        spec = spec.task(t);
    }
    Ok(spec.build()?)
}

fn optima(dir: &Path) -> HashMap<String, (u64, u64)> {
    let text = std::fs::read_to_string(dir.join("optimum/optimum.csv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let (name, v) = l.split_once(',')?;
            let (lo, hi) = v.split_once("..").unwrap_or((v, v));
            Some((name.to_owned(), (lo.trim().parse().ok()?, hi.trim().parse().ok()?)))
        })
        .collect()
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
            let share: f64 = flag("--dp-share").map_or(Ok(0.25), |v| v.parse())?;
            Box::new(dagplan::Ilp::new(options).dp_share(share)?)
        }
        other => return Err(format!("unknown solver `{other}` (dp, or ilp with the `ilp` feature)").into()),
    };
    let known = optima(&dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sm" || x == "rcp"))
        .collect();
    files.sort();
    let (mut count, mut proven, mut at_optimum, mut dev_sum, mut time_sum) = (0usize, 0usize, 0usize, 0.0f64, 0.0f64);
    let mut errors = 0usize;
    println!("instance,tasks,makespan,bound,status,optimum,deviation_pct,seconds");
    for path in files.iter().skip(offset).step_by(every.max(1)) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        if flag("--only").is_some_and(|only| only != name) {
            continue;
        }
        let text = std::fs::read_to_string(path)?;
        let parsed = if name.ends_with(".sm") { read_sm(&text) } else { read_rcp(&text) };
        let problem = to_problem(&parsed.map_err(|e| format!("{name}: {e}"))?)?;
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
        if let Err(v) = solution.schedule.verify(&problem) {
            return Err(format!("{name}: invalid schedule: {:?}", v.first()).into());
        }
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
        at_optimum += usize::from(m == hi);
        dev_sum += dev;
        time_sum += secs;
        if args.iter().any(|a| a == "--verbose") {
            eprintln!("{name}: {:?}", solution.stats.counters);
        }
        println!(
            "{name},{},{m},{},{:?},{hi},{dev:.2},{secs:.3}",
            problem.task_count(),
            solution.lower_bound,
            solution.status
        );
    }
    let n = count.max(1) as f64;
    println!(
        "# {solver_name}: {count} instances, {proven} proven optimal ({:.1}%), {at_optimum} at the known optimum, \
         mean deviation {:.2}%, mean time {:.2}s, {errors} errors",
        proven as f64 / n * 100.0,
        dev_sum / n,
        time_sum / n
    );
    Ok(())
}
