//! Generated instances that several tests share: hard for the exact solvers, or large.

use dagplan::{Generator, Problem};

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
