//! `search`: the anytime improvement solver [`Search`] (algorithm, complexity, sources and
//! guarantee on the type).

mod control;
mod ga;
mod shop;

use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use self::control::{Budget, Control};
use self::ga::{Fitness, Island, fitness};
use self::shop::Shop;
use self::shop::tabu::Tabu;
use super::heuristic::heuristic_schedule;
use super::list::{Decoder, Rule, priorities};
use super::shared::Incumbent;
use super::{Greedy, Scheduler, Solution, SolveError, SolveOptions, Status};
use crate::bounds::lower_bound;
use crate::model::{Problem, TaskId, Time};
use crate::rng::SplitMix64;
use crate::schedule::{Assignment, Schedule};

/// Schedules each island runs between migrations.
pub const EPOCH: u64 = 3_000;
/// Individuals per island.
const POPULATION: usize = 100;

/// `search`: anytime improvement of the greedy plan until the time limit, a schedule budget
/// or cancellation.
///
/// # Algorithm
/// 1. Run the [`Greedy`](super::Greedy) portfolio (same options; the warm start instead when
///    it is shorter). If its makespan meets the lower bound it is optimal and returned at
///    once. If no greedy plan meets every deadline, start from its least late one.
/// 2. Otherwise improve it on `k` **islands** in parallel (rayon; `k` =
///    [`Search::islands`], by default the thread count), with the method that suits the
///    problem:
///    * **Shops** — every node any task can use is unary (no two of its tasks fit together:
///      job shops, flexible job shops, one machine per node) and no time rule applies:
///      **tabu search** on the
///      disjunctive graph. Moves shift a task to the front or back of its block on a critical
///      path (N7, containing Nowicki and Smutnicki's N5) or, when tasks have a choice of node,
///      move a critical task to another node at its best position (Mastrolilli and
///      Gambardella); moves are ranked by a head/tail estimate, the best non-tabu one is
///      applied and the plan re-timed exactly; islands restart from their best after a stall.
///    * **Everything else** (cumulative resources, RCPSP, multi-node workflows): an
///      **activity-list genetic algorithm**. Each child list is decoded by the serial
///      schedule generation scheme of the crate's list-scheduling engine (each task at its
///      earliest feasible start, on the node where it finishes earliest, so placement and
///      transfer delays are part of every decoding), improved by double justification
///      (forward–backward improvement), and replaced by the start order of the justified
///      schedule. Parents are drawn by binary tournament and recombined by Hartmann's
///      two-point crossover; mutation swaps neighbours that do not depend on each other;
///      parents and children compete for the places, duplicates dropped; a stalled island is
///      rebuilt from its best and freshly sampled lists. Islands start from the greedy plan's
///      start order and lists drawn by regret-based biased random sampling, and pass their
///      best list to the next island (a ring) after each epoch; with a warm start
///      ([`SolveOptions::warm_start`]) its start order seeds every island too.
///
///    **Time rules** (release dates, deadlines, fixed tasks, downtime, `now`; shops with
///    time rules also take the genetic algorithm, the tabu search's disjunctive graph does
///    not know them): the decoder places fixed tasks first and respects releases, `now` and
///    downtime by construction; fitness is lexicographic, (total lateness, makespan), with
///    lateness the sum over tasks with a deadline of how long after it they finish, so the
///    search first looks for a plan that meets every deadline, then for a shorter one. Only
///    plans that meet every deadline count as improvements (reported, shared with a
///    portfolio). Double justification does not run under time rules: its backward pass
///    would have to mirror downtime, fixed tasks and releases around the makespan, which it
///    does not (a child then costs one schedule, not three; a variant whose backward pass
///    only orders the tasks for the forward one measured no better: BENCHMARKS.md, "Search
///    under time rules").
///
///    Islands run in epochs of 3,000 schedules and synchronise in between, so the result
///    does not depend on thread timing.
/// 3. Stop when the makespan meets the lower bound, the time is up, the solve is cancelled,
///    or the schedule budget is spent; return the best schedule of all islands (ties: the
///    lowest island), or the greedy plan if none is better. When no plan met every deadline
///    the answer is [`SolveError::DeadlinesMissed`], naming the tasks the least late plan
///    finishes late ([`Status::Infeasible`] when the critical path method proves the
///    deadlines unmeetable).
///
/// # Complexity
/// Genetic algorithm, per child: O(n + e) for crossover and mutation, three serial passes of
/// the engine (one under time rules) (O(n·(p + c·log c + s·r)) each: see the engine's docs) and an O(n log n) sort;
/// memory O(k·size·n). Tabu search, per iteration: O(n + e) for the critical path and the
/// exact re-timing plus O(b·k·p) for the estimates of b blocks of k tasks; memory O(k·n²)
/// for the tabu memory, so shops above 2,000 tasks go to the genetic algorithm. Figures per
/// decoded schedule are in BENCHMARKS.md.
///
/// # Literature
/// Hartmann (1998), "A competitive genetic algorithm for resource-constrained project
/// scheduling", Naval Research Logistics 45; Nowicki and Smutnicki (1996), "A fast taboo
/// search algorithm for the job shop problem", Management Science 42; Mastrolilli and
/// Gambardella (2000), "Effective neighbourhood functions for the flexible job shop
/// problem", Journal of Scheduling 3; Valls, Ballestín and Quintanilla (2005),
/// "Justification and RCPSP: a technique that pays", EJOR 165; Debels and Vanhoucke (2007),
/// "A decomposition-based genetic algorithm for the resource-constrained project-scheduling
/// problem", Operations Research 55; Kolisch and Hartmann (2006), "Experimental
/// investigation of heuristics for resource-constrained project scheduling: an update",
/// EJOR 174 (schedule counts as the measure of effort).
///
/// # Guarantee
/// Heuristic and anytime: never worse than the greedy portfolio it starts from (that plan
/// stays the incumbent until a better one is found: one that meets every deadline, then a
/// shorter one), every schedule feasible by construction (and verified in every test; under
/// deadlines a plan that misses one is never returned), `Optimal` only when the makespan
/// meets the proven lower bound. **Reproducibility**: with a schedule budget ([`Search::schedules`]) and no time
/// limit, the same problem, seed and island count give the same schedule on any machine.
/// A time limit makes the result depend on the machine's speed and load (how many schedules
/// fit in the time); use the budget for reproducible experiments. Without either, the search
/// stops after a default budget of `min(50,000, 5,000,000 / tasks)` schedules (at least 30).
///
/// **Progress**: the greedy plans, then every schedule shorter than all before it (from any
/// island; under deadlines only schedules that meet them all), reach [`SolveOptions::on_progress`] as they are found, reported as `"search"`
/// (inside [`Auto`](super::Auto) they also tighten the exact members' upper bound at once).
///
/// ```
/// use dagplan::{Scheduler, SolveOptions};
/// use dagplan::Search;
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Search::new(SolveOptions::default().seed(7)).schedules(2_000).schedule(&problem).unwrap();
/// assert_eq!(solution.makespan(), 70);
/// assert!(solution.schedule.verify(&problem).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Search {
    options: SolveOptions,
    schedules: Option<u64>,
    islands: Option<usize>,
}

impl Search {
    /// A search with these options (time limit, seed, threads, cancellation).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, schedules: None, islands: None }
    }

    /// Caps the number of schedules the search builds after the greedy start (a genetic child
    /// costs three: its decoding and the two justification passes, one under time rules,
    /// where justification does not run; a tabu iteration one exact re-timing). With a budget and no time limit the result is reproducible (see the module
    /// docs).
    pub fn schedules(mut self, budget: u64) -> Self {
        self.schedules = Some(budget);
        self
    }

    /// Sets the number of islands (at least 1; default: the thread count). The result for a
    /// seed and budget depends on it, not on the number of threads that run the islands.
    pub fn islands(mut self, islands: usize) -> Self {
        self.islands = Some(islands.max(1));
        self
    }

    /// The schedule budget in force: the one set, else a default when no time limit is set.
    fn budget(&self, problem: &Problem) -> Option<u64> {
        match (self.schedules, self.options.time_limit) {
            (Some(b), _) => Some(b),
            (None, Some(_)) => None,
            (None, None) => {
                let n = problem.task_count().max(1) as u64;
                Some((5_000_000 / n).clamp(30, 50_000))
            }
        }
    }

    fn solve(&self, problem: &Problem, started: Instant) -> Result<Solution, SolveError> {
        let (options, incumbent) = self.options.reporting(problem);
        let answer = self.improve(problem, &options, &incumbent, started);
        let solution = self.options.conclude(problem, &incumbent, answer, started)?;
        incumbent.offer_solution(self.name(), &solution);
        Ok(solution)
    }

    /// The search from the greedy plan (inside a portfolio: from its best plan so far).
    fn improve(
        &self,
        problem: &Problem,
        options: &SolveOptions,
        incumbent: &Arc<Incumbent>,
        started: Instant,
    ) -> Result<Solution, SolveError> {
        let deadline = options.deadline();
        let (start, greedy_schedules) = match heuristic_schedule(problem, options) {
            Ok(greedy) => {
                let schedules = greedy.stats.counters.iter().find(|c| c.0 == "schedules").map_or(0, |c| c.1);
                if greedy.status == Status::Infeasible {
                    // The deadlines are proven unmeetable: nothing to improve.
                    return Ok(Solution::infeasible(started, vec![("schedules", schedules), ("islands", 0)]));
                }
                (greedy.schedule.assignments().to_vec(), schedules)
            }
            // No greedy plan meets every deadline: search from the least late one.
            Err(SolveError::DeadlinesMissed(_)) => Greedy::new(options.clone()).least_late(problem)?,
            Err(e) => return Err(e),
        };
        let start = index_by_task(problem, &start)?;
        let counters = vec![("schedules", greedy_schedules), ("islands", 0)];
        let bound = lower_bound(problem);
        let start_fitness = fitness(problem, &start);
        if start_fitness <= (0, bound) || problem.task_count() < 2 || deadline.reached() {
            return Solution::new(problem, Schedule::new(start), 0, started, counters);
        }
        let k = self.islands.unwrap_or_else(|| rayon::current_num_threads().max(1));
        let budget = self.budget(problem);
        // Alone, the islands stop at the bound on their own (the others finish their epoch), so
        // the result does not depend on which island got there first; inside a portfolio a
        // proof by any member stops them at once.
        let island_deadline = if self.options.shared.is_some() { deadline } else { deadline.unshared() };
        let control = Control::new(island_deadline, Arc::clone(incumbent));
        let mut rng = SplitMix64::new(self.options.seed ^ 0x5EA2_C4ED);
        let found = match Shop::detect(problem) {
            Some(shop) => tabu(&shop, &start, &mut rng, k, budget, &control, bound)?,
            None => {
                // The islands start from the greedy plan's start order, and from the warm
                // start's when it gives a different, usable one.
                let mut seeds = vec![start_order(problem, &start)?];
                if let Some(warm) = options.warm_start.as_deref().and_then(|w| warm_order(problem, w))
                    && !seeds.contains(&warm)
                {
                    seeds.push(warm);
                }
                genetic(problem, &start, seeds, &mut rng, k, budget, &control, bound)?
            }
        };
        let (fitness, best) = found.best.map_or((start_fitness, start), |(f, s)| (f, s));
        if fitness > start_fitness {
            return Err(SolveError::Internal(format!(
                "search returned (lateness, makespan) {fitness:?}, worse than its start {start_fitness:?}"
            )));
        }
        let counters =
            vec![("schedules", greedy_schedules + found.schedules), (found.unit, found.steps), ("islands", k as u64)];
        Solution::new(problem, Schedule::new(best), 0, started, counters)
    }
}

/// What a method found: its best schedule and its fitness if it beat the start, and its
/// effort.
struct Found {
    best: Option<(Fitness, Vec<Assignment>)>,
    schedules: u64,
    unit: &'static str,
    steps: u64,
}

impl Found {
    /// The best of `islands` (ties: the lowest island) if it beats `start`.
    fn new<'a>(start: Fitness, islands: impl Iterator<Item = (Fitness, &'a [Assignment])>, unit: &'static str) -> Self {
        let mut best: Option<(Fitness, &[Assignment])> = None;
        for (m, s) in islands {
            if m < start && best.is_none_or(|(b, _)| m < b) {
                best = Some((m, s));
            }
        }
        Self { best: best.map(|(m, s)| (m, s.to_vec())), schedules: 0, unit, steps: 0 }
    }
}

/// The genetic algorithm on `k` islands (see the module docs), each seeded with `seeds`.
#[expect(clippy::too_many_arguments, reason = "the search's state, passed once")]
fn genetic(
    problem: &Problem,
    start: &[Assignment],
    seeds: Vec<Vec<TaskId>>,
    rng: &mut SplitMix64,
    k: usize,
    budget: Option<u64>,
    control: &Control,
    bound: Time,
) -> Result<Found, SolveError> {
    let keys = [priorities(problem, Rule::LatestFinish, 0), priorities(problem, Rule::UpwardRank, 0)];
    let mut islands = (0..k)
        .map(|i| Island::new(problem, &keys, start.to_vec(), rng.split(), POPULATION, Budget::share(budget, i, k)))
        .collect::<Result<Vec<_>, _>>()?;
    islands.par_iter_mut().try_for_each(|island| island.populate(seeds.clone(), control))?;
    loop {
        islands.par_iter_mut().try_for_each(|island| island.evolve(EPOCH, control, bound))?;
        if islands.iter().any(|i| i.reached(bound)) || control.stopped() || islands.iter().all(Island::exhausted) {
            break;
        }
        migrate(&mut islands);
    }
    let mut found = Found::new(fitness(problem, start), islands.iter().map(Island::best), "generations");
    found.schedules = islands.iter().map(|i| i.schedules).sum();
    found.steps = islands.iter().map(|i| i.generations).sum();
    Ok(found)
}

/// The tabu search on `k` independent islands (see the module docs).
fn tabu(
    shop: &Shop<'_>,
    start: &[Assignment],
    rng: &mut SplitMix64,
    k: usize,
    budget: Option<u64>,
    control: &Control,
    bound: Time,
) -> Result<Found, SolveError> {
    let mut islands = (0..k)
        .map(|i| Tabu::new(shop, start, rng.split(), Budget::share(budget, i, k)))
        .collect::<Result<Vec<_>, _>>()?;
    loop {
        islands.par_iter_mut().for_each(|island| island.run(EPOCH, control, bound));
        let best = islands.iter().map(|i| i.best().0).min().unwrap_or(Time::MAX);
        if best <= bound || control.stopped() || islands.iter().all(Tabu::exhausted) {
            break;
        }
    }
    // Shops have no time rules (see `Shop::detect`): every schedule is on time.
    let mut found =
        Found::new(fitness(shop.problem, start), islands.iter().map(|i| ((0, i.best().0), i.best().1)), "iterations");
    found.schedules = islands.iter().map(|i| i.schedules).sum();
    found.steps = islands.iter().map(|i| i.iterations).sum();
    Ok(found)
}

/// Each island's best list goes to the next island (a ring).
fn migrate(islands: &mut [Island<'_>]) {
    let k = islands.len();
    if k < 2 {
        return;
    }
    let champions: Vec<_> = islands.iter().map(|i| i.champion().cloned()).collect();
    for (i, champion) in champions.into_iter().enumerate() {
        if let (Some(c), Some(next)) = (champion, islands.get_mut((i + 1) % k)) {
            next.welcome(c);
        }
    }
}

/// `schedule` (complete) indexed by task id; an internal error if a task is missing.
fn index_by_task(problem: &Problem, schedule: &[Assignment]) -> Result<Vec<Assignment>, SolveError> {
    let mut out: Vec<Option<Assignment>> = vec![None; problem.task_count()];
    for a in schedule {
        if let Some(slot) = out.get_mut(a.task.index()) {
            *slot = Some(*a);
        }
    }
    out.into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| SolveError::Internal("the greedy start left a task unplaced".into()))
}

/// The start order of the greedy plan: every island's first individual.
fn start_order(problem: &Problem, start: &[Assignment]) -> Result<Vec<TaskId>, SolveError> {
    let mut decoder = Decoder::new(problem);
    decoder.adopt(start.to_vec())?;
    let mut list = Vec::new();
    decoder.start_order(&mut list);
    Ok(list)
}

/// The start order of the warm start ([`SolveOptions::warm_start`]) when it places every task
/// once and lists each task after its predecessors (it need not verify: a plan that misses a
/// deadline or uses a node that is now down still gives a good order); else `None`.
fn warm_order(problem: &Problem, warm: &Schedule) -> Option<Vec<TaskId>> {
    let assignments = warm.assignments();
    if assignments.len() != problem.task_count() {
        return None;
    }
    let list = start_order(problem, &index_by_task(problem, assignments).ok()?).ok()?;
    let mut position = vec![0usize; problem.task_count()];
    for (i, t) in list.iter().enumerate() {
        *position.get_mut(t.index())? = i;
    }
    let feasible = problem
        .tasks()
        .all(|t| problem.predecessors(t).iter().all(|e| position.get(e.task.index()) < position.get(t.index())));
    feasible.then_some(list)
}

impl Scheduler for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        match self.options.threads {
            0 => self.solve(problem, started),
            k => match rayon::ThreadPoolBuilder::new().num_threads(k).build() {
                Ok(pool) => pool.install(|| self.solve(problem, started)),
                Err(_) => self.solve(problem, started),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::example::five_tasks;

    #[test]
    fn a_warm_start_seeds_only_when_complete_and_in_dependency_order() {
        let problem = five_tasks().unwrap();
        let plan = Greedy::default().schedule(&problem).unwrap().schedule;
        let order = warm_order(&problem, &plan).unwrap();
        assert_eq!(order.len(), problem.task_count());
        let mut missing = plan.assignments().to_vec();
        missing.pop();
        assert_eq!(warm_order(&problem, &Schedule::new(missing)), None);
        // Every task starting at 0: ties go by topological order, still feasible.
        let flat: Vec<Assignment> = plan.assignments().iter().map(|a| Assignment { start: 0, ..*a }).collect();
        assert!(warm_order(&problem, &Schedule::new(flat)).is_some());
        // A successor starting before its predecessor breaks the order.
        let (first, last) = (problem.topological_order()[0], *problem.topological_order().last().unwrap());
        let backwards: Vec<Assignment> = plan
            .assignments()
            .iter()
            .map(|a| {
                if a.task == last {
                    Assignment { start: 0, ..*a }
                } else if a.task == first {
                    Assignment { start: 1_000, ..*a }
                } else {
                    *a
                }
            })
            .collect();
        assert_eq!(warm_order(&problem, &Schedule::new(backwards)), None);
    }
}
