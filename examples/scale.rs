//! One greedy pass on a generated DAG of up to a million tasks on a thousand heterogeneous
//! nodes (cpu, memory, gpu), with its makespan, lower bound, wall time and peak memory.
//!
//! ```text
//! cargo run --release --no-default-features --example scale            # 250k, 500k, 1M
//! cargo run --release --no-default-features --example scale -- 100000  # one size
//! ```
//!
//! Peak memory is the process's high-water mark (`VmHWM` in `/proc/self/status`), so it
//! includes the instance itself; each size runs in a fresh child process to measure it alone.

use std::process::Command;
use std::time::Instant;

use dagplan::{Generator, Greedy, Policy, Problem, Rule, Scheduler, Scheme};

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat`: on a busy
/// shared machine the wall time of a single-threaded pass includes waiting for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn instance(tasks: usize) -> Result<Problem, dagplan::ModelError> {
    Generator::large_cluster(tasks).generate()
}

fn run(tasks: usize) -> Result<(), Box<dyn std::error::Error>> {
    let built = Instant::now();
    let problem = instance(tasks)?;
    let build_time = built.elapsed();
    let started = Instant::now();
    let cpu_before = cpu_seconds().unwrap_or(f64::NAN);
    let solution =
        Greedy::default().single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial).schedule(&problem)?;
    let elapsed = started.elapsed();
    let cpu = cpu_seconds().unwrap_or(f64::NAN) - cpu_before;
    let peak = peak_memory_mib().unwrap_or(f64::NAN);
    let verified = solution.schedule.verify(&problem).is_ok();
    println!(
        "tasks {:>9}  nodes {}  deps {:>9}  makespan {:>8}  lower bound {:>8}  greedy {:>6.3} s wall {:>6.2} s cpu  \
         (build {:.2} s)  peak {:>6.0} MiB  verified {}",
        problem.task_count(),
        problem.node_count(),
        problem.dependency_count(),
        solution.makespan(),
        solution.lower_bound,
        elapsed.as_secs_f64(),
        cpu,
        build_time.as_secs_f64(),
        peak,
        verified
    );
    if !verified {
        return Err("schedule failed verification".into());
    }
    Ok(())
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
