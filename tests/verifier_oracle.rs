//! The verifier against a naive oracle: random mutations of valid schedules are judged by
//! both, and they must agree on validity. The oracle is written as plainly as possible (every
//! pair of dependencies, every instant of the horizon, every dimension), so it shares no
//! logic with `verify`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::{Assignment, Generator, NodeId, Problem, Schedule, SplitMix64, TaskId, heuristic_solvers};
use proptest::prelude::*;

/// Whether the schedule is valid, by brute force.
fn oracle_valid(problem: &Problem, schedule: &Schedule) -> bool {
    let a = schedule.assignments();
    // Exactly once per task, known node.
    for t in problem.tasks() {
        if a.iter().filter(|x| x.task == t).count() != 1 {
            return false;
        }
    }
    if a.iter().any(|x| x.task.index() >= problem.task_count() || x.node.index() >= problem.node_count()) {
        return false;
    }
    let of = |t: TaskId| a.iter().find(|x| x.task == t).unwrap();
    for x in a {
        let spec = &problem.to_spec().tasks[x.task.index()];
        let node = problem.node_name(x.node);
        if spec.nodes.as_ref().is_some_and(|list| !list.iter().any(|n| n == node)) {
            return false;
        }
        if (0..problem.resource_count()).any(|r| problem.demand(x.task)[r] > problem.capacity(x.node)[r]) {
            return false;
        }
        let duration = spec.durations.get(node).copied().unwrap_or(spec.duration);
        if x.finish < x.start || x.finish - x.start != duration {
            return false;
        }
        for e in problem.predecessors(x.task) {
            let p = of(e.task);
            let delay = if p.node == x.node { 0 } else { e.delay };
            if (x.start as u128) < p.finish as u128 + delay as u128 {
                return false;
            }
        }
    }
    let end = a.iter().map(|x| x.finish).max().unwrap_or(0);
    for n in problem.nodes() {
        for time in 0..end {
            for r in 0..problem.resource_count() {
                let used: u64 = a
                    .iter()
                    .filter(|x| x.node == n && x.start <= time && time < x.finish)
                    .map(|x| problem.demand(x.task)[r])
                    .sum();
                if used > problem.capacity(n)[r] {
                    return false;
                }
            }
        }
    }
    true
}

/// One random change to one assignment.
fn mutate(problem: &Problem, schedule: &Schedule, rng: &mut SplitMix64) -> Schedule {
    let mut a = schedule.assignments().to_vec();
    if a.is_empty() {
        return schedule.clone();
    }
    let i = rng.below(a.len() as u64) as usize;
    let shift = |v: u64, rng: &mut SplitMix64| (v + rng.below(7)).saturating_sub(3);
    match rng.below(7) {
        0 => {
            let s = shift(a[i].start, rng);
            let d = a[i].finish - a[i].start;
            a[i].start = s;
            a[i].finish = s + d;
        }
        1 => a[i].finish = shift(a[i].finish, rng),
        2 => a[i].node = NodeId(rng.below(problem.node_count() as u64) as u32),
        3 => {
            a.remove(i);
        }
        4 => {
            let copy = a[i];
            a.push(copy);
        }
        5 => {
            // Move onto another node at the same time, with that node's duration if any.
            let node = NodeId(rng.below(problem.node_count() as u64) as u32);
            let d = problem.duration_on(a[i].task, node).unwrap_or(a[i].finish - a[i].start);
            a[i] = Assignment { node, finish: a[i].start + d, ..a[i] };
        }
        _ => {
            let j = rng.below(a.len() as u64) as usize;
            let (s, d) = (a[j].start, a[i].finish - a[i].start);
            a[i].start = s;
            a[i].finish = s + d;
        }
    }
    Schedule::new(a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn verify_agrees_with_the_oracle_on_mutated_schedules(
        seed in any::<u64>(),
        tasks in 1usize..12,
        nodes in 1usize..4,
        resources in 1usize..4,
        eligibility in 0.0f64..1.0,
        delay in 0u64..4,
    ) {
        let problem = Generator {
            tasks, nodes, resources, eligibility, heterogeneity: 0.5, max_delay: delay, max_duration: 6, tightness: 0.7, seed,
            ..Generator::default()
        }.generate().unwrap();
        let mut rng = SplitMix64::new(seed ^ 0x5eed);
        for solver in heuristic_solvers() {
            let schedule = solver.schedule(&problem).unwrap().schedule;
            prop_assert!(oracle_valid(&problem, &schedule), "solver {} output judged invalid by the oracle", solver.name());
            prop_assert_eq!(schedule.verify(&problem), Ok(()));
            for _ in 0..8 {
                let mutated = mutate(&problem, &schedule, &mut rng);
                let expected = oracle_valid(&problem, &mutated);
                let got = mutated.verify(&problem);
                prop_assert_eq!(got.is_ok(), expected, "verify said {:?} on {:?}", got, mutated);
            }
        }
    }
}
