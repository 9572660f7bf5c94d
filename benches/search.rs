//! Criterion benchmarks of `search`'s cost per generated schedule (the list engine's decoder
//! plus the genetic operators and double justification), on one island and one thread, on
//! PSPLIB j3013_1 (32 tasks), j6013_1 (62 tasks) and a generated 1,000-task instance on 4
//! nodes with cpu, memory and gpu, eligibility and transfer delays.
//!
//! Each instance runs with two schedule budgets; the difference of the two times divided
//! by the difference of the budgets is the time per schedule, without the greedy start both
//! runs share:
//!
//! ```text
//! cargo bench --bench search -- --warm-up-time 1 --measurement-time 2
//! ```
//!
//! The PSPLIB instances are read from `../shared/data` (or `$DAGPLAN_DATA`) and skipped with
//! a note when absent.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dagplan::{Generator, Problem, Scheduler, Search, SolveOptions};

/// The two budgets (schedules after the greedy start) on PSPLIB and on the larger instance.
const BUDGETS: [u64; 2] = [3_000, 13_000];
const LARGE_BUDGETS: [u64; 2] = [300, 1_300];

fn psplib(relative: &str) -> Option<Problem> {
    let data = std::env::var_os("DAGPLAN_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let path = data.join(relative);
    match dagplan::io::read_problem(&path) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("note: {} skipped ({e})", path.display());
            None
        }
    }
}

fn generated() -> Option<Problem> {
    let generator = Generator {
        tasks: 1_000,
        nodes: 4,
        resources: 3,
        dependencies: 2.0,
        window: 50,
        tightness: 0.8,
        max_duration: 20,
        eligibility: 0.2,
        heterogeneity: 0.2,
        max_delay: 5,
        seed: 1,
    };
    generator.generate().ok()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("search-schedules");
    group.sample_size(10);
    let instances = [
        ("j30", psplib("psplib/j30/j3013_1.sm")),
        ("j60", psplib("psplib/j60/j6013_1.sm")),
        ("generated-1000", generated()),
    ];
    for (name, problem) in instances {
        let Some(problem) = problem else { continue };
        let budgets = if problem.task_count() > 100 { LARGE_BUDGETS } else { BUDGETS };
        for budget in budgets {
            let search = Search::new(SolveOptions::default().threads(1)).islands(1).schedules(budget);
            let check = search.schedule(&problem).map(|s| s.schedule.verify(&problem).is_ok());
            assert!(matches!(check, Ok(true)), "search schedule must verify");
            group.bench_with_input(BenchmarkId::new(name, budget), &problem, |b, p| {
                b.iter(|| search.schedule(black_box(p)).map(|s| s.makespan()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
