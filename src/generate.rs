//! Seeded random instances: DAGs of any size and shape on heterogeneous clusters.
//!
//! The input of the property tests, the benchmarks and users' experiments. Same
//! configuration and seed, same problem, on every platform (a built-in SplitMix64 generator;
//! no dependence on another crate's stream).
//!
//! * **Shape**: task `i` draws about `dependencies` predecessors among the `window` tasks
//!   before it, so edges go from lower to higher index and the graph is acyclic by
//!   construction. A small window gives deep, chain-like graphs; a large one wide graphs.
//! * **Cluster**: `nodes` nodes in three size classes (small, medium, large; the large ones
//!   carry the `gpu` dimension when there is one), capacities in millicores and MiB.
//! * **Tightness** in (0, 1]: the largest fraction of its home node's capacity a task may
//!   demand. Every task is drawn against a home node it fits, so every instance is valid.
//! * Optional eligibility lists, per-node durations and transfer delays exercise the full
//!   model.

use crate::model::{ModelError, NodeSpec, Problem, ProblemSpec, TaskSpec};
use crate::rng::SplitMix64;

/// What to generate. `Default` is a small, mixed instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    /// Number of tasks.
    pub tasks: usize,
    /// Number of nodes (at least 1).
    pub nodes: usize,
    /// Number of resource dimensions (at least 1): `cpu`, `memory`, `gpu`, then `r4`, ...
    pub resources: usize,
    /// Average number of predecessors per task.
    pub dependencies: f64,
    /// Predecessors are drawn among this many preceding tasks (small: deep; large: wide).
    pub window: usize,
    /// Largest fraction of its home node's capacity a task may demand, in (0, 1].
    pub tightness: f64,
    /// Durations are drawn uniformly from `1..=max_duration`.
    pub max_duration: u64,
    /// Probability that a task is restricted to an explicit eligible node list.
    pub eligibility: f64,
    /// Probability that a task runs at a different speed on some nodes.
    pub heterogeneity: f64,
    /// Transfer delays are drawn from `0..=max_delay` (0: no delays).
    pub max_delay: u64,
    /// The seed.
    pub seed: u64,
}

impl Default for Generator {
    fn default() -> Self {
        Self {
            tasks: 20,
            nodes: 3,
            resources: 2,
            dependencies: 1.5,
            window: 10,
            tightness: 0.6,
            max_duration: 20,
            eligibility: 0.0,
            heterogeneity: 0.0,
            max_delay: 0,
            seed: 0,
        }
    }
}

/// Capacity of size class `class` (0 small, 1 medium, 2 large) in dimension `r`.
fn class_capacity(class: usize, r: usize) -> u64 {
    let scale = match class {
        0 => 1,
        1 => 4,
        _ => 16,
    };
    match r {
        0 => 4_000 * scale,  // cpu, millicores
        1 => 16_384 * scale, // memory, MiB
        2 => {
            if class == 2 {
                8
            } else {
                0
            }
        } // gpu
        _ => 10 * scale,
    }
}

fn resource_name(r: usize) -> String {
    match r {
        0 => "cpu".into(),
        1 => "memory".into(),
        2 => "gpu".into(),
        _ => format!("r{}", r + 1),
    }
}

impl Generator {
    /// The scale benchmark's setting: `tasks` tasks with about 3 dependencies each (window
    /// 2,000) on 1,000 heterogeneous nodes with cpu, memory and gpu; 5% of tasks with an
    /// eligibility list, 20% with a faster node, transfer delays 0–5, seed 42.
    pub fn large_cluster(tasks: usize) -> Self {
        Self {
            tasks,
            nodes: 1000,
            resources: 3,
            dependencies: 3.0,
            window: 2000,
            tightness: 0.5,
            max_duration: 100,
            eligibility: 0.05,
            heterogeneity: 0.2,
            max_delay: 5,
            seed: 42,
        }
    }

    /// The portfolio benchmark's setting (BENCHMARKS.md, "Auto"): a tight multi-node workflow
    /// of `tasks` tasks on `nodes` nodes with cpu, memory and gpu, about 1.5 dependencies per
    /// task (window 20), durations 1–20, tasks demanding up to 80% of their home node, 30% of
    /// them restricted to eligible nodes, 30% faster on one node, transfer delays 0–5.
    pub fn tight_workflow(tasks: usize, nodes: usize, seed: u64) -> Self {
        Self {
            tasks,
            nodes,
            resources: 3,
            dependencies: 1.5,
            window: 20,
            tightness: 0.8,
            max_duration: 20,
            eligibility: 0.3,
            heterogeneity: 0.3,
            max_delay: 5,
            seed,
        }
    }

    /// Builds the instance.
    pub fn generate(&self) -> Result<Problem, ModelError> {
        self.spec().build()
    }

    /// The instance as a spec (to write it out, or mutate it before building).
    pub fn spec(&self) -> ProblemSpec {
        let mut rng = SplitMix64::new(self.seed);
        let nodes = self.nodes.max(1);
        let dims = self.resources.max(1);
        let tightness = self.tightness.clamp(0.01, 1.0);
        let classes: Vec<usize> = (0..nodes).map(|i| if i == 0 { 2 } else { rng.below(3) as usize }).collect();
        let node_name = |i: usize| format!("n{}", i + 1);
        let mut spec = ProblemSpec::new().resources((0..dims).map(resource_name));
        for (i, &class) in classes.iter().enumerate() {
            let mut node = NodeSpec::new(node_name(i));
            for r in 0..dims {
                node = node.capacity(resource_name(r), class_capacity(class, r));
            }
            spec = spec.node(node);
        }
        for i in 0..self.tasks {
            let home = rng.below(nodes as u64) as usize;
            #[expect(
                clippy::indexing_slicing,
                reason = "`home` is drawn below the node count, the length of `classes`"
            )]
            let class = classes[home];
            let duration = 1 + rng.below(self.max_duration.max(1));
            let mut task = TaskSpec::new(format!("t{i}"), duration);
            for r in 0..dims {
                let cap = class_capacity(class, r);
                let wants = r != 2 || rng.chance(0.5);
                let most = ((cap as f64) * tightness).floor() as u64;
                if wants && most > 0 {
                    task = task.demand(resource_name(r), 1 + rng.below(most));
                }
            }
            if rng.chance(self.eligibility) {
                let mut list = vec![home];
                for _ in 0..rng.below(3) {
                    let other = rng.below(nodes as u64) as usize;
                    if !list.contains(&other) {
                        list.push(other);
                    }
                }
                task = task.nodes(list.iter().map(|&n| node_name(n)));
            }
            if rng.chance(self.heterogeneity) {
                let faster = 1 + rng.below(duration);
                task = task.duration_on(node_name(home), faster);
            }
            let window = self.window.max(1).min(i);
            let mut count = (self.dependencies.max(0.0).floor()) as usize;
            if rng.chance(self.dependencies.max(0.0).fract()) {
                count += 1;
            }
            let mut preds: Vec<usize> = Vec::with_capacity(count);
            for _ in 0..count.min(window) {
                let p = i - 1 - rng.below(window as u64) as usize;
                if !preds.contains(&p) {
                    preds.push(p);
                }
            }
            preds.sort_unstable();
            for p in preds {
                let delay = if self.max_delay > 0 { rng.below(self.max_delay + 1) } else { 0 };
                task =
                    if delay > 0 { task.after_with_delay(format!("t{p}"), delay) } else { task.after(format!("t{p}")) };
            }
            spec = spec.task(task);
        }
        spec
    }
}
