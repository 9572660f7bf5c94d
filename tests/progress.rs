//! Progress reports: every solver that takes options reports its improvements in order
//! (makespans strictly decreasing, bounds strictly increasing), every reported schedule
//! verifies, and the last report agrees with the returned solution.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use std::time::Duration;

use common::instances::small_mixed;
use common::progress::{check_stream, recording};
use dagplan::Generator;
use dagplan::solver_by_name;
use dagplan::{Improvement, Problem, Progress, Scheduler, Search, SolveOptions};
use proptest::prelude::*;

#[test]
fn dp_reports_the_five_task_example_down_to_the_proof() {
    let problem = dagplan::example::five_tasks().unwrap();
    let (options, seen) = recording(SolveOptions::default());
    let solution = solver_by_name("dp", &options).unwrap().schedule(&problem).unwrap();
    let events = seen.lock().unwrap();
    check_stream(&problem, &events, &solution);
    let last = events.last().unwrap();
    assert!(last.proven());
    assert_eq!((last.makespan, last.lower_bound), (Some(70), 70));
    assert_eq!(events.first().unwrap().solver, "greedy", "the starting schedule is credited to greedy");
}

#[test]
fn without_a_listener_nothing_changes() {
    let problem = dagplan::example::five_tasks().unwrap();
    let quiet = solver_by_name("dp", &SolveOptions::default()).unwrap().schedule(&problem).unwrap();
    let (options, _) = recording(SolveOptions::default());
    let watched = solver_by_name("dp", &options).unwrap().schedule(&problem).unwrap();
    assert_eq!(quiet.schedule, watched.schedule);
    assert_eq!(quiet.lower_bound, watched.lower_bound);
}

#[test]
fn options_stay_printable_with_a_listener() {
    let (options, _) = recording(SolveOptions::default().seed(3));
    let text = format!("{options:?}");
    assert!(text.contains("seed: 3") && text.contains("<fn>"), "{text}");
}

/// A tight generated instance on two nodes with delays (greedy is often not optimal on it).
fn two_nodes(tasks: usize, window: usize, seed: u64) -> Problem {
    Generator {
        tasks,
        nodes: 2,
        resources: 2,
        dependencies: 1.0,
        window,
        tightness: 0.9,
        max_duration: 10,
        eligibility: 0.2,
        heterogeneity: 0.3,
        max_delay: 3,
        seed,
    }
    .generate()
    .unwrap()
}

/// How many schedules and bounds `solver` reported under its own name.
fn own_reports(events: &[Progress], solver: &str) -> (usize, usize) {
    let schedules = events.iter().filter(|p| p.solver == solver && p.schedule().is_some()).count();
    let bounds = events.iter().filter(|p| p.solver == solver && matches!(p.improvement, Improvement::Bound(_))).count();
    (schedules, bounds)
}

/// On instances where greedy is not optimal, dp reports the shorter schedules it finds and
/// the bounds it proves, under its own name, in the same stream.
#[test]
fn dp_reports_its_own_schedules_and_bounds() {
    let (mut own_schedules, mut own_bounds) = (0, 0);
    for seed in 0..40 {
        let problem = two_nodes(14, 6, seed);
        let (options, seen) = recording(SolveOptions::default().time_limit(Duration::from_secs(2)));
        let solution = solver_by_name("dp", &options).unwrap().schedule(&problem).unwrap();
        let events = seen.lock().unwrap();
        check_stream(&problem, &events, &solution);
        let (schedules, bounds) = own_reports(&events, "dp");
        (own_schedules, own_bounds) = (own_schedules + schedules, own_bounds + bounds);
    }
    assert!(own_schedules > 0 && own_bounds > 0, "dp found {own_schedules} schedules and {own_bounds} bounds");
}

/// `cp` reports, after greedy's schedule, the shorter schedules it finds and the bounds it
/// proves (by refutation, one tick at a time), under its own name.
#[cfg(feature = "cp")]
#[test]
fn cp_reports_its_own_schedules_and_bounds() {
    let (mut own_schedules, mut own_bounds) = (0, 0);
    for seed in 0..20 {
        let problem = Generator { window: 20, ..common::instances::rcpsp(30, seed) }.generate().unwrap();
        let (options, seen) = recording(SolveOptions::default().time_limit(Duration::from_secs(2)));
        let solution = solver_by_name("cp", &options).unwrap().schedule(&problem).unwrap();
        let events = seen.lock().unwrap();
        check_stream(&problem, &events, &solution);
        let (schedules, bounds) = own_reports(&events, "cp");
        (own_schedules, own_bounds) = (own_schedules + schedules, own_bounds + bounds);
    }
    assert!(own_schedules > 0 && own_bounds > 0, "cp found {own_schedules} schedules and {own_bounds} bounds");
}

/// `search` reports the shorter schedules its islands find as they are found, under its own
/// name, after greedy's.
#[test]
fn search_reports_its_improvements_as_they_come() {
    let mut own = 0;
    for seed in 0..10 {
        let problem = two_nodes(30, 8, seed);
        let (options, seen) = recording(SolveOptions::default().seed(seed).threads(1));
        let solution = Search::new(options).schedules(3_000).schedule(&problem).unwrap();
        let events = seen.lock().unwrap();
        check_stream(&problem, &events, &solution);
        let first_search = events.iter().position(|p| p.solver == "search");
        assert!(first_search.is_none_or(|i| events[..i].iter().any(|p| p.solver == "greedy")));
        own += events.iter().filter(|p| p.solver == "search" && p.schedule().is_some()).count();
    }
    assert!(own > 0, "search improved on greedy in none of 10 instances");
}

fn instances() -> impl Strategy<Value = Problem> {
    (1usize..=12, 1usize..=3, 1usize..=3, 0.0f64..1.0, 0.0f64..1.0, 0u64..=4, any::<u64>()).prop_map(
        |(tasks, nodes, resources, eligibility, heterogeneity, max_delay, seed)| {
            Generator { tasks, nodes, resources, eligibility, heterogeneity, max_delay, seed, ..small_mixed() }
                .generate()
                .expect("generated instances are valid")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_solver_with_options_reports_in_order(problem in instances()) {
        let mut names = vec!["greedy", "search", "dp", "auto"];
        if cfg!(feature = "ilp") {
            names.push("ilp");
        }
        if cfg!(feature = "cp") {
            names.push("cp");
        }
        for name in names {
            let (options, seen) = recording(SolveOptions::default().time_limit(Duration::from_secs(5)));
            let solver: Box<dyn Scheduler> = match name {
                "search" => Box::new(Search::new(options).schedules(600)),
                _ => solver_by_name(name, &options).unwrap(),
            };
            let solution = solver.schedule(&problem).unwrap();
            prop_assert_eq!(solution.schedule.verify(&problem), Ok(()));
            check_stream(&problem, &seen.lock().unwrap(), &solution);
        }
    }
}
