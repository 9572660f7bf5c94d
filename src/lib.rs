//! dagplan
#![forbid(unsafe_code)]

pub mod bounds;
pub mod example;
pub mod generate;
pub mod graph;
pub mod io;
pub mod model;
pub mod profile;
pub mod render;
pub mod schedule;
pub mod solver;
pub mod verify;

pub use bounds::{LowerBounds, lower_bound};
pub use graph::Cpm;
pub use model::{
    DelayedDependency, DependencySpec, Edge, ModelError, NodeId, NodeSpec, Problem, ProblemSpec, Shortfall, TaskId,
    TaskSpec, Time,
};
pub use schedule::{Assignment, Schedule, ScheduleError};
#[cfg(feature = "ilp")]
pub use solver::Ilp;
pub use solver::{CriticalPath, Dp, Scheduler, Solution, SolveError, SolveOptions, Stats, Status, Topological};
pub use verify::Violation;
