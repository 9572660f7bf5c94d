//! # dagplan: where and when each task of a workflow runs
//!
//! dagplan plans a dependency graph of tasks (preprocess → train → evaluate → deploy) on a
//! cluster of heterogeneous nodes: it picks a node and a start time for every task so that
//! every dependency holds, no node exceeds its capacity in any resource dimension at any
//! instant, and the whole workflow finishes as early as possible (the *makespan*). Every
//! answer comes with a proven lower bound, so you always know how far from optimal it can be.
//!
//! ## The story in one example
//!
//! The reference case ([`example`]): five tasks on three nodes. Every solver finds a makespan
//! of 70, and the critical path v1 → v3 → v4 → v5 proves that no plan is shorter.
//!
//! ```
//! use dagplan::{CriticalPath, Scheduler, Status};
//!
//! let problem = dagplan::io::read_json_str(r#"{
//!   "nodes": [
//!     {"name": "n1", "capacity": {"cpu": 2, "memory": 8}},
//!     {"name": "n2", "capacity": {"cpu": 4, "memory": 16}},
//!     {"name": "n3", "capacity": {"cpu": 8, "memory": 32}}
//!   ],
//!   "tasks": [
//!     {"name": "v1", "duration": 10, "demand": {"cpu": 1, "memory": 4}},
//!     {"name": "v2", "duration": 20, "demand": {"cpu": 2, "memory": 8}, "after": ["v1"]},
//!     {"name": "v3", "duration": 30, "demand": {"cpu": 4, "memory": 16}, "after": ["v1"]},
//!     {"name": "v4", "duration": 20, "demand": {"cpu": 2, "memory": 8}, "after": ["v2", "v3"]},
//!     {"name": "v5", "duration": 10, "demand": {"cpu": 1, "memory": 4}, "after": ["v4"]}
//!   ]
//! }"#)?;
//!
//! let solution = CriticalPath::default().schedule(&problem)?;
//! assert_eq!(solution.makespan(), 70);
//! assert_eq!(solution.lower_bound, 70); // proven: no schedule is shorter
//! assert_eq!(solution.status, Status::Optimal);
//! solution.schedule.verify(&problem)?; // the independent checker
//! println!("{}", dagplan::text_gantt(&problem, &solution.schedule, 40));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## 1. The model
//!
//! A [`ProblemSpec`] (the JSON wire format, and also a Rust builder: [`NodeSpec`],
//! [`TaskSpec`], [`DependencySpec`]) is validated once into a [`Problem`]: acyclic, every
//! name resolved, every task fitting some eligible node, no overflow. Errors are
//! [`ModelError`] values naming the offending items (a cycle lists the whole cycle). Inside a
//! problem, tasks and nodes are dense ids ([`TaskId`], [`NodeId`]); dependencies are
//! [`Edge`]s with an optional transfer delay, paid only across nodes. The readers in [`io`]
//! turn files (JSON, PSPLIB, Patterson, job shops) into problems, with errors naming file,
//! line and column.
//!
//! Times, durations, capacities and demands are `u64` integers ([`Time`]) in your own units
//! (ticks, millicores, MiB). Capacities and demands may also be Kubernetes quantities
//! ([`Amount`]: `"500m"`, `"2Gi"`), read exactly by [`parse_quantity`] in a fixed unit per
//! dimension ([`Scale`]: `cpu` in millicores, the others in bytes or devices). Nodes may carry
//! labels and [`Taint`]s, and tasks choose nodes by `node_selector` and [`Toleration`]s, as
//! pods do.
//!
//! Kubernetes and workflow files ([`io`]): cluster snapshots (`kubectl get nodes -o json`,
//! [`io::read_cluster`]), WfCommons traces ([`io::wfcommons`]) and Argo Workflows
//! ([`io::argo`]) in, plans out as Argo Workflows pinned to their nodes
//! ([`io::argo::export_argo`]); [`ProblemSpec::on_cluster`] puts a workflow on a cluster.
//!
//! Live clusters add time rules ([`TaskSpec`] and [`NodeSpec`] setters, or the JSON fields
//! `now`, `release`, `deadline`, `fixed`, `unavailable`): a plan start, release dates,
//! deadlines, tasks fixed where and when they already run ([`Fixed`]), and node downtime
//! ([`Window`]). Every solver and the verifier honour them; [`Replan`] re-plans a running
//! workflow after events (a task finished, a node lost) with a warm start.
//!
//! ## 2. The solvers
//!
//! Every solver implements [`Scheduler`] and is built the same way: `X::new(options)` with
//! [`SolveOptions`] (time limit, seed, threads, a cancellation flag, a warm start that every
//! solver returns unless it finds better: [`SolveOptions::warm_start`]), or `X::default()`, then
//! its own chained setters; a setter whose value can be wrong returns
//! `Result<Self, `[`OptionError`]`>`. Each solver's page holds its algorithm, complexity,
//! sources, guarantee, the options it honours and the counters it reports.
//!
//! | name | type | guarantee | time |
//! |---|---|---|---|
//! | `topological` | [`Topological`] | heuristic baseline | O(n log n + e·m + n·m·s) |
//! | `critical-path` | [`CriticalPath`] | heuristic | O(n log n + e·m + n·m·s) |
//! | `greedy` | [`Greedy`] | heuristic portfolio, anytime | O(n log n + e + n·c·(p + log k + s)) per pass |
//! | `search` | [`Search`] | heuristic, anytime (time limit, schedule budget); never worse than `greedy` | per genetic child or tabu iteration: a few list passes or one O(n + e) re-timing |
//! | `dp` | [`Dp`] | exact; anytime (time, state limits) | exponential in the DAG's width |
//! | `ilp` | `Ilp` (feature `ilp`) | exact with HiGHS's proof; anytime (time, gap) | a MIP: exponential in the worst case |
//! | `cp` | `Cp` (feature `cp`) | exact, lazy clause generation on Pumpkin; anytime with a proven bound (time) | exponential in the worst case |
//! | `auto` | [`Auto`] | portfolio of the above sharing the best plan and bound; never worse than its members; anytime | its members' within the time limit |
//!
//! (n tasks, e dependencies, m candidate nodes per task, s timeline steps per placement, c
//! candidates and p predecessors per task, k breakpoints per timeline.)
//!
//! By name, as on command lines: [`solver_by_name`] (an unknown name is an
//! [`UnknownSolver`] error listing the known ones), [`solver_names`]; ready-made sets:
//! [`all_solvers`], [`heuristic_solvers`]. A solver fails only with a [`SolveError`]: the
//! instance is too large for it, its backend failed, or an internal bug.
//!
//! ## 3. Bounds and status
//!
//! A [`Solution`] holds the schedule, a proven [`lower_bound`](Solution::lower_bound) (the
//! best of the crate's [`lower_bound`] and the solver's own proof), a [`Status`] that says
//! `Optimal` only when the makespan meets that bound, the relative [`gap`](Solution::gap),
//! and [`Stats`] (wall time and counters). The bounds on their own: [`LowerBounds`]
//! (critical path, resource energy, one-machine bound of pinned tasks) and [`Cpm`] (critical
//! path method: earliest and latest times, slack, a critical path).
//!
//! ## 4. Verification and output
//!
//! [`Schedule::verify`] checks every rule independently of every solver and returns a
//! [`VerifyError`] listing every [`Violation`]. Schedules read and write JSON
//! ([`Schedule::to_json`], [`Schedule::from_json`]); [`text_gantt`] draws one.
//!
//! ## 5. Features
//!
//! `ilp` (default): the [`Ilp`] solver on HiGHS, compiled from source (needs cmake, a C++
//! compiler and libclang). `cp` (default): the `Cp` solver on Pumpkin, pure Rust. Without
//! `ilp` (`default-features = false`, optionally `features = ["cp"]`) the crate is pure Rust.
//! `yaml` (default): Argo Workflows in YAML ([`io::argo`]), through serde-saphyr (needs Rust
//! 1.89); without it Argo manifests are read and written as JSON.
//!
//! ## 6. Big and hostile input
//!
//! No code path recurses over the input's depth (a 100,000-task chain is solved in the test
//! suite); validation rejects durations and delays whose sums could overflow; no input makes
//! the library panic (readers and solvers are fuzzed); ties are broken by id, never by hash
//! order, so the same input, options and seed give the same plan. The list schedulers plan a
//! million tasks on a thousand nodes in about two seconds; the exact solvers honour the time
//! limit and the cancellation flag and then return their best schedule with its bound.
//!
//! ## Experiments
//!
//! [`Generator`] makes seeded random instances of any size and shape, [`SplitMix64`] is the
//! seeded random-number generator it and the randomised solvers use, and [`example`] holds
//! the reference case. The research command line and benchmark harness live in the separate
//! `dagplan-cli` package of this repository.

// The only exception is HiGHS's interrupt callback (`solver/ilp/interrupt.rs`).
#![deny(unsafe_code)]

mod bounds;
pub mod example;
mod generate;
mod graph;
pub mod io;
mod model;
mod quantity;
mod render;
mod replan;
mod result;
mod rng;
mod schedule;
#[cfg(feature = "schema")]
pub mod schema;
mod solver;
mod verify;

pub use bounds::{LowerBounds, deadline_conflict, lower_bound};
pub use generate::Generator;
pub use graph::Cpm;
pub use model::{
    Amount, DelayedDependency, DependencySpec, Edge, Fixed, FixedLoad, FixedSpec, ModelError, NodeGap, NodeId,
    NodeMismatch, NodeSpec, Problem, ProblemSpec, Shortfall, Taint, TaintEffect, TaskId, TaskSpec, Time, Toleration,
    TolerationOperator, Window, WindowSpec,
};
pub use quantity::{QuantityError, Scale, format_quantity, parse_quantity};
pub use render::{RenderError, SvgOptions, html_report, mermaid_gantt, svg_gantt, text_gantt};
pub use replan::{Event, Replan, ReplanError, Replanned, Replanning};
pub use result::{OptionsSpec, RESULT_VERSION, ResultDocument, ResultError, StatsSpec};
pub use rng::SplitMix64;
pub use schedule::{Assignment, AssignmentSpec, Schedule, ScheduleError, ScheduleSpec};
#[cfg(feature = "cp")]
pub use solver::Cp;
#[cfg(feature = "ilp")]
pub use solver::Ilp;
pub use solver::{
    ALL_SOLVERS_SEARCH_BUDGET, Auto, Combination, CriticalPath, Dp, Greedy, Improvement, Member, MissedDeadline,
    OptionError, Policy, Progress, ProgressFn, Rule, Scheduler, Scheme, Search, Solution, SolveError, SolveOptions,
    Split, Stats, Status, Topological, UnknownSolver, all_solvers, heuristic_solvers, solver_by_name, solver_names,
};
pub use verify::{VerifyError, Violation};

/// The README's Rust examples, run as doc tests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
