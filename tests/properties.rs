//! Property tests over generated instances: every solver's schedule verifies and is never
//! shorter than the lower bound; the JSON format round-trips; the generator makes both deep
//! and wide graphs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

#[cfg(feature = "cp")]
use dagplan::{Cp, Dp, Scheduler, SolveOptions};
use dagplan::{Cpm, Generator, Problem, Status, heuristic_solvers, lower_bound};
use proptest::prelude::*;

/// Generator settings covering the full model: eligibility, per-node durations, delays, 1–4
/// dimensions, deep and wide shapes.
fn instances(max_tasks: usize) -> impl Strategy<Value = Problem> {
    (
        0..=max_tasks,
        1usize..=5,
        1usize..=4,
        0.0f64..3.0,
        1usize..=20,
        0.05f64..1.0,
        (0.0f64..1.0, 0.0f64..1.0, 0u64..=6),
        any::<u64>(),
    )
        .prop_map(
            |(
                tasks,
                nodes,
                resources,
                dependencies,
                window,
                tightness,
                (eligibility, heterogeneity, max_delay),
                seed,
            )| {
                Generator {
                    tasks,
                    nodes,
                    resources,
                    dependencies,
                    window,
                    tightness,
                    max_duration: 12,
                    eligibility,
                    heterogeneity,
                    max_delay,
                    seed,
                }
                .generate()
                .expect("generated instances are valid")
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn every_heuristic_returns_a_verified_schedule_never_below_the_bound(problem in instances(40)) {
        let bound = lower_bound(&problem);
        for solver in heuristic_solvers() {
            let solution = solver.schedule(&problem).unwrap();
            prop_assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", solver.name());
            prop_assert!(solution.makespan() >= bound);
            prop_assert!(solution.lower_bound >= bound);
            prop_assert_eq!(solution.status == Status::Optimal, solution.makespan() == solution.lower_bound);
        }
    }

    #[test]
    fn json_round_trips(problem in instances(30)) {
        let text = dagplan::io::write_json(&problem);
        let again = dagplan::io::read_json_str(&text).unwrap();
        prop_assert_eq!(&again, &problem);
    }

    #[test]
    fn cpm_times_are_consistent(problem in instances(40)) {
        let cpm = Cpm::analyze(&problem);
        for t in problem.tasks() {
            prop_assert!(cpm.earliest_start(t) <= cpm.latest_start(t));
            prop_assert!(cpm.latest_finish(t) <= cpm.length());
            for e in problem.successors(t) {
                prop_assert!(cpm.earliest_finish(t) <= cpm.earliest_start(e.task));
                prop_assert!(cpm.latest_finish(t) <= cpm.latest_start(e.task));
            }
        }
        let path = cpm.critical_path();
        if let (Some(&first), Some(&last)) = (path.first(), path.last()) {
            prop_assert_eq!(cpm.earliest_start(first), 0);
            prop_assert_eq!(cpm.earliest_finish(last), cpm.length());
            prop_assert!(path.iter().all(|&t| cpm.is_critical(t)));
        }
    }

    #[test]
    fn generation_is_deterministic(seed in any::<u64>()) {
        let g = Generator { tasks: 50, eligibility: 0.3, heterogeneity: 0.3, max_delay: 4, seed, ..Generator::default() };
        prop_assert_eq!(g.generate().unwrap(), g.generate().unwrap());
    }
}

#[cfg(feature = "cp")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `cp` over the full model (1–5 nodes, 1–4 dimensions, eligibility, per-node durations,
    /// delays): a verified schedule, never a bound above `dp`'s optimum, `Optimal` only with a
    /// matching bound, and the same optimum whenever both prove one.
    #[test]
    fn cp_is_sound_on_the_full_model(problem in instances(12)) {
        let limit = SolveOptions::default().time_limit(std::time::Duration::from_secs(2));
        let cp = Cp::new(limit.clone()).schedule(&problem).unwrap();
        prop_assert_eq!(cp.schedule.verify(&problem), Ok(()));
        prop_assert!(cp.lower_bound >= lower_bound(&problem) && cp.lower_bound <= cp.makespan());
        prop_assert_eq!(cp.status == Status::Optimal, cp.makespan() == cp.lower_bound);
        let dp = Dp::new(limit).schedule(&problem).unwrap();
        prop_assert!(cp.lower_bound <= dp.makespan() && dp.lower_bound <= cp.makespan());
        if cp.status == Status::Optimal && dp.status == Status::Optimal {
            prop_assert_eq!(cp.makespan(), dp.makespan());
        }
    }
}

/// The depth of the DAG (tasks on its longest chain).
fn depth(problem: &Problem) -> usize {
    let mut level = vec![0usize; problem.task_count()];
    for &t in problem.topological_order() {
        level[t.index()] = 1 + problem.predecessors(t).iter().map(|e| level[e.task.index()]).max().unwrap_or(0);
    }
    level.into_iter().max().unwrap_or(0)
}

#[test]
fn the_generator_makes_deep_and_wide_graphs() {
    let deep = Generator { tasks: 200, dependencies: 1.0, window: 1, seed: 1, ..Generator::default() };
    assert_eq!(depth(&deep.generate().unwrap()), 200, "window 1 with one dependency is a chain");
    let wide = Generator { tasks: 200, dependencies: 0.0, seed: 1, ..Generator::default() };
    assert_eq!(depth(&wide.generate().unwrap()), 1, "no dependencies: all independent");
    let mixed = Generator { tasks: 200, dependencies: 2.0, window: 50, seed: 1, ..Generator::default() };
    let d = depth(&mixed.generate().unwrap());
    assert!(d > 5 && d < 150, "depth {d}");
}

#[test]
fn the_generator_exercises_the_full_model() {
    let g = Generator {
        tasks: 300,
        nodes: 6,
        resources: 3,
        eligibility: 0.5,
        heterogeneity: 0.5,
        max_delay: 5,
        seed: 7,
        ..Generator::default()
    };
    let p = g.generate().unwrap();
    assert!(p.tasks().any(|t| p.eligible_nodes(t).is_some()));
    assert!(p.tasks().any(|t| p.options(t).any(|(_, d)| d != p.default_duration(t))));
    assert!(p.tasks().any(|t| p.predecessors(t).iter().any(|e| e.delay > 0)));
    assert!(p.tasks().any(|t| p.demand(t).get(2).is_some_and(|&g| g > 0)), "some task wants a gpu");
}
