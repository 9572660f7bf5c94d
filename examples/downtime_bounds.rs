//! The proven lower bounds on generated workflows with time rules: release dates and node
//! downtime (maintenance windows) added to generated workflows, each planned with `greedy`.
//! Prints per instance the critical-path bound, the best bound, the greedy makespan and the
//! gap between them, then the totals; the same command on two commits compares the bounds.
//!
//! ```text
//! cargo run --release --no-default-features --example downtime_bounds          # 40 instances
//! cargo run --release --no-default-features --example downtime_bounds -- 100   # more
//! ```

use dagplan::{Generator, Greedy, LowerBounds, Replan, Scheduler, SplitMix64, WindowSpec};

/// The user story of the replanning tests: the five-task example at 35, v3 running 10 ticks
/// longer than planned, v4's node n2 down over [45, 80); the bounds and their optimum 80.
fn user_story() -> Result<(), Box<dyn std::error::Error>> {
    let problem = dagplan::example::five_tasks()?;
    let plan = dagplan::example::documented_deployment(&problem)?;
    for (label, replan) in [
        ("user story", Replan::at(35).running_until("v3", 50).node_unavailable("n2", 45, 80)),
        ("n2 down [35, 1000)", Replan::at(35).node_unavailable("n2", 35, 1000)),
    ] {
        let replanning = replan.problem(&problem, &plan)?;
        let lower = LowerBounds::compute(&replanning.problem);
        println!(
            "{label}: critical path {}, energy {:?}, pinned {}, best {}",
            lower.critical_path,
            lower.energy,
            lower.pinned,
            lower.best()
        );
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    user_story()?;
    let count: u64 = std::env::args().nth(1).map_or(Ok(40), |n| n.parse())?;
    let (mut bounds, mut makespans, mut paths, mut gaps) = (0u64, 0u64, 0u64, 0.0f64);
    println!("seed  tasks nodes windows  critical-path  best-bound  greedy  gap %");
    for seed in 0..count {
        // A deep workflow with eligibility lists, per-node speeds and transfer delays.
        let base = Generator {
            tasks: 60,
            nodes: 4,
            window: 6,
            eligibility: 0.3,
            heterogeneity: 0.3,
            max_delay: 3,
            seed,
            ..Generator::default()
        }
        .generate()?;
        let horizon = Greedy::default().schedule(&base)?.makespan().max(1);
        let mut rng = SplitMix64::new(seed ^ 0xb0b);
        let mut spec = base.to_spec();
        for task in &mut spec.tasks {
            if rng.chance(0.2) {
                task.release = rng.below(horizon / 4 + 1);
            }
        }
        // Maintenance: on most nodes one to three windows of 5 % to 17 % of the plan.
        let mut windows = 0;
        for node in &mut spec.nodes {
            if !rng.chance(0.6) {
                continue;
            }
            let mut drawn: Vec<WindowSpec> = (0..1 + rng.below(3))
                .map(|_| {
                    let from = rng.below(horizon);
                    WindowSpec { from, to: from + horizon / 20 + 1 + rng.below(horizon / 8 + 1) }
                })
                .collect();
            drawn.sort_by_key(|w| (w.from, w.to));
            for w in drawn {
                match node.unavailable.last_mut() {
                    Some(last) if w.from <= last.to => last.to = last.to.max(w.to),
                    _ => node.unavailable.push(w),
                }
            }
            windows += node.unavailable.len();
        }
        let problem = spec.build()?;
        let lower = LowerBounds::compute(&problem);
        let plan = Greedy::default().schedule(&problem)?;
        plan.schedule.verify(&problem)?;
        let (best, makespan) = (lower.best(), plan.makespan());
        let gap = 100.0 * (makespan - best.min(makespan)) as f64 / makespan.max(1) as f64;
        println!(
            "{seed:>4} {:>6} {:>5} {windows:>7} {:>14} {best:>11} {makespan:>7} {gap:>6.1}",
            problem.task_count(),
            problem.node_count(),
            lower.critical_path,
        );
        (bounds, makespans, paths, gaps) =
            (bounds + best, makespans + makespan, paths + lower.critical_path, gaps + gap);
    }
    println!(
        "total over {count}: critical path {paths}, best bound {bounds}, greedy {makespans}; mean gap {:.2} %",
        gaps / count.max(1) as f64
    );
    Ok(())
}
