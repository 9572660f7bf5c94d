//! Time windows for the time-indexed model, narrowed by constraint propagation before the
//! model is built (a sound presolve: every schedule of makespan ≤ the horizon keeps each task
//! inside its window and each inferred order).
//!
//! Each task gets an earliest start `es` and a latest finish `lf`. Four rules run to a fixed
//! point:
//!
//! * **precedence**: `es[j] ≥ es[i] + d[i] + δ` and `lf[i] ≤ lf[j] − d[j] − δ` for every
//!   dependency and every inferred order, `d` the shortest duration and `δ` the transfer
//!   delay when it cannot be avoided (both tasks pinned to different nodes, or no common node);
//! * **disjunction** (tasks pinned to one node, each too large to run beside the other):
//!   when `a` cannot finish before `b`'s latest start, `b` precedes `a`, and the order is
//!   recorded for the model's precedence rows;
//! * **time-tabling** (tasks pinned to one node): the compulsory parts `[lf − d, es + d)` of
//!   the tasks build a profile per node and dimension; a task cannot start where its demand
//!   on top of the others' compulsory load exceeds the capacity;
//! * **energetic reasoning** (`energetic.rs`, pinned tasks).
//!
//! Then **shaving** (`shaving.rs`) tests single starts, finishes and orders and removes those
//! the rules refute.
//!
//! References: Baptiste, Le Pape and Nuijten, *Constraint-Based Scheduling* (2001), ch. 2–3
//! (time-tabling, disjunctive and energetic reasoning); Demassey, Artigues and Michelon,
//! "Constraint-propagation-based cutting planes: an application to the resource-constrained
//! project scheduling problem", INFORMS J. Computing 17 (2005), for propagation and shaving as
//! a presolve of the time-indexed model.
//!
//! **Proofs stay HiGHS's**: propagation stops at its first contradiction, and a change that
//! would leave a window without a start is not applied, so every window keeps a start and
//! HiGHS, not this presolve, proves that no schedule fits the horizon. **Cost**: a round is O(E + P + N·R·H + R·N³) for E
//! dependencies, P clashing pinned pairs, N tasks, R dimensions and horizon H, with at most
//! [`MAX_ROUNDS`] rounds per fixed point; the pairwise rule runs only when a node has at most
//! [`MAX_PAIRWISE`] pinned tasks, energetic reasoning only up to [`MAX_ENERGETIC`]; shaving
//! stops after [`SHAVING_WORK`] elementary steps or at its deadline.

mod energetic;
mod shaving;

use super::relations::Order;
use crate::graph::{Cpm, unavoidable_delay};
use crate::model::{PerNode, PerTask, Problem, TaskId, Time};
use crate::solver::Deadline;

/// Round limit of a fixed point.
pub(crate) const MAX_ROUNDS: usize = 200;
/// Largest number of pinned tasks on one node for the pairwise (disjunction) rule.
pub(crate) const MAX_PAIRWISE: usize = 500;
/// Largest number of pinned tasks using one dimension of a node for energetic reasoning.
pub(crate) const MAX_ENERGETIC: usize = 100;
/// Work budget of shaving, in elementary steps (about a second on a 2-vCPU VM).
pub(crate) const SHAVING_WORK: u64 = 1_000_000_000;

/// Windows of every task for makespans up to a horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Windows {
    earliest_start: PerTask<Time>,
    latest_finish: PerTask<Time>,
    /// Per task, the shortest chain after it ([`Cpm::after`]).
    after: PerTask<Time>,
    /// Orders inferred by the disjunction rule and by shaving, in the order found.
    pub orders: Vec<Order>,
    /// Whether propagation met a contradiction: then no schedule fits the horizon, and the
    /// windows are those at that point (HiGHS still has to prove it).
    pub contradiction: bool,
}

/// An edge of the propagation graph: `to` starts at least `gap` after `from` finishes.
#[derive(Debug, Clone, Copy)]
struct Link {
    from: TaskId,
    to: TaskId,
    gap: Time,
}

impl Windows {
    /// Earliest start of a task.
    pub fn earliest_start(&self, task: TaskId) -> Time {
        self.earliest_start[task]
    }

    /// Latest finish of a task.
    pub fn latest_finish(&self, task: TaskId) -> Time {
        self.latest_finish[task]
    }

    /// The shortest chain of work after a task: no schedule ends before its finish plus this.
    pub fn after(&self, task: TaskId) -> Time {
        self.after[task]
    }

    /// Windows for makespans up to `horizon` (which must be at least the CPM length), shaved
    /// until `shaving` (`None`: no shaving). When the CPM windows alone span more than
    /// `max_columns` start times, they are returned unpropagated: no model that large is built.
    pub fn propagate(problem: &Problem, horizon: Time, max_columns: usize, shaving: Option<&Deadline>) -> Self {
        let cpm = Cpm::with_deadline(problem, horizon);
        let windows = Self {
            earliest_start: PerTask::tasks(problem, |t| cpm.earliest_start(t)),
            latest_finish: PerTask::tasks(problem, |t| cpm.latest_finish(t)),
            after: PerTask::tasks(problem, |t| cpm.after(t)),
            orders: Vec::new(),
            contradiction: false,
        };
        let columns = problem
            .tasks()
            .flat_map(|t| problem.options(t).map(move |(_, d)| (t, d)))
            .map(|(t, d)| {
                let last = windows.latest_finish(t).saturating_sub(d);
                u128::from(last.saturating_sub(windows.earliest_start(t))) + 1
            })
            .sum::<u128>();
        if columns > max_columns as u128 {
            return windows;
        }
        let fixed = Fixed::new(problem);
        let mut state = Propagation::new(&fixed, windows);
        if state.fixpoint()
            && let Some(deadline) = shaving
        {
            state.shave(deadline);
        }
        state.windows.contradiction = state.failed;
        state.windows
    }
}

/// What propagation reads and never changes.
struct Fixed<'a> {
    problem: &'a Problem,
    /// Per task, its shortest and longest duration.
    shortest: PerTask<Time>,
    longest: PerTask<Time>,
    /// Per node, the tasks of positive duration that can run there only.
    pinned: PerNode<Vec<TaskId>>,
    /// The dependencies, with the delay each must pay.
    dependencies: Vec<Link>,
    /// The pairs of tasks pinned to the same node (lower id first) that cannot run side by side.
    clashes: Vec<(TaskId, TaskId)>,
    /// Sets of pinned tasks of which no two overlap (for energetic reasoning).
    disjunctive: Vec<Vec<TaskId>>,
}

impl<'a> Fixed<'a> {
    fn new(problem: &'a Problem) -> Self {
        let pin = |t: TaskId| {
            let mut options = problem.options(t);
            match (options.next(), options.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        };
        let pins = PerTask::tasks(problem, pin);
        let pin = |t: TaskId| pins[t];
        let mut dependencies = Vec::new();
        for &t in problem.topological_order() {
            for &e in problem.successors(t) {
                let gap = match (pin(t), pin(e.task)) {
                    (Some((a, _)), Some((b, _))) if a != b => e.delay,
                    (Some(_), Some(_)) => 0,
                    _ => unavoidable_delay(problem, t, e),
                };
                dependencies.push(Link { from: t, to: e.task, gap });
            }
        }
        let pinned: PerNode<Vec<TaskId>> = PerNode::nodes(problem, |node| {
            problem.tasks().filter(|&t| matches!(pin(t), Some((n, d)) if n == node && d > 0)).collect()
        });
        let mut clashes = Vec::new();
        for (node, here) in problem.nodes().zip(pinned.values()) {
            if here.len() > MAX_PAIRWISE {
                continue;
            }
            for (k, &a) in here.iter().enumerate() {
                clashes.extend(here.iter().skip(k + 1).filter(|&&b| problem.clash(node, a, b)).map(|&b| (a, b)));
            }
        }
        let disjunctive = energetic::disjunctive_sets(problem, pinned.values());
        Self {
            problem,
            disjunctive,
            shortest: PerTask::tasks(problem, |t| problem.min_duration(t)),
            longest: PerTask::tasks(problem, |t| {
                problem.options(t).fold(problem.min_duration(t), |l, (_, d)| l.max(d))
            }),
            pinned,
            dependencies,
            clashes,
        }
    }
}

/// The working state of [`Windows::propagate`]; shaving tries changes on copies of it.
#[derive(Clone)]
struct Propagation<'a> {
    fixed: &'a Fixed<'a>,
    windows: Windows,
    /// The dependencies, then the inferred orders.
    arcs: Vec<Link>,
    ordered: std::collections::BTreeSet<(TaskId, TaskId)>,
    /// Elementary steps done so far (shaving's budget).
    work: u64,
    /// Set when a rule finds that no schedule fits the horizon.
    failed: bool,
}

impl<'a> Propagation<'a> {
    fn new(fixed: &'a Fixed<'a>, windows: Windows) -> Self {
        let arcs = fixed.dependencies.clone();
        let ordered = arcs.iter().map(|a| (a.from, a.to)).collect();
        Self { fixed, windows, arcs, ordered, work: 0, failed: false }
    }

    fn es(&self, t: TaskId) -> Time {
        self.windows.earliest_start(t)
    }

    fn lf(&self, t: TaskId) -> Time {
        self.windows.latest_finish(t)
    }

    fn d(&self, t: TaskId) -> Time {
        self.fixed.shortest[t]
    }

    /// Raises a task's earliest start; a raise that would leave no start in the window is not
    /// applied but marks the state failed. Whether the window changed.
    fn raise_es(&mut self, t: TaskId, to: Time) -> bool {
        let room = to.checked_add(self.d(t)).is_some_and(|f| f <= self.lf(t));
        let es = &mut self.windows.earliest_start[t];
        if *es >= to {
            return false;
        }
        if room {
            *es = to;
        } else {
            self.failed = true;
        }
        room
    }

    /// Lowers a task's latest finish, under the same rule as [`Self::raise_es`].
    fn lower_lf(&mut self, t: TaskId, to: Time) -> bool {
        let room = self.es(t).checked_add(self.d(t)).is_some_and(|f| f <= to);
        let lf = &mut self.windows.latest_finish[t];
        if *lf <= to {
            return false;
        }
        if room {
            *lf = to;
        } else {
            self.failed = true;
        }
        room
    }

    /// Runs the rules to a fixed point (or [`MAX_ROUNDS`]), stopping at the first
    /// contradiction; whether there was none.
    fn fixpoint(&mut self) -> bool {
        for _ in 0..MAX_ROUNDS {
            if !self.round() || self.failed {
                break;
            }
        }
        !self.failed
    }

    /// One round of all rules, each run only while no contradiction is found; whether
    /// anything changed.
    fn round(&mut self) -> bool {
        self.work += (self.arcs.len() + self.fixed.clashes.len()) as u64;
        let rules: [fn(&mut Self) -> bool; 4] = [Self::precedence, Self::disjunction, Self::time_table, |s| {
            s.energetic().unwrap_or_else(|| {
                s.failed = true;
                false
            })
        }];
        let mut changed = false;
        for rule in rules {
            if self.failed {
                break;
            }
            changed |= rule(self);
        }
        changed
    }

    fn precedence(&mut self) -> bool {
        let mut changed = false;
        for k in 0..self.arcs.len() {
            let Some(&Link { from, to, gap }) = self.arcs.get(k) else { continue };
            let es = self.es(from).saturating_add(self.d(from)).saturating_add(gap);
            changed |= self.raise_es(to, es);
        }
        for k in (0..self.arcs.len()).rev() {
            let Some(&Link { from, to, gap }) = self.arcs.get(k) else { continue };
            let lf = self.lf(to).saturating_sub(self.d(to)).saturating_sub(gap);
            changed |= self.lower_lf(from, lf);
        }
        changed
    }

    /// Whether `a` can finish before `b` starts within their windows.
    fn can_precede(&self, a: TaskId, b: TaskId) -> bool {
        self.es(a).saturating_add(self.d(a)) <= self.lf(b).saturating_sub(self.d(b))
    }

    /// Whether the two tasks are already ordered, one way or the other.
    fn is_ordered(&self, a: TaskId, b: TaskId) -> bool {
        self.ordered.contains(&(a, b)) || self.ordered.contains(&(b, a))
    }

    fn add_order(&mut self, before: TaskId, after: TaskId) {
        self.ordered.insert((before, after));
        self.arcs.push(Link { from: before, to: after, gap: 0 });
        self.windows.orders.push(Order { before, after });
    }

    fn disjunction(&mut self) -> bool {
        let mut changed = false;
        let fixed = self.fixed;
        for &(a, b) in &fixed.clashes {
            if self.is_ordered(a, b) {
                continue;
            }
            let (before, after) = match (self.can_precede(a, b), self.can_precede(b, a)) {
                (true, true) => continue,
                // Neither order fits: no schedule meets the horizon.
                (false, false) => {
                    self.failed = true;
                    return changed;
                }
                (true, false) => (a, b),
                (false, true) => (b, a),
            };
            self.add_order(before, after);
            changed = true;
        }
        changed
    }

    fn time_table(&mut self) -> bool {
        let mut changed = false;
        let fixed = self.fixed;
        let problem = fixed.problem;
        for (node, here) in problem.nodes().zip(fixed.pinned.values()) {
            for (r, &cap) in problem.capacity(node).iter().enumerate() {
                let demand = |t: TaskId| problem.demand_in(t, r);
                let users: Vec<TaskId> = here.iter().copied().filter(|&t| demand(t) > 0).collect();
                // The compulsory load over `[from, to)`, the span of the compulsory parts.
                let parts: Vec<(Time, Time)> = users.iter().map(|&t| self.compulsory(t)).collect();
                let spans = parts.iter().filter(|p| p.0 < p.1);
                let (Some(from), Some(to)) = (spans.clone().map(|p| p.0).min(), spans.map(|p| p.1).max()) else {
                    continue; // no compulsory part: nothing to propagate
                };
                // A span beyond `usize` (32-bit targets) leaves the load empty: the rule then
                // sees no overload, which is sound, only weaker.
                let mut load = vec![0u64; usize::try_from(to - from).unwrap_or(0)];
                self.work += (load.len() + users.len()) as u64;
                for (&t, &(a, b)) in users.iter().zip(&parts) {
                    for slot in load.iter_mut().take((b.max(from) - from) as usize).skip((a.max(from) - from) as usize)
                    {
                        *slot = slot.saturating_add(demand(t));
                    }
                }
                for (&t, &(own_from, own_to)) in users.iter().zip(&parts) {
                    let (q, d) = (demand(t), self.d(t));
                    let fits = |tau: Time| {
                        let own = if (own_from..own_to).contains(&tau) { q } else { 0 };
                        let at = tau.checked_sub(from).and_then(|i| load.get(i as usize));
                        at.is_none_or(|&l| l.saturating_sub(own).saturating_add(q) <= cap)
                    };
                    // Earliest start: slide right past every overloaded tick.
                    let mut s = self.es(t);
                    let mut tau = s;
                    while tau < s.saturating_add(d) && s.saturating_add(d) <= self.lf(t) {
                        if fits(tau) {
                            tau += 1;
                        } else {
                            s = tau + 1;
                            tau = s;
                        }
                    }
                    // Latest finish: slide left the same way.
                    let mut f = self.lf(t);
                    let mut tau = f;
                    while tau > f.saturating_sub(d) && f >= s.saturating_add(d) {
                        if fits(tau - 1) {
                            tau -= 1;
                        } else {
                            f = tau - 1;
                            tau = f;
                        }
                    }
                    self.work += s.saturating_sub(self.es(t)) + self.lf(t).saturating_sub(f) + 2 * d;
                    changed |= self.raise_es(t, s);
                    changed |= self.lower_lf(t, f);
                }
            }
        }
        changed
    }

    /// The compulsory part `[lf − d, es + d)` of a task (empty when `lf − d ≥ es + d`).
    fn compulsory(&self, t: TaskId) -> (Time, Time) {
        let (from, to) = (self.lf(t).saturating_sub(self.d(t)), self.es(t).saturating_add(self.d(t)));
        if from < to { (from, to) } else { (0, 0) }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::generate::Generator;
    use crate::rng::SplitMix64;
    use crate::schedule::Schedule;
    use crate::solver::list::serial_schedule;
    use crate::solver::{Dp, Scheduler};

    /// A small random instance: one node (RCPSP-like, every task pinned) for even seeds, two
    /// for odd ones, with tight capacities so that propagation has work to do.
    pub(crate) fn instance(seed: u64) -> Problem {
        Generator {
            tasks: 9,
            nodes: 1 + (seed % 2) as usize,
            resources: 2,
            dependencies: 1.0,
            window: 4,
            tightness: 0.9,
            max_duration: 6,
            eligibility: 0.5,
            heterogeneity: 0.3,
            max_delay: 3,
            seed,
        }
        .generate()
        .unwrap()
    }

    /// An optimal schedule and a few list schedules from random priorities, all verified.
    pub(crate) fn schedules(problem: &Problem, seed: u64) -> Vec<Schedule> {
        let mut rng = SplitMix64::new(seed);
        let mut out = vec![Dp::default().schedule(problem).unwrap().schedule];
        for _ in 0..4 {
            let priority: Vec<u64> = problem.tasks().map(|_| rng.next_u64()).collect();
            out.push(serial_schedule(problem, &priority, &[]).unwrap());
        }
        for schedule in &out {
            schedule.verify(problem).unwrap();
        }
        out
    }

    /// The number of start times left by the windows.
    fn width(problem: &Problem, windows: &Windows) -> Time {
        problem.tasks().map(|t| windows.latest_finish(t) - windows.earliest_start(t)).sum()
    }

    #[test]
    fn propagation_keeps_every_schedule_within_its_horizon() {
        let (mut orders, mut narrowed, mut shaved) = (0, 0, 0);
        for seed in 0..150 {
            let problem = instance(seed);
            let cpm = Cpm::analyze(&problem);
            for schedule in schedules(&problem, seed) {
                let horizon = schedule.makespan();
                let windows = Windows::propagate(&problem, horizon, usize::MAX, Some(&Deadline::none()));
                for a in schedule.assignments() {
                    assert!(a.start >= windows.earliest_start(a.task), "seed {seed}: {a:?} starts too early");
                    assert!(a.finish <= windows.latest_finish(a.task), "seed {seed}: {a:?} ends too late");
                    narrowed += usize::from(windows.earliest_start(a.task) > cpm.earliest_start(a.task));
                }
                let at = |t: TaskId| schedule.assignment(t).unwrap();
                for o in &windows.orders {
                    assert!(at(o.before).finish <= at(o.after).start, "seed {seed}: order {o:?} broken");
                }
                orders += windows.orders.len();
                let unshaved = Windows::propagate(&problem, horizon, usize::MAX, None);
                shaved += usize::from(width(&problem, &windows) < width(&problem, &unshaved));
            }
        }
        // The test is not vacuous: the rules and shaving fired.
        assert!(orders > 0 && narrowed > 0 && shaved > 0, "orders {orders}, narrowed {narrowed}, shaved {shaved}");
    }

    #[test]
    fn an_impossible_horizon_leaves_the_proof_to_the_solver() {
        // Two tasks that cannot share the node, 3 ticks each: no schedule ends by 5.
        // Propagation sees it, but every window keeps a start for HiGHS to rule out.
        let problem = crate::ProblemSpec::new()
            .node(crate::NodeSpec::new("n").capacity("cpu", 1))
            .task(crate::TaskSpec::new("a", 3).demand("cpu", 1))
            .task(crate::TaskSpec::new("b", 3).demand("cpu", 1))
            .build()
            .unwrap();
        let windows = Windows::propagate(&problem, 5, usize::MAX, Some(&Deadline::none()));
        assert!(windows.contradiction);
        for t in problem.tasks() {
            assert!(windows.earliest_start(t) + 3 <= windows.latest_finish(t));
        }
        assert!(!Windows::propagate(&problem, 6, usize::MAX, Some(&Deadline::none())).contradiction);
    }
}
