//! The time rules of a live cluster (release dates, deadlines, fixed tasks, node downtime,
//! `now`): the JSON contract, the builder, the round trip, and the verifier's checks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::io::{read_json_str, write_json};
use dagplan::{Assignment, Fixed, NodeSpec, Problem, ProblemSpec, Schedule, TaskSpec, Violation, Window};

const LIVE: &str = r#"{
  "now": 35,
  "nodes": [
    {"name": "n1", "capacity": {"cpu": 2}},
    {"name": "n2", "capacity": {"cpu": 4}, "unavailable": [{"from": 100, "to": 160}, {"from": 50, "to": 60}, {"from": 55, "to": 70}]}
  ],
  "tasks": [
    {"name": "run", "duration": 30, "demand": {"cpu": 2}, "fixed": {"node": "n2", "start": 20}},
    {"name": "next", "duration": 10, "demand": {"cpu": 1}, "after": ["run"], "release": 40, "deadline": 500},
    {"name": "free", "duration": 5}
  ]
}"#;

fn live() -> Problem {
    read_json_str(LIVE).unwrap()
}

fn violations(problem: &Problem, assignments: Vec<Assignment>) -> Vec<Violation> {
    Schedule::new(assignments).verify(problem).expect_err("the schedule is invalid").violations
}

fn at(problem: &Problem, task: &str, node: &str, start: u64, finish: u64) -> Assignment {
    Assignment { task: problem.task_id(task).unwrap(), node: problem.node_id(node).unwrap(), start, finish }
}

#[test]
fn the_json_fields_are_read_as_written() {
    let p = live();
    let (run, next, free) = (p.task_id("run").unwrap(), p.task_id("next").unwrap(), p.task_id("free").unwrap());
    let (n1, n2) = (p.node_id("n1").unwrap(), p.node_id("n2").unwrap());
    assert_eq!(p.now(), 35);
    assert_eq!(p.fixed(run), Some(Fixed { node: n2, start: 20 }));
    assert_eq!((p.release(next), p.deadline(next)), (40, Some(500)));
    assert_eq!((p.release(free), p.deadline(free), p.fixed(free)), (0, None, None));
    // Overlapping and touching windows are merged, in order.
    assert_eq!(p.unavailable(n2), &[Window { from: 50, to: 70 }, Window { from: 100, to: 160 }]);
    assert!(p.unavailable(n1).is_empty());
    // The earliest start the rules allow: fixed start, else the later of release and now.
    assert_eq!((p.not_before(run), p.not_before(next), p.not_before(free)), (20, 40, 35));
    assert!(p.has_time_rules() && p.has_deadlines() && p.has_fixed_tasks() && p.has_downtime());
    // The horizon starts after the last rule (the end of the last window).
    assert!(p.horizon() >= 160 + 45);
}

#[test]
fn the_builder_makes_the_same_problem_and_json_round_trips() {
    let built = ProblemSpec::new()
        .now(35)
        .node(NodeSpec::new("n1").capacity("cpu", 2))
        .node(NodeSpec::new("n2").capacity("cpu", 4).unavailable(100, 160).unavailable(50, 60).unavailable(55, 70))
        .task(TaskSpec::new("run", 30).demand("cpu", 2).fixed("n2", 20))
        .task(TaskSpec::new("next", 10).demand("cpu", 1).after("run").release(40).deadline(500))
        .task(TaskSpec::new("free", 5))
        .build()
        .unwrap();
    assert_eq!(built, live());
    let text = write_json(&built);
    assert_eq!(read_json_str(&text).unwrap(), built);
    for field in [r#""now": 35"#, r#""release": 40"#, r#""deadline": 500"#, r#""fixed": {"#, r#""unavailable": ["#] {
        assert!(text.contains(field), "{field} missing from {text}");
    }
}

#[test]
fn a_problem_without_time_rules_writes_none_of_the_new_fields() {
    let problem = dagplan::example::five_tasks().unwrap();
    assert!(!problem.has_time_rules());
    let text = write_json(&problem);
    for field in ["now", "release", "deadline", "fixed", "unavailable"] {
        assert!(!text.contains(field), "{field} in {text}");
    }
}

#[test]
fn available_from_skips_downtime() {
    let p = live();
    let n2 = p.node_id("n2").unwrap();
    assert_eq!(p.available_from(n2, 0, 50), 0);
    assert_eq!(p.available_from(n2, 0, 51), 160); // [70, 121) meets [100, 160)
    assert_eq!(p.available_from(n2, 0, 30), 0);
    assert_eq!(p.available_from(n2, 40, 30), 70);
    assert_eq!(p.available_from(n2, 45, 10), 70);
    assert_eq!(p.available_from(n2, 70, 30), 70);
    assert_eq!(p.available_from(n2, 70, 31), 160);
    assert_eq!(p.available_from(n2, 50, 0), 70); // a zero-length task inside a window waits too
    assert_eq!(p.available_from(n2, 70, 0), 70);
    assert!(p.is_available(n2, 60 + 100, 1000) && !p.is_available(n2, 99, 2));
}

#[test]
fn a_schedule_that_keeps_every_rule_verifies() {
    let p = live();
    let plan = vec![at(&p, "run", "n2", 20, 50), at(&p, "next", "n1", 50, 60), at(&p, "free", "n2", 70, 75)];
    assert_eq!(Schedule::new(plan).verify(&p), Ok(()));
}

#[test]
fn the_verifier_names_every_broken_time_rule() {
    let p = live();
    let found =
        violations(&p, vec![at(&p, "run", "n1", 21, 51), at(&p, "next", "n2", 38, 48), at(&p, "free", "n2", 30, 35)]);
    let expect = [
        Violation::FixedMoved {
            task: "run".into(),
            fixed_node: "n2".into(),
            fixed_start: 20,
            node: "n1".into(),
            start: 21,
        },
        Violation::BeforeRelease { task: "next".into(), release: 40, start: 38 },
        Violation::BeforeNow { task: "next".into(), now: 35, start: 38 },
        Violation::BeforeNow { task: "free".into(), now: 35, start: 30 },
        Violation::DuringDowntime { task: "next".into(), node: "n2".into(), start: 38, finish: 48, from: 50, to: 70 },
    ];
    // `next` starts at 38 >= now: only the release and the precedence are broken for it.
    assert!(found.contains(&expect[0]), "{found:?}");
    assert!(found.contains(&expect[1]), "{found:?}");
    assert!(!found.contains(&expect[2]), "{found:?}");
    assert!(found.contains(&expect[3]), "{found:?}");
    assert!(!found.contains(&expect[4]), "[38, 48) ends before the window: {found:?}");
    let text = found.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
    assert!(text.contains("`run` is fixed on `n2` at 20 but runs on `n1` from 21"), "{text}");
    assert!(text.contains("`next` starts at 38, before its release 40"), "{text}");
    assert!(text.contains("`free` starts at 30, before the plan's start (now = 35)"), "{text}");

    let found =
        violations(&p, vec![at(&p, "run", "n2", 20, 50), at(&p, "next", "n2", 505, 515), at(&p, "free", "n2", 69, 74)]);
    assert!(found.contains(&Violation::AfterDeadline { task: "next".into(), deadline: 500, finish: 515 }), "{found:?}");
    assert!(
        found.contains(&Violation::DuringDowntime {
            task: "free".into(),
            node: "n2".into(),
            start: 69,
            finish: 74,
            from: 50,
            to: 70
        }),
        "{found:?}"
    );
    // A zero-length task at an instant of a window runs during it.
    let zero =
        ProblemSpec::new().node(NodeSpec::new("n").unavailable(10, 20)).task(TaskSpec::new("z", 0)).build().unwrap();
    let found = violations(&zero, vec![at(&zero, "z", "n", 10, 10)]);
    assert!(matches!(found.as_slice(), [Violation::DuringDowntime { start: 10, finish: 10, .. }]), "{found:?}");
    assert_eq!(Schedule::new(vec![at(&zero, "z", "n", 20, 20)]).verify(&zero), Ok(()));
}
