//! criterion benches of the solvers, looked up by name in the registry.
//!
//! * `five-tasks/NAME`: every registered solver on the documented five-task example.
//! * `j30-sample/NAME`: `greedy` and `critical-path` on a fixed sample of twelve PSPLIB j30
//!   instances (`j30{1,5,9,...,45}_1.sm`; one iteration solves all twelve). Skipped with a
//!   note when `../shared/data` (or `$DAGPLAN_DATA`) is absent.
//! * `generated/NAME/N`: `greedy` on generated instances of 1,000, 10,000 and 100,000 tasks
//!   (16 nodes, 2 resources, about 2 predecessors among the 50 previous tasks, seed 1).
//!
//! Until `greedy` is registered, its benches run `critical-path` instead and say so; the
//! benchmark id always names the solver actually run. Every solver's schedule on every
//! instance is verified once before timing.
//!
//! `cargo bench --bench solvers` runs them all; `cargo bench --bench solvers -- j30` a
//! subset. Compare two commits or two settings with criterion baselines:
//! `cargo bench --bench solvers -- --save-baseline before`, change or check out, then
//! `cargo bench --bench solvers -- --baseline before`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dagplan::{Generator, Problem, Scheduler, SolveOptions, example, solver_by_name, solver_names};

type Solver = Box<dyn Scheduler + Send + Sync>;

fn options() -> SolveOptions {
    SolveOptions::default().time_limit(Duration::from_secs(10)).threads(1)
}

/// The solver registered as `name`, or `critical-path` with a printed note.
fn solver_or_fallback(name: &str) -> Option<Solver> {
    solver_by_name(name, &options())
        .or_else(|e| {
            eprintln!("note: {e}; benchmarking `critical-path` in its place");
            solver_by_name("critical-path", &options())
        })
        .ok()
}

/// Solves each problem once and verifies the schedules; false (with a message) on any failure.
fn verified(solver: &dyn Scheduler, problems: &[Problem]) -> bool {
    problems.iter().all(|p| match solver.schedule(p) {
        Ok(solution) => match solution.schedule.verify(p) {
            Ok(()) => true,
            Err(v) => {
                eprintln!("error: {}'s schedule failed verification: {v}", solver.name());
                false
            }
        },
        Err(e) => {
            eprintln!("error: {} returned no schedule: {e}", solver.name());
            false
        }
    })
}

fn solve_all(solver: &dyn Scheduler, problems: &[Problem]) {
    for p in problems {
        let _ = black_box(solver.schedule(black_box(p)));
    }
}

fn five_tasks(c: &mut Criterion) {
    let problems = match example::five_tasks() {
        Ok(problem) => [problem],
        Err(e) => unreachable!("the embedded example is valid: {e}"),
    };
    let mut group = c.benchmark_group("five-tasks");
    for name in solver_names() {
        let Ok(solver) = solver_by_name(name, &options()) else { continue };
        assert!(verified(solver.as_ref(), &problems), "{name} failed on the five-task example");
        group.bench_function(name, |b| b.iter(|| solve_all(solver.as_ref(), &problems)));
    }
    group.finish();
}

fn j30_sample(c: &mut Criterion) {
    let dir = std::env::var_os("DAGPLAN_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
        .join("psplib/j30");
    let mut problems = Vec::new();
    for parameter in (1..=45).step_by(4) {
        let path = dir.join(format!("j30{parameter}_1.sm"));
        match dagplan::io::read_problem(&path) {
            Ok(p) => problems.push(p),
            Err(e) => {
                eprintln!("note: skipping the j30 sample: {e}");
                return;
            }
        }
    }
    let mut group = c.benchmark_group("j30-sample");
    group.throughput(Throughput::Elements(problems.len() as u64));
    for name in ["greedy", "critical-path"] {
        let Some(solver) = solver_or_fallback(name) else { continue };
        assert!(verified(solver.as_ref(), &problems), "{} failed on the j30 sample", solver.name());
        group.bench_function(solver.name(), |b| b.iter(|| solve_all(solver.as_ref(), &problems)));
        if solver.name() != name {
            break; // the fallback is critical-path itself: do not run it twice
        }
    }
    group.finish();
}

fn generated(c: &mut Criterion) {
    let Some(solver) = solver_or_fallback("greedy") else { return };
    let mut group = c.benchmark_group("generated");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for tasks in [1_000usize, 10_000, 100_000] {
        let generator = Generator {
            tasks,
            nodes: 16,
            resources: 2,
            dependencies: 2.0,
            window: 50,
            seed: 1,
            ..Generator::default()
        };
        let problem = match generator.generate() {
            Ok(p) => [p],
            Err(e) => {
                eprintln!("error: generating {tasks} tasks: {e}");
                continue;
            }
        };
        assert!(verified(solver.as_ref(), &problem), "{} failed on {tasks} generated tasks", solver.name());
        group.throughput(Throughput::Elements(tasks as u64));
        group.bench_with_input(BenchmarkId::new(solver.name(), tasks), &problem, |b, p| {
            b.iter(|| solve_all(solver.as_ref(), p))
        });
    }
    group.finish();
}

criterion_group!(benches, five_tasks, j30_sample, generated);
criterion_main!(benches);
