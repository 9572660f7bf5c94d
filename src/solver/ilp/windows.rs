//! Time windows for the time-indexed model, narrowed by constraint propagation before the
//! model is built (a sound presolve: every schedule of makespan ≤ the horizon keeps each task
//! inside its window and each inferred order).
//!
//! Each task gets an earliest start `es` and a latest finish `lf`. Three rules run to a fixed
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
//!   on top of the others' compulsory load exceeds the capacity.
//!
//! References: Baptiste, Le Pape and Nuijten, *Constraint-Based Scheduling* (2001), ch. 2–3
//! (time-tabling, disjunctive reasoning); Demassey, Artigues and Michelon, "Constraint-
//! propagation-based cutting planes: an application to the resource-constrained project
//! scheduling problem", INFORMS J. Computing 17 (2005), for propagation as a presolve of the
//! time-indexed model.
//!
//! **Proofs stay HiGHS's**: when a round empties some window (no schedule fits the horizon),
//! propagation returns the windows of the round before, so HiGHS, not this presolve, proves the
//! model infeasible. **Cost**: O(rounds · (E + P + N·R·H)) for E dependencies, P clashing
//! pinned pairs, N tasks, R dimensions and horizon H; at most [`MAX_ROUNDS`] rounds, and the
//! pairwise rule only when a node has at most [`MAX_PAIRWISE`] pinned tasks.

use crate::graph::{Cpm, unavoidable_delay};
use crate::model::{NodeId, Problem, TaskId, Time};

/// Round limit of the fixed-point loop.
pub(crate) const MAX_ROUNDS: usize = 200;
/// Largest number of pinned tasks on one node for the pairwise (disjunction) rule.
pub(crate) const MAX_PAIRWISE: usize = 500;

/// Whether two tasks cannot run side by side on `node`: in some dimension their demands
/// together exceed its capacity.
pub(crate) fn clash(problem: &Problem, node: NodeId, a: TaskId, b: TaskId) -> bool {
    problem
        .demand(a)
        .iter()
        .zip(problem.demand(b))
        .zip(problem.capacity(node))
        .any(|((&x, &y), &c)| x.saturating_add(y) > c)
}

/// An order between two tasks: `before` finishes (on the same node) before `after` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Order {
    pub before: TaskId,
    pub after: TaskId,
}

/// Windows of every task for makespans up to a horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Windows {
    earliest_start: Vec<Time>,
    latest_finish: Vec<Time>,
    /// Per task, the shortest chain after it (its CPM tail without itself).
    after: Vec<Time>,
    /// Orders inferred by the disjunction rule, in the order found.
    pub orders: Vec<Order>,
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
        self.earliest_start.get(task.index()).copied().unwrap_or(0)
    }

    /// Latest finish of a task.
    pub fn latest_finish(&self, task: TaskId) -> Time {
        self.latest_finish.get(task.index()).copied().unwrap_or(0)
    }

    /// The shortest chain of work after a task: no schedule ends before its finish plus this.
    pub fn after(&self, task: TaskId) -> Time {
        self.after.get(task.index()).copied().unwrap_or(0)
    }

    /// Windows for makespans up to `horizon` (which must be at least the CPM length). When
    /// the CPM windows alone span more than `max_columns` start times, they are returned
    /// unpropagated: no model that large is built.
    pub fn propagate(problem: &Problem, horizon: Time, max_columns: usize) -> Self {
        let cpm = Cpm::with_deadline(problem, horizon);
        let windows = Self {
            earliest_start: problem.tasks().map(|t| cpm.earliest_start(t)).collect(),
            latest_finish: problem.tasks().map(|t| cpm.latest_finish(t)).collect(),
            after: problem.tasks().map(|t| cpm.deadline().saturating_sub(cpm.latest_finish(t))).collect(),
            orders: Vec::new(),
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
        let mut state = Propagation::new(problem, windows);
        for _ in 0..MAX_ROUNDS {
            let before = state.windows.clone();
            let changed = state.round();
            if !state.consistent() {
                return before;
            }
            if !changed {
                break;
            }
        }
        state.windows
    }
}

/// The working state of [`Windows::propagate`].
struct Propagation<'a> {
    problem: &'a Problem,
    windows: Windows,
    duration: Vec<Time>,
    /// The node and duration of tasks that can run on one node only.
    pinned: Vec<Option<(NodeId, Time)>>,
    arcs: Vec<Link>,
    /// The pairs of tasks pinned to the same node (lower id first) that cannot run side by side.
    clashes: Vec<(TaskId, TaskId)>,
    ordered: std::collections::BTreeSet<(TaskId, TaskId)>,
}

impl<'a> Propagation<'a> {
    fn new(problem: &'a Problem, windows: Windows) -> Self {
        let duration: Vec<Time> = problem.tasks().map(|t| problem.min_duration(t)).collect();
        let pinned: Vec<Option<(NodeId, Time)>> = problem
            .tasks()
            .map(|t| {
                let mut options = problem.options(t);
                match (options.next(), options.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            })
            .collect();
        let pin = |t: TaskId| pinned.get(t.index()).copied().flatten();
        let mut arcs = Vec::new();
        for &t in problem.topological_order() {
            for &e in problem.successors(t) {
                let gap = match (pin(t), pin(e.task)) {
                    (Some((a, _)), Some((b, _))) if a != b => e.delay,
                    (Some(_), Some(_)) => 0,
                    _ => unavoidable_delay(problem, t, e),
                };
                arcs.push(Link { from: t, to: e.task, gap });
            }
        }
        let ordered = arcs.iter().map(|a| (a.from, a.to)).collect();
        let mut clashes = Vec::new();
        for node in problem.nodes() {
            let here: Vec<TaskId> =
                problem.tasks().filter(|&t| matches!(pin(t), Some((n, d)) if n == node && d > 0)).collect();
            if here.len() > MAX_PAIRWISE {
                continue;
            }
            for (k, &a) in here.iter().enumerate() {
                clashes.extend(here.iter().skip(k + 1).filter(|&&b| clash(problem, node, a, b)).map(|&b| (a, b)));
            }
        }
        Self { problem, windows, duration, pinned, arcs, clashes, ordered }
    }

    fn es(&self, t: TaskId) -> Time {
        self.windows.earliest_start(t)
    }

    fn lf(&self, t: TaskId) -> Time {
        self.windows.latest_finish(t)
    }

    fn d(&self, t: TaskId) -> Time {
        self.duration.get(t.index()).copied().unwrap_or(0)
    }

    fn raise_es(&mut self, t: TaskId, to: Time) -> bool {
        match self.windows.earliest_start.get_mut(t.index()) {
            Some(es) if *es < to => {
                *es = to;
                true
            }
            _ => false,
        }
    }

    fn lower_lf(&mut self, t: TaskId, to: Time) -> bool {
        match self.windows.latest_finish.get_mut(t.index()) {
            Some(lf) if *lf > to => {
                *lf = to;
                true
            }
            _ => false,
        }
    }

    /// Whether every task still has a start in its window.
    fn consistent(&self) -> bool {
        self.problem.tasks().all(|t| self.es(t).saturating_add(self.d(t)) <= self.lf(t))
    }

    /// One round of all rules; whether anything changed.
    fn round(&mut self) -> bool {
        let mut changed = self.precedence();
        changed |= self.disjunction();
        changed |= self.time_table();
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

    fn disjunction(&mut self) -> bool {
        let mut changed = false;
        for k in 0..self.clashes.len() {
            let Some(&(a, b)) = self.clashes.get(k) else { continue };
            if self.ordered.contains(&(a, b)) || self.ordered.contains(&(b, a)) {
                continue;
            }
            let (before, after) = match (self.can_precede(a, b), self.can_precede(b, a)) {
                // Both orders open, or neither fits (then no schedule meets the horizon: HiGHS proves it).
                (true, true) | (false, false) => continue,
                (true, false) => (a, b),
                (false, true) => (b, a),
            };
            self.ordered.insert((before, after));
            self.arcs.push(Link { from: before, to: after, gap: 0 });
            self.windows.orders.push(Order { before, after });
            changed = true;
        }
        changed
    }

    fn time_table(&mut self) -> bool {
        let mut changed = false;
        let problem = self.problem;
        for node in problem.nodes() {
            let here: Vec<TaskId> = problem
                .tasks()
                .filter(
                    |&t| matches!(self.pinned.get(t.index()).copied().flatten(), Some((n, d)) if n == node && d > 0),
                )
                .collect();
            for (r, &cap) in problem.capacity(node).iter().enumerate() {
                let demand = |t: TaskId| problem.demand(t).get(r).copied().unwrap_or(0);
                let users: Vec<TaskId> = here.iter().copied().filter(|&t| demand(t) > 0).collect();
                // The compulsory load over `[from, to)`, the span of the compulsory parts.
                let parts: Vec<(Time, Time)> = users.iter().map(|&t| self.compulsory(t)).collect();
                let Some(from) = parts.iter().filter(|p| p.0 < p.1).map(|p| p.0).min() else { continue };
                let to = parts.iter().map(|p| p.1).max().unwrap_or(from);
                let mut load = vec![0u64; usize::try_from(to - from).unwrap_or(0)];
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
    use crate::generate::{Generator, SplitMix64};
    use crate::schedule::Schedule;
    use crate::solver::{Dp, Scheduler, serial_schedule};

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
            out.push(serial_schedule(problem, &priority));
        }
        for schedule in &out {
            schedule.verify(problem).unwrap();
        }
        out
    }

    #[test]
    fn propagation_keeps_every_schedule_within_its_horizon() {
        let (mut orders, mut narrowed) = (0, 0);
        for seed in 0..150 {
            let problem = instance(seed);
            let cpm = Cpm::analyze(&problem);
            for schedule in schedules(&problem, seed) {
                let horizon = schedule.makespan();
                let windows = Windows::propagate(&problem, horizon, usize::MAX);
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
            }
        }
        // The test is not vacuous: the rules fired.
        assert!(orders > 0 && narrowed > 0, "orders {orders}, narrowed {narrowed}");
    }

    #[test]
    fn an_impossible_horizon_leaves_the_proof_to_the_solver() {
        // Two tasks that cannot share the node, 3 ticks each: no schedule ends by 5. The
        // windows stay non-empty (the round that would empty one is undone).
        let problem = crate::ProblemSpec::new()
            .node(crate::NodeSpec::new("n").capacity("cpu", 1))
            .task(crate::TaskSpec::new("a", 3).demand("cpu", 1))
            .task(crate::TaskSpec::new("b", 3).demand("cpu", 1))
            .build()
            .unwrap();
        let windows = Windows::propagate(&problem, 5, usize::MAX);
        for t in problem.tasks() {
            assert!(windows.earliest_start(t) + 3 <= windows.latest_finish(t));
        }
    }
}
