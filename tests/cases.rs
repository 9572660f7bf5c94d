//! One case corpus for all solvers: `data/cases/*.json` with their optima in
//! `data/cases/optimum.csv` (plus the five-task example). Per guarantee: every schedule
//! verifies; no makespan is below the optimum and no lower bound above it; a solver that says
//! `Optimal` has hit the optimum; exact solvers hit it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use std::path::Path;

use dagplan::{Status, all_solvers};

/// Solvers that must reach the optimum on these small cases.
const EXACT: &[&str] = &["dp", "ilp"];

fn cases() -> Vec<(String, u64)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cases");
    let csv = std::fs::read_to_string(dir.join("optimum.csv")).unwrap();
    let mut cases: Vec<(String, u64)> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let (file, optimum) = line.split_once(',').unwrap();
            (dir.join(file).to_string_lossy().into_owned(), optimum.trim().parse().unwrap())
        })
        .collect();
    cases.push((concat!(env!("CARGO_MANIFEST_DIR"), "/data/five_tasks.json").into(), 70));
    let listed = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(listed + 1, cases.len(), "every case file has an optimum");
    cases
}

#[test]
fn every_solver_respects_every_case() {
    for (path, optimum) in cases() {
        let problem = dagplan::io::read_json_file(&path).unwrap();
        assert!(dagplan::lower_bound(&problem) <= optimum, "{path}: bound above the optimum");
        for solver in all_solvers() {
            let solution = solver.schedule(&problem).unwrap();
            let who = format!("{} on {path}", solver.name());
            assert_eq!(solution.schedule.verify(&problem), Ok(()), "{who}");
            assert!(solution.makespan() >= optimum, "{who}: {} beats the optimum", solution.makespan());
            assert!(solution.lower_bound <= optimum, "{who}: bound {} above the optimum", solution.lower_bound);
            if solution.status == Status::Optimal || EXACT.contains(&solver.name()) {
                assert_eq!(solution.makespan(), optimum, "{who}");
            }
        }
    }
}
