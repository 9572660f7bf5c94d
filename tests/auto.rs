//! The `auto` portfolio: the five-task example proven; never worse than any of its members in
//! the same run (from its own report); progress in order; the time limit and cancellation
//! hold and return the best schedule so far; no member's thread outlives the call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

mod common;

use common::instances::small_mixed;
use common::progress::{check_stream, recording};
use dagplan::Generator;
use dagplan::{Auto, Problem, Scheduler, Solution, SolveOptions, Split, Status};
use proptest::prelude::*;

/// Timing tests run one at a time, so they do not slow each other down.
static SERIAL: Mutex<()> = Mutex::new(());

/// Checks what `auto`'s own report says: a verified schedule no longer than any member's, a
/// bound no lower than any member's, credits that name members.
fn check_report(problem: &Problem, solution: &Solution) -> Result<(), TestCaseError> {
    prop_assert_eq!(solution.schedule.verify(problem), Ok(()));
    let stats = &solution.stats;
    prop_assert!(!stats.members.is_empty());
    prop_assert_eq!(stats.members[0].solver, "greedy", "greedy runs first");
    for member in &stats.members {
        if let Some(makespan) = member.makespan {
            prop_assert!(solution.makespan() <= makespan, "{} found {makespan}", member.solver);
        }
        prop_assert!(solution.lower_bound >= member.lower_bound, "{} proved {}", member.solver, member.lower_bound);
        prop_assert!(member.makespan.is_some() || member.error.is_some());
    }
    let found_by = stats.found_by.expect("someone found the schedule");
    prop_assert!(stats.members.iter().any(|m| m.solver == found_by), "{found_by} is a member");
    let proved_by = stats.proved_by.expect("the bound has an author");
    prop_assert!(proved_by == "bounds" || stats.members.iter().any(|m| m.solver == proved_by), "{proved_by}");
    prop_assert_eq!(solution.status == Status::Optimal, solution.makespan() == solution.lower_bound);
    Ok(())
}

#[test]
fn five_tasks_70_and_optimal() {
    let problem = dagplan::example::five_tasks().unwrap();
    let (options, seen) = recording(SolveOptions::default().time_limit(Duration::from_secs(10)));
    let started = Instant::now();
    let solution = Auto::new(options).schedule(&problem).unwrap();
    assert_eq!((solution.makespan(), solution.lower_bound, solution.status), (70, 70, Status::Optimal));
    assert!(started.elapsed() < Duration::from_secs(5), "a proof ends the run at once");
    check_report(&problem, &solution).unwrap();
    check_stream(&problem, &seen.lock().unwrap(), &solution);
}

/// Resource-tight multi-node instances that no member closes in a fraction of a second.
fn hard(seed: u64, tasks: usize) -> Problem {
    Generator { dependencies: 1.2, ..Generator::tight_workflow(tasks, 3, seed) }.generate().unwrap()
}

#[test]
fn the_time_limit_holds_with_every_split_and_the_report_is_consistent() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let problem = hard(1, 60);
    let limit = Duration::from_millis(1500);
    for split in [Split::Lanes, Split::Concurrent, Split::ImproveOnly] {
        let (options, seen) = recording(SolveOptions::default().time_limit(limit).threads(2));
        let started = Instant::now();
        let solution = Auto::new(options).split(split).schedule(&problem).unwrap();
        let elapsed = started.elapsed();
        // The work done past the limit is measured in CPU time in tests/limits.rs (the wall time
        // of a loaded machine says little); here only a solver that waits would fail.
        let margin = limit + Duration::from_secs(2);
        let members: Vec<_> =
            solution.stats.members.iter().map(|m| (m.solver, m.started, m.stats.elapsed, &m.error)).collect();
        assert!(elapsed <= margin, "{split:?} took {elapsed:?} with a limit of {limit:?}: {members:?}");
        check_report(&problem, &solution).unwrap();
        check_stream(&problem, &seen.lock().unwrap(), &solution);
        if solution.status != Status::Optimal && split != Split::ImproveOnly {
            assert!(solution.stats.members.iter().any(|m| m.solver == "dp"), "{split:?}: {:?}", solution.stats);
        }
    }
}

/// A proof by `cp` is the portfolio's: on resource-tight instances that `dp` does not close
/// in a second but `cp` does, `auto` answers `Optimal` with `cp`'s optimum.
#[cfg(feature = "cp")]
#[test]
fn the_portfolio_proves_what_cp_proves() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut seen = 0;
    for seed in 0..30 {
        let problem = Generator { window: 20, ..common::instances::rcpsp(30, seed) }.generate().unwrap();
        let limit = |s| SolveOptions::default().time_limit(Duration::from_secs(s));
        let dp = dagplan::Dp::new(limit(1)).schedule(&problem).unwrap();
        if dp.status == Status::Optimal {
            continue;
        }
        let cp = dagplan::Cp::new(limit(5)).schedule(&problem).unwrap();
        if cp.status != Status::Optimal {
            continue;
        }
        let auto = Auto::new(limit(20).threads(2)).split(Split::Concurrent).schedule(&problem).unwrap();
        check_report(&problem, &auto).unwrap();
        assert_eq!((auto.status, auto.makespan()), (Status::Optimal, cp.makespan()), "seed {seed}: {:?}", auto.stats);
        seen += 1;
        if seen == 3 {
            break;
        }
    }
    assert!(seen > 0, "no instance that cp closes and dp does not");
}

#[test]
fn a_cancel_returns_the_best_schedule_so_far_and_leaves_no_member_running() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let problem = hard(2, 80);
    let flag = Arc::new(AtomicBool::new(false));
    let setter = {
        let flag = Arc::clone(&flag);
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            flag.store(true, Ordering::Relaxed);
        })
    };
    let started = Instant::now();
    let (options, seen) = recording(SolveOptions::default().cancel(flag).threads(2));
    let solution = Auto::new(options).schedule(&problem).unwrap();
    let elapsed = started.elapsed();
    setter.join().unwrap();
    // The CPU time past a cancel is measured in tests/limits.rs; here only a solver that
    // waits would fail.
    assert!(elapsed <= Duration::from_millis(300 + 2000), "auto took {elapsed:?} after a cancel at 300 ms");
    check_report(&problem, &solution).unwrap();
    // The best schedule so far: the last one reported, with the best bound reported.
    check_stream(&problem, &seen.lock().unwrap(), &solution);
    assert_ne!(solution.status, Status::Optimal, "the instance is too easy to show a cancel");
}

fn small() -> impl Strategy<Value = Problem> {
    (1usize..=10, 1usize..=3, 1usize..=3, 0.0f64..0.6, 0.0f64..0.6, 0u64..=4, any::<u64>()).prop_map(
        |(tasks, nodes, resources, eligibility, heterogeneity, max_delay, seed)| {
            Generator { tasks, nodes, resources, eligibility, heterogeneity, max_delay, seed, ..small_mixed() }
                .generate()
                .expect("generated instances are valid")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// On small instances every exact member finishes: `auto` proves the optimum, agrees with
    /// `dp` alone, and its report shows it is no worse than any member.
    #[test]
    fn auto_proves_small_instances_and_is_never_worse_than_a_member(problem in small(), threads in 1usize..=3) {
        let options = SolveOptions::default().time_limit(Duration::from_secs(20)).threads(threads);
        let solution = Auto::new(options.clone()).schedule(&problem).unwrap();
        check_report(&problem, &solution)?;
        let dp = dagplan::Dp::new(options).schedule(&problem).unwrap();
        prop_assert_eq!(dp.status, Status::Optimal);
        prop_assert_eq!((solution.makespan(), solution.status), (dp.makespan(), Status::Optimal));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Cut short on instances no member closes at once: still a verified schedule no longer
    /// than any member's and a bound no lower than any member's (from its own report), and a
    /// progress stream in order that ends at the answer.
    #[test]
    fn auto_cut_short_is_never_worse_than_a_member(seed in any::<u64>(), tasks in 20usize..=60, threads in 1usize..=3) {
        let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let problem = hard(seed, tasks);
        let (options, seen) = recording(SolveOptions::default().time_limit(Duration::from_millis(400)).threads(threads));
        let solution = Auto::new(options).schedule(&problem).unwrap();
        check_report(&problem, &solution)?;
        check_stream(&problem, &seen.lock().unwrap(), &solution);
    }
}
