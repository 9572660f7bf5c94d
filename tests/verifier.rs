//! The verifier catches every kind of violation, naming the tasks and numbers involved.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::example::{documented_deployment, five_tasks};
use dagplan::{Assignment, NodeId, NodeSpec, Problem, ProblemSpec, Schedule, TaskId, TaskSpec, Violation};

fn at(problem: &Problem, task: &str, node: &str, start: u64, finish: u64) -> Assignment {
    Assignment { task: problem.task_id(task).unwrap(), node: problem.node_id(node).unwrap(), start, finish }
}

fn violations(problem: &Problem, assignments: Vec<Assignment>) -> Vec<Violation> {
    Schedule::new(assignments).verify(problem).expect_err("the schedule is invalid").violations
}

/// The documented deployment with one assignment replaced.
fn deployment_with(problem: &Problem, replace: Assignment) -> Vec<Assignment> {
    documented_deployment(problem)
        .unwrap()
        .assignments()
        .iter()
        .map(|a| if a.task == replace.task { replace } else { *a })
        .collect()
}

#[test]
fn the_documented_deployment_is_valid() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    assert_eq!(plan.verify(&problem), Ok(()));
    assert_eq!(plan.makespan(), 70);
}

#[test]
fn missing_duplicate_and_unknown_assignments() {
    let problem = five_tasks().unwrap();
    let mut plan = documented_deployment(&problem).unwrap().assignments().to_vec();
    plan.retain(|a| problem.task_name(a.task) != "v5");
    plan.push(at(&problem, "v1", "n1", 0, 10));
    plan.push(Assignment { task: TaskId(99), node: NodeId(0), start: 0, finish: 1 });
    plan.push(Assignment { task: problem.task_id("v2").unwrap(), node: NodeId(7), start: 0, finish: 1 });
    let found = violations(&problem, plan);
    assert!(found.contains(&Violation::MissingTask { task: "v5".into() }), "{found:?}");
    assert!(found.contains(&Violation::DuplicateTask { task: "v1".into(), count: 2 }), "{found:?}");
    assert!(found.contains(&Violation::UnknownTask { task: TaskId(99) }), "{found:?}");
    assert!(found.contains(&Violation::UnknownNode { task: "v2".into(), node: NodeId(7) }), "{found:?}");
}

#[test]
fn a_verify_error_is_an_error_that_lists_every_violation() {
    let problem = five_tasks().unwrap();
    let mut plan = documented_deployment(&problem).unwrap().assignments().to_vec();
    plan.retain(|a| problem.task_name(a.task) != "v5");
    plan.push(at(&problem, "v1", "n1", 0, 10));
    let error = Schedule::new(plan).verify(&problem).unwrap_err();
    assert_eq!(error.violations.len(), 2);
    let boxed: Box<dyn std::error::Error> = Box::new(error.clone());
    assert_eq!(
        boxed.to_string(),
        "the schedule breaks 2 rules:\n  task `v1` is scheduled 2 times\n  task `v5` is not scheduled"
    );
    for v in &error.violations {
        assert!(error.to_string().contains(&v.to_string()));
    }
}

#[test]
fn wrong_duration() {
    let problem = five_tasks().unwrap();
    let found = violations(&problem, deployment_with(&problem, at(&problem, "v5", "n1", 60, 65)));
    assert_eq!(
        found,
        [Violation::WrongDuration { task: "v5".into(), node: "n1".into(), expected: 10, start: 60, finish: 65 }]
    );
    assert_eq!(found[0].to_string(), "task `v5` runs [60, 65) on `n1` but its duration there is 10");
}

#[test]
fn node_too_small() {
    let problem = five_tasks().unwrap();
    let found = violations(&problem, deployment_with(&problem, at(&problem, "v3", "n1", 10, 40)));
    assert!(found.contains(&Violation::NodeTooSmall {
        task: "v3".into(),
        node: "n1".into(),
        resource: "cpu".into(),
        demand: 4,
        capacity: 2
    }));
}

#[test]
fn precedence_without_and_with_transfer_delay() {
    let problem = five_tasks().unwrap();
    let found = violations(&problem, deployment_with(&problem, at(&problem, "v5", "n1", 55, 65)));
    assert_eq!(
        found,
        [Violation::Precedence { before: "v4".into(), after: "v5".into(), delay: 0, earliest: 60, start: 55 }]
    );

    let delayed = ProblemSpec::new()
        .node(NodeSpec::new("a").capacity("cpu", 1))
        .node(NodeSpec::new("b").capacity("cpu", 1))
        .task(TaskSpec::new("x", 5).demand("cpu", 1))
        .task(TaskSpec::new("y", 5).demand("cpu", 1).after_with_delay("x", 3))
        .build()
        .unwrap();
    let same_node = vec![at(&delayed, "x", "a", 0, 5), at(&delayed, "y", "a", 5, 10)];
    assert_eq!(Schedule::new(same_node).verify(&delayed), Ok(()));
    let found = violations(&delayed, vec![at(&delayed, "x", "a", 0, 5), at(&delayed, "y", "b", 7, 12)]);
    assert_eq!(
        found,
        [Violation::Precedence { before: "x".into(), after: "y".into(), delay: 3, earliest: 8, start: 7 }]
    );
    let across = vec![at(&delayed, "x", "a", 0, 5), at(&delayed, "y", "b", 8, 13)];
    assert_eq!(Schedule::new(across).verify(&delayed), Ok(()));
}

#[test]
fn ineligible_node_and_per_node_durations() {
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("cpu-node").capacity("cpu", 4))
        .node(NodeSpec::new("gpu-node").capacity("cpu", 4).capacity("gpu", 1))
        .task(TaskSpec::new("train", 10).demand("cpu", 1).nodes(["gpu-node"]).duration_on("gpu-node", 4))
        .build()
        .unwrap();
    let found = violations(&problem, vec![at(&problem, "train", "cpu-node", 0, 10)]);
    assert_eq!(found, [Violation::IneligibleNode { task: "train".into(), node: "cpu-node".into() }]);
    let found = violations(&problem, vec![at(&problem, "train", "gpu-node", 0, 10)]);
    assert!(matches!(found.as_slice(), [Violation::WrongDuration { expected: 4, .. }]), "{found:?}");
    assert_eq!(Schedule::new(vec![at(&problem, "train", "gpu-node", 0, 4)]).verify(&problem), Ok(()));
}

#[test]
fn over_capacity_names_the_node_dimension_time_and_running_tasks() {
    let problem = five_tasks().unwrap();
    // v2 moved onto n3 beside v3: 2 + 4 cpu fits 8, so still valid.
    assert_eq!(Schedule::new(deployment_with(&problem, at(&problem, "v2", "n3", 10, 30))).verify(&problem), Ok(()));
    // v2 moved onto n2 beside v3 moved to n2: 2 + 4 cpu > 4.
    let mut plan = deployment_with(&problem, at(&problem, "v3", "n2", 10, 40));
    plan = plan
        .into_iter()
        .map(|a| if problem.task_name(a.task) == "v4" { at(&problem, "v4", "n3", 40, 60) } else { a })
        .collect();
    let found = violations(&problem, plan);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&Violation::OverCapacity {
        node: "n2".into(),
        resource: "cpu".into(),
        time: 10,
        used: 6,
        capacity: 4,
        tasks: vec!["v2".into(), "v3".into()],
    }));
    assert!(
        found.iter().any(|v| matches!(v, Violation::OverCapacity { resource, used: 24, .. } if resource == "memory"))
    );
}

#[test]
fn capacity_released_at_t_is_available_at_t_and_zero_length_tasks_use_nothing() {
    let problem = ProblemSpec::new()
        .node(NodeSpec::new("n").capacity("cpu", 1))
        .task(TaskSpec::new("a", 5).demand("cpu", 1))
        .task(TaskSpec::new("b", 5).demand("cpu", 1))
        .task(TaskSpec::new("marker", 0).demand("cpu", 1))
        .build()
        .unwrap();
    let plan = vec![at(&problem, "a", "n", 0, 5), at(&problem, "b", "n", 5, 10), at(&problem, "marker", "n", 3, 3)];
    assert_eq!(Schedule::new(plan).verify(&problem), Ok(()));
    let found = violations(
        &problem,
        vec![at(&problem, "a", "n", 0, 5), at(&problem, "b", "n", 4, 9), at(&problem, "marker", "n", 0, 0)],
    );
    assert!(matches!(found.as_slice(), [Violation::OverCapacity { time: 4, used: 2, .. }]), "{found:?}");
}

#[test]
fn huge_times_are_checked_without_overflow() {
    let problem = five_tasks().unwrap();
    let found = violations(&problem, deployment_with(&problem, at(&problem, "v5", "n1", u64::MAX, u64::MAX)));
    assert!(found.iter().any(|v| matches!(v, Violation::WrongDuration { .. })), "{found:?}");
}

#[test]
fn schedules_round_trip_through_json() {
    let problem = five_tasks().unwrap();
    let plan = documented_deployment(&problem).unwrap();
    let text = plan.to_json(&problem);
    assert!(text.contains("\"makespan\": 70"));
    assert_eq!(Schedule::from_json(&problem, &text), Ok(plan));
    assert!(
        Schedule::from_json(
            &problem,
            r#"{"makespan": 1, "assignments": [{"task": "zz", "node": "n1", "start": 0, "finish": 1}]}"#
        )
        .is_err()
    );
}
