//! Replanning a live cluster after a node fails: a generated workflow is planned with
//! `greedy`; at a third of the plan the node running the most tasks fails (removed: what ran
//! there starts again); the new problem is built from the plan ([`dagplan::Replan`]) and
//! planned again with `greedy` (the default portfolio, and one pass; each also with
//! `keep_nodes`). Prints the time to build the new problem and to solve it, the makespans,
//! the lower bound and how many tasks moved.
//!
//! ```text
//! cargo run --release --no-default-features --example replan              # 10,000 and 100,000 tasks
//! cargo run --release --no-default-features --example replan -- 10000     # one size
//! ```

use std::time::Instant;

use dagplan::Generator;
use dagplan::{Greedy, Policy, Rule, Scheme};
use dagplan::{LowerBounds, Replan, Scheduler, SolveOptions};

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat`: on a busy
/// shared machine the wall time of a single-threaded step includes waiting for a core.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (field(11) + field(12)) / 100.0
}

fn run(tasks: usize) -> Result<(), Box<dyn std::error::Error>> {
    // The scale preset on 100 nodes, every task free to run on any node large enough.
    let problem = Generator { nodes: 100, eligibility: 0.0, ..Generator::large_cluster(tasks) }.generate()?;
    let planned = Instant::now();
    let plan = Greedy::default().schedule(&problem)?;
    let plan_time = planned.elapsed();
    let now = plan.makespan() / 3;
    // The node with the most tasks still to run fails.
    let mut load = vec![0usize; problem.node_count()];
    for a in plan.schedule.assignments().iter().filter(|a| a.finish > now) {
        if let Some(l) = load.get_mut(a.node.index()) {
            *l += 1;
        }
    }
    let load_of = |n: usize| load.get(n).copied().unwrap_or(0);
    let mut nodes: Vec<usize> = (0..load.len()).collect();
    nodes.sort_by_key(|&n| (std::cmp::Reverse(load_of(n)), n));
    for &failed in &nodes {
        let name = problem.node_name(dagplan::NodeId(failed as u32)).to_owned();
        let built = Instant::now();
        let cpu = cpu_seconds();
        let replanning = match Replan::at(now).node_removed(name.clone()).problem(&problem, &plan.schedule) {
            Ok(r) => r,
            // A task that may run only on this node cannot be replanned: try the next node.
            Err(dagplan::ReplanError::Model(e)) => {
                println!("  node {name}: {e}; trying the next node");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let build_time = built.elapsed();
        let build_cpu = cpu_seconds() - cpu;
        let kept = Replan::at(now).node_removed(name.clone()).keep_nodes(true).problem(&problem, &plan.schedule)?;
        let p = &replanning.problem;
        println!(
            "tasks {tasks}: plan {} (greedy, {:.3} s); at {now} node {name} ({} tasks to run) fails: {} tasks left, {} running (fixed)",
            plan.makespan(),
            plan_time.as_secs_f64(),
            load_of(failed),
            p.task_count(),
            p.fixed_tasks().count(),
        );
        let bounds = LowerBounds::compute(p);
        println!(
            "  lower bounds: critical path {}, energy {:?} (per dimension, counted from `now` on the nodes each task may use), pinned {}",
            bounds.critical_path, bounds.energy, bounds.pinned,
        );
        let one_pass = |o| Greedy::new(o).single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial);
        for (label, portfolio, replanning) in [
            ("greedy portfolio", true, &replanning),
            ("greedy one pass", false, &replanning),
            ("one pass, kept", false, &kept),
            ("portfolio, kept", true, &kept),
        ] {
            let solved = Instant::now();
            let cpu = cpu_seconds();
            let options = SolveOptions::default();
            let replanned = if portfolio {
                replanning.solve(options, Greedy::new)?
            } else {
                replanning.solve(options, one_pass)?
            };
            let solve_time = solved.elapsed();
            let solve_cpu = cpu_seconds() - cpu;
            let ok = replanned.solution.schedule.verify(p).is_ok();
            println!(
                "  {label:<17} build {:>6.1} ms + solve {:>7.1} ms = {:>7.1} ms wall ({:>5.0} ms cpu); makespan {} (lower bound {}), {} tasks moved, verified {ok}",
                build_time.as_secs_f64() * 1e3,
                solve_time.as_secs_f64() * 1e3,
                (build_time + solve_time).as_secs_f64() * 1e3,
                (build_cpu + solve_cpu) * 1e3,
                replanned.solution.makespan(),
                replanned.solution.lower_bound,
                replanned.moved,
            );
        }
        return Ok(());
    }
    Err("no node can fail without leaving a task nowhere to run".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = match std::env::args().nth(1) {
        Some(n) => vec![n.parse()?],
        None => vec![10_000, 100_000],
    };
    for tasks in sizes {
        run(tasks)?;
    }
    Ok(())
}
