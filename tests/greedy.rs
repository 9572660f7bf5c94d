//! The greedy list scheduler: each rule and policy on cases where its choice is known, the
//! five-task example under every combination, properties over generated instances, and
//! determinism.
#![expect(clippy::unwrap_used, clippy::panic, reason = "test helpers fail loudly on broken fixtures")]

use std::time::Duration;

use dagplan::{
    Combination, Generator, Greedy, NodeSpec, Policy, Problem, ProblemSpec, Rule, Schedule, Scheduler, Scheme,
    SolveOptions, Status, TaskSpec, lower_bound,
};
use proptest::prelude::*;

fn checked(problem: &Problem, schedule: &Schedule) {
    if let Err(v) = schedule.verify(problem) {
        panic!("{v}");
    }
}

fn node_of(problem: &Problem, schedule: &Schedule, task: &str) -> String {
    let t = problem.task_id(task).unwrap();
    problem.node_name(schedule.assignment(t).unwrap().node).to_owned()
}

fn start_of(problem: &Problem, schedule: &Schedule, task: &str) -> u64 {
    schedule.assignment(problem.task_id(task).unwrap()).unwrap().start
}

#[test]
fn every_combination_reaches_70_on_the_five_task_example() {
    let problem = dagplan::example::five_tasks().unwrap();
    for combination in Combination::all() {
        let schedule = combination.run(&problem, 3).unwrap();
        checked(&problem, &schedule);
        assert_eq!(schedule.makespan(), 70, "{combination}");
    }
    let solution = Greedy::default().schedule(&problem).unwrap();
    checked(&problem, &solution.schedule);
    assert_eq!(solution.makespan(), 70);
    assert_eq!(solution.lower_bound, 70);
    assert_eq!(solution.status, Status::Optimal);
}

/// One unit of capacity; `x` (5) has a successor `y` (5); `z` (3) stands alone. Every rule
/// but shortest-duration-first starts `x` first.
fn rule_case() -> Problem {
    ProblemSpec::new()
        .node(NodeSpec::new("n").capacity("cpu", 1))
        .task(TaskSpec::new("z", 3).demand("cpu", 1))
        .task(TaskSpec::new("x", 5).demand("cpu", 1))
        .task(TaskSpec::new("y", 5).demand("cpu", 1).after("x"))
        .build()
        .unwrap()
}

#[test]
fn each_rule_picks_the_expected_first_task() {
    let problem = rule_case();
    let expect = [
        (Rule::UpwardRank, "x"),
        (Rule::LatestStart, "x"),
        (Rule::LatestFinish, "x"),
        (Rule::MostSuccessors, "x"),
        (Rule::RankPositionalWeight, "x"),
        (Rule::ShortestDuration, "z"),
    ];
    for (rule, first) in expect {
        for scheme in Scheme::ALL {
            let schedule = Combination::new(rule, Policy::EarliestFinish, scheme).run(&problem, 0).unwrap();
            checked(&problem, &schedule);
            assert_eq!(start_of(&problem, &schedule, first), 0, "{rule} {scheme}");
        }
    }
}

#[test]
fn ties_go_to_the_smaller_task_id() {
    // Identical independent tasks: the list is in id order under every deterministic rule.
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("n").capacity("cpu", 1))
        .task(TaskSpec::new("a", 2).demand("cpu", 1))
        .task(TaskSpec::new("b", 2).demand("cpu", 1))
        .task(TaskSpec::new("c", 2).demand("cpu", 1))
        .build()
        .unwrap();
    for rule in Rule::ALL.into_iter().filter(|&r| r != Rule::Random) {
        let s = Combination::new(rule, Policy::EarliestFinish, Scheme::Serial).run(&problem, 0).unwrap();
        assert_eq!([start_of(&problem, &s, "a"), start_of(&problem, &s, "b"), start_of(&problem, &s, "c")], [0, 2, 4]);
    }
}

/// Two equal nodes; `big` (10 ticks, 2 cpu) is placed first on n1; then `small` (1 tick)
/// can start at 0 on either node.
fn policy_case(small_memory: u64) -> Problem {
    let node = |name: &str| NodeSpec::new(name).capacity("cpu", 4).capacity("memory", 4);
    let small = if small_memory > 0 {
        TaskSpec::new("small", 1).demand("memory", small_memory)
    } else {
        TaskSpec::new("small", 1).demand("cpu", 1)
    };
    ProblemSpec::new()
        .resources(["cpu", "memory"])
        .node(node("n1"))
        .node(node("n2"))
        .task(TaskSpec::new("big", 10).demand("cpu", 2))
        .task(small)
        .build()
        .unwrap()
}

fn placed(problem: &Problem, policy: Policy) -> (String, String) {
    let s = Combination::new(Rule::UpwardRank, policy, Scheme::Serial).run(problem, 0).unwrap();
    checked(problem, &s);
    (node_of(problem, &s, "big"), node_of(problem, &s, "small"))
}

#[test]
fn each_policy_picks_the_expected_node() {
    let p = policy_case(0);
    assert_eq!(placed(&p, Policy::MostAllocated), ("n1".into(), "n1".into()), "pack");
    assert_eq!(placed(&p, Policy::LeastAllocated), ("n1".into(), "n2".into()), "spread");
    assert_eq!(placed(&p, Policy::FirstFit), ("n1".into(), "n1".into()));
    assert_eq!(placed(&p, Policy::EarliestFinish), ("n1".into(), "n1".into()), "tie to the smaller id");
    // More cpu on the half-cpu node would unbalance it: balanced allocation spreads ...
    assert_eq!(placed(&p, Policy::BalancedAllocation), ("n1".into(), "n2".into()));
    // ... but memory next to the cpu-heavy task balances n1 at (0.5, 0.5).
    let q = policy_case(2);
    assert_eq!(placed(&q, Policy::BalancedAllocation), ("n1".into(), "n1".into()));
    assert_eq!(placed(&q, Policy::LeastAllocated), ("n1".into(), "n2".into()));
}

#[test]
fn earliest_finish_uses_the_faster_node_and_avoids_transfer_delays() {
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("slow").capacity("cpu", 1))
        .node(NodeSpec::new("fast").capacity("cpu", 1))
        .task(TaskSpec::new("a", 10).demand("cpu", 1).duration_on("fast", 4))
        .task(TaskSpec::new("b", 3).demand("cpu", 1).after_with_delay("a", 5))
        .build()
        .unwrap();
    let s = Combination::new(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial).run(&problem, 0).unwrap();
    checked(&problem, &s);
    assert_eq!(node_of(&problem, &s, "a"), "fast");
    assert_eq!(node_of(&problem, &s, "b"), "fast", "same node: no delay");
    assert_eq!(s.makespan(), 7);
}

#[test]
fn earliest_finish_fills_an_earlier_gap() {
    // c waits for the resource-free b; d, later in the list, fits in the gap before c.
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("n").capacity("cpu", 1))
        .task(TaskSpec::new("a", 2).demand("cpu", 1))
        .task(TaskSpec::new("b", 6).after("a"))
        .task(TaskSpec::new("c", 4).demand("cpu", 1).after("b"))
        .task(TaskSpec::new("d", 3).demand("cpu", 1))
        .build()
        .unwrap();
    let s = Combination::new(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial).run(&problem, 0).unwrap();
    checked(&problem, &s);
    assert_eq!(start_of(&problem, &s, "c"), 8);
    assert_eq!(start_of(&problem, &s, "d"), 2);
    assert_eq!(s.makespan(), 12);
}

#[test]
fn parallel_scheme_starts_every_task_that_fits() {
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("n").capacity("cpu", 2))
        .task(TaskSpec::new("long", 8).demand("cpu", 1))
        .task(TaskSpec::new("short", 2).demand("cpu", 1))
        .task(TaskSpec::new("wide", 2).demand("cpu", 2).after("short"))
        .build()
        .unwrap();
    let s = Combination::new(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Parallel).run(&problem, 0).unwrap();
    checked(&problem, &s);
    assert_eq!(start_of(&problem, &s, "long"), 0);
    assert_eq!(start_of(&problem, &s, "short"), 0);
    assert_eq!(start_of(&problem, &s, "wide"), 8);
}

#[test]
fn same_seed_same_schedule_whatever_the_threads() {
    let problem = Generator { tasks: 120, nodes: 6, seed: 9, max_delay: 3, heterogeneity: 0.3, ..Default::default() }
        .generate()
        .unwrap();
    let run = |seed: u64, threads: usize| {
        Greedy::new(SolveOptions::default().seed(seed).threads(threads)).schedule(&problem).unwrap()
    };
    let a = run(5, 1);
    checked(&problem, &a.schedule);
    assert_eq!(a.schedule, run(5, 2).schedule);
    assert_eq!(a.schedule, run(5, 1).schedule);
    let with = |seed| {
        let r = Greedy::new(SolveOptions::default().seed(seed)).single(
            Rule::Random,
            Policy::EarliestFinish,
            Scheme::Serial,
        );
        r.schedule(&problem).unwrap().schedule
    };
    assert_eq!(with(1), with(1));
}

#[test]
fn a_zero_time_limit_still_returns_a_verified_schedule() {
    let problem = Generator { tasks: 200, nodes: 4, seed: 2, ..Default::default() }.generate().unwrap();
    let solution = Greedy::new(SolveOptions::default().time_limit(Duration::ZERO)).schedule(&problem).unwrap();
    checked(&problem, &solution.schedule);
}

#[test]
fn large_clusters_use_the_candidate_index_and_stay_valid() {
    let problem = Generator {
        tasks: 600,
        nodes: 120,
        resources: 3,
        dependencies: 2.0,
        window: 50,
        eligibility: 0.2,
        heterogeneity: 0.3,
        max_delay: 4,
        seed: 11,
        ..Default::default()
    }
    .generate()
    .unwrap();
    for policy in Policy::ALL {
        for scheme in Scheme::ALL {
            let s = Combination::new(Rule::UpwardRank, policy, scheme).run(&problem, 0).unwrap();
            checked(&problem, &s);
            assert!(s.makespan() >= lower_bound(&problem));
        }
    }
}

#[test]
fn empty_problem() {
    let solution = Greedy::default().schedule(&Problem::empty()).unwrap();
    assert_eq!(solution.makespan(), 0);
}

fn generator() -> impl Strategy<Value = Generator> {
    (1usize..40, 1usize..5, 1usize..4, 0.0f64..3.0, 1usize..20, any::<u64>(), 0u64..4, 0.0f64..0.5).prop_map(
        |(tasks, nodes, resources, dependencies, window, seed, max_delay, eligibility)| Generator {
            tasks,
            nodes,
            resources,
            dependencies,
            window,
            seed,
            max_delay,
            eligibility,
            heterogeneity: eligibility,
            ..Default::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(3),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_combination_verifies_and_respects_the_bound(g in generator()) {
        let problem = g.generate().unwrap();
        let bound = lower_bound(&problem);
        for combination in Combination::all() {
            let s = combination.run(&problem, g.seed).unwrap();
            prop_assert!(s.verify(&problem).is_ok(), "{combination}: {:?}", s.verify(&problem));
            prop_assert!(s.makespan() >= bound);
        }
    }

    #[test]
    fn the_portfolio_is_never_worse_than_its_members(g in generator()) {
        let problem = g.generate().unwrap();
        let greedy = Greedy::default().samples(8);
        let best = greedy.schedule(&problem).unwrap();
        prop_assert!(best.schedule.verify(&problem).is_ok());
        prop_assert!(best.makespan() >= best.lower_bound);
        for member in greedy.members(&problem) {
            prop_assert!(best.makespan() <= member.run(&problem, 0).unwrap().makespan(), "{member}");
        }
    }
}
