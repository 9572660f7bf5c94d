//! Every reader on the shipped benchmark sets in `../shared/data` (or `$DAGPLAN_DATA`):
//! every instance parses, sizes, capacities and a few demands match the files, every instance
//! is listed in its optimum file, and a critical-path schedule of every instance verifies and
//! respects the known bounds (which catches a reader that drops a constraint).
//!
//! Each test skips with a printed note when the data is absent, and fails instead with
//! `DAGPLAN_REQUIRE_DATA=1` (see `common/mod.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly on broken fixtures"
)]

#[path = "../../tests/common/mod.rs"]
mod common;

use dagplan::io::{self, Format};
use dagplan::{CriticalPath, NodeId, Problem};
use dagplan_cli::harness::{InstanceSet, run_instance};

/// Loads a set (None, with a note, when the data is absent).
fn set(relative: &str) -> Option<InstanceSet> {
    Some(InstanceSet::load(&common::shared_data(relative)?).unwrap())
}

/// Parses every instance of the set, checks it against its optimum file with a verified
/// critical-path schedule, and returns the problems by file name.
fn check_set(relative: &str, count: usize, format: Format) -> Option<Vec<(String, Problem)>> {
    let set = set(relative)?;
    assert_eq!(set.instances.len(), count, "{relative}: instance count");
    let optima = set.optima.clone().unwrap();
    let mut problems = Vec::new();
    for path in &set.instances {
        assert_eq!(Format::from_path(path), Some(format));
        let name = dagplan_cli::harness::file_name(path);
        let problem = io::read_problem(path).unwrap_or_else(|e| panic!("{e}"));
        let optimum = optima.get(&name).unwrap_or_else(|| panic!("{name} missing from the optimum file"));
        let record =
            run_instance(&set.name, &name, &problem, &CriticalPath::default(), "critical-path", Some(optimum)).unwrap();
        assert!(record.makespan().unwrap() >= optimum.lower);
        problems.push((name, problem));
    }
    Some(problems)
}

fn find<'a>(problems: &'a [(String, Problem)], name: &str) -> &'a Problem {
    &problems.iter().find(|(n, _)| n == name).unwrap().1
}

fn task(problem: &Problem, name: &str) -> dagplan::TaskId {
    problem.task_id(name).unwrap_or_else(|| panic!("no task {name}"))
}

#[test]
fn psplib_j30() {
    let Some(problems) = check_set("psplib/j30", 480, Format::Psplib) else { return };
    for (name, p) in &problems {
        assert_eq!((p.task_count(), p.node_count(), p.resource_count()), (32, 1, 4), "{name}");
    }
    // j301_1.sm: availabilities 12 13 4 12; job 2 lasts 8 and requests 4 0 0 0; job 32 (the
    // sink) follows 29, 30 and 31; job 1 (the source) precedes 2, 3 and 4.
    let p = find(&problems, "j301_1.sm");
    assert_eq!(p.capacity(NodeId(0)), &[12, 13, 4, 12]);
    assert_eq!(p.resources(), ["R1", "R2", "R3", "R4"]);
    let j2 = task(p, "j2");
    assert_eq!((p.default_duration(j2), p.demand(j2)), (8, &[4u64, 0, 0, 0][..]));
    let j26 = task(p, "j26");
    assert_eq!((p.default_duration(j26), p.demand(j26)), (7, &[0u64, 0, 4, 0][..]));
    let sink_preds: Vec<&str> = p.predecessors(task(p, "j32")).iter().map(|e| p.task_name(e.task)).collect();
    assert_eq!(sink_preds, ["j29", "j30", "j31"]);
    assert_eq!(p.successors(task(p, "j1")).len(), 3);
    assert_eq!(p.default_duration(task(p, "j1")), 0);
}

#[test]
fn psplib_j60() {
    let Some(problems) = check_set("psplib/j60", 480, Format::Psplib) else { return };
    for (name, p) in &problems {
        assert_eq!((p.task_count(), p.node_count(), p.resource_count()), (62, 1, 4), "{name}");
    }
}

#[test]
fn patterson() {
    let Some(problems) = check_set("psplib/patterson", 110, Format::Patterson) else { return };
    // pat1.rcp: 14 jobs, 3 resources of 2 1 2; job 2 is `6 1 0 0 2 9 10`.
    let p = find(&problems, "pat1.rcp");
    assert_eq!((p.task_count(), p.resource_count()), (14, 3));
    assert_eq!(p.capacity(NodeId(0)), &[2, 1, 2]);
    let j2 = task(p, "j2");
    assert_eq!((p.default_duration(j2), p.demand(j2)), (6, &[1u64, 0, 0][..]));
    let succ: Vec<&str> = p.successors(j2).iter().map(|e| p.task_name(e.task)).collect();
    assert_eq!(succ, ["j9", "j10"]);
    // pat100.rcp: 27 jobs, capacities 10 10 10.
    let p = find(&problems, "pat100.rcp");
    assert_eq!((p.task_count(), p.capacity(NodeId(0))), (27, &[10u64, 10, 10][..]));
}

#[test]
fn job_shops() {
    let Some(ft) = check_set("jssp/ft", 3, Format::JobShop) else { return };
    let p = find(&ft, "ft06.jss");
    assert_eq!((p.task_count(), p.node_count(), p.dependency_count()), (36, 6, 30));
    // ft06 job 1 is `2 1 0 3 1 6 ...`: operation 1 on machine 2 for 1, operation 2 on machine 0 for 3.
    let op = task(p, "j1.1");
    assert_eq!(p.options(op).collect::<Vec<_>>(), [(p.node_id("m2").unwrap(), 1)]);
    let op = task(p, "j1.2");
    assert_eq!(p.options(op).collect::<Vec<_>>(), [(p.node_id("m0").unwrap(), 3)]);
    assert_eq!(p.predecessors(op)[0].task, task(p, "j1.1"));
    for n in p.nodes() {
        assert_eq!(p.capacity(n), &[1]);
    }
    assert_eq!((find(&ft, "ft10.jss").task_count(), find(&ft, "ft20.jss").node_count()), (100, 5));

    let Some(la) = check_set("jssp/la", 40, Format::JobShop) else { return };
    let p = find(&la, "la01.jss");
    assert_eq!((p.task_count(), p.node_count()), (50, 5));
    let p = find(&la, "la40.jss");
    assert_eq!((p.task_count(), p.node_count()), (225, 15));
}

#[test]
fn brandimarte() {
    let Some(problems) = check_set("fjssp/brandimarte", 10, Format::FlexibleJobShop) else { return };
    // Mk01: 10 jobs on 6 machines; job 1 has 6 operations, the first on machine 1 (5) or 3 (4),
    // the second on machine 5 (3) only... as the file says: `6  2 1 5 3 4  3 5 3 3 5 2 1 ...`.
    let p = find(&problems, "Mk01.fjs");
    assert_eq!(p.node_count(), 6);
    assert_eq!((1..=6).filter(|o| p.task_id(&format!("j1.{o}")).is_some()).count(), 6);
    assert!(p.task_id("j1.7").is_none());
    let node = |name: &str| p.node_id(name).unwrap();
    let op = task(p, "j1.1");
    assert_eq!(p.options(op).collect::<Vec<_>>(), [(node("m1"), 5), (node("m3"), 4)]);
    let op = task(p, "j1.2");
    assert_eq!(p.options(op).collect::<Vec<_>>(), [(node("m2"), 1), (node("m3"), 5), (node("m5"), 3)]);
    let sizes: Vec<usize> = problems.iter().map(|(_, p)| p.node_count()).collect();
    assert_eq!(sizes, [6, 6, 8, 8, 4, 15, 5, 10, 10, 15]);
}
