//! The harness on a tiny hand-made set whose figures are worked out by hand.
//!
//! Tiny job shops: a single job (the makespan is the sum of its durations, every solver is
//! optimal) and two jobs sharing one machine (makespan = total work, above the critical path).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test helpers fail loudly on broken fixtures")]

use std::path::PathBuf;

use dagplan::io::read_problem;
use dagplan::{Scheduler, SolveOptions, solver_by_name};
use dagplan_cli::harness::report::summary_table;
use dagplan_cli::harness::{HarnessError, InstanceSet, Summary, file_name, run_instance};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dagplan-harness-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("optimum")).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_set(dir: &TempDir, solver: &dyn Scheduler) -> Result<Summary, HarnessError> {
    let set = InstanceSet::load(&dir.0)?;
    let mut records = Vec::new();
    for path in &set.instances {
        let name = file_name(path);
        let problem = read_problem(path)?;
        records.push(run_instance(&set.name, &name, &problem, solver, solver.name(), set.optimum(&name))?);
    }
    Ok(Summary::of(&records))
}

#[test]
fn figures_on_a_tiny_set() {
    let dir = TempDir::new("figures");
    // a10: one operation of 4: makespan 4. a2: one job of 4 then 6 on two machines: 10.
    dir.write("a10.jss", "1 1\n0 4\n");
    dir.write("a2.jss", "1 2\n0 4 1 6\n");
    // b1: two jobs on one machine, 3 and 5: makespan 8; critical path 5.
    dir.write("b1.jss", "2 1\n0 3\n0 5\n");
    dir.write("notes.txt", "not an instance\n");
    // a2's optimum is claimed open (8..10) to exercise the upper-bound deviation.
    dir.write("optimum/optimum.csv", "problem,optimum\na2.jss,8..10\na10.jss,4\nb1.jss,8\n");
    let set = InstanceSet::load(&dir.0).unwrap();
    let names: Vec<String> = set.instances.iter().map(|p| file_name(p)).collect();
    assert_eq!(names, ["a2.jss", "a10.jss", "b1.jss"], "natural order, only problem files");

    let solver = solver_by_name("critical-path", &SolveOptions::default()).unwrap();
    let s = run_set(&dir, solver.as_ref()).unwrap();
    assert_eq!((s.instances, s.failed, s.known, s.at_optimum, s.proven), (3, 0, 2, 2, 3));
    assert_eq!(s.dev_optimum, None, "a2 is open");
    // Deviation from the critical path: a2 0%, a10 0%, b1 (8 - 5) / 5 = 60%.
    assert!((s.dev_cp.unwrap() - 20.0).abs() < 1e-9, "{:?}", s.dev_cp);
    // From the best known upper bound: a2 (10 vs 10) 0%, a10 (4 vs 4) 0%, b1 (8 vs 8) 0%.
    assert!(s.dev_upper.unwrap().abs() < 1e-9);
    assert!(summary_table(&[s]).contains("| critical-path | 3 | 0 | 2/2 | 3 |"));
}

#[test]
fn all_optima_known_gives_the_deviation_from_the_optimum() {
    let dir = TempDir::new("closed");
    dir.write("x.jss", "2 1\n0 3\n0 5\n"); // makespan 8
    dir.write("y.jss", "1 1\n0 4\n"); // makespan 4
    dir.write("optimum/optimum.csv", "problem,optimum\nx.jss,8\ny.jss,4\n");
    let solver = solver_by_name("topological", &SolveOptions::default()).unwrap();
    let s = run_set(&dir, solver.as_ref()).unwrap();
    assert_eq!(s.dev_optimum, Some(0.0));
    assert_eq!(s.at_optimum, 2);
}

#[test]
fn contradicting_the_known_bounds_is_a_hard_error() {
    let dir = TempDir::new("wrong");
    dir.write("x.jss", "2 1\n0 3\n0 5\n"); // true optimum 8
    dir.write("optimum/optimum.csv", "problem,optimum\nx.jss,9\n");
    let solver = solver_by_name("critical-path", &SolveOptions::default()).unwrap();
    let e = run_set(&dir, solver.as_ref()).unwrap_err();
    assert!(e.to_string().contains("makespan 8 is below the known lower bound 9"), "{e}");
}

#[test]
fn malformed_files_are_errors_naming_the_file() {
    let dir = TempDir::new("malformed");
    dir.write("bad.jss", "1 1\n0\n");
    dir.write("optimum/optimum.csv", "problem,optimum\nbad.jss,x\n");
    let e = InstanceSet::load(&dir.0).unwrap_err().to_string();
    assert!(e.contains("optimum.csv:2:9: expected the optimum of `bad.jss`"), "{e}");
    dir.write("optimum/optimum.csv", "problem,optimum\nbad.jss,1\n");
    let set = InstanceSet::load(&dir.0).unwrap();
    let e = read_problem(&set.instances[0]).unwrap_err().to_string();
    assert!(e.contains("bad.jss:2:2: expected the integer duration of operation 1 of job 1"), "{e}");
    let empty = TempDir::new("empty");
    assert!(matches!(InstanceSet::load(&empty.0), Err(HarnessError::EmptySet(_))));
}
