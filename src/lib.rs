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
//! The reference case: five tasks on three nodes (see [`example`]). Every solver finds a
//! makespan of 70, and the critical path proves no plan is shorter.
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
//! let solution = CriticalPath.schedule(&problem)?;
//! assert_eq!(solution.makespan(), 70);
//! assert_eq!(solution.lower_bound, 70);
//! assert_eq!(solution.status, Status::Optimal);
//! assert!(solution.schedule.verify(&problem).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The pieces, in the order data flows
//!
//! 1. **Model** ([`model`]): a [`ProblemSpec`] (the JSON wire format, also a Rust builder)
//!    is validated once into a [`Problem`]: acyclic, every name resolved, every task fitting
//!    some node, no overflow. Errors are [`ModelError`] values naming the offending items
//!    (a cycle lists the whole cycle). Readers for files are in [`io`].
//! 2. **Analysis**: [`Cpm`] (critical path method: earliest/latest times, slack, one
//!    critical path) and [`bounds`] (critical-path, resource-energy and pinned-node lower
//!    bounds).
//! 3. **Solvers** ([`solver`]), all behind the one [`Scheduler`] trait. Each returns a
//!    [`Solution`]: the schedule, a proven lower bound, a [`Status`] that says `Optimal` only
//!    when the makespan meets the bound, and [`Stats`].
//! 4. **Verification**: [`Schedule::verify`] checks every rule independently of every solver.
//! 5. **Rendering**: [`render::text_gantt`]; schedules read and write JSON.
//!
//! [`generate::Generator`] (seeded random instances) is the building block for experiments.
//!
//! ## Solvers
//!
//! | name | type | guarantee | time |
//! |---|---|---|---|
//! | `topological` | [`Topological`] | heuristic baseline | O(n log n + e + n·m·s) |
//! | `critical-path` | [`CriticalPath`] | heuristic | O(n log n + e + n·m·s) |
//! | `greedy` | [`Greedy`] | heuristic portfolio, anytime | O(n log n + e + n·c·(p + log k + s)) per pass |
//! | `search` | [`Search`](solver::Search) | heuristic, anytime (time limit, schedule budget); never worse than `greedy` | per genetic child or tabu iteration: a few list passes or one O(n + e) re-timing |
//! | `dp` | [`Dp`] | exact; anytime (time, state limits) | exponential in the worst case |
//! | `ilp` | `Ilp` (feature `ilp`) | exact with HiGHS's proof; anytime | a MIP: exponential in the worst case |
//!
//! By name: [`solver::solver_by_name`]; all of them: [`solver::all_solvers`].
//!
//! (n tasks, e dependencies, m candidate nodes per task, s timeline steps per placement.)
//!
//! ## Units and limits
//!
//! Times, durations, capacities and demands are `u64` integers in your own units (ticks,
//! millicores, MiB). Validation rejects inputs whose durations and delays could overflow a
//! finish time. No code path recurses over the input's depth, and ties are broken by id, never
//! by hash order, so the same input always gives the same plan.

// The only exception is HiGHS's interrupt callback (`solver/ilp/interrupt.rs`).
#![deny(unsafe_code)]

pub mod bounds;
pub mod example;
pub mod generate;
pub mod graph;
pub mod harness;
pub mod io;
pub mod model;

pub mod render;
pub mod replan;
pub mod result;
pub mod rng;
pub mod schedule;
#[cfg(feature = "schema")]
pub mod schema;
pub mod solver;
pub mod verify;

pub use bounds::{LowerBounds, deadline_conflict, lower_bound};
pub use graph::Cpm;
pub use model::{
    DelayedDependency, DependencySpec, Edge, Fixed, FixedLoad, FixedSpec, ModelError, NodeGap, NodeId, NodeSpec,
    Problem, ProblemSpec, Shortfall, TaskId, TaskSpec, Time, Window, WindowSpec,
};
pub use render::{RenderError, SvgOptions, html_report, mermaid_gantt, svg_gantt, text_gantt};
pub use replan::{Event, Replan, ReplanError, Replanned, Replanning};
pub use result::{OptionsSpec, RESULT_VERSION, ResultDocument, ResultError, StatsSpec};
pub use schedule::{Assignment, AssignmentSpec, Schedule, ScheduleError, ScheduleSpec};
#[cfg(feature = "ilp")]
pub use solver::Ilp;
pub use solver::{
    CriticalPath, Dp, Greedy, MissedDeadline, Scheduler, Solution, SolveError, SolveOptions, Stats, Status, Topological,
};
pub use verify::Violation;

/// The README's Rust examples, run as doc tests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
