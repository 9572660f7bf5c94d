//! `SolveOptions::warm_start`: every registered solver returns a schedule no longer than a
//! warm start that verifies; the exact ones prove an optimal warm start optimal; a warm start
//! that does not verify is ignored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use std::sync::{Arc, Mutex};

use common::instances::small;
use dagplan::{
    Dp, Improvement, Problem, Schedule, Scheduler, SolveOptions, Status, Topological, solver_by_name, solver_names,
};
use proptest::prelude::*;

/// Each registered solver, with a warm start and a bounded effort (`search` and `auto` stop
/// when their exact members are done or after their schedule budget).
fn solve(name: &str, problem: &Problem, warm: &Schedule) -> dagplan::Solution {
    let options = SolveOptions::default().threads(2).warm_start(warm.clone());
    solver_by_name(name, &options).unwrap().schedule(problem).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Given the optimum as warm start, every solver returns a schedule of that makespan, and
    /// the exact ones prove it.
    #[test]
    fn an_optimal_warm_start_is_kept_and_proven(seed in 0u64..1_000_000, tasks in 2usize..=8, nodes in 1usize..=3) {
        let problem = small(seed, tasks, nodes, 2, 2);
        let optimum = Dp::default().schedule(&problem).unwrap();
        prop_assert_eq!(optimum.status, Status::Optimal);
        for name in solver_names() {
            let solution = solve(name, &problem, &optimum.schedule);
            prop_assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", name);
            prop_assert_eq!(solution.makespan(), optimum.makespan(), "{}, seed {}", name, seed);
            if ["dp", "ilp", "cp", "auto"].contains(&name) {
                prop_assert_eq!(solution.status, Status::Optimal, "{}, seed {}", name, seed);
            }
        }
    }

    /// Given a poor warm start, no solver returns anything longer, and the exact ones still
    /// find the optimum.
    #[test]
    fn a_poor_warm_start_is_never_worsened(seed in 0u64..1_000_000, tasks in 2usize..=8, nodes in 1usize..=3) {
        let problem = small(seed, tasks, nodes, 2, 2);
        let optimum = Dp::default().schedule(&problem).unwrap().makespan();
        let poor = Topological::default().schedule(&problem).unwrap().schedule;
        for name in solver_names() {
            let solution = solve(name, &problem, &poor);
            prop_assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", name);
            prop_assert!(solution.makespan() <= poor.makespan(), "{}, seed {}", name, seed);
            if ["dp", "ilp", "cp", "auto"].contains(&name) {
                prop_assert_eq!((solution.makespan(), solution.status), (optimum, Status::Optimal), "{}", name);
            }
        }
    }
}

#[test]
fn a_warm_start_that_does_not_verify_is_ignored() {
    let problem = small(3, 8, 2, 2, 2);
    let other = small(4, 8, 2, 2, 2);
    let foreign = Dp::default().schedule(&other).unwrap().schedule;
    assert!(foreign.verify(&problem).is_err());
    let truncated = Schedule::new(Dp::default().schedule(&problem).unwrap().schedule.assignments()[1..].to_vec());
    for warm in [foreign, truncated, Schedule::default()] {
        for name in solver_names() {
            let with = solve(name, &problem, &warm);
            let without =
                solver_by_name(name, &SolveOptions::default().threads(2)).unwrap().schedule(&problem).unwrap();
            assert_eq!(with.schedule.verify(&problem), Ok(()), "{name}");
            if ["greedy", "critical-path", "topological", "dp"].contains(&name) {
                // Deterministic solvers: the same answer as without a warm start.
                assert_eq!(with.schedule, without.schedule, "{name}");
            }
        }
    }
}

#[test]
fn the_warm_start_is_the_first_schedule_reported() {
    let problem = small(5, 8, 2, 2, 2);
    let warm = Topological::default().schedule(&problem).unwrap().schedule;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let options = SolveOptions::default().warm_start(warm.clone()).on_progress(move |p| {
        if let Improvement::Schedule(s) = &p.improvement {
            sink.lock().unwrap().push((p.solver, s.makespan()));
        }
    });
    Dp::new(options).schedule(&problem).unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first(), Some(&("warm_start", warm.makespan())));
    assert!(seen.windows(2).all(|w| w[1].1 < w[0].1), "{seen:?}");
}

#[test]
fn auto_credits_a_warm_start_it_cannot_beat() {
    let problem = small(6, 8, 2, 2, 2);
    let optimum = Dp::default().schedule(&problem).unwrap();
    let options = SolveOptions::default().threads(2).warm_start(optimum.schedule.clone());
    let solution = dagplan::Auto::new(options).schedule(&problem).unwrap();
    assert_eq!((solution.makespan(), solution.status), (optimum.makespan(), Status::Optimal));
    assert_eq!(solution.stats.found_by, Some("warm_start"));
}
