//! `greedy`: the list-scheduling portfolio [`Greedy`] (algorithm, complexity, literature and
//! guarantee on the type), run on the list engine of `solver/list/`.

use std::time::Instant;

use rayon::prelude::*;

pub use super::list::{Combination, Policy, Rule, Scheme};

use super::list::{Decoder, lateness, priorities, sampled_list};
use super::shared::Incumbent;
use super::{Deadline, Scheduler, Solution, SolveError, SolveOptions};
use crate::model::{Problem, Time};
use crate::rng::SplitMix64;
use crate::schedule::{Assignment, Schedule};

/// Above this many tasks the portfolio leaves out the parallel scheme, whose cost grows with
/// decision points × waiting tasks (quadratic on a single busy node).
const PARALLEL_LIMIT: usize = 10_000;
/// Above this many tasks the portfolio runs no justification.
const MEDIUM: usize = 20_000;
/// Above this many tasks the portfolio runs just two serial passes.
const LARGE: usize = 200_000;

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Portfolio { samples: Option<usize>, justify: bool },
    Single(Combination),
}

/// `greedy`: configurable list scheduling — priority rule × node policy × generation scheme —
/// run as a small portfolio by default.
///
/// # Algorithm
/// A list scheduler orders the tasks by a **priority rule** ([`Rule`]: upward rank, latest
/// start, latest finish, most total successors, rank positional weight, shortest duration,
/// seeded random; ties to the smaller task id) and builds the schedule with a **scheme**
/// ([`Scheme`]): *serial* (one task at a time in list order, each at its earliest feasible
/// time, possibly in an earlier gap) or *parallel* (advance time; at each decision point start
/// every eligible task that fits, in priority order). A **node policy** ([`Policy`]) picks
/// the node: earliest finish (HEFT), most allocated (pack / best fit), least allocated
/// (spread), balanced allocation, first fit — named after the Kubernetes scoring strategies.
///
/// [`Greedy::default`] runs a **portfolio** in parallel (rayon): the useful rule × scheme
/// combinations with earliest-finish placement, the other policies with the upward rank on
/// multi-node problems, each pass improved by **double justification** (Valls et al. 2005),
/// plus seeded **regret-based biased random sampling** passes (Kolisch and Drexl 1996) on
/// small instances; it returns the best schedule (ties: the earlier member). Under deadlines
/// "best" is lexicographic: the smallest total lateness first (the sum over tasks with a
/// deadline of how long after it they finish), then the makespan, so a plan that meets every
/// deadline always beats a shorter one that misses any; when no pass meets them all, the
/// answer is [`SolveError::DeadlinesMissed`] naming the tasks its least late plan finishes
/// late. The portfolio
/// shrinks with the instance: above 10,000 tasks only serial passes, above 20,000 without
/// justification, above 200,000 only two of them, so it stays a few passes long at any size.
/// [`Greedy::single`] runs exactly one combination, for speed.
///
/// # Data structures and complexity
/// Every pass runs on the crate's one list-scheduling engine (`solver/list/`: per-node
/// timelines with a free-from frontier and bounded look-back, a candidate-node index on
/// clusters of more than 48 nodes, the serial and parallel schemes, node policies, double
/// justification), which also serves `topological`, `critical-path` and `search`.
///
/// One serial pass: O(n log n + e + n·c·(p + log k + s·r)) time with c = O(p + groups +
/// sample) candidate nodes per task (p predecessors, k timeline breakpoints, s steps
/// inspected, r dimensions), O(n + e + m·k·r) memory. A million tasks on a thousand nodes
/// take about 1.3 seconds on this (shared, 2-core) machine (see `examples/scale.rs`). The
/// portfolio runs its passes in parallel (rayon), each worker reusing one decoder.
///
/// # Literature
/// Kolisch (1996), "Serial and parallel resource-constrained project scheduling methods
/// revisited: theory and computation", EJOR 90; Kolisch and Hartmann (1999), "Heuristic
/// algorithms for the resource-constrained project scheduling problem: classification and
/// computational analysis"; Topcuoglu, Hariri and Wu (2002), "Performance-effective and
/// low-complexity task scheduling for heterogeneous computing" (HEFT); Valls, Ballestín and
/// Quintanilla (2005), "Justification and RCPSP: a technique that pays", EJOR 165; Kolisch
/// and Drexl (1996), "Adaptive search for solving hard project scheduling problems"; the
/// Kubernetes scheduler's scoring plugins (`NodeResourcesFit` strategies `MostAllocated` and
/// `LeastAllocated`, `NodeResourcesBalancedAllocation`, `percentageOfNodesToScore`).
///
/// # Options and counters
/// Of [`SolveOptions`], the portfolio honours all four: the time limit and cancellation flag
/// (checked before each pass after the first), the seed (random rule and sampling passes)
/// and `threads` (its passes run on a rayon pool of that size; 0: rayon's global pool). A
/// single combination runs one pass on the calling thread: only the seed applies (to
/// [`Rule::Random`]). Counter: `schedules` (schedules generated, justification passes
/// included).
///
/// # Guarantee
/// Heuristic: every schedule is feasible by construction (and verified in every test), never
/// below the lower bound; `Optimal` only when the makespan meets the proven lower bound.
/// Same problem, options and seed → same schedule, whatever the thread count. The time
/// limit and cancellation flag are checked before each pass after the first (a pass itself
/// is not interrupted: one pass on a million tasks takes one to two seconds).
///
/// **Time rules**: every pass places fixed tasks first and respects release dates, `now` and
/// downtime by construction; deadlines are met whenever some pass meets them all (the
/// lateness-first choice above). Double justification is off under time rules: its backward
/// pass does not know them.
///
/// ```
/// use dagplan::{Greedy, Policy, Rule, Scheduler, Scheme, SolveOptions};
/// let problem = dagplan::example::five_tasks()?;
/// let best = Greedy::default().schedule(&problem)?;
/// assert_eq!(best.makespan(), 70);
/// let fast = Greedy::new(SolveOptions::default().seed(7))
///     .single(Rule::UpwardRank, Policy::EarliestFinish, Scheme::Serial)
///     .schedule(&problem)?;
/// assert!(fast.schedule.verify(&problem).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// The default portfolio with these options.
    pub fn new(options: SolveOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// Runs exactly this one combination (one pass, no improvement): the fastest setting. The
    /// portfolio's settings ([`samples`](Self::samples), [`justification`](Self::justification))
    /// then do not apply.
    pub fn single(mut self, rule: Rule, policy: Policy, scheme: Scheme) -> Self {
        self.mode = Mode::Single(Combination::new(rule, policy, scheme));
        self
    }

    /// The options it was built with.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }

    /// Sets the number of biased random sampling passes of the portfolio (default:
    /// `min(300, 30,000 / tasks)`, so 300 up to 100 tasks, 30 at 1,000, none above 10,000).
    /// Portfolio only: after [`single`](Self::single) it does not apply.
    pub fn samples(mut self, samples: usize) -> Self {
        if let Mode::Portfolio { samples: s, .. } = &mut self.mode {
            *s = Some(samples);
        }
        self
    }

    /// Turns double justification of the portfolio's passes on or off (default on; never
    /// applied above 20,000 tasks). Portfolio only: after [`single`](Self::single) it does
    /// not apply.
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

    fn solve<'p>(
        &self,
        problem: &'p Problem,
        deadline: &Deadline,
        incumbent: &Incumbent,
    ) -> Result<(Vec<Assignment>, u64), SolveError> {
        let seed = self.options.seed;
        let prefer = self.options.preferred();
        let members = self.members(problem);
        // Justification runs backward passes, which do not know the time rules.
        let justify = matches!(self.mode, Mode::Portfolio { justify: true, .. })
            && problem.task_count() <= MEDIUM
            && !problem.has_time_rules();
        let samples = self.sample_count(problem);
        let jobs = members.len() + samples;
        // Plans compare by (total lateness, makespan, job): one that meets every deadline
        // beats one that misses any, however short.
        type Plan = (Time, u64, usize, Vec<Assignment>);
        let run = |decoder: &mut Option<Decoder<'p>>, job: usize| -> Result<Option<Plan>, SolveError> {
            if job > 0 && deadline.reached() {
                return Ok(None);
            }
            let plan = match members.get(job) {
                Some(c) if !justify => c.assignments(problem, seed, prefer)?,
                Some(c) => {
                    let decoder = decoder.get_or_insert_with(|| Decoder::new(problem));
                    decoder.adopt(c.assignments(problem, seed, prefer)?)?;
                    decoder.justify()?;
                    decoder.take_schedule()
                }
                None => {
                    let i = (job - members.len()) as u64;
                    let rule = if i.is_multiple_of(2) { Rule::LatestFinish } else { Rule::UpwardRank };
                    let keys = priorities(problem, rule, seed);
                    let mut rng = SplitMix64::new(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    let list = sampled_list(problem, &keys, &mut rng, 1.0)?;
                    let decoder = decoder.get_or_insert_with(|| Decoder::new(problem));
                    decoder.decode(&list, None, Policy::EarliestFinish)?;
                    if justify {
                        decoder.justify()?;
                    }
                    decoder.take_schedule()
                }
            };
            let makespan = plan.iter().map(|a| a.finish).max().unwrap_or(0);
            // With time rules only the final answer, checked by `Solution::new`, is offered.
            if !problem.has_time_rules() {
                incumbent.offer_schedule("greedy", makespan, || Schedule::new(plan.clone()));
            }
            Ok(Some((lateness(problem, &plan), makespan, job, plan)))
        };
        let best = if jobs == 1 {
            run(&mut None, 0)? // a single pass runs on the calling thread
        } else {
            (0..jobs)
                .into_par_iter()
                .map_init(|| None, run)
                .filter_map(Result::transpose)
                .try_reduce_with(|a, b| Ok(if (a.0, a.1, a.2) <= (b.0, b.1, b.2) { a } else { b }))
                .transpose()?
        };
        let generated = jobs as u64 * if justify { 3 } else { 1 };
        let plan = best.map(|(.., plan)| plan).ok_or_else(|| SolveError::Internal("greedy ran no pass".into()))?;
        Ok((plan, generated))
    }

    /// [`Greedy::solve`] on the pool of `threads` (a single combination on the calling thread).
    fn planned(
        &self,
        problem: &Problem,
        deadline: &Deadline,
        incumbent: &Incumbent,
    ) -> Result<(Vec<Assignment>, u64), SolveError> {
        match self.options.threads {
            _ if matches!(self.mode, Mode::Single(_)) => self.solve(problem, deadline, incumbent),
            0 => self.solve(problem, deadline, incumbent),
            k => match rayon::ThreadPoolBuilder::new().num_threads(k).build() {
                Ok(pool) => pool.install(|| self.solve(problem, deadline, incumbent)),
                Err(_) => self.solve(problem, deadline, incumbent),
            },
        }
    }

    /// The portfolio's best plan (indexed by task id) and the schedules it generated, whether
    /// or not it meets every deadline: the least late one when none does (what `search`
    /// starts from then; [`Scheduler::schedule`] answers
    /// [`SolveError::DeadlinesMissed`] for it instead).
    pub(crate) fn least_late(&self, problem: &Problem) -> Result<(Vec<Assignment>, u64), SolveError> {
        let (options, incumbent) = self.options.reporting(problem);
        self.planned(problem, &options.deadline(), &incumbent)
    }
}

impl Scheduler for Greedy {
    fn name(&self) -> &'static str {
        "greedy"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let (options, incumbent) = self.options.reporting(problem);
        let planned = self.planned(problem, &options.deadline(), &incumbent);
        let answer = planned.and_then(|(plan, generated)| {
            Solution::new(problem, Schedule::new(plan), 0, started, vec![("schedules", generated)])
        });
        let solution = self.options.conclude(problem, &incumbent, answer, started)?;
        incumbent.offer_solution(self.name(), &solution);
        Ok(solution)
    }
}
