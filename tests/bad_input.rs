//! The bad-input catalogue: malformed and hostile inputs each get the exact error kind, with a
//! message naming the offending item, and never a panic. Valid but extreme inputs (empty
//! problems, huge numbers, 100,000-task chains) are solved and verified.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::io::{Format, ParseError, parse_problem, read_json_file, read_json_str, read_problem};
use dagplan::solver::{all_solvers, heuristic_solvers};
use dagplan::{ModelError, Problem};

const NODES: &str = r#"[{"name": "n1", "capacity": {"cpu": 4, "memory": 16}}, {"name": "n2", "capacity": {"cpu": 2}}]"#;

fn with_tasks(tasks: &str) -> String {
    format!(r#"{{"nodes": {NODES}, "tasks": {tasks}}}"#)
}

/// Reads text that must fail validation; returns the model error and the full message.
fn invalid(text: &str) -> (ModelError, String) {
    match read_json_str(text) {
        Err(e @ ParseError::Invalid { .. }) => {
            let message = e.to_string();
            let ParseError::Invalid { source, .. } = e else { unreachable!() };
            (source, message)
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Reads text that must fail to parse; returns (line, message).
fn syntax(text: &str) -> (usize, String) {
    match read_json_str(text) {
        Err(e @ ParseError::Syntax { .. }) => {
            let message = e.to_string();
            let ParseError::Syntax { line, .. } = e else { unreachable!() };
            (line, message)
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// Solves with every solver and verifies.
fn solve_all(problem: &Problem) -> Vec<u64> {
    solve_with(all_solvers(), problem)
}

/// Solves with the given solvers and verifies.
fn solve_with(solvers: Vec<Box<dyn dagplan::Scheduler + Send + Sync>>, problem: &Problem) -> Vec<u64> {
    solvers
        .iter()
        .map(|s| {
            let solution = s.schedule(problem).unwrap();
            assert_eq!(solution.schedule.verify(problem), Ok(()), "{}", s.name());
            assert!(solution.makespan() >= solution.lower_bound);
            solution.makespan()
        })
        .collect()
}

#[test]
fn two_task_cycle() {
    let (e, m) = invalid(&with_tasks(
        r#"[{"name": "a", "duration": 1, "after": ["b"]}, {"name": "b", "duration": 1, "after": ["a"]}]"#,
    ));
    assert_eq!(e, ModelError::Cycle { tasks: vec!["a".into(), "b".into()] });
    assert!(m.contains("a -> b -> a"), "{m}");
}

#[test]
fn self_loop() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "me", "duration": 1, "after": ["me"]}]"#));
    assert_eq!(e, ModelError::Cycle { tasks: vec!["me".into()] });
    assert!(m.contains("me -> me"), "{m}");
}

#[test]
fn self_loop_in_object_form_with_delay() {
    let (e, _) = invalid(&with_tasks(r#"[{"name": "me", "duration": 1, "after": [{"task": "me", "delay": 3}]}]"#));
    assert_eq!(e, ModelError::Cycle { tasks: vec!["me".into()] });
}

#[test]
fn long_cycle_behind_a_valid_prefix() {
    let mut tasks: Vec<String> = (0..5000).map(|i| format!(r#"{{"name": "p{i}", "duration": 1}}"#)).collect();
    tasks.push(r#"{"name": "c0", "duration": 1, "after": ["p0", "c2999"]}"#.into());
    tasks.extend((1..3000).map(|i| format!(r#"{{"name": "c{i}", "duration": 1, "after": ["c{}"]}}"#, i - 1)));
    let (e, m) = invalid(&with_tasks(&format!("[{}]", tasks.join(","))));
    let ModelError::Cycle { tasks } = e else { panic!("expected a cycle") };
    assert_eq!(tasks.len(), 3000);
    assert_eq!(tasks[0], "c0");
    assert!(m.contains("c2999 -> c0"), "the message closes the cycle");
}

#[test]
fn unknown_dependency() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "a", "duration": 1, "after": ["ghost"]}]"#));
    assert_eq!(e, ModelError::UnknownTask { task: "a".into(), dependency: "ghost".into() });
    assert!(m.contains("`ghost`"));
}

#[test]
fn unknown_eligible_node() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "a", "duration": 1, "nodes": ["n9"]}]"#));
    assert_eq!(e, ModelError::UnknownNode { task: "a".into(), node: "n9".into() });
    assert!(m.contains("`n9`"));
}

#[test]
fn unknown_node_in_durations() {
    let (e, _) = invalid(&with_tasks(r#"[{"name": "a", "duration": 1, "durations": {"gpu-box": 2}}]"#));
    assert_eq!(e, ModelError::UnknownNode { task: "a".into(), node: "gpu-box".into() });
}

#[test]
fn unknown_resource_with_declared_resources() {
    let text = r#"{"resources": ["cpu"], "nodes": [{"name": "n", "capacity": {"cpu": 1}}], "tasks": [{"name": "a", "duration": 1, "demand": {"gpu": 1}}]}"#;
    let (e, m) = invalid(text);
    assert_eq!(e, ModelError::UnknownResource { owner: "task `a`".into(), resource: "gpu".into() });
    assert!(m.contains("`gpu`"));
}

#[test]
fn duplicate_task_names() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "a", "duration": 1}, {"name": "a", "duration": 2}]"#));
    assert_eq!(e, ModelError::DuplicateName { kind: "task", name: "a".into() });
    assert!(m.contains("`a`"));
}

#[test]
fn duplicate_node_names() {
    let (e, _) = invalid(r#"{"nodes": [{"name": "n"}, {"name": "n"}], "tasks": []}"#);
    assert_eq!(e, ModelError::DuplicateName { kind: "node", name: "n".into() });
}

#[test]
fn duplicate_resource_names() {
    let (e, _) = invalid(r#"{"resources": ["cpu", "cpu"], "nodes": [], "tasks": []}"#);
    assert_eq!(e, ModelError::DuplicateName { kind: "resource", name: "cpu".into() });
}

#[test]
fn duplicate_dependency() {
    let (e, _) = invalid(&with_tasks(
        r#"[{"name": "a", "duration": 1}, {"name": "b", "duration": 1, "after": ["a", {"task": "a", "delay": 1}]}]"#,
    ));
    assert_eq!(e, ModelError::DuplicateDependency { task: "b".into(), dependency: "a".into() });
}

#[test]
fn task_too_big_for_every_node() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "whale", "duration": 1, "demand": {"cpu": 64}}]"#));
    assert_eq!(
        e,
        ModelError::DoesNotFit {
            task: "whale".into(),
            resource: "cpu".into(),
            demand: 64,
            node: "n1".into(),
            capacity: 4
        }
    );
    assert!(m.contains("`whale`") && m.contains("cpu") && m.contains("`n1`"), "{m}");
}

#[test]
fn empty_eligible_list() {
    let (e, m) = invalid(&with_tasks(r#"[{"name": "nowhere", "duration": 1, "nodes": []}]"#));
    assert_eq!(e, ModelError::NoEligibleNode { task: "nowhere".into() });
    assert!(m.contains("`nowhere`"));
}

#[test]
fn zero_capacity_nodes() {
    let text = r#"{"nodes": [{"name": "z1", "capacity": {"cpu": 0}}, {"name": "z2"}], "tasks": [
        {"name": "free", "duration": 3},
        {"name": "needy", "duration": 3, "demand": {"cpu": 1}}]}"#;
    let (e, _) = invalid(text);
    assert!(matches!(e, ModelError::DoesNotFit { ref task, capacity: 0, .. } if task == "needy"), "{e}");
    let ok = read_json_str(
        r#"{"nodes": [{"name": "z1", "capacity": {"cpu": 0}}], "tasks": [{"name": "free", "duration": 3}]}"#,
    )
    .unwrap();
    assert!(solve_all(&ok).iter().all(|&m| m == 3));
}

#[test]
fn huge_capacities_and_demands_near_the_integer_limit() {
    let max = u64::MAX;
    let text = format!(
        r#"{{"nodes": [{{"name": "big", "capacity": {{"cpu": {max}}}}}], "tasks": [
        {{"name": "a", "duration": 2, "demand": {{"cpu": {max}}}}},
        {{"name": "b", "duration": 2, "demand": {{"cpu": {}}}}},
        {{"name": "c", "duration": 2, "demand": {{"cpu": 1}}}}]}}"#,
        max - 1
    );
    let problem = read_json_str(&text).unwrap();
    // No two of them fit together: a alone uses everything, b + c = MAX still fits.
    for makespan in solve_all(&problem) {
        assert!((4..=6).contains(&makespan), "{makespan}");
    }
}

#[test]
fn durations_that_overflow_when_summed() {
    let half = u64::MAX / 2 + 1;
    let (e, m) =
        invalid(&with_tasks(&format!(r#"[{{"name": "a", "duration": {half}}}, {{"name": "b", "duration": {half}}}]"#)));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
    assert!(m.contains("overflow"), "{m}");
}

#[test]
fn delays_that_overflow() {
    let text = with_tasks(&format!(
        r#"[{{"name": "a", "duration": 1}}, {{"name": "b", "duration": 1, "after": [{{"task": "a", "delay": {}}}]}}]"#,
        u64::MAX
    ));
    assert!(matches!(invalid(&text).0, ModelError::Overflow { .. }));
}

#[test]
fn number_above_u64() {
    let (line, m) = syntax("{\"nodes\": [],\n\"tasks\": [{\"name\": \"a\", \"duration\": 18446744073709551616}]}");
    assert_eq!(line, 2);
    assert!(m.contains("<input>:2:"), "{m}");
}

#[test]
fn negative_duration() {
    let (line, m) = syntax("{\"nodes\": [],\n\"tasks\": [\n{\"name\": \"a\", \"duration\": -5}]}");
    assert_eq!(line, 3);
    assert!(m.contains("expected u64"), "{m}");
}

#[test]
fn fractional_duration() {
    let (_, m) = syntax(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1.5}]}"#);
    assert!(m.contains("expected u64"), "{m}");
}

#[test]
fn wrong_types() {
    let (_, m) = syntax(r#"{"nodes": [], "tasks": [{"name": "a", "duration": "10"}]}"#);
    assert!(m.contains("invalid type: string"), "{m}");
    let (_, m) = syntax(r#"{"nodes": {"name": "n"}, "tasks": []}"#);
    assert!(m.contains("expected a sequence"), "{m}");
    let (_, m) = syntax(r#"{"nodes": [{"name": 7}], "tasks": []}"#);
    assert!(m.contains("expected a string"), "{m}");
}

#[test]
fn truncated_file() {
    let full = dagplan::example::FIVE_TASKS_JSON;
    let cut = &full[..full.len() / 2];
    let (line, m) = syntax(cut);
    assert!(line > 1, "{m}");
    assert!(m.contains("EOF"), "{m}");
}

#[test]
fn empty_and_non_object_input() {
    let (_, m) = syntax("");
    assert!(m.contains("EOF"), "{m}");
    let (_, m) = syntax("42");
    assert!(m.contains("expected struct ProblemSpec"), "{m}");
    let (_, m) = syntax("[1, 2, 3]");
    assert!(m.contains("expected a sequence"), "{m}");
}

#[test]
fn missing_required_fields() {
    let (_, m) = syntax(r#"{"nodes": []}"#);
    assert!(m.contains("missing field `tasks`"), "{m}");
    let (_, m) = syntax(r#"{"nodes": [], "tasks": [{"name": "a"}]}"#);
    assert!(m.contains("missing field `duration`"), "{m}");
}

#[test]
fn unknown_fields_at_every_level() {
    for text in [
        r#"{"nodes": [], "tasks": [], "deadline": 5}"#,
        r#"{"nodes": [{"name": "n", "cores": 4}], "tasks": []}"#,
        r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "priority": 1}]}"#,
    ] {
        let (_, m) = syntax(text);
        assert!(m.contains("unknown field"), "{m}");
    }
}

#[test]
fn duplicate_keys_in_maps() {
    let (_, m) = syntax(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": 1, "cpu": 9}}]}"#);
    assert!(m.contains("duplicate key `cpu`"), "{m}");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    // The dependency list is read through serde's buffered (untagged) path, the deepest one.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = format!(r#"{{"nodes": [], "tasks": [{{"name": "a", "duration": 1, "after": {deep}}}]}}"#);
    let (_, m) = syntax(&text);
    assert!(m.contains("recursion limit"), "{m}");
}

#[test]
fn non_utf8_file() {
    let path = std::env::temp_dir().join(format!("dagplan-catalogue-{}.json", std::process::id()));
    std::fs::write(&path, b"{\"nodes\": [], \"tasks\": [{\"name\": \"caf\xe9\", \"duration\": 1}]}").unwrap();
    let e = read_json_file(&path).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(matches!(e, ParseError::Syntax { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("UTF-8") && e.to_string().contains("dagplan-catalogue"), "{e}");
}

#[test]
fn missing_file() {
    let e = read_json_file("/no/such/dir/plan.json").unwrap_err();
    assert!(matches!(e, ParseError::Io { .. }));
    assert!(e.to_string().contains("/no/such/dir/plan.json"));
}

#[test]
fn duration_for_an_ineligible_node() {
    let (e, _) = invalid(&with_tasks(r#"[{"name": "a", "duration": 1, "nodes": ["n1"], "durations": {"n2": 1}}]"#));
    assert_eq!(e, ModelError::DurationForIneligibleNode { task: "a".into(), node: "n2".into() });
}

#[test]
fn empty_problem_has_makespan_zero() {
    let problem = read_json_str(r#"{"nodes": [], "tasks": []}"#).unwrap();
    assert!(solve_all(&problem).iter().all(|&m| m == 0));
}

#[test]
fn a_chain_of_100000_tasks_is_solved_without_recursion() {
    let tasks: Vec<String> = (0..100_000)
        .map(|i| {
            if i == 0 {
                r#"{"name": "t0", "duration": 1, "demand": {"cpu": 1}}"#.to_owned()
            } else {
                format!(r#"{{"name": "t{i}", "duration": 1, "demand": {{"cpu": 1}}, "after": [{{"task": "t{}", "delay": 1}}]}}"#, i - 1)
            }
        })
        .collect();
    let problem = read_json_str(&with_tasks(&format!("[{}]", tasks.join(",")))).unwrap();
    assert_eq!(dagplan::lower_bound(&problem), 100_000);
    let makespans = solve_with(heuristic_solvers(), &problem);
    assert!(makespans.iter().all(|&m| m == 100_000), "co-located chain pays no delays");
}

#[test]
fn zero_duration_tasks_are_fine() {
    let problem = read_json_str(&with_tasks(
        r#"[{"name": "gate", "duration": 0, "demand": {"cpu": 4}}, {"name": "work", "duration": 5, "demand": {"cpu": 4}, "after": ["gate"]}]"#,
    ))
    .unwrap();
    assert!(solve_all(&problem).iter().all(|&m| m == 5));
}

// ---- The benchmark-format readers -------------------------------------------------------

/// Parses text that must fail with a syntax error at `line`; returns the message.
fn reader_syntax(format: Format, text: &str, line: usize) -> String {
    match parse_problem(text, format) {
        Err(e @ ParseError::Syntax { .. }) => {
            let ParseError::Syntax { line: at, .. } = &e else { unreachable!() };
            assert_eq!(*at, line, "{e}");
            e.to_string()
        }
        other => panic!("expected a syntax error from the {format} reader, got {other:?}"),
    }
}

/// Parses text that must fail validation.
fn reader_invalid(format: Format, text: &str) -> ModelError {
    match parse_problem(text, format) {
        Err(ParseError::Invalid { source, .. }) => source,
        other => panic!("expected a validation error from the {format} reader, got {other:?}"),
    }
}

#[test]
fn patterson_precedence_cycle() {
    let e = reader_invalid(Format::Patterson, "3 1\n5\n0 0 1 2\n2 1 1 3\n0 0 1 2\n");
    assert_eq!(e, ModelError::Cycle { tasks: vec!["j2".into(), "j3".into()] });
}

#[test]
fn patterson_demand_above_capacity() {
    let e = reader_invalid(Format::Patterson, "3 1\n5\n0 0 1 2\n2 9 1 3\n0 0 0\n");
    assert!(matches!(e, ModelError::DoesNotFit { ref task, demand: 9, capacity: 5, .. } if task == "j2"), "{e}");
}

#[test]
fn patterson_successor_out_of_range() {
    let m = reader_syntax(Format::Patterson, "3 1\n5\n0 0 1 7\n2 1 1 3\n0 0 0\n", 3);
    assert!(m.contains("successor of job 1") && m.contains("found 7"), "{m}");
}

#[test]
fn patterson_truncated() {
    let m = reader_syntax(Format::Patterson, "3 1\n5\n0 0 1 2\n2 1", 4);
    assert!(m.contains("job 2") && m.contains("end of the input"), "{m}");
}

#[test]
fn job_shop_non_integer_duration() {
    let m = reader_syntax(Format::JobShop, "# two jobs\n2 2\n0 5 1 x\n1 2 0 3\n", 3);
    assert!(m.contains("duration of operation 2 of job 1") && m.contains("`x`"), "{m}");
}

#[test]
fn job_shop_machine_out_of_range() {
    let m = reader_syntax(Format::JobShop, "2 2\n0 5 3 4\n1 2 0 3\n", 2);
    assert!(m.contains("operation 2 of job 1") && m.contains("found 3"), "{m}");
}

#[test]
fn job_shop_count_beyond_u64() {
    let m = reader_syntax(Format::JobShop, "99999999999999999999 2\n", 1);
    assert!(m.contains("job count") && m.contains("too large"), "{m}");
}

#[test]
fn job_shop_huge_job_count_is_an_error_not_an_allocation() {
    let m = reader_syntax(Format::JobShop, "1000000000000 1\n0 5\n", 2);
    assert!(m.contains("job 2") && m.contains("end of the input"), "{m}");
}

#[test]
fn flexible_job_shop_operation_without_machines() {
    let m = reader_syntax(Format::FlexibleJobShop, "1 2\n1 0\n", 2);
    assert!(m.contains("at least one machine for operation 1 of job 1"), "{m}");
}

#[test]
fn flexible_job_shop_unknown_machine() {
    let m = reader_syntax(Format::FlexibleJobShop, "1 2\n1 1 3 5\n", 2);
    assert!(m.contains("machine (1 to 2)") && m.contains("found 3"), "{m}");
}

#[test]
fn flexible_job_shop_durations_overflowing_in_sum() {
    let max = u64::MAX;
    let e = reader_invalid(Format::FlexibleJobShop, &format!("2 2\n1 1 1 {max}\n1 1 1 {max}\n"));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
}

#[test]
fn psplib_garbage_and_missing_header() {
    let m = reader_syntax(Format::Psplib, "garbage", 1);
    assert!(m.contains("expected the job count"), "{m}");
}

/// A shipped PSPLIB file, or `None` (with a note) where the shared data is absent.
fn j30_sample() -> Option<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/psplib/j30/j301_1.sm");
    let text = std::fs::read_to_string(path).ok();
    if text.is_none() {
        eprintln!("note: {path} not found; skipping (the shared benchmark data is absent)");
    }
    text
}

#[test]
fn psplib_job_listing_itself_as_successor() {
    let Some(text) = j30_sample() else { return };
    let damaged =
        text.replace("   1        1          3           2   3   4", "   1        1          3           2   3   1");
    let m = reader_syntax(Format::Psplib, &damaged, 19);
    assert!(m.contains("job 1 lists itself"), "{m}");
}

#[test]
fn psplib_truncated_file() {
    let Some(text) = j30_sample() else { return };
    let m = reader_syntax(Format::Psplib, text.get(..1500).unwrap(), 36);
    assert!(m.contains("job 18") && m.contains("end of the input"), "{m}");
}

#[test]
fn unknown_extension_and_non_utf8_benchmark_file() {
    let dir = std::env::temp_dir();
    let odd = dir.join(format!("dagplan-catalogue-{}.txt", std::process::id()));
    std::fs::write(&odd, "1 1\n0 1\n").unwrap();
    let e = read_problem(&odd).unwrap_err();
    std::fs::remove_file(&odd).ok();
    assert!(matches!(e, ParseError::UnknownFormat { .. }), "{e:?}");
    assert!(e.to_string().contains("dagplan-catalogue"), "{e}");

    let bad = dir.join(format!("dagplan-catalogue-{}.jss", std::process::id()));
    std::fs::write(&bad, b"1 1\n0 \xff\n").unwrap();
    let e = read_problem(&bad).unwrap_err();
    std::fs::remove_file(&bad).ok();
    assert!(matches!(e, ParseError::Syntax { line: 2, column: 3, .. }), "{e:?}");
}

// ---- Time rules: release dates, deadlines, fixed tasks, downtime, `now` (issue 14) ----

/// A two-node cluster where `n2` is down over [10, 20), with these tasks and this `now`.
fn live(tasks: &str, now: u64) -> String {
    format!(
        r#"{{"now": {now}, "nodes": [{{"name": "n1", "capacity": {{"cpu": 4}}}},
            {{"name": "n2", "capacity": {{"cpu": 2}}, "unavailable": [{{"from": 10, "to": 20}}]}}],
            "tasks": {tasks}}}"#
    )
}

#[test]
fn downtime_window_empty_or_reversed() {
    let text = r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 5, "to": 5}]}], "tasks": []}"#;
    let (e, m) = invalid(text);
    assert_eq!(e, ModelError::EmptyWindow { node: "n1".into(), from: 5, to: 5 });
    assert!(m.contains("`n1`") && m.contains("[5, 5)"), "{m}");
    let (e, _) = invalid(&text.replace(r#""to": 5"#, r#""to": 3"#));
    assert!(matches!(e, ModelError::EmptyWindow { from: 5, to: 3, .. }), "{e}");
}

#[test]
fn downtime_window_with_unknown_or_missing_fields() {
    let (_, m) = syntax(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 1, "until": 5}]}], "tasks": []}"#);
    assert!(m.contains("until"), "{m}");
    let (_, m) = syntax(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 1}]}], "tasks": []}"#);
    assert!(m.contains("to"), "{m}");
    let (_, m) = syntax(r#"{"now": -1, "nodes": [], "tasks": []}"#);
    assert!(m.contains("-1") || m.contains("invalid value"), "{m}");
}

#[test]
fn fixed_on_an_unknown_node() {
    let (e, m) = invalid(&live(r#"[{"name": "a", "duration": 5, "fixed": {"node": "n9", "start": 0}}]"#, 0));
    assert_eq!(e, ModelError::UnknownNode { task: "a".into(), node: "n9".into() });
    assert!(m.contains("`a`") && m.contains("`n9`"), "{m}");
}

#[test]
fn fixed_on_an_ineligible_node() {
    let (e, m) =
        invalid(&live(r#"[{"name": "a", "duration": 5, "nodes": ["n1"], "fixed": {"node": "n2", "start": 0}}]"#, 0));
    assert_eq!(e, ModelError::FixedOnIneligibleNode { task: "a".into(), node: "n2".into() });
    assert!(m.contains("`a`") && m.contains("`n2`"), "{m}");
}

#[test]
fn fixed_on_a_node_too_small() {
    let (e, m) = invalid(&live(
        r#"[{"name": "a", "duration": 5, "demand": {"cpu": 3}, "fixed": {"node": "n2", "start": 0}}]"#,
        0,
    ));
    assert_eq!(
        e,
        ModelError::FixedNodeTooSmall {
            task: "a".into(),
            node: "n2".into(),
            resource: "cpu".into(),
            demand: 3,
            capacity: 2
        }
    );
    assert!(m.contains("`a`") && m.contains("`n2`") && m.contains("2 cpu") && m.contains('3'), "{m}");
}

#[test]
fn fixed_during_downtime() {
    let (e, m) = invalid(&live(r#"[{"name": "a", "duration": 5, "fixed": {"node": "n2", "start": 8}}]"#, 0));
    assert_eq!(
        e,
        ModelError::FixedDuringDowntime { task: "a".into(), node: "n2".into(), start: 8, finish: 13, from: 10, to: 20 }
    );
    assert!(m.contains("`a`") && m.contains("[8, 13)") && m.contains("[10, 20)"), "{m}");
    // A task of zero duration at an instant of the window runs during it, too.
    let (e, _) = invalid(&live(r#"[{"name": "z", "duration": 0, "fixed": {"node": "n2", "start": 10}}]"#, 0));
    assert!(matches!(e, ModelError::FixedDuringDowntime { start: 10, finish: 10, .. }), "{e}");
    // Right before and right after the window are fine.
    let fine = r#"[{"name": "a", "duration": 10, "fixed": {"node": "n2", "start": 0}},
                   {"name": "b", "duration": 0, "fixed": {"node": "n2", "start": 20}}]"#;
    assert!(read_json_str(&live(fine, 0)).is_ok());
}

#[test]
fn fixed_tasks_over_capacity_together() {
    let (e, m) = invalid(&live(
        r#"[{"name": "a", "duration": 5, "demand": {"cpu": 3}, "fixed": {"node": "n1", "start": 0}},
            {"name": "b", "duration": 5, "demand": {"cpu": 2}, "fixed": {"node": "n1", "start": 4}}]"#,
        0,
    ));
    let ModelError::FixedOverCapacity(load) = &e else { panic!("{e}") };
    assert_eq!(
        (load.node.as_str(), load.resource.as_str(), load.time, load.used, load.capacity),
        ("n1", "cpu", 4, 5, 4)
    );
    assert_eq!(load.tasks, ["a", "b"]);
    assert!(m.contains("`n1`") && m.contains("5 cpu") && m.contains("time 4") && m.contains("a, b"), "{m}");
}

#[test]
fn fixed_before_its_release_or_after_its_deadline() {
    let (e, m) =
        invalid(&live(r#"[{"name": "a", "duration": 5, "release": 7, "fixed": {"node": "n1", "start": 3}}]"#, 0));
    assert_eq!(e, ModelError::FixedBeforeRelease { task: "a".into(), start: 3, release: 7 });
    assert!(m.contains("`a`") && m.contains('3') && m.contains('7'), "{m}");
    let (e, m) =
        invalid(&live(r#"[{"name": "a", "duration": 5, "deadline": 6, "fixed": {"node": "n1", "start": 3}}]"#, 0));
    assert_eq!(e, ModelError::FixedAfterDeadline { task: "a".into(), finish: 8, deadline: 6 });
    assert!(m.contains("`a`") && m.contains('8') && m.contains('6'), "{m}");
}

#[test]
fn deadline_before_release_plus_shortest_duration() {
    let (e, m) =
        invalid(&live(r#"[{"name": "a", "duration": 9, "durations": {"n2": 6}, "release": 20, "deadline": 25}]"#, 0));
    assert_eq!(e, ModelError::DeadlineTooEarly { task: "a".into(), earliest: 20, shortest: 6, deadline: 25 });
    assert!(m.contains("`a`") && m.contains("25") && m.contains("20") && m.contains('6'), "{m}");
    // `now` counts like a release for tasks that are not fixed.
    let (e, _) = invalid(&live(r#"[{"name": "a", "duration": 5, "deadline": 33}]"#, 30));
    assert_eq!(e, ModelError::DeadlineTooEarly { task: "a".into(), earliest: 30, shortest: 5, deadline: 33 });
}

#[test]
fn window_too_short_on_every_eligible_node() {
    // n2 is down over [10, 20): between 5 and 24 it is free for 5 and 4 ticks, not 6.
    let (e, m) = invalid(&live(r#"[{"name": "a", "duration": 6, "nodes": ["n2"], "release": 5, "deadline": 24}]"#, 0));
    let ModelError::NoRoomBeforeDeadline { task, earliest, deadline, gaps } = &e else { panic!("{e}") };
    assert_eq!((task.as_str(), *earliest, *deadline), ("a", 5, 24));
    assert_eq!(gaps, &[dagplan::NodeGap { node: "n2".into(), duration: 6, longest: 5 }]);
    assert!(m.contains("`a`") && m.contains("`n2`") && m.contains("needs 6") && m.contains("at most 5"), "{m}");
    // Eligible on n1 too, it fits there.
    assert!(read_json_str(&live(r#"[{"name": "a", "duration": 6, "release": 5, "deadline": 24}]"#, 0)).is_ok());
}

#[test]
fn fixed_task_breaking_a_dependency() {
    // Both fixed: b starts before a finishes.
    let (e, m) = invalid(&live(
        r#"[{"name": "a", "duration": 5, "fixed": {"node": "n1", "start": 0}},
            {"name": "b", "duration": 5, "after": ["a"], "fixed": {"node": "n1", "start": 4}}]"#,
        0,
    ));
    assert_eq!(
        e,
        ModelError::FixedBreaksDependency { task: "b".into(), start: 4, dependency: "a".into(), earliest: 5 }
    );
    assert!(m.contains("`b`") && m.contains("`a`") && m.contains('4') && m.contains('5'), "{m}");
    // Across nodes the transfer delay counts.
    let (e, _) = invalid(&live(
        r#"[{"name": "a", "duration": 5, "fixed": {"node": "n1", "start": 0}},
            {"name": "b", "duration": 5, "after": [{"task": "a", "delay": 3}], "fixed": {"node": "n2", "start": 20}},
            {"name": "c", "duration": 1, "after": [{"task": "a", "delay": 3}], "fixed": {"node": "n2", "start": 7}}]"#,
        0,
    ));
    assert_eq!(
        e,
        ModelError::FixedBreaksDependency { task: "c".into(), start: 7, dependency: "a".into(), earliest: 8 }
    );
    // A dependency that is not fixed starts no earlier than `now`.
    let (e, _) = invalid(&live(
        r#"[{"name": "a", "duration": 5}, {"name": "b", "duration": 5, "after": ["a"], "fixed": {"node": "n1", "start": 12}}]"#,
        10,
    ));
    assert_eq!(
        e,
        ModelError::FixedBreaksDependency { task: "b".into(), start: 12, dependency: "a".into(), earliest: 15 }
    );
}

#[test]
fn release_and_fixed_times_that_overflow() {
    let max = u64::MAX;
    let (e, _) =
        invalid(&live(&format!(r#"[{{"name": "a", "duration": 5, "fixed": {{"node": "n1", "start": {max}}}}}]"#), 0));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
    let (e, _) = invalid(&live(&format!(r#"[{{"name": "a", "duration": 5, "release": {}}}]"#, max - 2), 0));
    assert!(matches!(e, ModelError::Overflow { .. }), "{e}");
}
