//! Every solver under the time rules (release dates, deadlines, fixed tasks, downtime, `now`)
//! on random instances of the full model: every schedule verifies (so no deadline is broken
//! and no fixed task moves); `dp`, `ilp`, `cp` and `auto` agree with a brute-force oracle on the optimum and on
//! infeasibility; heuristics (and `search`) either find a verified schedule or say which deadlines they
//! missed, and never claim infeasibility the oracle refutes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use common::instances::with_time_rules as live;
use common::oracle::oracle;
use dagplan::heuristic_solvers;
use dagplan::{
    Auto, Cpm, Dp, Problem, ProblemSpec, Scheduler, Search, Solution, SolveError, SolveOptions, SplitMix64, Status,
    WindowSpec,
};
use proptest::prelude::*;

/// [`live`] with more downtime: one to three more windows on every node (merged with the
/// ones `live` drew).
fn down(seed: u64, tasks: usize, nodes: usize) -> Option<Problem> {
    let mut spec = live(seed, tasks, nodes)?.to_spec();
    let mut rng = SplitMix64::new(seed ^ 0xd0e5);
    let horizon = 8 * tasks as u64 + 10;
    for node in &mut spec.nodes {
        for _ in 0..1 + rng.below(3) {
            let from = rng.below(horizon);
            node.unavailable.push(WindowSpec { from, to: from + 1 + rng.below(6) });
        }
        node.unavailable.sort_by_key(|w| (w.from, w.to));
        let mut merged: Vec<WindowSpec> = Vec::new();
        for w in node.unavailable.drain(..) {
            match merged.last_mut() {
                Some(last) if w.from <= last.to => last.to = last.to.max(w.to),
                _ => merged.push(w),
            }
        }
        node.unavailable = merged;
    }
    spec.build().ok()
}

fn checked(problem: &Problem, solution: &Solution) {
    if solution.status == Status::Infeasible {
        assert!(solution.schedule.assignments().is_empty());
        return;
    }
    assert_eq!(solution.schedule.verify(problem), Ok(()));
    assert!(solution.lower_bound <= solution.makespan());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn dp_agrees_with_the_oracle_and_heuristics_never_break_a_rule(
        seed in 0u64..1_000_000, tasks in 1usize..=5, nodes in 1usize..=2,
    ) {
        let Some(problem) = live(seed, tasks, nodes) else { return Ok(()) };
        let expected = oracle(&problem);
        let dp = Dp::default().schedule(&problem).unwrap();
        checked(&problem, &dp);
        match expected {
            None => prop_assert_eq!(dp.status, Status::Infeasible, "seed {}", seed),
            Some(m) => {
                prop_assert_eq!(dp.status, Status::Optimal, "seed {}", seed);
                prop_assert_eq!(dp.makespan(), m, "seed {}", seed);
                prop_assert!(dagplan::lower_bound(&problem) <= m, "seed {}", seed);
                // The optimum as warm start: kept and proven.
                let warm = Dp::new(SolveOptions::default().warm_start(dp.schedule.clone())).schedule(&problem).unwrap();
                prop_assert_eq!((warm.makespan(), warm.status), (m, Status::Optimal), "warm, seed {}", seed);
            }
        }
        #[cfg(feature = "ilp")]
        {
            let ilp = dagplan::Ilp::default().schedule(&problem).unwrap();
            checked(&problem, &ilp);
            match expected {
                None => prop_assert_eq!(ilp.status, Status::Infeasible, "ilp, seed {}", seed),
                Some(m) => {
                    prop_assert_eq!(ilp.status, Status::Optimal, "ilp, seed {}", seed);
                    prop_assert_eq!(ilp.makespan(), m, "ilp, seed {}", seed);
                }
            }
        }
        #[cfg(feature = "cp")]
        {
            let cp = dagplan::Cp::default().schedule(&problem).unwrap();
            checked(&problem, &cp);
            match expected {
                None => prop_assert_eq!(cp.status, Status::Infeasible, "cp, seed {}", seed),
                Some(m) => {
                    prop_assert_eq!(cp.status, Status::Optimal, "cp, seed {}", seed);
                    prop_assert_eq!(cp.makespan(), m, "cp, seed {}", seed);
                }
            }
        }
        // `auto` runs `dp` to the end (no time limit): exact, like `dp`.
        let auto = Auto::new(SolveOptions::default().threads(2)).schedule(&problem).unwrap();
        checked(&problem, &auto);
        match expected {
            None => prop_assert_eq!(auto.status, Status::Infeasible, "auto, seed {}", seed),
            Some(m) => {
                prop_assert_eq!(auto.status, Status::Optimal, "auto, seed {}", seed);
                prop_assert_eq!(auto.makespan(), m, "auto, seed {}", seed);
            }
        }
        let mut solvers = heuristic_solvers();
        solvers.push(Box::new(Search::new(SolveOptions::default().threads(1)).schedules(200)));
        for solver in solvers {
            match solver.schedule(&problem) {
                Ok(solution) => {
                    checked(&problem, &solution);
                    if solution.status == Status::Infeasible {
                        prop_assert!(expected.is_none(), "{} claims infeasible, seed {}", solver.name(), seed);
                    } else {
                        prop_assert!(solution.makespan() >= expected.unwrap(), "seed {}", seed);
                    }
                }
                Err(SolveError::DeadlinesMissed(missed)) => prop_assert!(!missed.is_empty()),
                Err(e) => prop_assert!(false, "{} failed: {e}, seed {}", solver.name(), seed),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The lower bounds (energy around downtime, fixed tasks and eligibility; pinned; critical
    /// path) never exceed the optimum, on up to three nodes.
    #[test]
    fn the_lower_bounds_never_exceed_the_optimum(seed in 0u64..1_000_000, tasks in 1usize..=5, nodes in 1usize..=3) {
        let Some(problem) = live(seed, tasks, nodes) else { return Ok(()) };
        if let Some(m) = oracle(&problem) {
            let bounds = dagplan::LowerBounds::compute(&problem);
            prop_assert!(bounds.best() <= m, "seed {}: {:?} above the optimum {}", seed, bounds, m);
        }
    }

    /// The critical path method around downtime (its earliest and latest times, against the
    /// optimum as deadline, and its proofs of unmeetable deadlines) never cuts off an optimal
    /// schedule, with more downtime than [`live`] draws.
    #[test]
    fn cpm_around_downtime_never_cuts_off_an_optimum(seed in 0u64..1_000_000, tasks in 1usize..=5, nodes in 1usize..=3) {
        let Some(problem) = down(seed, tasks, nodes) else { return Ok(()) };
        let expected = oracle(&problem);
        let cpm = Cpm::analyze(&problem);
        if let Some((t, finish, due)) = cpm.deadline_conflict() {
            prop_assert!(expected.is_none(), "seed {}: {} cannot finish by {} before {}", seed, t.index(), due, finish);
        }
        let Some(m) = expected else { return Ok(()) };
        let bounds = dagplan::LowerBounds::compute(&problem);
        prop_assert!(bounds.best() <= m, "seed {}: {:?} above the optimum {}", seed, bounds, m);
        let optimum = Dp::default().schedule(&problem).unwrap();
        prop_assert_eq!((optimum.makespan(), optimum.status), (m, Status::Optimal), "seed {}", seed);
        checked(&problem, &optimum);
        let windows = Cpm::with_deadline(&problem, m);
        for a in optimum.schedule.assignments() {
            let t = a.task;
            prop_assert!(cpm.earliest_start(t) <= a.start && cpm.earliest_finish(t) <= a.finish, "seed {}: {:?}", seed, a);
            prop_assert!(windows.latest_start(t) >= a.start && windows.latest_finish(t) >= a.finish, "seed {}: {:?}", seed, a);
            prop_assert!(cpm.due(t).is_none_or(|due| a.finish <= due), "seed {}: {:?}", seed, a);
        }
    }
}

#[test]
fn the_generated_rules_are_varied() {
    let problems: Vec<Problem> = (0..200).filter_map(|s| live(s, 5, 2)).collect();
    assert!(problems.len() > 100, "{} valid", problems.len());
    assert!(problems.iter().any(|p| p.has_fixed_tasks()));
    assert!(problems.iter().any(|p| p.has_downtime()));
    assert!(problems.iter().any(|p| p.has_deadlines()));
    assert!(problems.iter().any(|p| p.now() > 0));
    let infeasible = problems.iter().filter(|p| oracle(p).is_none()).count();
    assert!(infeasible > 0 && infeasible < problems.len(), "{infeasible} infeasible");
}

/// Two unit-capacity tasks of 5 that must both finish by 8 on one node: no precedence, so
/// the critical path method sees nothing; the exact solvers must prove it, the heuristics
/// must say which deadline they missed.
#[test]
fn exact_solvers_prove_a_resource_conflict_infeasible() {
    let problem = ProblemSpec::new()
        .node(dagplan::NodeSpec::new("n").capacity("cpu", 1))
        .task(dagplan::TaskSpec::new("a", 5).demand("cpu", 1).deadline(8))
        .task(dagplan::TaskSpec::new("b", 5).demand("cpu", 1).deadline(8))
        .build()
        .unwrap();
    assert_eq!(oracle(&problem), None);
    assert_eq!(Dp::default().schedule(&problem).unwrap().status, Status::Infeasible);
    #[cfg(feature = "ilp")]
    assert_eq!(dagplan::Ilp::default().schedule(&problem).unwrap().status, Status::Infeasible);
    #[cfg(feature = "cp")]
    assert_eq!(dagplan::Cp::default().schedule(&problem).unwrap().status, Status::Infeasible);
    for solver in heuristic_solvers() {
        let Err(SolveError::DeadlinesMissed(missed)) = solver.schedule(&problem) else { panic!("{}", solver.name()) };
        assert_eq!(missed.len(), 1);
        assert_eq!((missed[0].deadline, missed[0].finish), (8, 10));
        assert!(SolveError::DeadlinesMissed(missed).to_string().contains("finishes at 10, deadline 8"));
    }
}

/// Downtime the lower bounds do not see: the exact solvers must still prove the optimum.
#[test]
fn exact_solvers_prove_optima_around_downtime() {
    let problem = ProblemSpec::new()
        .node(dagplan::NodeSpec::new("n").capacity("cpu", 1).unavailable(2, 6))
        .task(dagplan::TaskSpec::new("a", 3).demand("cpu", 1))
        .task(dagplan::TaskSpec::new("b", 2).demand("cpu", 1).release(1))
        .build()
        .unwrap();
    assert_eq!(oracle(&problem), Some(11)); // both after the window: a at 6, b at 9
    let dp = Dp::default().schedule(&problem).unwrap();
    checked(&problem, &dp);
    assert_eq!((dp.makespan(), dp.status), (11, Status::Optimal));
    #[cfg(feature = "ilp")]
    {
        let ilp = dagplan::Ilp::default().dp_share(0.0).unwrap().schedule(&problem).unwrap();
        checked(&problem, &ilp);
        assert_eq!((ilp.makespan(), ilp.status), (11, Status::Optimal));
    }
    #[cfg(feature = "cp")]
    {
        let cp = dagplan::Cp::default().schedule(&problem).unwrap();
        checked(&problem, &cp);
        assert_eq!((cp.makespan(), cp.status), (11, Status::Optimal));
    }
}

/// Downtime covering every start that a predecessor and a deadline leave (the validation,
/// which looks at each task alone, lets it through): the critical path method proves it.
#[test]
fn exact_solvers_prove_downtime_over_a_deadline_infeasible() {
    let problem = ProblemSpec::new()
        .node(dagplan::NodeSpec::new("n").capacity("cpu", 1).unavailable(4, 10))
        .task(dagplan::TaskSpec::new("b", 2).demand("cpu", 1))
        .task(dagplan::TaskSpec::new("a", 3).demand("cpu", 1).deadline(9).after("b"))
        .build()
        .unwrap();
    assert_eq!(oracle(&problem), None);
    assert_eq!(Dp::default().schedule(&problem).unwrap().status, Status::Infeasible);
    #[cfg(feature = "cp")]
    assert_eq!(dagplan::Cp::default().schedule(&problem).unwrap().status, Status::Infeasible);
    // The critical path method routes `a` around the window (ready at 2, free at 10): the
    // proof itself, so every solver, heuristics included, answers `Infeasible`.
    let (task, finish, due) = dagplan::deadline_conflict(&problem).unwrap();
    assert_eq!((problem.task_name(task), finish, due), ("a", 13, 4));
    for solver in heuristic_solvers() {
        assert_eq!(solver.schedule(&problem).unwrap().status, Status::Infeasible, "{}", solver.name());
    }
}

/// The smallest input on which `search` once failed ("the greedy start left a task unplaced":
/// greedy proved the deadlines unmeetable and returned no schedule): `search` and `auto` now
/// answer as the oracle does.
#[test]
fn search_and_auto_answer_when_greedy_proves_the_deadlines_unmeetable() {
    let problem = live(414_085, 2, 2).unwrap();
    let expected = oracle(&problem);
    let search = Search::new(SolveOptions::default().threads(1)).schedules(200).schedule(&problem);
    match search {
        Ok(solution) => {
            checked(&problem, &solution);
            if solution.status == Status::Infeasible {
                assert_eq!(expected, None);
            }
        }
        Err(e) => assert!(matches!(e, SolveError::DeadlinesMissed(_)), "{e}"),
    }
    let auto = Auto::new(SolveOptions::default().threads(2)).schedule(&problem).unwrap();
    checked(&problem, &auto);
    assert_eq!(auto.status == Status::Infeasible, expected.is_none());
}
