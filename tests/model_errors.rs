//! Every validation error kind, with the names it must carry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::io::{ParseError, read_json_str};
use dagplan::{ModelError, NodeSpec, ProblemSpec, TaskSpec};

fn cluster() -> ProblemSpec {
    ProblemSpec::new()
        .node(NodeSpec::new("small").capacity("cpu", 2).capacity("memory", 8))
        .node(NodeSpec::new("big").capacity("cpu", 8).capacity("memory", 4))
}

fn error(spec: ProblemSpec) -> ModelError {
    spec.build().expect_err("the spec is invalid")
}

#[test]
fn duplicate_names_are_rejected_per_kind() {
    let e = error(cluster().task(TaskSpec::new("a", 1)).task(TaskSpec::new("a", 2)));
    assert_eq!(e, ModelError::DuplicateName { kind: "task", name: "a".into() });
    let e = error(cluster().node(NodeSpec::new("small")));
    assert_eq!(e, ModelError::DuplicateName { kind: "node", name: "small".into() });
    let e = error(cluster().resources(["cpu", "memory", "cpu"]));
    assert_eq!(e, ModelError::DuplicateName { kind: "resource", name: "cpu".into() });
    assert!(e.to_string().contains("`cpu`"));
}

#[test]
fn unknown_references_name_the_owner_and_the_reference() {
    let e = error(cluster().resources(["cpu"]).task(TaskSpec::new("a", 1)));
    assert_eq!(e, ModelError::UnknownResource { owner: "node `small`".into(), resource: "memory".into() });
    let e = error(cluster().task(TaskSpec::new("a", 1).demand("gpu", 1)).resources(["cpu", "memory"]));
    assert_eq!(e, ModelError::UnknownResource { owner: "task `a`".into(), resource: "gpu".into() });
    let e = error(cluster().task(TaskSpec::new("a", 1).after("ghost")));
    assert_eq!(e, ModelError::UnknownTask { task: "a".into(), dependency: "ghost".into() });
    let e = error(cluster().task(TaskSpec::new("a", 1).nodes(["nowhere"])));
    assert_eq!(e, ModelError::UnknownNode { task: "a".into(), node: "nowhere".into() });
    let e = error(cluster().task(TaskSpec::new("a", 1).duration_on("nowhere", 3)));
    assert_eq!(e, ModelError::UnknownNode { task: "a".into(), node: "nowhere".into() });
}

#[test]
fn repeated_dependencies_and_eligible_nodes_are_rejected() {
    let e =
        error(cluster().task(TaskSpec::new("a", 1)).task(TaskSpec::new("b", 1).after("a").after_with_delay("a", 2)));
    assert_eq!(e, ModelError::DuplicateDependency { task: "b".into(), dependency: "a".into() });
    let e = error(cluster().task(TaskSpec::new("a", 1).nodes(["big", "small", "big"])));
    assert_eq!(e, ModelError::DuplicateEligibleNode { task: "a".into(), node: "big".into() });
}

#[test]
fn a_cycle_is_reported_in_order_starting_from_its_first_task() {
    let e = error(
        cluster()
            .task(TaskSpec::new("start", 1))
            .task(TaskSpec::new("x", 1).after("start").after("z"))
            .task(TaskSpec::new("y", 1).after("x"))
            .task(TaskSpec::new("z", 1).after("y")),
    );
    assert_eq!(e, ModelError::Cycle { tasks: vec!["x".into(), "y".into(), "z".into()] });
    assert_eq!(e.to_string(), "dependency cycle: x -> y -> z -> x");
}

#[test]
fn a_task_depending_on_itself_is_a_cycle_of_one() {
    let e = error(cluster().task(TaskSpec::new("loop", 1).after("loop")));
    assert_eq!(e, ModelError::Cycle { tasks: vec!["loop".into()] });
}

#[test]
fn a_long_cycle_is_named_whole_without_recursion() {
    let n = 100_000;
    let mut spec = cluster().task(TaskSpec::new("t0", 1).after(format!("t{}", n - 1)));
    for i in 1..n {
        spec = spec.task(TaskSpec::new(format!("t{i}"), 1).after(format!("t{}", i - 1)));
    }
    match error(spec) {
        ModelError::Cycle { tasks } => {
            assert_eq!(tasks.len(), n);
            assert_eq!(tasks.first().map(String::as_str), Some("t0"));
            assert_eq!(tasks.get(1).map(String::as_str), Some("t1"));
        }
        other => panic!("expected a cycle, got {other}"),
    }
}

#[test]
fn empty_eligibility_and_no_nodes_mean_no_eligible_node() {
    let e = error(cluster().task(TaskSpec::new("a", 1).nodes(Vec::<String>::new())));
    assert_eq!(e, ModelError::NoEligibleNode { task: "a".into() });
    let e = error(ProblemSpec::new().task(TaskSpec::new("lonely", 1)));
    assert_eq!(e, ModelError::NoEligibleNode { task: "lonely".into() });
}

#[test]
fn a_duration_for_an_ineligible_node_is_rejected() {
    let e = error(cluster().task(TaskSpec::new("a", 1).nodes(["small"]).duration_on("big", 1)));
    assert_eq!(e, ModelError::DurationForIneligibleNode { task: "a".into(), node: "big".into() });
}

#[test]
fn a_task_too_big_in_one_dimension_names_it_and_the_largest_node() {
    let e = error(cluster().task(TaskSpec::new("huge", 1).demand("cpu", 9)));
    assert_eq!(
        e,
        ModelError::DoesNotFit {
            task: "huge".into(),
            resource: "cpu".into(),
            demand: 9,
            node: "big".into(),
            capacity: 8
        }
    );
    assert!(e.to_string().contains("needs 9 cpu"));
}

#[test]
fn a_task_too_big_in_different_dimensions_per_node_lists_each_shortfall() {
    let e = error(cluster().task(TaskSpec::new("odd", 1).demand("cpu", 4).demand("memory", 6)));
    let ModelError::FitsNoNode { task, shortfalls } = &e else { panic!("expected FitsNoNode, got {e}") };
    assert_eq!(task, "odd");
    let described: Vec<(&str, &str)> = shortfalls.iter().map(|s| (s.node.as_str(), s.resource.as_str())).collect();
    assert_eq!(described, [("small", "cpu"), ("big", "memory")]);
}

#[test]
fn eligibility_restricted_to_a_small_node_does_not_fit() {
    let e = error(cluster().task(TaskSpec::new("a", 1).demand("cpu", 4).nodes(["small"])));
    assert!(matches!(e, ModelError::DoesNotFit { ref node, capacity: 2, .. } if node == "small"));
}

#[test]
fn durations_that_overflow_when_summed_are_rejected() {
    let e = error(cluster().task(TaskSpec::new("a", u64::MAX / 2 + 1)).task(TaskSpec::new("b", u64::MAX / 2 + 1)));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
    let e = error(cluster().task(TaskSpec::new("a", 1)).task(TaskSpec::new("b", 1).after_with_delay("a", u64::MAX)));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
}

#[test]
fn an_empty_problem_is_valid() {
    let problem = ProblemSpec::new().build().unwrap();
    assert_eq!(problem.task_count(), 0);
    assert_eq!(dagplan::lower_bound(&problem), 0);
}

#[test]
fn json_errors_carry_line_and_column() {
    let e = read_json_str("{\n  \"nodes\": [],\n  \"tasks\": [{\"name\": \"a\", \"duration\": -1}]\n}").unwrap_err();
    let ParseError::Syntax { line, message, .. } = &e else { panic!("expected a syntax error, got {e}") };
    assert_eq!(*line, 3);
    assert!(message.contains("expected u64"), "{message}");
    assert!(e.to_string().starts_with("<input>:3:"), "{e}");
}

#[test]
fn unknown_fields_and_duplicate_keys_are_errors() {
    let e = read_json_str(r#"{"nodes": [], "tasks": [], "extra": 1}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `extra`"), "{e}");
    let e = read_json_str(r#"{"nodes": [{"name": "n", "capacity": {"cpu": 1, "cpu": 2}}], "tasks": []}"#).unwrap_err();
    assert!(e.to_string().contains("duplicate key `cpu`"), "{e}");
    let e =
        read_json_str(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "after": [{"task": "b", "wait": 1}]}]}"#)
            .unwrap_err();
    assert!(matches!(e, ParseError::Syntax { .. }), "{e}");
}

#[test]
fn validation_errors_from_json_name_the_input() {
    let e = read_json_str(r#"{"nodes": [{"name": "n"}], "tasks": [{"name": "a", "duration": 1, "after": ["a"]}]}"#)
        .unwrap_err();
    assert!(matches!(&e, ParseError::Invalid { source: ModelError::Cycle { .. }, .. }), "{e}");
    assert_eq!(e.to_string(), "<input>: dependency cycle: a -> a");
}

#[test]
fn missing_files_and_non_utf8_are_reported_with_the_path() {
    let e = dagplan::io::read_json_file("/nonexistent/dagplan.json").unwrap_err();
    assert!(matches!(e, ParseError::Io { .. }) && e.to_string().starts_with("/nonexistent/dagplan.json"));
    let path = std::env::temp_dir().join(format!("dagplan-bad-utf8-{}.json", std::process::id()));
    std::fs::write(&path, b"{\n  \"nodes\": [\xff]\n}").unwrap();
    let e = dagplan::io::read_json_file(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(matches!(e, ParseError::Syntax { line: 2, column: 13, .. }), "{e:?}");
}
