//! Criterion benchmarks of the whole path a user takes, phase by phase, on a generated DAG of
//! 100,000 tasks (about 3 dependencies each) on 1,000 heterogeneous nodes with cpu, memory and
//! gpu: read and validate the JSON text, plan with one greedy pass, verify, write the
//! schedule as JSON. `examples/scale` runs the same path at up to a million tasks from a file.
//!
//! ```text
//! cargo bench --no-default-features --bench pipeline
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dagplan::io::read_json_str;
use dagplan::{Generator, Greedy, Policy, Rule, Scheduler, Scheme};

const TASKS: usize = 100_000;

fn bench(c: &mut Criterion) {
    let spec = Generator::large_cluster(TASKS).spec();
    let text = match serde_json::to_string(&spec) {
        Ok(text) => text,
        Err(e) => unreachable!("a generated spec serializes: {e}"),
    };
    let problem = match read_json_str(&text) {
        Ok(problem) => problem,
        Err(e) => unreachable!("generated instances are valid: {e}"),
    };
    let greedy = Greedy::default().single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial);
    let solution = match greedy.schedule(&problem) {
        Ok(solution) => solution,
        Err(e) => unreachable!("greedy plans every valid problem without time rules: {e}"),
    };
    assert!(solution.schedule.verify(&problem).is_ok(), "greedy schedule must verify");

    let mut group = c.benchmark_group(format!("pipeline-{TASKS}"));
    group.sample_size(10);
    group.bench_function("read+validate", |b| b.iter(|| read_json_str(black_box(&text)).map(|p| p.task_count())));
    group.bench_function("plan", |b| b.iter(|| greedy.schedule(black_box(&problem)).map(|s| s.makespan())));
    group.bench_function("verify", |b| b.iter(|| solution.schedule.verify(black_box(&problem)).is_ok()));
    group.bench_function("write", |b| b.iter(|| solution.schedule.to_json(black_box(&problem)).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
