//! Criterion benchmarks of one greedy pass (upward rank, earliest finish, serial scheme) on
//! generated DAGs of 1k, 10k and 100k tasks (about 3 dependencies per task) on clusters of
//! 1,000 heterogeneous nodes with cpu, memory and gpu, plus the default portfolio at 1k.
//!
//! ```text
//! cargo bench --no-default-features --bench greedy
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dagplan::{Generator, Greedy, Policy, Rule, Scheduler, Scheme};

fn instance(tasks: usize) -> dagplan::Problem {
    let generator = Generator::large_cluster(tasks);
    match generator.generate() {
        Ok(p) => p,
        Err(e) => unreachable!("generated instances are valid: {e}"),
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("greedy-pass");
    group.sample_size(10);
    let single = Greedy::default().single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial);
    for tasks in [1_000, 10_000, 100_000] {
        let problem = instance(tasks);
        let check = single.schedule(&problem).map(|s| s.schedule.verify(&problem).is_ok());
        assert!(matches!(check, Ok(true)), "greedy schedule must verify");
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &problem, |b, p| {
            b.iter(|| single.schedule(black_box(p)).map(|s| s.makespan()))
        });
    }
    let problem = instance(1_000);
    let portfolio = Greedy::default();
    assert!(portfolio.schedule(&problem).is_ok_and(|s| s.schedule.verify(&problem).is_ok()));
    group
        .bench_function("portfolio-1000", |b| b.iter(|| portfolio.schedule(black_box(&problem)).map(|s| s.makespan())));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
