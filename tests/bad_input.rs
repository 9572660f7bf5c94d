//! The bad-input catalogue: every way an input can be wrong, one table per kind, each row with
//! the exact error it must give (and words its message must contain: the offending items and
//! numbers), never a panic. Valid but extreme inputs (empty problems, huge numbers,
//! 100,000-task chains) are solved and verified at the end.
//!
//! | table | input | checked through |
//! |---|---|---|
//! | `invalid_problems` | well-formed JSON describing an invalid problem | `read_json_str` and `ProblemSpec::build` |
//! | `malformed_json` | JSON that is not a problem | `read_json_str` and serde into `ProblemSpec` |
//! | `malformed_benchmark_files` | the benchmark formats | their readers |
//! | `unreadable_files` | files: missing, not UTF-8, unknown extension | `read_problem` |

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use std::path::Path;

use dagplan::io::{Format, ParseError, Source, parse_problem, read_json_str, read_problem};
use dagplan::{
    FixedLoad, ModelError, NodeGap, NodeMismatch, Problem, ProblemSpec, QuantityError, Scale, Shortfall, all_solvers,
    heuristic_solvers,
};

/// One row of every table: the case, the input, what reading it must give, and words the
/// error message must contain (the offending items and numbers).
type Row<Input, Expected> = (&'static str, Input, Expected, &'static [&'static str]);

// ---- Invalid problems ------------------------------------------------------------------

/// Two nodes: `n1` (4 cpu, 16 memory) and `n2` (2 cpu).
fn on_n1_n2(tasks: &str) -> String {
    format!(
        r#"{{"nodes": [{{"name": "n1", "capacity": {{"cpu": 4, "memory": 16}}}}, {{"name": "n2", "capacity": {{"cpu": 2}}}}],
            "tasks": {tasks}}}"#
    )
}

/// Two nodes, each larger in one dimension: `small` (2 cpu, 8 memory), `big` (8 cpu, 4 memory).
fn on_small_big(tasks: &str) -> String {
    format!(
        r#"{{"nodes": [{{"name": "small", "capacity": {{"cpu": 2, "memory": 8}}}},
                       {{"name": "big", "capacity": {{"cpu": 8, "memory": 4}}}}],
            "tasks": {tasks}}}"#
    )
}

/// A live cluster: `n1` (4 cpu) and `n2` (2 cpu, down over [10, 20)), at time `now`.
fn live(tasks: &str, now: u64) -> String {
    format!(
        r#"{{"now": {now}, "nodes": [{{"name": "n1", "capacity": {{"cpu": 4}}}},
            {{"name": "n2", "capacity": {{"cpu": 2}}, "unavailable": [{{"from": 10, "to": 20}}]}}],
            "tasks": {tasks}}}"#
    )
}

fn cycle(names: &[&str]) -> ModelError {
    ModelError::Cycle { tasks: names.iter().map(|&n| n.to_owned()).collect() }
}

/// The overflow of the sum of all durations and delays (the planning horizon).
fn horizon_overflow() -> ModelError {
    ModelError::Overflow {
        what: "the sum of all task durations and transfer delays exceeds the largest representable time".into(),
    }
}

/// A cycle of `n` tasks `c0 -> c1 -> ... -> c(n-1) -> c0` behind 5,000 valid tasks.
fn long_cycle(n: usize) -> Row<String, ModelError> {
    let mut tasks: Vec<String> = (0..5000).map(|i| format!(r#"{{"name": "p{i}", "duration": 1}}"#)).collect();
    tasks.push(format!(r#"{{"name": "c0", "duration": 1, "after": ["p0", "c{}"]}}"#, n - 1));
    tasks.extend((1..n).map(|i| format!(r#"{{"name": "c{i}", "duration": 1, "after": ["c{}"]}}"#, i - 1)));
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let json = on_n1_n2(&format!("[{}]", tasks.join(",")));
    (
        "a long cycle behind valid tasks, named whole without recursion",
        json,
        ModelError::Cycle { tasks: names },
        &["c99999 -> c0"],
    )
}

fn invalid_problems() -> Vec<Row<String, ModelError>> {
    use ModelError::*;
    let s = |text: &str| text.to_owned();
    let max = u64::MAX;
    vec![
        // Names.
        (
            "two tasks with one name",
            on_n1_n2(r#"[{"name": "a", "duration": 1}, {"name": "a", "duration": 2}]"#),
            DuplicateName { kind: "task", name: s("a") },
            &["task", "`a`"],
        ),
        (
            "two nodes with one name",
            s(r#"{"nodes": [{"name": "n"}, {"name": "n"}], "tasks": []}"#),
            DuplicateName { kind: "node", name: s("n") },
            &["node", "`n`"],
        ),
        (
            "a resource declared twice",
            s(r#"{"resources": ["cpu", "memory", "cpu"], "nodes": [], "tasks": []}"#),
            DuplicateName { kind: "resource", name: s("cpu") },
            &["resource", "`cpu`"],
        ),
        // References.
        (
            "a node's capacity in an undeclared resource",
            on_small_big(r#"[]"#).replacen('{', r#"{"resources": ["cpu"], "#, 1),
            UnknownResource { owner: s("node `small`"), resource: s("memory") },
            &["`small`", "`memory`"],
        ),
        (
            "a task's demand in an undeclared resource",
            s(r#"{"resources": ["cpu"], "nodes": [{"name": "n", "capacity": {"cpu": 1}}],
                "tasks": [{"name": "a", "duration": 1, "demand": {"gpu": 1}}]}"#),
            UnknownResource { owner: s("task `a`"), resource: s("gpu") },
            &["`a`", "`gpu`"],
        ),
        (
            "a dependency on an unknown task",
            on_n1_n2(r#"[{"name": "a", "duration": 1, "after": ["ghost"]}]"#),
            UnknownTask { task: s("a"), dependency: s("ghost") },
            &["`a`", "`ghost`"],
        ),
        (
            "an unknown eligible node",
            on_n1_n2(r#"[{"name": "a", "duration": 1, "nodes": ["n9"]}]"#),
            UnknownNode { task: s("a"), node: s("n9") },
            &["`a`", "`n9`"],
        ),
        (
            "a duration for an unknown node",
            on_n1_n2(r#"[{"name": "a", "duration": 1, "durations": {"gpu-box": 2}}]"#),
            UnknownNode { task: s("a"), node: s("gpu-box") },
            &["`gpu-box`"],
        ),
        (
            "a dependency listed twice (once with a delay)",
            on_n1_n2(
                r#"[{"name": "a", "duration": 1}, {"name": "b", "duration": 1, "after": ["a", {"task": "a", "delay": 1}]}]"#,
            ),
            DuplicateDependency { task: s("b"), dependency: s("a") },
            &["`b`", "`a`"],
        ),
        (
            "an eligible node listed twice",
            on_small_big(r#"[{"name": "a", "duration": 1, "nodes": ["big", "small", "big"]}]"#),
            DuplicateEligibleNode { task: s("a"), node: s("big") },
            &["`a`", "`big`"],
        ),
        // Cycles, reported in order from their first task.
        (
            "a cycle of three behind a valid task",
            on_n1_n2(
                r#"[{"name": "start", "duration": 1}, {"name": "x", "duration": 1, "after": ["start", "z"]},
                    {"name": "y", "duration": 1, "after": ["x"]}, {"name": "z", "duration": 1, "after": ["y"]}]"#,
            ),
            cycle(&["x", "y", "z"]),
            &["dependency cycle: x -> y -> z -> x"],
        ),
        (
            "a cycle of two",
            on_n1_n2(r#"[{"name": "a", "duration": 1, "after": ["b"]}, {"name": "b", "duration": 1, "after": ["a"]}]"#),
            cycle(&["a", "b"]),
            &["a -> b -> a"],
        ),
        (
            "a task after itself",
            on_n1_n2(r#"[{"name": "me", "duration": 1, "after": ["me"]}]"#),
            cycle(&["me"]),
            &["me -> me"],
        ),
        (
            "a task after itself, with a delay",
            on_n1_n2(r#"[{"name": "me", "duration": 1, "after": [{"task": "me", "delay": 3}]}]"#),
            cycle(&["me"]),
            &["me -> me"],
        ),
        long_cycle(100_000),
        // Placement.
        (
            "an empty eligible list",
            on_n1_n2(r#"[{"name": "nowhere", "duration": 1, "nodes": []}]"#),
            NoEligibleNode { task: s("nowhere") },
            &["`nowhere`"],
        ),
        (
            "tasks and no nodes",
            s(r#"{"nodes": [], "tasks": [{"name": "lonely", "duration": 1}]}"#),
            NoEligibleNode { task: s("lonely") },
            &["`lonely`"],
        ),
        (
            "a duration for a node the task may not use",
            on_n1_n2(r#"[{"name": "a", "duration": 1, "nodes": ["n1"], "durations": {"n2": 1}}]"#),
            DurationForIneligibleNode { task: s("a"), node: s("n2") },
            &["`a`", "`n2`"],
        ),
        (
            "a task too big for every node in one dimension",
            on_n1_n2(r#"[{"name": "whale", "duration": 1, "demand": {"cpu": 64}}]"#),
            DoesNotFit { task: s("whale"), resource: s("cpu"), demand: 64, node: s("n1"), capacity: 4 },
            &["`whale`", "needs 64 cpu", "`n1`"],
        ),
        (
            "a task eligible only on a node too small",
            on_small_big(r#"[{"name": "a", "duration": 1, "demand": {"cpu": 4}, "nodes": ["small"]}]"#),
            DoesNotFit { task: s("a"), resource: s("cpu"), demand: 4, node: s("small"), capacity: 2 },
            &["`a`", "`small`"],
        ),
        (
            "a demand on nodes of zero capacity",
            s(r#"{"nodes": [{"name": "z1", "capacity": {"cpu": 0}}, {"name": "z2"}], "tasks": [
                {"name": "free", "duration": 3}, {"name": "needy", "duration": 3, "demand": {"cpu": 1}}]}"#),
            DoesNotFit { task: s("needy"), resource: s("cpu"), demand: 1, node: s("z1"), capacity: 0 },
            &["`needy`"],
        ),
        (
            "a task too big in a different dimension on each node",
            on_small_big(r#"[{"name": "odd", "duration": 1, "demand": {"cpu": 4, "memory": 6}}]"#),
            FitsNoNode {
                task: s("odd"),
                shortfalls: vec![
                    Shortfall { node: s("small"), resource: s("cpu"), demand: 4, capacity: 2 },
                    Shortfall { node: s("big"), resource: s("memory"), demand: 6, capacity: 4 },
                ],
            },
            &["`odd`", "`small`", "`big`"],
        ),
        // Numbers.
        (
            "durations that overflow when summed",
            on_n1_n2(&format!(
                r#"[{{"name": "a", "duration": {h}}}, {{"name": "b", "duration": {h}}}]"#,
                h = max / 2 + 1
            )),
            horizon_overflow(),
            &["overflow"],
        ),
        (
            "a delay that overflows",
            on_n1_n2(&format!(
                r#"[{{"name": "a", "duration": 1}}, {{"name": "b", "duration": 1, "after": [{{"task": "a", "delay": {max}}}]}}]"#
            )),
            horizon_overflow(),
            &["overflow"],
        ),
        // Time rules: release dates, deadlines, fixed tasks, downtime, `now`.
        (
            "an empty downtime window",
            s(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 5, "to": 5}]}], "tasks": []}"#),
            EmptyWindow { node: s("n1"), from: 5, to: 5 },
            &["`n1`", "[5, 5)"],
        ),
        (
            "a reversed downtime window",
            s(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 5, "to": 3}]}], "tasks": []}"#),
            EmptyWindow { node: s("n1"), from: 5, to: 3 },
            &["[5, 3)"],
        ),
        (
            "a task fixed on an unknown node",
            live(r#"[{"name": "a", "duration": 5, "fixed": {"node": "n9", "start": 0}}]"#, 0),
            UnknownNode { task: s("a"), node: s("n9") },
            &["`a`", "`n9`"],
        ),
        (
            "a task fixed on a node it may not use",
            live(r#"[{"name": "a", "duration": 5, "nodes": ["n1"], "fixed": {"node": "n2", "start": 0}}]"#, 0),
            FixedOnIneligibleNode { task: s("a"), node: s("n2") },
            &["`a`", "`n2`"],
        ),
        (
            "a task fixed on a node too small",
            live(r#"[{"name": "a", "duration": 5, "demand": {"cpu": 3}, "fixed": {"node": "n2", "start": 0}}]"#, 0),
            FixedNodeTooSmall { task: s("a"), node: s("n2"), resource: s("cpu"), demand: 3, capacity: 2 },
            &["`a`", "`n2`", "2 cpu", "3"],
        ),
        (
            "a task fixed during its node's downtime",
            live(r#"[{"name": "a", "duration": 5, "fixed": {"node": "n2", "start": 8}}]"#, 0),
            FixedDuringDowntime { task: s("a"), node: s("n2"), start: 8, finish: 13, from: 10, to: 20 },
            &["`a`", "[8, 13)", "[10, 20)"],
        ),
        (
            "a task of zero duration fixed at an instant of downtime",
            live(r#"[{"name": "z", "duration": 0, "fixed": {"node": "n2", "start": 10}}]"#, 0),
            FixedDuringDowntime { task: s("z"), node: s("n2"), start: 10, finish: 10, from: 10, to: 20 },
            &["`z`"],
        ),
        (
            "fixed tasks over their node's capacity together",
            live(
                r#"[{"name": "a", "duration": 5, "demand": {"cpu": 3}, "fixed": {"node": "n1", "start": 0}},
                    {"name": "b", "duration": 5, "demand": {"cpu": 2}, "fixed": {"node": "n1", "start": 4}}]"#,
                0,
            ),
            FixedOverCapacity(Box::new(FixedLoad {
                node: s("n1"),
                resource: s("cpu"),
                time: 4,
                used: 5,
                capacity: 4,
                tasks: vec![s("a"), s("b")],
            })),
            &["`n1`", "5 cpu", "time 4", "a, b"],
        ),
        (
            "a task fixed before its release",
            live(r#"[{"name": "a", "duration": 5, "release": 7, "fixed": {"node": "n1", "start": 3}}]"#, 0),
            FixedBeforeRelease { task: s("a"), start: 3, release: 7 },
            &["`a`", "3", "7"],
        ),
        (
            "a task fixed to finish after its deadline",
            live(r#"[{"name": "a", "duration": 5, "deadline": 6, "fixed": {"node": "n1", "start": 3}}]"#, 0),
            FixedAfterDeadline { task: s("a"), finish: 8, deadline: 6 },
            &["`a`", "8", "6"],
        ),
        (
            "a deadline before the release plus the shortest duration",
            live(r#"[{"name": "a", "duration": 9, "durations": {"n2": 6}, "release": 20, "deadline": 25}]"#, 0),
            DeadlineTooEarly { task: s("a"), earliest: 20, shortest: 6, deadline: 25 },
            &["`a`", "25", "20", "6"],
        ),
        (
            "a deadline before `now` plus the duration",
            live(r#"[{"name": "a", "duration": 5, "deadline": 33}]"#, 30),
            DeadlineTooEarly { task: s("a"), earliest: 30, shortest: 5, deadline: 33 },
            &["`a`"],
        ),
        (
            "a window too short on every eligible node (downtime in it)",
            live(r#"[{"name": "a", "duration": 6, "nodes": ["n2"], "release": 5, "deadline": 24}]"#, 0),
            NoRoomBeforeDeadline {
                task: s("a"),
                earliest: 5,
                deadline: 24,
                gaps: vec![NodeGap { node: s("n2"), duration: 6, longest: 5 }],
            },
            &["`a`", "`n2`", "needs 6", "at most 5"],
        ),
        (
            "fixed tasks breaking a dependency",
            live(
                r#"[{"name": "a", "duration": 5, "fixed": {"node": "n1", "start": 0}},
                    {"name": "b", "duration": 5, "after": ["a"], "fixed": {"node": "n1", "start": 4}}]"#,
                0,
            ),
            FixedBreaksDependency { task: s("b"), start: 4, dependency: s("a"), earliest: 5 },
            &["`b`", "`a`", "4", "5"],
        ),
        (
            "fixed tasks on two nodes breaking a dependency's transfer delay",
            live(
                r#"[{"name": "a", "duration": 5, "fixed": {"node": "n1", "start": 0}},
                    {"name": "b", "duration": 5, "after": [{"task": "a", "delay": 3}], "fixed": {"node": "n2", "start": 20}},
                    {"name": "c", "duration": 1, "after": [{"task": "a", "delay": 3}], "fixed": {"node": "n2", "start": 7}}]"#,
                0,
            ),
            FixedBreaksDependency { task: s("c"), start: 7, dependency: s("a"), earliest: 8 },
            &["`c`"],
        ),
        (
            "a fixed task after a dependency that cannot start before `now`",
            live(
                r#"[{"name": "a", "duration": 5}, {"name": "b", "duration": 5, "after": ["a"], "fixed": {"node": "n1", "start": 12}}]"#,
                10,
            ),
            FixedBreaksDependency { task: s("b"), start: 12, dependency: s("a"), earliest: 15 },
            &["`b`"],
        ),
        (
            "a fixed start whose finish overflows",
            live(&format!(r#"[{{"name": "a", "duration": 5, "fixed": {{"node": "n1", "start": {max}}}}}]"#), 0),
            Overflow { what: format!("task `a` is fixed at {max} and runs 5 ticks") },
            &["overflow", "`a`"],
        ),
        // Kubernetes quantities (capacities and demands as strings).
        (
            "a malformed quantity",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"memory": "12 GB"}}], "tasks": []}"#),
            BadQuantity {
                owner: s("node `n1`"),
                field: "capacity",
                resource: s("memory"),
                error: Box::new(QuantityError::Malformed { text: s("12 GB"), reason: "unknown suffix" }),
            },
            &["`n1`", "capacity", "`memory`", "`12 GB`"],
        ),
        (
            "an empty quantity",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"cpu": ""}}], "tasks": []}"#),
            BadQuantity {
                owner: s("node `n1`"),
                field: "capacity",
                resource: s("cpu"),
                error: Box::new(QuantityError::Empty),
            },
            &["`n1`", "`cpu`", "empty"],
        ),
        (
            "a negative quantity",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"cpu": "4"}}],
                "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": "-500m"}}]}"#),
            BadQuantity {
                owner: s("task `a`"),
                field: "demand",
                resource: s("cpu"),
                error: Box::new(QuantityError::Negative { text: s("-500m") }),
            },
            &["`a`", "demand", "`-500m`", "negative"],
        ),
        (
            "a fraction of a millicore",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"cpu": "4"}}],
                "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": "0.0005"}}]}"#),
            BadQuantity {
                owner: s("task `a`"),
                field: "demand",
                resource: s("cpu"),
                error: Box::new(QuantityError::NotWhole { text: s("0.0005"), scale: Scale::Milli }),
            },
            &["`a`", "`0.0005`", "millicores"],
        ),
        (
            "a fraction of a byte",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"memory": "1.5"}}], "tasks": []}"#),
            BadQuantity {
                owner: s("node `n1`"),
                field: "capacity",
                resource: s("memory"),
                error: Box::new(QuantityError::NotWhole { text: s("1.5"), scale: Scale::One }),
            },
            &["`n1`", "`1.5`", "bytes"],
        ),
        (
            "a quantity beyond u64",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"memory": "16Ei"}}], "tasks": []}"#),
            BadQuantity {
                owner: s("node `n1`"),
                field: "capacity",
                resource: s("memory"),
                error: Box::new(QuantityError::Overflow { text: s("16Ei"), scale: Scale::One }),
            },
            &["`n1`", "`16Ei`", "too large"],
        ),
        (
            "a quantity of GPUs that is not whole",
            s(r#"{"nodes": [{"name": "g", "capacity": {"nvidia.com/gpu": "500m"}}], "tasks": []}"#),
            BadQuantity {
                owner: s("node `g`"),
                field: "capacity",
                resource: s("nvidia.com/gpu"),
                error: Box::new(QuantityError::NotWhole { text: s("500m"), scale: Scale::One }),
            },
            &["`g`", "`nvidia.com/gpu`", "`500m`"],
        ),
        (
            "plain numbers and quantities mixed in one dimension",
            s(r#"{"nodes": [{"name": "n1", "capacity": {"cpu": 8}}],
                "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": "500m"}}]}"#),
            MixedAmounts {
                resource: s("cpu"),
                number: s("capacity of node `n1`"),
                quantity: s("demand of task `a`"),
                scale: Scale::Milli,
            },
            &["`cpu`", "node `n1`", "task `a`", "millicores", "own unit"],
        ),
        // Node selectors and taints.
        (
            "a node selector no node matches",
            s(r#"{"nodes": [{"name": "n1", "labels": {"pool": "cpu"}}, {"name": "n2"}],
                "tasks": [{"name": "a", "duration": 1, "node_selector": {"pool": "gpu"}}]}"#),
            NoMatchingNode {
                task: s("a"),
                selector: s("pool=gpu"),
                nodes: vec![
                    NodeMismatch { node: s("n1"), reason: s("label `pool=cpu`, not `gpu`") },
                    NodeMismatch { node: s("n2"), reason: s("no label `pool`") },
                ],
            },
            &["`a`", "pool=gpu", "`n1`", "`n2`"],
        ),
        (
            "every node tainted against the task",
            s(r#"{"nodes": [{"name": "g1", "taints": [{"key": "gpu", "effect": "NoSchedule"}]},
                            {"name": "g2", "taints": [{"key": "gpu", "value": "a100", "effect": "NoExecute"}]}],
                "tasks": [{"name": "a", "duration": 1, "tolerations": [{"key": "gpu", "value": "h100"}]}]}"#),
            NoMatchingNode {
                task: s("a"),
                selector: s(""),
                nodes: vec![
                    NodeMismatch { node: s("g1"), reason: s("untolerated taint `gpu=:NoSchedule`") },
                    NodeMismatch { node: s("g2"), reason: s("untolerated taint `gpu=a100:NoExecute`") },
                ],
            },
            &["`a`", "`g1`", "taint"],
        ),
        (
            "a selector and an explicit node list that exclude each other",
            s(r#"{"nodes": [{"name": "n1", "labels": {"pool": "gpu"}}, {"name": "n2"}],
                "tasks": [{"name": "a", "duration": 1, "nodes": ["n2"], "node_selector": {"pool": "gpu"}}]}"#),
            NoMatchingNode {
                task: s("a"),
                selector: s("pool=gpu"),
                nodes: vec![NodeMismatch { node: s("n2"), reason: s("no label `pool`") }],
            },
            &["`a`", "`n2`"],
        ),
        (
            "a release so late the horizon overflows",
            live(&format!(r#"[{{"name": "a", "duration": 5, "release": {}}}]"#, max - 2), 0),
            horizon_overflow(),
            &["overflow"],
        ),
    ]
}

/// Each invalid problem gives its error through both doors: the JSON reader (as
/// `ParseError::Invalid`, the message prefixed by the source) and the builder (`ProblemSpec`).
#[test]
fn every_invalid_problem_gets_its_error_through_reader_and_builder() {
    for (case, json, error, says) in invalid_problems() {
        match read_json_str(&json) {
            Err(ParseError::Invalid { file: Source::Text, source }) => assert_eq!(source, error, "{case}"),
            other => panic!("{case}: expected {error}, got {other:?}"),
        }
        let message = read_json_str(&json).unwrap_err().to_string();
        assert_eq!(message, format!("<input>: {error}"), "{case}");
        for word in says {
            assert!(message.contains(word), "{case}: `{word}` missing from: {message}");
        }
        let spec: ProblemSpec = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(spec.build().unwrap_err(), error, "{case} (builder)");
    }
}

// ---- Malformed JSON --------------------------------------------------------------------

/// JSON that is not a problem, and the line of the error (when it matters).
fn malformed_json() -> Vec<Row<String, Option<usize>>> {
    let s = |text: &str| text.to_owned();
    let five_tasks = include_str!("../data/five_tasks.json");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    vec![
        (
            "a negative duration",
            s("{\n  \"nodes\": [],\n  \"tasks\": [{\"name\": \"a\", \"duration\": -1}]\n}"),
            Some(3),
            &["expected u64"],
        ),
        (
            "a number above u64",
            s("{\"nodes\": [],\n\"tasks\": [{\"name\": \"a\", \"duration\": 18446744073709551616}]}"),
            Some(2),
            &[],
        ),
        (
            "a fractional duration",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1.5}]}"#),
            None,
            &["expected u64"],
        ),
        (
            "a fractional capacity",
            s(r#"{"nodes": [{"name": "n", "capacity": {"cpu": 1.5}}], "tasks": []}"#),
            None,
            &["1.5 is not an integer", "quantity string"],
        ),
        (
            "a negative demand",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": -2}}]}"#),
            None,
            &["-2 is negative"],
        ),
        (
            "a capacity as a list",
            s(r#"{"nodes": [{"name": "n", "capacity": {"cpu": [8]}}], "tasks": []}"#),
            None,
            &["Kubernetes quantity string"],
        ),
        (
            "an unknown taint effect",
            s(r#"{"nodes": [{"name": "n", "taints": [{"key": "k", "effect": "Never"}]}], "tasks": []}"#),
            None,
            &["unknown variant `Never`"],
        ),
        (
            "a duration as a string",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": "10"}]}"#),
            None,
            &["invalid type: string"],
        ),
        ("nodes as an object", s(r#"{"nodes": {"name": "n"}, "tasks": []}"#), None, &["expected a sequence"]),
        ("a name as a number", s(r#"{"nodes": [{"name": 7}], "tasks": []}"#), None, &["expected a string"]),
        ("a truncated file", s(&five_tasks[..five_tasks.len() / 2]), None, &["EOF"]),
        ("empty input", s(""), Some(1), &["EOF"]),
        ("a number instead of an object", s("42"), None, &["expected struct ProblemSpec"]),
        ("a list of numbers", s("[1, 2, 3]"), None, &["expected a sequence"]),
        ("no tasks field", s(r#"{"nodes": []}"#), None, &["missing field `tasks`"]),
        (
            "a task without a duration",
            s(r#"{"nodes": [], "tasks": [{"name": "a"}]}"#),
            None,
            &["missing field `duration`"],
        ),
        (
            "an unknown top-level field",
            s(r#"{"nodes": [], "tasks": [], "extra": 1}"#),
            None,
            &["unknown field `extra`"],
        ),
        (
            "an unknown node field",
            s(r#"{"nodes": [{"name": "n", "cores": 4}], "tasks": []}"#),
            None,
            &["unknown field `cores`"],
        ),
        (
            "an unknown task field",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "priority": 1}]}"#),
            None,
            &["unknown field `priority`"],
        ),
        (
            "an unknown dependency field",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "after": [{"task": "b", "wait": 1}]}]}"#),
            None,
            &["unknown field `wait`, expected `task` or `delay`"],
        ),
        (
            "a repeated capacity",
            s(r#"{"nodes": [{"name": "n", "capacity": {"cpu": 1, "cpu": 2}}], "tasks": []}"#),
            None,
            &["duplicate key `cpu`"],
        ),
        (
            "a repeated demand",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "demand": {"cpu": 1, "cpu": 9}}]}"#),
            None,
            &["duplicate key `cpu`"],
        ),
        // A dependency is a name or an object: a nested list is refused at its first level.
        (
            "deeply nested dependencies",
            format!(r#"{{"nodes": [], "tasks": [{{"name": "a", "duration": 1, "after": {deep}}}]}}"#),
            None,
            &["invalid type: sequence, expected a task name, or an object"],
        ),
        (
            "a dependency that is a number",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "after": [7]}]}"#),
            None,
            &["invalid type: integer `7`, expected a task name"],
        ),
        (
            "a dependency object without its task",
            s(r#"{"nodes": [], "tasks": [{"name": "a", "duration": 1, "after": [{"delay": 2}]}]}"#),
            None,
            &["missing field `task`"],
        ),
        (
            "a downtime window with an unknown field",
            s(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 1, "until": 5}]}], "tasks": []}"#),
            None,
            &["until"],
        ),
        (
            "a downtime window without its end",
            s(r#"{"nodes": [{"name": "n1", "unavailable": [{"from": 1}]}], "tasks": []}"#),
            None,
            &["missing field `to`"],
        ),
        ("a negative `now`", s(r#"{"now": -1, "nodes": [], "tasks": []}"#), None, &["-1"]),
    ]
}

/// Each is a syntax error with its line and column (also when read into a `ProblemSpec`).
#[test]
fn malformed_json_is_a_syntax_error_with_its_position() {
    for (case, text, line, says) in malformed_json() {
        let error = read_json_str(&text).unwrap_err();
        let ParseError::Syntax { line: at, column, .. } = &error else { panic!("{case}: {error:?}") };
        if let Some(line) = line {
            assert_eq!(*at, line, "{case}: {error}");
        }
        let message = error.to_string();
        assert!(message.starts_with(&format!("<input>:{at}:{column}: ")), "{case}: {message}");
        for word in says {
            assert!(message.contains(word), "{case}: `{word}` missing from: {message}");
        }
        // The reader's own form of the spec fails where the spec does, with the same words.
        let spec = serde_json::from_str::<ProblemSpec>(&text).unwrap_err();
        let words = spec.to_string().replace(&format!(" at line {} column {}", spec.line(), spec.column()), "");
        assert_eq!(message, format!("<input>:{}:{}: {words}", spec.line(), spec.column()), "{case} (serde)");
    }
}

// ---- The benchmark formats -------------------------------------------------------------

/// Malformed benchmark files in their format, with `Ok(line)` of a syntax error, or `Err` with
/// the error of a well-formed file describing an invalid problem.
type Malformed = Row<(Format, String), Result<usize, ModelError>>;

fn malformed_benchmark_files() -> Vec<Malformed> {
    let s = |text: &str| text.to_owned();
    let max = u64::MAX;
    let mut rows: Vec<Malformed> = vec![
        (
            "Patterson: a precedence cycle",
            (Format::Patterson, s("3 1\n5\n0 0 1 2\n2 1 1 3\n0 0 1 2\n")),
            Err(cycle(&["j2", "j3"])),
            &[],
        ),
        (
            "Patterson: a demand above the capacity",
            (Format::Patterson, s("3 1\n5\n0 0 1 2\n2 9 1 3\n0 0 0\n")),
            Err(ModelError::DoesNotFit {
                task: s("j2"),
                resource: s("R1"),
                demand: 9,
                node: s("project"),
                capacity: 5,
            }),
            &[],
        ),
        (
            "Patterson: a successor out of range",
            (Format::Patterson, s("3 1\n5\n0 0 1 7\n2 1 1 3\n0 0 0\n")),
            Ok(3),
            &["successor of job 1", "found 7"],
        ),
        (
            "Patterson: a truncated file",
            (Format::Patterson, s("3 1\n5\n0 0 1 2\n2 1")),
            Ok(4),
            &["job 2", "end of the input"],
        ),
        (
            "job shop: a duration that is not a number",
            (Format::JobShop, s("# two jobs\n2 2\n0 5 1 x\n1 2 0 3\n")),
            Ok(3),
            &["duration of operation 2 of job 1", "`x`"],
        ),
        (
            "job shop: a machine out of range",
            (Format::JobShop, s("2 2\n0 5 3 4\n1 2 0 3\n")),
            Ok(2),
            &["operation 2 of job 1", "found 3"],
        ),
        (
            "job shop: a count beyond u64",
            (Format::JobShop, s("99999999999999999999 2\n")),
            Ok(1),
            &["job count", "too large"],
        ),
        (
            "job shop: a huge job count (an error, not an allocation)",
            (Format::JobShop, s("1000000000000 1\n0 5\n")),
            Ok(2),
            &["job 2", "end of the input"],
        ),
        (
            "flexible job shop: an operation without machines",
            (Format::FlexibleJobShop, s("1 2\n1 0\n")),
            Ok(2),
            &["at least one machine for operation 1 of job 1"],
        ),
        (
            "flexible job shop: an unknown machine",
            (Format::FlexibleJobShop, s("1 2\n1 1 3 5\n")),
            Ok(2),
            &["machine (1 to 2)", "found 3"],
        ),
        (
            "flexible job shop: durations overflowing in sum",
            (Format::FlexibleJobShop, format!("2 2\n1 1 1 {max}\n1 1 1 {max}\n")),
            Err(horizon_overflow()),
            &[],
        ),
        ("PSPLIB: garbage", (Format::Psplib, s("garbage")), Ok(1), &["expected the job count"]),
    ];
    // Damaged copies of a shipped PSPLIB file, where the shared data is present.
    if let Some(path) = common::shared_data("psplib/j30/j301_1.sm") {
        let text = std::fs::read_to_string(path).unwrap();
        let listing = "   1        1          3           2   3   4";
        assert!(text.contains(listing), "j301_1.sm has changed");
        let itself = text.replace(listing, "   1        1          3           2   3   1");
        rows.push((
            "PSPLIB: a job listing itself as successor",
            (Format::Psplib, itself),
            Ok(19),
            &["job 1 lists itself"],
        ));
        let cut = text[..1500].to_owned();
        rows.push(("PSPLIB: a truncated file", (Format::Psplib, cut), Ok(36), &["job 18", "end of the input"]));
    }
    rows
}

#[test]
fn malformed_benchmark_files_get_their_line_or_their_model_error() {
    for (case, (format, text), expected, says) in malformed_benchmark_files() {
        let error = parse_problem(&text, format).unwrap_err();
        match (&error, &expected) {
            (ParseError::Syntax { line, .. }, Ok(expected)) => assert_eq!(line, expected, "{case}: {error}"),
            (ParseError::Invalid { source, .. }, Err(expected)) => assert_eq!(source, expected, "{case}"),
            _ => panic!("{case}: expected {expected:?}, got {error:?}"),
        }
        let message = error.to_string();
        for word in says.iter() {
            assert!(message.contains(word), "{case}: `{word}` missing from: {message}");
        }
    }
}

// ---- Files -----------------------------------------------------------------------------

/// What reading a file must give.
#[derive(Debug)]
enum Expected {
    Io,
    Syntax { line: usize, column: usize },
    UnknownFormat,
}

/// A file's name and contents (`None`: no such file).
type File = (&'static str, Option<&'static [u8]>);

/// Files that cannot be read as a problem.
fn unreadable_files() -> Vec<Row<File, Expected>> {
    vec![
        ("a missing file", ("missing.json", None), Expected::Io, &["missing.json"]),
        (
            "JSON that is not UTF-8",
            ("latin1.json", Some(b"{\n  \"nodes\": [\xff]\n}")),
            Expected::Syntax { line: 2, column: 13 },
            &["UTF-8"],
        ),
        (
            "a name that is not UTF-8",
            ("cafe.json", Some(b"{\"nodes\": [], \"tasks\": [{\"name\": \"caf\xe9\", \"duration\": 1}]}")),
            Expected::Syntax { line: 1, column: 38 },
            &["UTF-8"],
        ),
        (
            "a job shop that is not UTF-8",
            ("latin1.jss", Some(b"1 1\n0 \xff\n")),
            Expected::Syntax { line: 2, column: 3 },
            &["UTF-8"],
        ),
        (
            "an unknown extension",
            ("tiny.txt", Some(b"1 1\n0 1\n")),
            Expected::UnknownFormat,
            &["unknown problem format"],
        ),
    ]
}

#[test]
fn unreadable_files_are_named_with_the_position() {
    let dir = std::env::temp_dir().join(format!("dagplan-catalogue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (case, (name, contents), expected, says) in unreadable_files() {
        let path = dir.join(name);
        if let Some(bytes) = contents {
            std::fs::write(&path, bytes).unwrap();
        }
        let error = read_problem(&path).unwrap_err();
        let file = Source::File(path.clone());
        let matches = match (&error, &expected) {
            (ParseError::Io { file: f, .. }, Expected::Io) => *f == file,
            (ParseError::Syntax { file: f, line, column, .. }, Expected::Syntax { line: l, column: c }) => {
                *f == file && (line, column) == (l, c)
            }
            (ParseError::UnknownFormat { file: f }, Expected::UnknownFormat) => *f == file,
            _ => false,
        };
        assert!(matches, "{case}: expected {expected:?}, got {error:?}");
        let message = error.to_string();
        assert!(message.starts_with(&path.display().to_string()), "{case}: {message}");
        for word in says {
            assert!(message.contains(word), "{case}: `{word}` missing from: {message}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- Valid but extreme -----------------------------------------------------------------

/// Solves with the given solvers, verifies, returns the makespans.
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

/// Inputs on the edge of the rules that are valid, with the range of makespans every solver
/// must find (the optimum, or a little above where the heuristics may miss it).
#[test]
fn inputs_at_the_edge_of_the_rules_are_solved() {
    let s = |text: &str| text.to_owned();
    let max = u64::MAX;
    let cases = [
        ("an empty problem", s(r#"{"nodes": [], "tasks": []}"#), 0..=0),
        (
            "a task without demand on nodes of zero capacity",
            s(r#"{"nodes": [{"name": "z1", "capacity": {"cpu": 0}}], "tasks": [{"name": "free", "duration": 3}]}"#),
            3..=3,
        ),
        (
            "tasks of zero duration",
            on_n1_n2(
                r#"[{"name": "gate", "duration": 0, "demand": {"cpu": 4}}, {"name": "work", "duration": 5, "demand": {"cpu": 4}, "after": ["gate"]}]"#,
            ),
            5..=5,
        ),
        // No two fit together but b + c: a alone uses everything, b + c = MAX still fits.
        (
            "capacities and demands at the integer limit",
            format!(
                r#"{{"nodes": [{{"name": "big", "capacity": {{"cpu": {max}}}}}], "tasks": [{{"name": "a", "duration": 2, "demand": {{"cpu": {max}}}}},
                    {{"name": "b", "duration": 2, "demand": {{"cpu": {}}}}}, {{"name": "c", "duration": 2, "demand": {{"cpu": 1}}}}]}}"#,
                max - 1
            ),
            4..=6,
        ),
    ];
    for (case, json, expected) in cases {
        let problem = read_json_str(&json).unwrap_or_else(|e| panic!("{case}: {e}"));
        for makespan in solve_with(all_solvers(), &problem) {
            assert!(expected.contains(&makespan), "{case}: makespan {makespan}, expected {expected:?}");
        }
    }
}

/// Time rules at the edge of what is allowed are accepted.
#[test]
fn time_rules_at_the_edge_are_accepted() {
    let cases = [
        (
            "fixed tasks right before and right after a downtime window",
            live(
                r#"[{"name": "a", "duration": 10, "fixed": {"node": "n2", "start": 0}}, {"name": "b", "duration": 0, "fixed": {"node": "n2", "start": 20}}]"#,
                0,
            ),
        ),
        (
            "a window too short on one node but not another",
            live(r#"[{"name": "a", "duration": 6, "release": 5, "deadline": 24}]"#, 0),
        ),
    ];
    for (case, json) in cases {
        read_json_str(&json).unwrap_or_else(|e| panic!("{case}: {e}"));
    }
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
    let problem = read_json_str(&on_n1_n2(&format!("[{}]", tasks.join(",")))).unwrap();
    assert_eq!(dagplan::lower_bound(&problem), 100_000);
    let makespans = solve_with(heuristic_solvers(), &problem);
    assert!(makespans.iter().all(|&m| m == 100_000), "co-located chain pays no delays");
}

/// A missing file is named as the caller gave it (here through `read_json_file`).
#[test]
fn a_missing_file_is_named_as_given() {
    let e = dagplan::io::read_json_file(Path::new("/no/such/dir/plan.json")).unwrap_err();
    assert!(matches!(e, ParseError::Io { .. }) && e.to_string().starts_with("/no/such/dir/plan.json"), "{e}");
}
