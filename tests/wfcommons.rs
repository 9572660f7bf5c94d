//! Every WfCommons trace of the shared data imports, on its recorded machines and on a
//! separate cluster (a NodeList and JSON nodes), solves with every fast solver, and verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

mod common;

use std::path::PathBuf;

use dagplan::io::read_cluster;
use dagplan::io::wfcommons::{WfCommonsOptions, read_wfcommons};
use dagplan::{NodeSpec, Problem, Search, SolveOptions, heuristic_solvers};

const NODES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kubernetes/nodes.json");

fn traces() -> Vec<PathBuf> {
    let Some(dir) = common::shared_data("wfcommons") else { return Vec::new() };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert_eq!(files.len(), 22, "the shared data holds 22 traces");
    files
}

/// Every fast solver: the list heuristics and a short search.
fn solve_all(problem: &Problem, case: &str) {
    let mut solvers = heuristic_solvers();
    solvers.push(Box::new(Search::new(SolveOptions::default().threads(1)).schedules(200)));
    for solver in solvers {
        let solution = solver.schedule(problem).unwrap_or_else(|e| panic!("{case} {}: {e}", solver.name()));
        solution.schedule.verify(problem).unwrap_or_else(|e| panic!("{case} {}: {e}", solver.name()));
        assert!(solution.lower_bound <= solution.makespan(), "{case} {}", solver.name());
    }
}

#[test]
fn every_trace_imports_solves_and_verifies_on_its_machines_and_on_other_clusters() {
    let json_nodes = vec![
        NodeSpec::new("big").capacity_quantity("cpu", "48").capacity_quantity("memory", "192Gi"),
        NodeSpec::new("small").capacity_quantity("cpu", "16").capacity_quantity("memory", "64Gi"),
    ];
    let node_list = read_cluster(NODES).unwrap();
    for path in traces() {
        let case = path.file_name().unwrap().to_string_lossy().into_owned();
        let options = WfCommonsOptions::default().bandwidth(100_000_000);
        let trace = read_wfcommons(&path, &options).unwrap_or_else(|e| panic!("{e}"));
        assert!(trace.recorded_makespan.is_some_and(|m| m > 0.0), "{case}");
        assert!(trace.spec.tasks.len() >= 5, "{case}");
        let recorded = trace.spec.clone().build().unwrap_or_else(|e| panic!("{case}: {e}"));
        solve_all(&recorded, &format!("{case} (recorded machines)"));
        let on_json = trace.spec.clone().on_cluster(json_nodes.clone()).build().unwrap();
        solve_all(&on_json, &format!("{case} (JSON nodes)"));
        // The snapshot's nodes are tainted or small for some tasks; tasks too large for every
        // node are reported, never planned.
        match trace.spec.clone().on_cluster(node_list.clone()).build() {
            Ok(problem) => solve_all(&problem, &format!("{case} (NodeList)")),
            Err(e) => assert!(e.to_string().contains("fits no eligible node"), "{case}: {e}"),
        }
    }
}

#[test]
fn transfer_delays_follow_the_bandwidth() {
    let Some(path) = traces().into_iter().find(|p| p.ends_with("montage-chameleon-dss-05d-001.json")) else { return };
    let delays = |bandwidth: u64| -> u64 {
        let trace = read_wfcommons(&path, &WfCommonsOptions::default().bandwidth(bandwidth)).unwrap();
        let problem = trace.spec.build().unwrap();
        problem.tasks().flat_map(|t| problem.predecessors(t).iter().map(|e| e.delay)).sum()
    };
    let (slow, fast) = (delays(1_000_000), delays(1_000_000_000));
    assert!(slow > fast && fast > 0, "{slow} {fast}");
    assert_eq!(delays(0), 0, "no bandwidth: no delays");
}
