//! The exact solvers (`dp`, `ilp` with the `ilp` feature, `cp` with the `cp` feature) against
//! each other, against a brute-force oracle and against the heuristics, on small random
//! instances of the full model (several nodes and dimensions, eligibility, per-node
//! durations, transfer delays).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // a test fails loudly

mod common;

use std::time::{Duration, Instant};

use common::instances::small;
use common::oracle::oracle;
use dagplan::{CriticalPath, Dp, Generator, Greedy, Problem, Scheduler, Solution, SolveOptions, Status, Topological};
use proptest::prelude::*;

fn checked(problem: &Problem, solution: Solution) -> Solution {
    solution.schedule.verify(problem).unwrap();
    assert!(solution.lower_bound <= solution.makespan());
    assert_eq!(solution.status == Status::Optimal, solution.lower_bound == solution.makespan());
    solution
}

#[test]
fn five_tasks_proven_70() {
    let problem = dagplan::example::five_tasks().unwrap();
    let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
    assert_eq!((dp.makespan(), dp.status), (70, Status::Optimal));
    #[cfg(feature = "ilp")]
    {
        let ilp = checked(&problem, dagplan::Ilp::default().schedule(&problem).unwrap());
        assert_eq!((ilp.makespan(), ilp.status), (70, Status::Optimal));
    }
    #[cfg(feature = "cp")]
    {
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        assert_eq!((cp.makespan(), cp.status), (70, Status::Optimal));
    }
}

#[cfg(feature = "cp")]
#[test]
fn cp_matches_the_brute_force_oracle() {
    for seed in 200..212 {
        let problem = small(seed, 5, 2, 2, if seed % 2 == 0 { 4 } else { 0 });
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        assert_eq!(cp.status, Status::Optimal, "seed {seed}");
        assert_eq!(cp.makespan(), oracle(&problem).unwrap(), "seed {seed}");
    }
}

/// Where the heuristic is not optimal, `cp` must find the shorter schedule itself and prove
/// it, on instances with several nodes, eligibility, per-node durations and delays.
#[cfg(feature = "cp")]
#[test]
fn cp_finds_and_proves_the_optimum() {
    let mut improved = 0;
    for seed in 0..40 {
        let problem = small(seed, 8, 3, 2, 3);
        let heuristic = Greedy::default().schedule(&problem).unwrap().makespan();
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        assert_eq!((cp.status, cp.makespan()), (Status::Optimal, dp.makespan()), "seed {seed}");
        improved += usize::from(cp.makespan() < heuristic);
    }
    assert!(improved > 0, "no instance where cp had to improve on the heuristic");
}

/// Double justification of the schedules `cp` finds keeps its answers optimal and counts no
/// more schedules than it finds, and stays out of problems with time rules, which it does not
/// know (the unit tests in `cp/search.rs` show it shortening a slack schedule).
#[cfg(feature = "cp")]
#[test]
fn cp_justifies_schedules_except_under_time_rules() {
    for seed in 0..40 {
        let problem = small(seed, 10, 2, 2, 2);
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        assert_eq!((cp.status, cp.makespan()), (Status::Optimal, dp.makespan()), "seed {seed}");
        assert!(counter(&cp, "justified") <= counter(&cp, "schedules"), "seed {seed}");
    }
    let mut timed = 0;
    for seed in 0..40 {
        let Some(problem) = common::instances::with_time_rules(seed, 8, 2) else { continue };
        let Ok(cp) = dagplan::Cp::default().schedule(&problem) else { continue };
        if cp.status == Status::Infeasible {
            continue;
        }
        assert_eq!(counter(&checked(&problem, cp), "justified"), 0, "seed {seed}");
        timed += 1;
    }
    assert!(timed > 10, "only {timed} problems with time rules were solved");
}

/// A proven bound from elsewhere and a smaller target are honoured: the bound is kept, and
/// refuting the target proves it.
#[cfg(feature = "cp")]
#[test]
fn cp_takes_bounds_from_its_options() {
    for seed in 0..20 {
        let problem = small(seed, 8, 3, 2, 3);
        let optimum = Dp::default().schedule(&problem).unwrap().makespan();
        let cp = checked(&problem, dagplan::Cp::default().upper_bound(optimum).schedule(&problem).unwrap());
        assert_eq!(cp.lower_bound, optimum, "seed {seed}: refuting the optimum minus one proves it");
        let cp = checked(&problem, dagplan::Cp::default().lower_bound(optimum).schedule(&problem).unwrap());
        assert_eq!((cp.status, cp.makespan()), (Status::Optimal, optimum), "seed {seed}");
    }
}

#[test]
fn dp_matches_the_brute_force_oracle() {
    for seed in 0..12 {
        let problem = small(seed, 5, 2, 2, if seed % 2 == 0 { 4 } else { 0 });
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        assert_eq!(dp.status, Status::Optimal, "seed {seed}");
        assert_eq!(dp.makespan(), oracle(&problem).unwrap(), "seed {seed}");
    }
}

#[cfg(feature = "ilp")]
#[test]
fn ilp_matches_the_brute_force_oracle() {
    for seed in 100..106 {
        let problem = small(seed, 5, 2, 2, 3);
        let ilp = checked(&problem, dagplan::Ilp::new(SolveOptions::default().threads(1)).schedule(&problem).unwrap());
        assert_eq!(ilp.status, Status::Optimal, "seed {seed}");
        assert_eq!(ilp.makespan(), oracle(&problem).unwrap(), "seed {seed}");
    }
}

/// Without the `dp` primal runs HiGHS must find every shorter schedule itself; it agrees with
/// `dp` and, where the heuristic was not optimal, its own schedule is the answer.
#[cfg(feature = "ilp")]
#[test]
fn ilp_alone_finds_and_proves_the_optimum() {
    let mut improved = 0;
    for seed in 0..40 {
        let problem = small(seed, 8, 2, 2, 3);
        let heuristic = Greedy::default().schedule(&problem).unwrap().makespan();
        let ilp = dagplan::Ilp::new(SolveOptions::default().threads(1)).dp_share(0.0).unwrap();
        let ilp = checked(&problem, ilp.schedule(&problem).unwrap());
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        assert_eq!((ilp.status, ilp.makespan()), (Status::Optimal, dp.makespan()), "seed {seed}");
        improved += usize::from(ilp.makespan() < heuristic);
    }
    assert!(improved > 0, "no instance where HiGHS had to improve on the heuristic");
}

/// With a relative gap `g`, `ilp` stops once `(makespan − bound) / makespan ≤ g`; for each gap
/// some instances need HiGHS for it (the heuristic schedule is not within the gap of the
/// lower bound: a model is built), so the gap is reached by work, not given.
#[cfg(feature = "ilp")]
#[test]
fn ilp_meets_its_relative_gap() {
    for gap in [0.05, 0.1, 0.2] {
        let mut modelled = 0;
        for seed in 0..20 {
            let problem = small(seed, 8, 2, 2, 3);
            let ilp = dagplan::Ilp::new(SolveOptions::default().threads(1)).relative_gap(gap).unwrap();
            let s = checked(&problem, ilp.schedule(&problem).unwrap());
            let reached = (s.makespan() - s.lower_bound) as f64 / s.makespan() as f64;
            assert!(reached <= gap + 1e-9, "seed {seed}: gap {reached} above {gap}");
            modelled += usize::from(counter(&s, "columns") > 0);
        }
        assert!(modelled > 0, "gap {gap}: no instance needed HiGHS");
    }
}

/// A solver's counter by name (a test fails if it is missing).
fn counter(solution: &Solution, name: &str) -> u64 {
    let found = solution.stats.counters.iter().find(|&&(k, _)| k == name);
    found.unwrap_or_else(|| panic!("no counter `{name}` in {:?}", solution.stats.counters)).1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Both exact solvers prove the same optimum, neither beats the other's bound, and no
    /// heuristic beats it.
    #[test]
    fn exact_solvers_agree(seed in 0u64..1_000_000, tasks in 2usize..=8, nodes in 2usize..=3,
                           resources in 1usize..=3, max_delay in 0u64..=5) {
        let problem = small(seed, tasks, nodes, resources, max_delay);
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        prop_assert_eq!(dp.status, Status::Optimal);
        for h in [&Topological::default() as &dyn Scheduler, &CriticalPath::default()] {
            prop_assert!(h.schedule(&problem).unwrap().makespan() >= dp.makespan());
        }
        prop_assert!(Greedy::default().schedule(&problem).unwrap().makespan() >= dp.makespan());
        #[cfg(feature = "ilp")]
        {
            let ilp = checked(&problem, dagplan::Ilp::new(SolveOptions::default().threads(1)).schedule(&problem).unwrap());
            prop_assert_eq!(ilp.status, Status::Optimal);
            prop_assert_eq!(ilp.makespan(), dp.makespan());
            prop_assert!(ilp.lower_bound <= dp.makespan() && dp.lower_bound <= ilp.makespan());
        }
        #[cfg(feature = "cp")]
        {
            let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
            prop_assert_eq!(cp.status, Status::Optimal);
            prop_assert_eq!(cp.makespan(), dp.makespan());
            prop_assert!(cp.lower_bound <= dp.makespan() && dp.lower_bound <= cp.makespan());
        }
    }

    /// Metamorphic: scaling every duration and delay by k scales the optimum by k.
    #[test]
    fn dp_scales_with_durations(seed in 0u64..1_000_000, tasks in 2usize..=6) {
        let problem = small(seed, tasks, 2, 2, 2);
        let mut spec = problem.to_spec();
        for t in &mut spec.tasks {
            t.duration *= 3;
            for d in t.durations.values_mut() {
                *d *= 3;
            }
            for a in &mut t.after {
                if let dagplan::DependencySpec::Delayed(d) = a {
                    d.delay *= 3;
                }
            }
        }
        let scaled = spec.build().unwrap();
        let a = checked(&problem, Dp::default().schedule(&problem).unwrap());
        let b = checked(&scaled, Dp::default().schedule(&scaled).unwrap());
        prop_assert_eq!(b.makespan(), 3 * a.makespan());
    }
}

/// A job shop in the OR-Library format: `jobs` jobs, each visiting every one of `machines`
/// machines once in an order drawn from `seed`, durations 1–9.
#[cfg(feature = "cp")]
fn job_shop(jobs: usize, machines: usize, seed: u64) -> Problem {
    let mut state = seed | 1;
    let mut draw = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut text = format!("{jobs} {machines}\n");
    for _ in 0..jobs {
        let mut order: Vec<usize> = (0..machines).collect();
        for k in (1..machines).rev() {
            order.swap(k, draw(k as u64 + 1) as usize);
        }
        let line: Vec<String> = order.iter().map(|m| format!("{m} {}", 1 + draw(9))).collect();
        text += &(line.join(" ") + "\n");
    }
    dagplan::io::parse_problem(&text, dagplan::io::Format::JobShop).unwrap()
}

#[cfg(feature = "cp")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// On job shops `cp` orders every pair of operations of a machine with a literal of its
    /// own (beside the machine's disjunctive), and still proves what `dp` proves.
    #[test]
    fn cp_agrees_with_dp_on_job_shops(jobs in 2usize..=4, machines in 2usize..=3, seed in any::<u64>()) {
        let problem = job_shop(jobs, machines, seed);
        let dp = checked(&problem, Dp::default().schedule(&problem).unwrap());
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        prop_assert_eq!(dp.status, Status::Optimal);
        prop_assert_eq!((cp.status, cp.makespan()), (Status::Optimal, dp.makespan()));
        // At most one literal per pair of a machine's operations (pairs whose windows cannot
        // overlap need none; no model at all when greedy meets the bound).
        prop_assert!(search_counter(&cp, "orders") <= (machines * jobs * (jobs - 1) / 2) as u64);
    }
}

/// A counter of `cp` that only a search reports (0 when it answered without one: greedy met
/// the bound).
#[cfg(feature = "cp")]
fn search_counter(solution: &Solution, name: &str) -> u64 {
    solution.stats.counters.iter().find(|&&(k, _)| k == name).map_or(0, |&(_, n)| n)
}

/// Job shops where greedy leaves work to do get order literals, and `cp` proves them.
#[cfg(feature = "cp")]
#[test]
fn cp_orders_the_operations_of_job_shops() {
    let mut searched = 0;
    for seed in 0..30 {
        let problem = job_shop(4, 3, seed);
        let cp = checked(&problem, dagplan::Cp::default().schedule(&problem).unwrap());
        assert_eq!(cp.status, Status::Optimal, "seed {seed}");
        if search_counter(&cp, "iterations") > 0 {
            assert!(search_counter(&cp, "orders") > 0, "seed {seed}: cp searched without order literals");
            searched += 1;
        }
    }
    assert!(searched > 5, "only {searched} of 30 job shops needed a search");
}

fn big() -> Problem {
    Generator {
        tasks: 60,
        nodes: 3,
        resources: 3,
        max_delay: 4,
        eligibility: 0.3,
        heterogeneity: 0.3,
        seed: 7,
        ..Generator::default()
    }
    .generate()
    .unwrap()
}

#[test]
fn dp_honours_the_time_limit() {
    let problem = big();
    let limit = Duration::from_millis(300);
    let clock = Instant::now();
    let s = checked(&problem, Dp::new(SolveOptions::default().time_limit(limit)).schedule(&problem).unwrap());
    assert!(clock.elapsed() < limit + Duration::from_secs(2), "took {:?}", clock.elapsed());
    assert!(s.makespan() <= Greedy::default().schedule(&problem).unwrap().makespan());
}

/// The cap stops a search that needs more states (the heuristic schedule is not proven
/// optimal by the lower bound, and the uncapped search explores more), with a verified schedule.
#[test]
fn dp_honours_the_state_cap() {
    let problem = big();
    let capped = checked(&problem, Dp::default().max_states(50).schedule(&problem).unwrap());
    let states = counter(&capped, "states");
    // The state that overflows the memo is counted, then the search stops.
    assert!((50..=51).contains(&states), "{states} states with a cap of 50");
    assert_eq!(capped.status, Status::Feasible);
    let more = Dp::default().max_states(5_000).schedule(&problem).unwrap();
    assert!(counter(&more, "states") > 51, "the uncapped search needs more states");
}

#[cfg(feature = "ilp")]
#[test]
fn ilp_honours_the_time_limit() {
    let problem = big();
    let limit = Duration::from_millis(500);
    let clock = Instant::now();
    let ilp = dagplan::Ilp::new(SolveOptions::default().time_limit(limit).threads(1));
    let s = checked(&problem, ilp.schedule(&problem).unwrap());
    assert!(clock.elapsed() < limit + Duration::from_secs(3), "took {:?}", clock.elapsed());
    assert!(s.lower_bound <= s.makespan());
}

#[cfg(feature = "cp")]
#[test]
fn cp_honours_the_time_limit() {
    let problem = big();
    let limit = Duration::from_millis(300);
    let clock = Instant::now();
    let s = checked(&problem, dagplan::Cp::new(SolveOptions::default().time_limit(limit)).schedule(&problem).unwrap());
    assert!(clock.elapsed() < limit + Duration::from_secs(2), "took {:?}", clock.elapsed());
    assert!(s.makespan() <= Greedy::default().schedule(&problem).unwrap().makespan());
}

#[cfg(feature = "ilp")]
#[test]
fn ilp_refuses_oversized_models_and_writes_lp_files() {
    let problem = big();
    let err = dagplan::Ilp::default().max_columns(10).schedule(&problem).unwrap_err();
    assert!(matches!(err, dagplan::SolveError::TooLarge(_)), "{err}");
    let e = dagplan::Ilp::default().relative_gap(-1.0).unwrap_err();
    assert_eq!((e.option, e.value.as_str()), ("relative_gap", "-1"), "{e}");
    assert!(dagplan::Ilp::default().relative_gap(f64::NAN).is_err());
    let e = dagplan::Ilp::default().dp_share(1.0).unwrap_err();
    assert_eq!(e.to_string(), "option `dp_share` = 1: must be in [0, 1)");

    let path = std::env::temp_dir().join(format!("dagplan-ilp-{}.lp", std::process::id()));
    for seed in 0..20 {
        let problem = small(seed, 7, 2, 2, 3);
        let s = checked(
            &problem,
            dagplan::Ilp::new(SolveOptions::default().threads(1)).lp_file(&path).schedule(&problem).unwrap(),
        );
        // When the heuristic meets the bound no model is built and no file is written.
        if counter(&s, "columns") > 0 {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains("Minimize") && text.contains("Binaries") && text.ends_with("End\n"));
            let _ = std::fs::remove_file(&path);
            return;
        }
    }
    panic!("no instance needed a model");
}
