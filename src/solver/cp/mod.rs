//! `cp`: the constraint-programming solver [`Cp`] on Pumpkin (algorithm, model, complexity,
//! sources and guarantee are on the type): the model (`model.rs`), the two-phase optimisation
//! loop (`search.rs`) and the search strategy (`brancher.rs`).

mod brancher;
mod model;
mod search;

use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use pumpkin_conflict_resolvers::resolvers::{AnalysisMode, ResolutionResolver};
use pumpkin_core::Solver;
use pumpkin_core::options::{LearningOptions, RestartOptions, SequenceGeneratorType, SolverOptions};
use pumpkin_core::rand::SeedableRng;
use pumpkin_core::rand::rngs::SmallRng;

use super::exact::{Start, solve_exact};
use super::list::Decoder;
use super::shared::Incumbent;
use super::{Deadline, Scheduler, Solution, SolveError, SolveOptions};
use crate::bounds::lower_bound;
use crate::model::{Problem, Time};
use crate::schedule::Schedule;
use brancher::Guided;
use model::Model;
use search::Search;

/// `cp`: constraint programming with lazy clause generation on Pumpkin — exact, with a
/// proven lower bound whenever it stops early.
///
/// # Algorithm
///
/// The problem becomes a constraint model over the schedules *shorter than the best one
/// known* (the greedy portfolio's, or [`Cp::upper_bound`]), solved by Pumpkin, a lazy clause
/// generation solver: propagators explain every domain change, so each conflict yields a
/// nogood (1UIP, minimised) that prunes the rest of the search, and restarts let the learned
/// nogoods and VSIDS activities redirect it. On this model that closes the resource-tight
/// RCPSP instances that the time-indexed LP bound of `ilp` and the state enumeration of `dp`
/// leave open (Schutt, Feydy, Stuckey and Wallace, "Explaining the cumulative propagator",
/// *Constraints* 16, 2011, and "Solving RCPSP/max by lazy clause generation", *J.
/// Scheduling* 16, 2013; Ohrimenko, Stuckey and Codish, "Propagation via lazy clause
/// generation", *Constraints* 14, 2009).
///
/// Two phases alternate on one solver, in slices of solver iterations that double each
/// round (the lower phase's a third of the upper's; with a time limit the upper phase's turn
/// takes at most three quarters of the time left, so that the lower phase keeps its share of
/// the round the deadline cuts): the *upper* phase asks for a schedule
/// shorter than the incumbent (each one found is improved by double justification, Valls,
/// Ballestín and Quintanilla 2005, becomes the search's phase when that shortened it, and
/// tightens the model), the *lower* phase asks, under an assumption, for one of makespan at
/// most the proven bound, and each refutation raises the bound by one tick (destructive lower
/// bounding). Pumpkin's own optimisation loop is the upper phase alone and leaves the bound
/// where it started when time runs out; with both, the bound keeps rising on the instances
/// that are not closed. Search: VSIDS with solution-guided phases seeded by the best schedule
/// known (Demirović, Chu and Stuckey, CP 2018), Luby restarts, a tier of at most 2,000
/// high-LBD nogoods, then tasks by earliest start.
///
/// # Model
///
/// A start `S_j` per task within its critical-path window, a node variable for tasks with
/// several eligible nodes (one literal per option), per-node durations through a finish
/// `E_j` bounded below under each option's literal, precedence `E_a ≤ S_b` with the transfer
/// delay half-reified on the two tasks' nodes (paid only across nodes), one cumulative per
/// node and dimension (a multi-node task takes part through a start that is parked beyond
/// the horizon when it runs elsewhere, since Pumpkin's cumulative has no optional tasks),
/// disjunctives (edge finding) over cliques of pinned tasks that pairwise clash on a node,
/// an order literal per pair of tasks of a unary node (one clique holds all of its tasks, as
/// on a job shop's machines: `[a before b]`, each way implying the precedence; Siala,
/// Artigues and Hebrard, "Two clause learning approaches for disjunctive scheduling", CP
/// 2015), and a makespan `M ≥ E_j` within `[lower bound, horizon]`. The crate's
/// [`lower_bound`](crate::lower_bound) and the [`Cpm`](crate::Cpm) windows are variable
/// bounds.
///
/// Time rules: release dates, the plan start (`now`) and deadlines narrow the windows
/// (the critical-path windows include them), a fixed task has its start fixed on its node,
/// and each downtime window of a node is a clause per task that may run there ("not on this
/// node, or finished by the window's start, or started after its end"; a task of zero
/// duration counts as one tick). When no heuristic schedule meets the deadlines, the search
/// starts without an upper bound, over makespans up to [`Problem::horizon`], and exhausting
/// it proves [`Status::Infeasible`](crate::Status::Infeasible).
///
/// # Complexity
///
/// The model has O(n·m + p) variables and O(e·m + n·m·(1 + w) + m·r + p) constraints (n
/// tasks, e dependencies, m eligible nodes per task, w downtime windows per node, r
/// dimensions, p ≤ 20,000 order literals); a time-table propagation costs O(k log k) for the
/// k tasks of a cumulative. Solving is NP-hard: the search is exponential in the worst case;
/// the time limit and the cancel flag bound it. Times are `i32` in the model: an instance
/// whose horizon, durations, demands or capacities do not fit is refused with
/// [`SolveError::TooLarge`].
///
/// # Guarantee
///
/// Exact: [`Status::Optimal`](crate::Status::Optimal) only when the proven bound meets the
/// makespan; on a timeout or cancellation, the best schedule with the bound proven so far.
/// Every schedule is checked by [`Schedule::verify`](crate::Schedule::verify) before it is
/// taken. Pumpkin runs on a thread of its own (its solver is not `Send`), which has ended
/// when [`Scheduler::schedule`] returns; a panic inside Pumpkin becomes
/// [`SolveError::Backend`]. Deterministic for a seed when no time limit is set.
///
/// Inside the [`Auto`](crate::Auto) portfolio, `cp` starts from the portfolio's best schedule,
/// offers every schedule it finds and every bound it proves, takes the better schedules and
/// bounds the other members find into its model as they come (interrupting Pumpkin's current
/// call to do so), and stops once the portfolio's schedule is proven optimal.
///
/// Options honoured: `time_limit`, `cancel`, `seed` (Pumpkin's random choices and the greedy
/// start), `on_progress` (every schedule and bound it improves); `threads` only for the greedy
/// start (Pumpkin searches on one thread). Counters:
/// `schedules` (improving schedules found), `justified` (of those, the ones double
/// justification shortened), `bound_proofs` (bound raises by refutation),
/// `iterations` (Pumpkin's decisions and conflicts), `cumulatives`, `disjunctives`, `orders`,
/// `reified` (half-reified constraints), `downtime_clauses`, `model_milliseconds`.
///
/// ```
/// use dagplan::{Cp, Scheduler, Status};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Cp::default().schedule(&problem)?;
/// assert_eq!(solution.makespan(), 70);
/// assert_eq!(solution.status, Status::Optimal);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cp {
    options: SolveOptions,
    upper_bound: Option<Time>,
    lower_bound: Time,
}

impl Cp {
    /// A solver with these options (time limit, cancellation and seed; Pumpkin searches on
    /// one thread).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// The options.
    pub fn options(&self) -> &SolveOptions {
        &self.options
    }

    /// A makespan known to be reachable (for instance by another solver's schedule): only
    /// schedules shorter than it are sought. Refuting them proves it a lower bound; the
    /// schedule returned is still the best one `cp` found itself.
    pub fn upper_bound(mut self, makespan: Time) -> Self {
        self.upper_bound = Some(makespan);
        self
    }

    /// A lower bound proven elsewhere (trusted: a wrong one makes the answer wrong, and a
    /// schedule shorter than it is reported as [`SolveError::Internal`]).
    pub fn lower_bound(mut self, bound: Time) -> Self {
        self.lower_bound = bound;
        self
    }
}

impl Scheduler for Cp {
    fn name(&self) -> &'static str {
        "cp"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        solve_exact(self.name(), problem, &self.options, IDLE, |start| self.solve(problem, start))
    }
}

impl Cp {
    /// The search from `start` (see [`solve_exact`]). Without a heuristic schedule (it missed
    /// a deadline) the search starts without an upper bound, and exhausting it proves that
    /// none exists.
    fn solve(&self, problem: &Problem, start: Start) -> Result<Solution, SolveError> {
        let Start { incumbent, started, deadline, heuristic } = start;
        let heuristic = heuristic.map(|h| h.schedule);
        let lower = lower_bound(problem).max(self.lower_bound).max(incumbent.lower());
        // The model admits the makespans below `target`: below the best known, or, without a
        // schedule, every makespan of a left-justified schedule.
        let target = match &heuristic {
            Some(h) => self.upper_bound.map_or(h.makespan(), |u| u.min(h.makespan())),
            None => problem.horizon().saturating_add(1),
        };
        if let Some(h) = heuristic.as_ref().filter(|_| target <= lower || deadline.reached()) {
            return Solution::new(problem, h.clone(), lower, started, IDLE.iter().map(|&c| (c, 0)).collect());
        }
        let seed = self.options.seed;
        let outcome = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("dagplan-cp".into())
                .spawn_scoped(scope, || solve(problem, heuristic, lower, target, seed, &deadline, &incumbent))
                .map_err(|e| SolveError::Backend(format!("cannot start the cp thread: {e}")))?;
            worker.join().unwrap_or_else(|panic| Err(backend_panic(panic.as_ref())))
        })?;
        // The model excludes a shorter schedule another member of a portfolio found (so cp
        // cannot find it itself): return it.
        match (incumbent.best_below(outcome.schedule.as_ref().map(Schedule::makespan)), outcome.schedule) {
            (Some(shared), _) => {
                Solution::new(problem, Schedule::clone(&shared), outcome.lower, started, outcome.counters)
            }
            (None, Some(own)) => Solution::new(problem, own, outcome.lower, started, outcome.counters),
            // Every makespan up to the horizon refuted: no schedule meets the time rules.
            (None, None) if outcome.lower >= target => Ok(Solution::infeasible(started, outcome.counters)),
            (None, None) => Err(SolveError::DeadlinesMissed(Vec::new())),
        }
    }
}

/// The counters of an answer found without a search, all 0.
const IDLE: &[&str] = &["schedules", "justified"];

/// A panic inside Pumpkin, as an error.
fn backend_panic(payload: &(dyn Any + Send)) -> SolveError {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    SolveError::Backend(format!("Pumpkin panicked: {message}"))
}

/// Luby restarts every 100 × (1, 1, 2, 1, 1, 2, 4, …) conflicts from the start. Pumpkin's
/// default (Glucose-style restarts, none before 10,000 conflicts, blocked when many values are
/// pruned) hardly ever restarts within a 10-second run, and restarts are what lets the
/// learned nogoods and VSIDS redirect the search (measured on the hard j30 groups: 9 of 15
/// proven against 8 with the same iteration budget).
fn restarts() -> RestartOptions {
    RestartOptions {
        sequence_generator_type: SequenceGeneratorType::Luby,
        base_interval: 100,
        min_num_conflicts_before_first_restart: 0,
        // Restart whenever the sequence says so: no LBD condition, no blocking.
        lbd_coef: 0.0,
        num_assigned_coef: f64::INFINITY,
        ..RestartOptions::default()
    }
}

/// Pumpkin's nogood database, with at most 2,000 nogoods of high literal block distance (LBD ≥
/// 7) kept between clean-ups, the least active dropped first (Pumpkin's default: 20,000, which
/// a 10-second run hardly reaches, so almost none is ever dropped). Propagating nogoods is most
/// of `cp`'s time: proving ft10 from its optimum, 5 seeds alternating in one run, took as many
/// iterations (151,567 against 152,605 in all) at 5,979 a second against 5,063. A tier of 500
/// was faster still on ft10 (6,749) but proved one instance fewer of the hard j30 groups in
/// `auto` (BENCHMARKS.md, `cp`, session 10).
fn learning() -> LearningOptions {
    LearningOptions { max_num_high_lbd_nogoods: 2_000, ..LearningOptions::default() }
}

/// What the solver thread returns.
struct Outcome {
    /// The best schedule (none: none found, nor given).
    schedule: Option<Schedule>,
    lower: Time,
    counters: Vec<(&'static str, u64)>,
}

/// Builds the model of the schedules shorter than `target` and runs the search (on the
/// calling thread: the solver never leaves it).
fn solve(
    problem: &Problem,
    own: Option<Schedule>,
    lower: Time,
    target: Time,
    seed: u64,
    deadline: &Deadline,
    incumbent: &Incumbent,
) -> Result<Outcome, SolveError> {
    let built = Instant::now();
    let solver_options = SolverOptions {
        random_generator: SmallRng::seed_from_u64(seed),
        restart_options: restarts(),
        learning_options: learning(),
        ..SolverOptions::default()
    };
    let mut solver = Solver::with_options(solver_options);
    // The brancher's marker, created before the model (see `Model::build`).
    let marker = solver.new_literal();
    let Some(model) = Model::build(&mut solver, problem, lower, target - 1)? else {
        // Some task has no start in the windows: nothing shorter than `target` exists.
        if own.is_some() {
            incumbent.offer_bound("cp", target);
        }
        return Ok(Outcome { schedule: own, lower: target, counters: Vec::new() });
    };
    let model_ms = built.elapsed().as_millis() as u64;
    let tasks = model
        .tasks
        .iter()
        .map(|v| {
            let node = match &v.placement {
                model::Placement::Pinned { .. } => None,
                model::Placement::Chosen { var, .. } => Some(*var),
            };
            (v.start, node)
        })
        .collect();
    let maybe_root = Rc::new(Cell::new(true));
    let mut brancher = Guided::new(tasks, marker, Rc::clone(&maybe_root));
    if let Some(values) = own.as_ref().and_then(|s| model.values_of(problem, s)) {
        brancher.set_phase(&values);
    }
    let mut resolver = ResolutionResolver::new(AnalysisMode::OneUIP, true, true);
    let mut search = Search {
        problem,
        model: &model,
        maybe_root: &maybe_root,
        shared: incumbent,
        best: own,
        target,
        lower,
        iterations: 0,
        schedules: 0,
        justified: 0,
        bound_proofs: 0,
        decoder: Decoder::new(problem),
    };
    search.run(&mut solver, &mut brancher, &mut resolver, deadline)?;
    let counters = vec![
        ("schedules", search.schedules),
        ("justified", search.justified),
        ("bound_proofs", search.bound_proofs),
        ("iterations", search.iterations),
        ("cumulatives", model.cumulatives),
        ("disjunctives", model.disjunctives),
        ("orders", model.orders.len() as u64),
        ("reified", model.reified),
        ("downtime_clauses", model.downtime_clauses),
        ("model_milliseconds", model_ms),
    ];
    Ok(Outcome { lower: search.lower, schedule: search.best, counters })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_the_backend_becomes_an_error() {
        let payload = std::thread::spawn(|| std::panic::panic_any("boom")).join().unwrap_err();
        assert_eq!(backend_panic(payload.as_ref()), SolveError::Backend("Pumpkin panicked: boom".into()));
        let payload = std::thread::spawn(|| std::panic::panic_any(String::from("bang"))).join().unwrap_err();
        assert_eq!(backend_panic(payload.as_ref()), SolveError::Backend("Pumpkin panicked: bang".into()));
    }

    #[test]
    fn values_beyond_32_bits_are_too_large() {
        let mut solver = Solver::default();
        let problem = crate::example::five_tasks().unwrap();
        let err = Model::build(&mut solver, &problem, 70, 1 << 40).err();
        assert!(matches!(err, Some(SolveError::TooLarge(_))), "{err:?}");
        assert!(matches!(model::int(1 << 31, "duration"), Err(SolveError::TooLarge(_))));
        assert_eq!(model::int((1 << 31) - 1, "duration"), Ok(i32::MAX));
    }

    /// One machine with `jobs` one-operation jobs of durations 1, 2, …: every window overlaps
    /// every other below the horizon of their sum.
    fn one_machine(jobs: usize) -> Problem {
        let lines: String = (1..=jobs).map(|d| format!("0 {d}\n")).collect();
        crate::io::parse_problem(&format!("{jobs} 1\n{lines}"), crate::io::Format::JobShop).unwrap()
    }

    #[test]
    fn order_literals_cover_every_open_pair_of_a_unary_node_up_to_their_cap() {
        // 200 tasks: 19,900 pairs, all posted; 201 tasks: 20,100, over the cap, none.
        for (jobs, expected) in [(4, 6), (200, 19_900), (201, 0)] {
            let problem = one_machine(jobs);
            let horizon = (1..=jobs as Time).sum::<Time>();
            let mut solver = Solver::default();
            let model = Model::build(&mut solver, &problem, 0, horizon).unwrap().unwrap();
            assert_eq!((model.orders.len(), model.disjunctives), (expected, 1), "{jobs} jobs");
        }
        // Two jobs crossing two machines (3 then 7 ticks each): below a horizon of 10 each
        // machine's order is fixed by the windows, so no literal is needed; at 20 both pairs
        // are open.
        let problem = crate::io::parse_problem("2 2\n0 3 1 7\n1 3 0 7\n", crate::io::Format::JobShop).unwrap();
        for (horizon, expected) in [(10, 0), (20, 2)] {
            let mut solver = Solver::default();
            let model = Model::build(&mut solver, &problem, 0, horizon).unwrap().unwrap();
            assert_eq!(model.orders.len(), expected, "horizon {horizon}");
        }
    }
}
