//! Generated instances that several tests share: hard for the exact solvers, or large.

use dagplan::{Generator, NodeId, Problem, ProblemSpec, SplitMix64, TaskId, WindowSpec};

/// Resource-tight single-node instances (RCPSP) of `tasks` tasks.
pub fn rcpsp(tasks: usize, seed: u64) -> Generator {
    Generator {
        tasks,
        nodes: 1,
        resources: 4,
        dependencies: 1.2,
        window: 30,
        tightness: 0.6,
        max_duration: 10,
        seed,
        ..Generator::default()
    }
}

/// A 60-task RCPSP that no exact solver closes in a second, and on which greedy is far from
/// the bound.
pub fn hard_rcpsp() -> Problem {
    rcpsp(60, 3).generate().unwrap()
}

/// A large instance (12,000 tasks on 30 nodes) on which the whole greedy portfolio takes
/// 0.7 s in the test profile on a loaded 2-core VM, while one of its passes takes a few tens
/// of milliseconds: a limit or a cancel at 100–200 ms finds it running even on a machine a few
/// times faster, and it stops within the margins.
pub fn large_cluster() -> Problem {
    Generator {
        tasks: 12_000,
        nodes: 30,
        resources: 3,
        dependencies: 2.0,
        window: 200,
        seed: 5,
        ..Generator::default()
    }
    .generate()
    .unwrap()
}

/// The shape of the small mixed instances of the property tests (about 1.5 dependencies in a
/// window of 5, tightness 0.7, durations 1–9): the test draws the rest.
pub fn small_mixed() -> Generator {
    Generator { dependencies: 1.5, window: 5, tightness: 0.7, max_duration: 9, ..Generator::default() }
}

/// Small instances for the exact solvers' oracle and warm-start tests: `tasks` tasks on
/// `nodes` nodes with `resources` dimensions, eligibility, per-node durations and transfer
/// delays up to `max_delay`.
pub fn small(seed: u64, tasks: usize, nodes: usize, resources: usize, max_delay: u64) -> Problem {
    Generator {
        tasks,
        nodes,
        resources,
        dependencies: 1.2,
        window: 4,
        tightness: 0.7,
        max_duration: 8,
        eligibility: 0.3,
        heterogeneity: 0.3,
        max_delay,
        seed,
    }
    .generate()
    .unwrap()
}

/// A small generated instance with random time rules added; `None` when the rules drawn are
/// invalid (validation rejects them, which the bad-input catalogue covers).
pub fn with_time_rules(seed: u64, tasks: usize, nodes: usize) -> Option<Problem> {
    let base = Generator {
        tasks,
        nodes,
        resources: 2,
        dependencies: 1.0,
        window: 3,
        tightness: 0.7,
        max_duration: 6,
        eligibility: 0.3,
        heterogeneity: 0.3,
        max_delay: 2,
        seed,
    }
    .generate()
    .unwrap();
    let mut rng = SplitMix64::new(seed ^ 0x7115);
    let mut spec: ProblemSpec = base.to_spec();
    let horizon = 8 * tasks as u64 + 10;
    spec.now = if rng.chance(0.3) { rng.below(6) } else { 0 };
    for node in &mut spec.nodes {
        if rng.chance(0.4) {
            let from = rng.below(horizon);
            node.unavailable.push(WindowSpec { from, to: from + 1 + rng.below(8) });
        }
    }
    // Fix a task that has no predecessors on one of its nodes, sometimes.
    let roots: Vec<TaskId> = base.tasks().filter(|&t| base.predecessors(t).is_empty()).collect();
    if !roots.is_empty() && rng.chance(0.4) {
        let t = roots[rng.below(roots.len() as u64) as usize];
        let options: Vec<NodeId> = base.options(t).map(|(n, _)| n).collect();
        let node = options[rng.below(options.len() as u64) as usize];
        spec.tasks[t.index()].fixed =
            Some(dagplan::FixedSpec { node: base.node_name(node).to_owned(), start: rng.below(10) });
    }
    for task in &mut spec.tasks {
        if rng.chance(0.3) {
            task.release = rng.below(12);
        }
        if rng.chance(0.3) {
            task.deadline = Some(task.release + task.duration + rng.below(horizon / 2));
        }
    }
    spec.build().ok()
}
