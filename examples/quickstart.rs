//! Quick start: load the documented five-task example, run every solver, print a table and
//! a Gantt chart of the best plan, and check the documented deployment.
//!
//! `cargo run --release --example quickstart [FILE.json]`

use std::process::ExitCode;

use dagplan::example::documented_deployment;
use dagplan::{Problem, Solution, all_solvers, text_gantt};

fn main() -> ExitCode {
    let path =
        std::env::args().nth(1).unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/five_tasks.json").into());
    let problem = match dagplan::io::read_json_file(&path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{path}: {} tasks, {} nodes, resources {:?}\n",
        problem.task_count(),
        problem.node_count(),
        problem.resources()
    );
    println!("{:<14} {:>9} {:>12} {:>9} {:>11}", "solver", "makespan", "lower bound", "status", "time");
    let mut best: Option<Solution> = None;
    let mut ok = true;
    for solver in all_solvers() {
        match solver.schedule(&problem) {
            Ok(solution) => {
                let verified = solution.schedule.verify(&problem).is_ok();
                ok &= verified;
                println!(
                    "{:<14} {:>9} {:>12} {:>9} {:>9.3}ms{}",
                    solver.name(),
                    solution.makespan(),
                    solution.lower_bound,
                    solution.status.to_string(),
                    solution.stats.elapsed.as_secs_f64() * 1e3,
                    if verified { "" } else { "  NOT VERIFIED" }
                );
                if best.as_ref().is_none_or(|b| solution.makespan() < b.makespan()) {
                    best = Some(solution);
                }
            }
            Err(e) => {
                ok = false;
                println!("{:<14} error: {e}", solver.name());
            }
        }
    }
    if let Some(best) = &best {
        println!("\nBest plan:\n{}", text_gantt(&problem, &best.schedule, 50));
    }
    ok &= check_documented_deployment(&problem);
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The design notes' deployment (v1→n1, v2→n2, v3→n3, v4→n2, v5→n1) must verify at 70.
fn check_documented_deployment(problem: &Problem) -> bool {
    if problem.task_id("v1").is_none() {
        return true; // another file was given
    }
    let checked = documented_deployment(problem).map_err(|e| e.to_string()).and_then(|plan| {
        plan.verify(problem).map_err(|e| e.to_string())?;
        Ok(plan)
    });
    match checked {
        Ok(plan) => {
            println!("Documented deployment v1→n1, v2→n2, v3→n3, v4→n2, v5→n1: verified, makespan {}", plan.makespan());
            plan.makespan() == 70
        }
        Err(e) => {
            println!("documented deployment: {e}");
            false
        }
    }
}
