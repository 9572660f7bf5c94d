//! The whole path a user takes, at scale: a generated DAG of up to a million tasks on a
//! thousand heterogeneous nodes (cpu, memory, gpu) is written as a JSON file, then read and
//! validated, planned by one greedy pass, verified, and its schedule written back as JSON.
//! Each phase prints its wall time and CPU time; the process's peak memory closes the line.
//!
//! ```text
//! cargo run --release --no-default-features --example scale            # 250k, 500k, 1M
//! cargo run --release --no-default-features --example scale -- 100000  # one size
//! ```
//!
//! Peak memory is the process's high-water mark (`VmHWM` in `/proc/self/status`), so it
//! includes the instance itself and the JSON text; each size runs in a fresh child process to
//! measure it alone. Writing the input file is set-up, not timed.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use dagplan::io::read_json_file;
use dagplan::{Generator, Greedy, Policy, Rule, Scheduler, Scheme};

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat`: on a busy
/// shared machine the wall time of a single-threaded pass includes waiting for a core.
fn cpu_seconds() -> f64 {
    let read = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
        let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    };
    read().unwrap_or(f64::NAN)
}

/// Runs `work`, printing its wall and CPU seconds under `label`.
fn phase<T>(label: &str, work: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let out = work();
    print!("  {label} {:.2} s ({:.2} s cpu)", wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    out
}

fn run(tasks: usize) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir();
    let input: PathBuf = dir.join(format!("dagplan-scale-{tasks}-{}.json", std::process::id()));
    let output: PathBuf = dir.join(format!("dagplan-scale-{tasks}-{}.schedule.json", std::process::id()));
    std::fs::write(&input, serde_json::to_string(&Generator::large_cluster(tasks).spec())?)?;
    let bytes = std::fs::metadata(&input)?.len();

    print!("tasks {tasks:>9} ({:.0} MB JSON):", bytes as f64 / 1e6);
    let problem = phase("read+validate", || read_json_file(&input));
    std::fs::remove_file(&input)?;
    let problem = problem?;
    let policy = (Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial);
    let solution = phase("plan", || Greedy::default().single(policy.0, policy.1, policy.2).schedule(&problem))?;
    let verified = phase("verify", || solution.schedule.verify(&problem));
    phase("write", || std::fs::write(&output, solution.schedule.to_json(&problem)))?;
    std::fs::remove_file(&output)?;
    println!(
        "  | nodes {} deps {} makespan {} lower bound {} peak {:.0} MiB verified {}",
        problem.node_count(),
        problem.dependency_count(),
        solution.makespan(),
        solution.lower_bound,
        peak_memory_mib().unwrap_or(f64::NAN),
        verified.is_ok()
    );
    Ok(verified?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    if let [size] = sizes.as_slice() {
        return run(*size);
    }
    let sizes = if sizes.is_empty() { vec![250_000, 500_000, 1_000_000] } else { sizes };
    let exe = std::env::current_exe()?;
    for size in sizes {
        let status = Command::new(&exe).arg(size.to_string()).status()?;
        if !status.success() {
            return Err(format!("size {size} failed").into());
        }
    }
    Ok(())
}
