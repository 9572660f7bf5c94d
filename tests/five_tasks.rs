//! The reference case: every solver reaches the documented optimum of 70 and proves it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use dagplan::example::five_tasks;
use dagplan::{Cpm, LowerBounds, Scheduler, Status, all_solvers};

#[test]
fn every_solver_reaches_70_proven_and_verified() {
    let problem = five_tasks().unwrap();
    for solver in all_solvers() {
        let solution = solver.schedule(&problem).unwrap();
        assert_eq!(solution.schedule.verify(&problem), Ok(()), "{}", solver.name());
        assert_eq!(solution.makespan(), 70, "{}", solver.name());
        assert_eq!(solution.lower_bound, 70, "{}", solver.name());
        assert_eq!(solution.status, Status::Optimal, "{}", solver.name());
        assert_eq!(solution.schedule.assignments().len(), 5);
    }
}

#[test]
fn the_bound_is_the_critical_path_v1_v3_v4_v5() {
    let problem = five_tasks().unwrap();
    let bounds = LowerBounds::compute(&problem);
    assert_eq!(bounds.critical_path, 70);
    assert_eq!(bounds.best(), 70);
    // Energy: cpu 1·10 + 2·20 + 4·30 + 2·20 + 1·10 = 220 over 14 cpu -> 16; but v3 fits only
    // n2 and n3 (12 cpu) and starts at 10 at the earliest: 10 + 4·30 / 12 = 20.
    assert_eq!(bounds.energy, vec![20, 20]);
    let cpm = Cpm::analyze(&problem);
    let name = |t| problem.task_name(t);
    assert_eq!(cpm.critical_path().iter().map(|&t| name(t)).collect::<Vec<_>>(), ["v1", "v3", "v4", "v5"]);
    let v2 = problem.task_id("v2").unwrap();
    assert_eq!((cpm.earliest_start(v2), cpm.latest_start(v2), cpm.slack(v2)), (10, 20, 10));
    assert_eq!((cpm.earliest_finish(v2), cpm.latest_finish(v2)), (30, 40));
    assert_eq!(cpm.critical_tasks().iter().map(|&t| name(t)).collect::<Vec<_>>(), ["v1", "v3", "v4", "v5"]);
}

#[test]
fn solutions_serialise_with_names() {
    let problem = five_tasks().unwrap();
    let solution = dagplan::CriticalPath::default().schedule(&problem).unwrap();
    let json: serde_json::Value = serde_json::from_str(&solution.schedule.to_json(&problem)).unwrap();
    assert_eq!(json["makespan"], 70);
    assert_eq!(json["assignments"].as_array().unwrap().len(), 5);
    assert_eq!(json["assignments"][0]["task"], "v1");
}
