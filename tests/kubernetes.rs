//! Kubernetes in the JSON format and from cluster snapshots: quantities as capacities and
//! demands, NodeList snapshots, node selectors and tolerations; every plan verified.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::io::{kubernetes, parse_cluster_str, read_cluster, read_json_str, write_json};
use dagplan::{Amount, NodeId, ProblemSpec, Scale, TaskSpec, heuristic_solvers};

const NODES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kubernetes/nodes.json");

/// The five-task example with its amounts as quantities: cpu in cores, memory in GiB.
const FIVE_TASKS_IN_QUANTITIES: &str = r#"{
  "nodes": [
    {"name": "n1", "capacity": {"cpu": "2", "memory": "8Gi"}},
    {"name": "n2", "capacity": {"cpu": "4000m", "memory": "16Gi"}},
    {"name": "n3", "capacity": {"cpu": "8", "memory": "32Gi"}}
  ],
  "tasks": [
    {"name": "v1", "duration": 10, "demand": {"cpu": "1", "memory": "4Gi"}},
    {"name": "v2", "duration": 20, "demand": {"cpu": "2", "memory": "8192Mi"}, "after": ["v1"]},
    {"name": "v3", "duration": 30, "demand": {"cpu": "4", "memory": "16Gi"}, "after": ["v1"]},
    {"name": "v4", "duration": 20, "demand": {"cpu": "2", "memory": "5Gi"}, "after": ["v2", "v3"]},
    {"name": "v5", "duration": 10, "demand": {"cpu": "500m", "memory": "1.5Gi"}, "after": ["v4"]}
  ]
}"#;

#[test]
fn quantities_are_read_exactly_and_plans_are_the_same() {
    let problem = read_json_str(FIVE_TASKS_IN_QUANTITIES).unwrap();
    assert_eq!(problem.capacity(NodeId(1)), [4000, 16 << 30]);
    let v5 = problem.task_id("v5").unwrap();
    assert_eq!(problem.demand(v5), [500, 3 << 29]);
    assert_eq!((problem.quantity_scale(0), problem.quantity_scale(1)), (Some(Scale::Milli), Some(Scale::One)));
    for solver in heuristic_solvers() {
        let solution = solver.schedule(&problem).unwrap();
        solution.schedule.verify(&problem).unwrap();
        assert_eq!(solution.makespan(), 70, "{}", solver.name());
    }
    // Written back, the quantities keep their meaning (canonical form) and read the same.
    let written = write_json(&problem);
    assert!(written.contains(r#""cpu": "500m""#) && written.contains(r#""memory": "1536Mi""#), "{written}");
    assert_eq!(read_json_str(&written).unwrap(), problem);
}

#[test]
fn plain_numbers_keep_their_meaning() {
    let problem = read_json_str(include_str!("../data/five_tasks.json")).unwrap();
    assert_eq!(problem.capacity(NodeId(0)), [2, 8]);
    assert_eq!(problem.quantity_scale(0), None);
    let spec: ProblemSpec = serde_json::from_str(&write_json(&problem)).unwrap();
    assert_eq!(spec.nodes[0].capacity["cpu"], Amount::Number(2));
}

#[test]
fn a_snapshot_is_the_cluster_and_tasks_choose_nodes_by_labels_and_tolerations() {
    let list = kubernetes::read_node_list(NODES).unwrap();
    assert_eq!(list.cordoned, ["cpu-old"]);
    assert_eq!(read_cluster(NODES).unwrap(), list.nodes);
    let spec = ProblemSpec::new()
        .on_cluster(list.nodes)
        .task(TaskSpec::new("prepare", 30).demand_quantity("cpu", "3").demand_quantity("memory", "12Gi"))
        .task(
            TaskSpec::new("train", 120)
                .demand_quantity("cpu", "4")
                .demand_quantity("memory", "24Gi")
                .demand_quantity("nvidia.com/gpu", "2")
                .tolerate(dagplan::Toleration::exists("nvidia.com/gpu"))
                .after("prepare"),
        )
        .task(TaskSpec::new("evaluate", 20).demand_quantity("cpu", "2").select("pool", "cpu").after("train"))
        .task(TaskSpec::new("report", 5).demand_quantity("cpu", "100m").after("evaluate"));
    let problem = spec.build().unwrap();
    let id = |name: &str| problem.node_id(name).unwrap();
    let eligible = |task: &str| problem.eligible_nodes(problem.task_id(task).unwrap()).map(<[NodeId]>::to_vec);
    // The control plane and the GPU node are tainted: only `train` tolerates the GPU taint.
    assert_eq!(eligible("prepare"), Some(vec![id("cpu-a"), id("cpu-b")]));
    assert_eq!(eligible("train"), Some(vec![id("cpu-a"), id("cpu-b"), id("gpu-a")]));
    assert_eq!(eligible("evaluate"), Some(vec![id("cpu-a"), id("cpu-b")]));
    let train = problem.task_id("train").unwrap();
    assert_eq!(problem.options(train).map(|(n, _)| n).collect::<Vec<_>>(), [id("gpu-a")]);
    for solver in heuristic_solvers() {
        let solution = solver.schedule(&problem).unwrap();
        solution.schedule.verify(&problem).unwrap();
        assert_eq!(solution.makespan(), 175, "{}", solver.name());
    }
    // Written back, selectors and taints become the node lists they resolved to.
    assert_eq!(read_json_str(&write_json(&problem)).unwrap(), problem);
}

#[test]
fn a_cluster_is_a_node_list_or_json_nodes() {
    let json = r#"{"nodes": [{"name": "a", "capacity": {"cpu": "2"}, "labels": {"zone": "x"}}], "tasks": []}"#;
    let nodes = parse_cluster_str(json).unwrap();
    assert_eq!(nodes[0].labels["zone"], "x");
    let e = parse_cluster_str(r#"{"machines": []}"#).unwrap_err().to_string();
    assert!(e.contains("NodeList") && e.contains("\"nodes\""), "{e}");
    let e = parse_cluster_str(r#"{"kind": "NodeList", "items": [{"metadata": {"name": "n"}, "spec": {"taints": [{"key": "k", "effect": "Sometimes"}]}}]}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown variant `Sometimes`"), "{e}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any amounts written as quantities read back exactly, and the problem writes back to
    /// JSON that reads as the same problem.
    #[test]
    fn quantities_in_json_read_exactly(
        capacity in proptest::collection::vec((1u64..1 << 40, 1u64..1 << 50), 1..4),
        demand in proptest::collection::vec((0u64..1 << 20, 0u64..1 << 30), 0..6),
    ) {
        use dagplan::{NodeSpec, format_quantity};
        let (max_cpu, max_memory) = capacity.iter().fold((0, 0), |(c, m), &(a, b)| (c.max(a), m.max(b)));
        let mut spec = ProblemSpec::new();
        for (i, &(cpu, memory)) in capacity.iter().enumerate() {
            spec = spec.node(
                NodeSpec::new(format!("n{i}"))
                    .capacity_quantity("cpu", format_quantity(cpu, Scale::Milli))
                    .capacity_quantity("memory", format_quantity(memory, Scale::One)),
            );
        }
        for (i, &(cpu, memory)) in demand.iter().enumerate() {
            let (cpu, memory) = (cpu.min(max_cpu), memory.min(max_memory));
            spec = spec.task(
                TaskSpec::new(format!("t{i}"), 1)
                    .demand_quantity("cpu", format_quantity(cpu, Scale::Milli))
                    .demand_quantity("memory", format_quantity(memory, Scale::One)),
            );
        }
        let Ok(problem) = spec.build() else { return Ok(()) }; // a task may fit no single node
        for (i, &(cpu, memory)) in capacity.iter().enumerate() {
            proptest::prop_assert_eq!(problem.capacity(NodeId(i as u32)), [cpu, memory]);
        }
        proptest::prop_assert_eq!(read_json_str(&write_json(&problem)).unwrap(), problem);
    }
}
