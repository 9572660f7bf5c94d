//! `greedy`: configurable list scheduling — priority rule × node policy × generation scheme —
//! run as a small portfolio by default.
//!
//! # Algorithm
//! A list scheduler orders the tasks by a **priority rule** ([`Rule`]: upward rank, latest
//! start, latest finish, most total successors, rank positional weight, shortest duration,
//! seeded random; ties to the smaller task id) and builds the schedule with a **scheme**
//! ([`Scheme`]): *serial* (one task at a time in list order, each at its earliest feasible
//! time, possibly in an earlier gap) or *parallel* (advance time; at each decision point start
//! every eligible task that fits, in priority order). A **node policy** ([`Policy`]) picks
//! the node: earliest finish (HEFT), most allocated (pack / best fit), least allocated
//! (spread), balanced allocation, first fit — named after the Kubernetes scoring strategies.
//!
//! [`Greedy::default`] runs a **portfolio** in parallel (rayon): the useful rule × scheme
//! combinations with earliest-finish placement, the other policies with the upward rank on
//! multi-node problems, each pass improved by **double justification** (Valls et al. 2005),
//! plus seeded **regret-based biased random sampling** passes (Kolisch and Drexl 1996) on
//! small instances; it returns the best schedule (ties: the earlier member). The portfolio
//! shrinks with the instance: above [`PARALLEL_LIMIT`] tasks only serial passes, above
//! [`MEDIUM`] without justification, above [`LARGE`] only two of them, so it stays a few
//! passes long at any size.
//! [`Greedy::single`] runs exactly one combination, for speed.
//!
//! # Data structures and complexity
//! * Per node, a timeline (`timeline.rs`): a sorted vector of breakpoints with the usage of up
//!   to four dimensions inline, and a **free-from frontier**. Placing a task at or after the
//!   frontier costs O(1) to find; filling an earlier gap O(log k + s·r) for k breakpoints and
//!   s inspected steps. Look-back is bounded: a node keeps its last 128–256 breakpoints and
//!   treats earlier time as full (conservative, so schedules stay valid), which keeps every
//!   timeline a few kilobytes and the search in cache on huge instances; instances with fewer
//!   than ~128 tasks per node never notice.
//! * A candidate index (`candidates.rs`): on clusters of more than
//!   48 nodes a task is tried only on its predecessors' nodes,
//!   per capacity group the node that became idle last before the task is ready (or the
//!   idle-soonest one), found in ordered sets of `(frontier, node)` in O(log m), and a
//!   rotating sample of a few nodes, like Kubernetes' `percentageOfNodesToScore`, instead of
//!   all m nodes.
//! * Candidates are looked up in order of a cheap bound (ready time + duration), and the
//!   look-ups stop as soon as no remaining node can beat the best found, so most tasks cost
//!   one or two timeline searches.
//! * Ready tasks in a binary heap keyed by (priority, id).
//!
//! One serial pass: O(n log n + e + n·c·(p + log k + s·r)) time with c = O(p + groups +
//! sample) candidates per task, O(n + e + m·k·r) memory. A million tasks on a thousand nodes
//! take about two CPU-seconds on this (shared, 2-core) machine (see `examples/scale.rs`).
//!
//! # Literature
//! Kolisch (1996), "Serial and parallel resource-constrained project scheduling methods
//! revisited: theory and computation", EJOR 90; Kolisch and Hartmann (1999), "Heuristic
//! algorithms for the resource-constrained project scheduling problem: classification and
//! computational analysis"; Topcuoglu, Hariri and Wu (2002), "Performance-effective and
//! low-complexity task scheduling for heterogeneous computing" (HEFT); Valls, Ballestín and
//! Quintanilla (2005), "Justification and RCPSP: a technique that pays", EJOR 165; Kolisch
//! and Drexl (1996), "Adaptive search for solving hard project scheduling problems"; the
//! Kubernetes scheduler's scoring plugins (`NodeResourcesFit` strategies `MostAllocated` and
//! `LeastAllocated`, `NodeResourcesBalancedAllocation`, `percentageOfNodesToScore`).
//!
//! # Guarantee
//! Heuristic: every schedule is feasible by construction (and verified in every test), never
//! below the lower bound; `Optimal` only when the makespan meets the proven lower bound.
//! Same problem, options and seed → same schedule, whatever the thread count. The time
//! limit and cancellation flag are checked before each pass after the first (a pass itself
//! is not interrupted: one pass on a million tasks takes one to two seconds).

mod candidates;
mod improve;
mod parallel;
mod priority;
mod sgs;
mod timeline;

use std::fmt;
use std::time::Instant;

use rayon::prelude::*;

pub use priority::Rule;
pub use sgs::Policy;

use super::{Deadline, Scheduler, Solution, SolveError, SolveOptions};
use crate::model::Problem;
use crate::rng::SplitMix64;
use crate::schedule::{Assignment, Schedule};
use sgs::UNPLACED;

/// Above this many tasks the portfolio leaves out the parallel scheme, whose cost grows with
/// decision points × waiting tasks (quadratic on a single busy node).
pub const PARALLEL_LIMIT: usize = 10_000;
/// Above this many tasks the portfolio runs no justification.
pub const MEDIUM: usize = 20_000;
/// Above this many tasks the portfolio runs just two serial passes.
pub const LARGE: usize = 200_000;

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

/// One rule × policy × scheme combination.
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
    pub fn run(self, problem: &Problem, seed: u64) -> Schedule {
        to_schedule(self.assignments(problem, seed))
    }

    fn assignments(self, problem: &Problem, seed: u64) -> Vec<Assignment> {
        let keys = priority::priorities(problem, self.rule, seed);
        match self.scheme {
            Scheme::Serial => sgs::serial(problem, &sgs::priority_list(problem, &keys), self.policy, false, None),
            Scheme::Parallel => parallel::parallel(problem, &keys, self.policy),
        }
    }
}

impl fmt::Display for Combination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.rule, self.policy, self.scheme)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Portfolio { samples: Option<usize>, justify: bool },
    Single(Combination),
}

/// The greedy list scheduler (see the [module docs](self)).
///
/// ```
/// use dagplan::{Scheduler, solver::greedy::{Greedy, Policy, Rule, Scheme}};
/// let problem = dagplan::example::five_tasks();
/// let best = Greedy::default().schedule(&problem).unwrap();
/// assert_eq!(best.makespan(), 70);
/// let fast = Greedy::single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial).schedule(&problem).unwrap();
/// assert!(fast.schedule.verify(&problem).is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct Greedy {
    mode: Mode,
    options: SolveOptions,
}

impl Default for Greedy {
    fn default() -> Self {
        Self { mode: Mode::Portfolio { samples: None, justify: true }, options: SolveOptions::default() }
    }
}

impl Greedy {
    /// The default portfolio.
    pub fn new() -> Self {
        Self::default()
    }

    /// Exactly one combination (one pass, no improvement): the fastest setting.
    pub fn single(rule: Rule, policy: Policy, scheme: Scheme) -> Self {
        Self { mode: Mode::Single(Combination::new(rule, policy, scheme)), options: SolveOptions::default() }
    }

    /// Sets the options (time limit, seed, threads, cancellation).
    pub fn options(mut self, options: SolveOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the number of biased random sampling passes of the portfolio (default:
    /// `min(300, 30,000 / tasks)`, so 300 up to 100 tasks, 30 at 1,000, none above 10,000).
    pub fn samples(mut self, samples: usize) -> Self {
        if let Mode::Portfolio { samples: s, .. } = &mut self.mode {
            *s = Some(samples);
        }
        self
    }

    /// Turns double justification of the portfolio's passes on or off (default on; never
    /// applied above [`MEDIUM`] tasks).
    pub fn justification(mut self, on: bool) -> Self {
        if let Mode::Portfolio { justify, .. } = &mut self.mode {
            *justify = on;
        }
        self
    }

    /// The combinations the portfolio runs on this problem (a single one in single mode).
    pub fn members(&self, problem: &Problem) -> Vec<Combination> {
        let Mode::Portfolio { .. } = self.mode else {
            return match self.mode {
                Mode::Single(c) => vec![c],
                Mode::Portfolio { .. } => Vec::new(),
            };
        };
        let n = problem.task_count();
        let eft = Policy::EarliestFinish;
        if n > LARGE {
            return vec![
                Combination::new(Rule::UpwardRank, eft, Scheme::Serial),
                Combination::new(Rule::LatestFinish, eft, Scheme::Serial),
            ];
        }
        let rules = [
            Rule::UpwardRank,
            Rule::LatestFinish,
            Rule::LatestStart,
            Rule::MostSuccessors,
            Rule::RankPositionalWeight,
            Rule::Random,
        ];
        let schemes: &[Scheme] = if n > PARALLEL_LIMIT { &[Scheme::Serial] } else { &Scheme::ALL };
        let mut members = Vec::new();
        for &scheme in schemes {
            for rule in rules {
                members.push(Combination::new(rule, eft, scheme));
            }
        }
        if problem.node_count() > 1 {
            for policy in [Policy::MostAllocated, Policy::LeastAllocated, Policy::BalancedAllocation, Policy::FirstFit]
            {
                members.push(Combination::new(Rule::UpwardRank, policy, Scheme::Serial));
            }
        }
        members
    }

    fn sample_count(&self, problem: &Problem) -> usize {
        match self.mode {
            Mode::Portfolio { samples: Some(s), .. } => s,
            Mode::Portfolio { samples: None, .. } => {
                let n = problem.task_count().max(1);
                if n > 10_000 { 0 } else { (30_000 / n).min(300) }
            }
            Mode::Single(_) => 0,
        }
    }

    fn solve(&self, problem: &Problem, deadline: &Deadline) -> (Vec<Assignment>, u64) {
        let seed = self.options.seed;
        let members = self.members(problem);
        let justify = matches!(self.mode, Mode::Portfolio { justify: true, .. }) && problem.task_count() <= MEDIUM;
        let samples = self.sample_count(problem);
        let jobs = members.len() + samples;
        let run = |job: usize| -> Option<(u64, usize, Vec<Assignment>)> {
            if job > 0 && deadline.reached() {
                return None;
            }
            let mut plan = match members.get(job) {
                Some(c) => c.assignments(problem, seed),
                None => {
                    let i = (job - members.len()) as u64;
                    let rule = if i % 2 == 0 { Rule::LatestFinish } else { Rule::UpwardRank };
                    let keys = priority::priorities(problem, rule, seed);
                    let mut rng = SplitMix64::new(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    let list = improve::sampled_list(problem, &keys, &mut rng, 1.0);
                    sgs::serial(problem, &list, Policy::EarliestFinish, false, None)
                }
            };
            if justify {
                plan = improve::justify(problem, plan);
            }
            Some((improve::makespan(&plan), job, plan))
        };
        let best = if jobs == 1 {
            run(0) // a single pass runs on the calling thread
        } else {
            (0..jobs).into_par_iter().filter_map(run).min_by_key(|(m, job, _)| (*m, *job))
        };
        let generated = jobs as u64 * if justify { 3 } else { 1 };
        (best.map(|(_, _, plan)| plan).unwrap_or_default(), generated)
    }
}

fn to_schedule(assignments: Vec<Assignment>) -> Schedule {
    Schedule::new(assignments.into_iter().filter(|a| a.task != UNPLACED.task).collect())
}

impl Scheduler for Greedy {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let deadline = self.options.deadline();
        let single = matches!(self.mode, Mode::Single(_));
        let (plan, generated) = match self.options.threads {
            _ if single => self.solve(problem, &deadline),
            0 => self.solve(problem, &deadline),
            k => match rayon::ThreadPoolBuilder::new().num_threads(k).build() {
                Ok(pool) => pool.install(|| self.solve(problem, &deadline)),
                Err(_) => self.solve(problem, &deadline),
            },
        };
        if plan.len() != problem.task_count() || plan.iter().any(|a| a.task == UNPLACED.task) {
            return Err(SolveError::Internal("greedy left a task unplaced".into()));
        }
        Solution::new(problem, to_schedule(plan), 0, started, vec![("schedules", generated)])
    }
}
