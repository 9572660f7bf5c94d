//! The list-scheduling engine: the one place where tasks are put on timelines. `topological`
//! and `critical-path` are presets of it, `greedy` is a portfolio over it, and `search`
//! decodes its candidate lists through it.
//!
//! # Algorithm
//! A list scheduler orders the tasks by a **priority rule** ([`Rule`]; ties to the smaller
//! task id) and builds the schedule with a **scheme** ([`Scheme`]): *serial* (one task at a
//! time in list order, each at its earliest feasible time on its node, possibly in an earlier
//! gap; Kelley 1963) or *parallel* (advance time; at each decision point start every eligible
//! task that fits, in priority order; Brooks' algorithm). A **node policy** ([`Policy`])
//! picks the node: earliest finish (HEFT), most allocated, least allocated, balanced
//! allocation, first fit (named after the Kubernetes scoring strategies). A task's earliest
//! start on a node is the latest finish of its predecessors, plus the transfer delay for
//! those on other nodes. The serial scheme also runs backwards and with fixed nodes, which
//! gives **double justification** (`justify.rs`), and a reusable **decoder**
//! (`decoder.rs`) turns activity lists into schedules with no allocation per schedule.
//!
//! # Files, along the data flow
//! `priority.rs` (rules → keys; `sampling.rs`: biased random lists from keys) → `state.rs` (one schedule under construction: per-node
//! `timeline.rs`, candidate nodes from `candidates.rs`, choice by `policy.rs`) → schemes:
//! serial (`state.rs`), `parallel.rs`; `decoder.rs` and `justify.rs` on top.
//!
//! # Data structures and complexity
//! * Per node a timeline: a sorted vector of breakpoints with the usage of up to four
//!   dimensions inline and a **free-from frontier**; placing at or after the frontier is O(1)
//!   to find, filling an earlier gap O(log k + s·r) for k breakpoints and s inspected steps.
//!   Look-back is bounded (a node keeps its last 128–256 breakpoints and treats earlier time
//!   as full: conservative, so schedules stay valid), which keeps a million-task schedule in
//!   cache; instances with fewer than ~128 tasks per node never notice.
//! * On clusters of more than 48 nodes a task is tried only on its predecessors' nodes, per
//!   capacity group the node that became idle last before the task is ready (or the
//!   idle-soonest one), and a rotating sample of a few nodes (like Kubernetes'
//!   `percentageOfNodesToScore`), found in ordered sets in O(log m).
//! * Candidate nodes are looked up in order of a cheap bound (ready time + duration), stopping
//!   as soon as no remaining node can beat the best found.
//!
//! One serial pass: O(n log n + e + n·c·(p + log k + s·r)) time with c = O(p + groups +
//! sample) candidate nodes per task, O(n + e + m·k·r) memory. The parallel scheme costs
//! O(d·E·c·(p + log k + s·r)) for d decision points and E eligible tasks per point.
//!
//! # Literature
//! Kelley (1963); Kolisch (1996), "Serial and parallel resource-constrained project
//! scheduling methods revisited: theory and computation", EJOR 90; Topcuoglu, Hariri and Wu
//! (2002), HEFT; Valls, Ballestín and Quintanilla (2005) for justification; the Kubernetes
//! scheduler's scoring plugins.
//!
//! # Guarantee
//! Every schedule is feasible by construction (each task after its predecessors, where its
//! demand fits for its whole duration) and verified in every test; a task that finds no node
//! is reported as [`SolveError::Internal`], never skipped.

mod candidates;
mod decoder;
mod justify;
mod parallel;
mod policy;
mod priority;
mod sampling;
mod state;
mod timeline;

use std::fmt;

pub(crate) use decoder::Decoder;
pub use policy::Policy;
pub use priority::Rule;
pub(crate) use priority::{priorities, upward_rank};
pub(crate) use sampling::sampled_list;
pub(crate) use state::{priority_list, serial};

use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::{Assignment, Schedule};
use crate::solver::SolveError;

/// How a schedule is generated from a priority rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// One task at a time in list order, each at its earliest feasible time.
    Serial,
    /// Advance time; at each decision point start every eligible task that fits.
    Parallel,
}

impl Scheme {
    /// Both schemes.
    pub const ALL: [Scheme; 2] = [Scheme::Serial, Scheme::Parallel];

    /// The scheme's short name.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Serial => "serial",
            Scheme::Parallel => "parallel",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One rule × policy × scheme combination: one list-scheduling pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Combination {
    /// The priority rule.
    pub rule: Rule,
    /// The node policy.
    pub policy: Policy,
    /// The generation scheme.
    pub scheme: Scheme,
}

impl Combination {
    /// A combination.
    pub fn new(rule: Rule, policy: Policy, scheme: Scheme) -> Self {
        Self { rule, policy, scheme }
    }

    /// Every combination of every rule, policy and scheme.
    pub fn all() -> Vec<Combination> {
        let mut all = Vec::new();
        for rule in Rule::ALL {
            for policy in Policy::ALL {
                for scheme in Scheme::ALL {
                    all.push(Combination::new(rule, policy, scheme));
                }
            }
        }
        all
    }

    /// One pass: the schedule of this combination (`seed` drives [`Rule::Random`]).
    /// [`SolveError::Internal`] only on a bug.
    pub fn run(self, problem: &Problem, seed: u64) -> Result<Schedule, SolveError> {
        Ok(Schedule::new(self.assignments(problem, seed, &[])?))
    }

    /// One pass, as assignments indexed by task id, preferring `prefer[task]` among equally
    /// good nodes (empty: no preference).
    pub(crate) fn assignments(
        self,
        problem: &Problem,
        seed: u64,
        prefer: &[Option<NodeId>],
    ) -> Result<Vec<Assignment>, SolveError> {
        by_keys(problem, &priority::priorities(problem, self.rule, seed), self.policy, self.scheme, prefer)
    }
}

impl fmt::Display for Combination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.rule, self.policy, self.scheme)
    }
}

/// One pass with priority `keys` (one per task, larger first, ties to the smaller id), as
/// assignments indexed by task id, every task placed (else [`SolveError::Internal`]).
pub(crate) fn by_keys(
    problem: &Problem,
    keys: &[u64],
    policy: Policy,
    scheme: Scheme,
    prefer: &[Option<NodeId>],
) -> Result<Vec<Assignment>, SolveError> {
    let placed = match scheme {
        Scheme::Serial => serial(problem, &priority_list(problem, keys)?, policy, false, None, prefer)?,
        Scheme::Parallel => parallel::parallel(problem, keys, policy, prefer)?,
    };
    if placed.iter().enumerate().any(|(i, a)| a.task != TaskId(i as u32)) {
        return Err(SolveError::Internal("list scheduling left a task unplaced".into()));
    }
    Ok(placed)
}

/// The serial scheme with earliest-finish placement and priority `keys` (one per task,
/// larger first, ties to the smaller id), preferring `prefer[task]` among equally good nodes:
/// the `topological` and `critical-path` presets.
pub(crate) fn serial_schedule(
    problem: &Problem,
    keys: &[u64],
    prefer: &[Option<NodeId>],
) -> Result<Schedule, SolveError> {
    Ok(Schedule::new(by_keys(problem, keys, Policy::EarliestFinish, Scheme::Serial, prefer)?))
}

/// The total lateness of a schedule: over the tasks with a deadline, the sum of how long
/// after it each finishes (0: every deadline met). The first key by which `greedy` and
/// `search` compare plans under deadlines. O(n).
pub(crate) fn lateness(problem: &Problem, schedule: &[Assignment]) -> Time {
    if !problem.has_deadlines() {
        return 0;
    }
    schedule
        .iter()
        .filter_map(|a| problem.deadline(a.task).map(|d| a.finish.saturating_sub(d)))
        .fold(0, Time::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NodeSpec, ProblemSpec, TaskSpec};

    #[test]
    fn a_zero_length_task_holds_no_capacity_in_either_scheme() {
        // `gate` needs the whole node for no time; b and c then share it.
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 2))
            .task(TaskSpec::new("a", 4).demand("cpu", 2))
            .task(TaskSpec::new("gate", 0).demand("cpu", 2).after("a"))
            .task(TaskSpec::new("b", 3).demand("cpu", 1).after("gate"))
            .task(TaskSpec::new("c", 3).demand("cpu", 1).after("gate"))
            .build()
            .unwrap();
        for combination in Combination::all() {
            let schedule = combination.run(&problem, 0).unwrap();
            schedule.verify(&problem).unwrap();
            assert_eq!(schedule.makespan(), 7, "{combination}");
        }
    }
}
