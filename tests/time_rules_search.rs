//! `greedy` and `search` optimise under the time rules (release dates, deadlines, fixed tasks,
//! downtime, `now`): on random instances `search`'s plan verifies (so it meets every
//! deadline), is never longer than greedy's nor below the lower bound, and repeats under a
//! schedule budget; greedy returns a plan that meets every deadline whenever one of its passes
//! does; `search` meets the deadlines where every greedy plan misses one, and improves on
//! greedy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use common::instances::with_time_rules;
use dagplan::{Greedy, Policy, Problem, Rule, Scheduler, Scheme, Search, Solution, SolveError, SolveOptions, Status};
use proptest::prelude::*;

/// The answer of a solver in one word, for comparisons: a plan, missed deadlines, or proven
/// infeasible.
#[derive(Debug, PartialEq)]
enum Answer {
    Plan(u64),
    Late,
    Infeasible,
}

fn answer(problem: &Problem, result: &Result<Solution, SolveError>) -> Answer {
    match result {
        Ok(s) if s.status == Status::Infeasible => Answer::Infeasible,
        Ok(s) => {
            assert_eq!(s.schedule.verify(problem), Ok(()));
            assert!(dagplan::lower_bound(problem) <= s.lower_bound && s.lower_bound <= s.makespan());
            Answer::Plan(s.makespan())
        }
        Err(SolveError::DeadlinesMissed(missed)) => {
            assert!(!missed.is_empty());
            Answer::Late
        }
        Err(e) => panic!("{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn search_meets_the_deadlines_never_loses_to_greedy_and_repeats(
        seed in 0u64..1_000_000, tasks in 6usize..=24, nodes in 1usize..=3, search_seed in 0u64..4,
    ) {
        let Some(problem) = with_time_rules(seed, tasks, nodes) else { return Ok(()) };
        let options = SolveOptions::default().seed(search_seed).threads(2);
        let greedy = answer(&problem, &Greedy::new(options.clone()).schedule(&problem));
        let search = Search::new(options.clone()).schedules(1_500);
        let first = search.schedule(&problem);
        let found = answer(&problem, &first);
        match greedy {
            Answer::Plan(g) => prop_assert!(matches!(found, Answer::Plan(m) if m <= g), "seed {}: {:?}", seed, found),
            Answer::Late => prop_assert!(found != Answer::Infeasible, "seed {}", seed),
            Answer::Infeasible => prop_assert_eq!(&found, &Answer::Infeasible, "seed {}", seed),
        }
        // A schedule budget makes it reproducible; the island count, not the thread count,
        // decides the result.
        let first = first.map(|s| s.schedule);
        prop_assert_eq!(&search.schedule(&problem).map(|s| s.schedule), &first);
        let one_thread = Search::new(options.threads(1)).schedules(1_500).islands(2).schedule(&problem);
        prop_assert_eq!(&one_thread.map(|s| s.schedule), &first);
    }

    /// The portfolio's choice puts lateness first: when any of its passes meets every
    /// deadline, it returns a plan that does.
    #[test]
    fn greedy_meets_the_deadlines_when_one_of_its_passes_does(
        seed in 0u64..1_000_000, tasks in 4usize..=16, nodes in 1usize..=3,
    ) {
        let Some(problem) = with_time_rules(seed, tasks, nodes) else { return Ok(()) };
        let portfolio = Greedy::default();
        let some_pass_meets = portfolio.members(&problem).into_iter().any(|c| {
            Greedy::default().single(c.rule, c.policy, c.scheme).schedule(&problem).is_ok()
        });
        let greedy = answer(&problem, &portfolio.schedule(&problem));
        if some_pass_meets {
            prop_assert!(matches!(greedy, Answer::Plan(_) | Answer::Infeasible), "seed {}: {:?}", seed, greedy);
        }
    }
}

/// An instance (found by a scan of the generated ones) on which the shortest pass of the
/// portfolio misses a deadline while longer passes meet them all: greedy returns the
/// shortest of those that meet them, not a `DeadlinesMissed` error.
#[test]
fn greedy_prefers_a_longer_plan_that_meets_the_deadlines() {
    let problem = with_time_rules(35, 8, 1).unwrap();
    let portfolio = Greedy::default().samples(0); // exactly its members
    let passes: Vec<_> = portfolio.members(&problem).iter().map(|c| c.run(&problem, 0).unwrap()).collect();
    let shortest = passes.iter().map(|s| s.makespan()).min().unwrap();
    let meeting = passes.iter().filter(|s| s.verify(&problem).is_ok()).map(|s| s.makespan()).min().unwrap();
    assert!(passes.iter().filter(|s| s.makespan() == shortest).all(|s| s.verify(&problem).is_err()));
    assert!(meeting > shortest);
    let greedy = portfolio.schedule(&problem).unwrap();
    assert_eq!(greedy.schedule.verify(&problem), Ok(()));
    assert_eq!(greedy.makespan(), meeting);
}

/// A generated instance with time rules (found by a scan) on which `search` finds a shorter
/// plan than greedy under a schedule budget.
#[test]
fn search_improves_greedy_under_time_rules() {
    let problem = with_time_rules(1000, 20, 3).unwrap();
    assert!(problem.has_time_rules() && problem.has_deadlines());
    let options = SolveOptions::default().threads(1);
    let greedy = Greedy::new(options.clone()).schedule(&problem).unwrap();
    let search = Search::new(options).schedules(3_000).schedule(&problem).unwrap();
    assert_eq!(search.schedule.verify(&problem), Ok(()));
    assert!(search.makespan() <= greedy.makespan());
    assert!(search.lower_bound <= search.makespan());
    let generations = search.stats.counters.iter().find(|c| c.0 == "generations").map_or(0, |c| c.1);
    assert!(generations > 0, "the genetic algorithm ran: {:?}", search.stats.counters);
}

/// [`with_time_rules`] with its deadlines replaced: every second task must finish by its finish
/// in a seeded random-priority pass, so that pass meets them all and some plan always does.
fn with_reachable_deadlines(seed: u64, tasks: usize, nodes: usize) -> Problem {
    let problem = with_time_rules(seed, tasks, nodes).unwrap();
    let reference = Greedy::new(SolveOptions::default().seed(seed))
        .single(Rule::Random, Policy::EarliestFinish, Scheme::Serial)
        .schedule(&problem)
        .unwrap()
        .schedule;
    let mut spec = problem.to_spec();
    for a in reference.assignments() {
        spec.tasks[a.task.index()].deadline = (a.task.0 % 2 == 0).then_some(a.finish);
    }
    let problem = spec.build().unwrap();
    assert_eq!(reference.verify(&problem), Ok(()));
    problem
}

/// An instance (found by a scan) on which every greedy plan misses a deadline that some plan
/// meets: `search` starts from greedy's least late plan and finds one that meets them all.
#[test]
fn search_meets_the_deadlines_that_greedy_misses() {
    let problem = with_reachable_deadlines(76, 30, 2);
    let options = SolveOptions::default().threads(1);
    let greedy = Greedy::new(options.clone()).schedule(&problem);
    assert!(
        matches!(&greedy, Err(SolveError::DeadlinesMissed(missed)) if !missed.is_empty()),
        "the premise (scan again if greedy changed): {greedy:?}"
    );
    let search = Search::new(options).schedules(3_000).schedule(&problem).unwrap();
    assert_eq!(search.schedule.verify(&problem), Ok(()));
    assert!(search.lower_bound <= search.makespan());
}
