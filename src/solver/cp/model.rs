//! The constraint model of a problem on Pumpkin, and schedules read back from its solutions.
//!
//! Variables (all `i32`, converted with checks; a value out of range is
//! [`SolveError::TooLarge`]):
//! * `S_j`, the start of task `j`, within its CPM window against the horizon `H` (the best
//!   known makespan minus one: the model only admits better schedules);
//! * `N_j`, the node of a task with several options (a sparse domain of node indices), and a
//!   literal `x_jn = [N_j = n]` per option, so "exactly one node" is the domain itself;
//! * `E_j`, its finish: the view `S_j + d` when every option has the same duration `d`, else a
//!   variable with `E_j ≥ S_j + d_min` and the half-reified `x_jn → E_j ≥ S_j + d_jn`;
//! * `s_jn`, the start of a multi-node task *on node n*, for the node's cumulatives: equal to
//!   `S_j` when `x_jn` holds (half-reified equality, which also refutes `x_jn` once the two
//!   domains part), and *parked* at `P_jn > H` otherwise (the clause `x_jn ∨ [s_jn ≥ P_jn]`).
//!   Parking places are laid end to end per node, so parked tasks never overlap each other
//!   nor any task that runs; the cumulative needs no optional tasks;
//! * `M`, the makespan, `E_j ≤ M` for every task without successors, `M ∈ [lower bound, H]`.
//!
//! Constraints: precedence `E_a + δ_unavoidable ≤ S_b` for every dependency, and where the
//! two tasks may share a node, the delay paid across nodes, `x_an → E_a + δ·(1 − x_bn) ≤ S_b`;
//! one cumulative per node and dimension over the tasks that can run there with a positive
//! duration and demand (zero durations are left out: Pumpkin 0.5.0 miscounts them, upstream
//! issue #577), dropped when the demands together fit; a disjunctive (edge finding,
//! Vilím 2008) over every greedy clique of pinned tasks of one node that pairwise clash in
//! some dimension; and on unary nodes (one such clique holds every task: job shop machines)
//! an order literal `o_ab` per pair of tasks whose windows overlap, with `o_ab → E_a ≤ S_b`
//! and `¬o_ab → E_b ≤ S_a`, so that nogoods can speak of the order of two tasks rather than of
//! their start bounds (see [`Model::post_orders`]).

use std::collections::BTreeSet;

use pumpkin_core::Solver;
use pumpkin_core::predicates::PredicateConstructor;
use pumpkin_core::proof::ConstraintTag;
use pumpkin_core::results::ProblemSolution;
use pumpkin_core::variables::{AffineView, DomainId, Literal, TransformableVariable};
use pumpkin_propagators::disjunctive::ArgDisjunctiveTask;

use crate::graph::{Cpm, unavoidable_delay};
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::{Assignment, Schedule};
use crate::solver::SolveError;

/// Where a task runs.
pub(super) enum Placement {
    /// On its only option.
    Pinned { node: NodeId, duration: i32 },
    /// On the node chosen by `var` (values: node indices).
    Chosen { var: DomainId, options: Vec<NodeOption> },
}

/// One node a multi-node task may run on.
pub(super) struct NodeOption {
    pub node: NodeId,
    pub duration: i32,
    /// `[N_j = node]`.
    pub on: Literal,
    /// The start on this node, parked beyond the horizon when the task runs elsewhere (only
    /// for tasks of positive duration, which are the ones in the node's cumulatives).
    pub parked: Option<(DomainId, i32)>,
}

/// The variables of one task.
pub(super) struct TaskVars {
    pub start: DomainId,
    /// The window of `start` as built: earliest and latest start.
    pub window: (Time, Time),
    pub finish: AffineView<DomainId>,
    pub placement: Placement,
}

/// The model built into a [`Solver`].
pub(super) struct Model {
    pub tasks: Vec<TaskVars>,
    pub makespan: DomainId,
    /// Counters: cumulatives, disjunctives, half-reified constraints and downtime clauses
    /// posted.
    pub cumulatives: u64,
    pub disjunctives: u64,
    /// The order literals `[a before b]` of pairs of tasks that can never overlap.
    pub orders: Vec<(Literal, TaskId, TaskId)>,
    pub reified: u64,
    pub downtime_clauses: u64,
}

/// A checked conversion to the model's integers.
pub(super) fn int(value: Time, what: &str) -> Result<i32, SolveError> {
    i32::try_from(value)
        .map_err(|_| SolveError::TooLarge(format!("{what} {value} does not fit the cp solver's 32-bit integers")))
}

impl Model {
    /// Builds the model of the schedules of `problem` with makespan in `[lower, horizon]`
    /// that keep the time rules; `None` when it has no solution already at the root
    /// (`lower > horizon`, a task with no start left in its critical-path window — a deadline
    /// or a fixed start out of reach — or a root contradiction, such as a task whose window
    /// downtime covers). The solver is consistent after `Some`, and creates no variable after
    /// it: the caller creates its own first.
    pub(super) fn build(
        solver: &mut Solver,
        problem: &Problem,
        lower: Time,
        horizon: Time,
    ) -> Result<Option<Self>, SolveError> {
        let h = int(horizon, "horizon")?;
        if lower > horizon {
            return Ok(None);
        }
        let cpm = Cpm::with_deadline(problem, horizon);
        let tag = solver.new_constraint_tag();
        let mut reified = 0u64;
        let mut tasks = Vec::with_capacity(problem.task_count());
        for t in problem.tasks() {
            let (mut est, mut lst) = (cpm.earliest_start(t), cpm.latest_start(t));
            if let Some(fixed) = problem.fixed(t) {
                (est, lst) = (est.max(fixed.start), lst.min(fixed.start));
            }
            if est > lst {
                return Ok(None);
            }
            let window = (est, lst);
            let (est, lst) = (int(est, "start")?, int(lst, "start")?);
            let start = solver.new_bounded_integer(est, lst);
            let options: Vec<(NodeId, i32)> =
                problem.options(t).map(|(n, d)| Ok((n, int(d, "duration")?))).collect::<Result<_, SolveError>>()?;
            let (placement, durations) = match options.as_slice() {
                [] => return Err(SolveError::Internal(format!("task {} has no node", problem.task_name(t)))),
                &[(node, duration)] => (Placement::Pinned { node, duration }, vec![duration]),
                several => {
                    let values: Vec<i32> =
                        several.iter().map(|&(n, _)| int(Time::from(n.0), "node index")).collect::<Result<_, _>>()?;
                    let var = solver.new_sparse_integer(values.clone());
                    let options = several
                        .iter()
                        .zip(values)
                        .map(|(&(node, duration), value)| NodeOption {
                            node,
                            duration,
                            on: solver.new_literal_for_predicate(var.equality_predicate(value), tag),
                            parked: None,
                        })
                        .collect();
                    (Placement::Chosen { var, options }, several.iter().map(|&(_, d)| d).collect())
                }
            };
            let shortest = durations.iter().copied().min().unwrap_or(0);
            let longest = durations.iter().copied().max().unwrap_or(0);
            let finish = if shortest == longest {
                start.offset(shortest)
            } else {
                let (lo, hi) = (est.saturating_add(shortest), int(cpm.latest_finish(t), "finish")?);
                let finish = solver.new_bounded_integer(lo, hi.max(lo)).scaled(1);
                post_leq(solver, start.offset(shortest), finish, tag);
                if let Placement::Chosen { options, .. } = &placement {
                    for o in options.iter().filter(|o| o.duration > shortest) {
                        implied_leq(solver, start.offset(o.duration), finish, o.on, tag);
                        reified += 1;
                    }
                }
                finish
            };
            tasks.push(TaskVars { start, window, finish, placement });
        }
        let mut model = Self {
            tasks,
            makespan: solver.new_bounded_integer(int(lower, "lower bound")?, h),
            cumulatives: 0,
            disjunctives: 0,
            orders: Vec::new(),
            reified,
            downtime_clauses: 0,
        };
        model.post_precedences(solver, problem, tag)?;
        for (t, vars) in problem.tasks().zip(&model.tasks) {
            if problem.successors(t).is_empty() {
                post_leq(solver, vars.finish, model.makespan.scaled(1), tag);
            }
        }
        // Pumpkin creates no variable in an inconsistent state (it panics): the parked starts,
        // the last variables, come before every constraint that may fail at the root.
        if solver.is_inconsistent() {
            return Ok(None);
        }
        model.park(solver, problem, h, tag)?;
        model.post_downtime(solver, problem, tag)?;
        let unary = model.post_disjunctives(solver, problem, tag);
        model.post_cumulatives(solver, problem, &unary, tag)?;
        Ok((!solver.is_inconsistent()).then_some(model))
    }

    fn vars(&self, task: TaskId) -> Result<&TaskVars, SolveError> {
        self.tasks.get(task.index()).ok_or_else(|| SolveError::Internal(format!("no variables for task {}", task.0)))
    }

    /// Whether `task` runs on `node`: always, never, or when a literal holds.
    fn on_node(&self, task: TaskId, node: NodeId) -> Result<OnNode, SolveError> {
        Ok(match &self.vars(task)?.placement {
            Placement::Pinned { node: n, .. } => {
                if *n == node {
                    OnNode::Always
                } else {
                    OnNode::Never
                }
            }
            Placement::Chosen { options, .. } => {
                options.iter().find(|o| o.node == node).map_or(OnNode::Never, |o| OnNode::When(o.on))
            }
        })
    }

    fn post_precedences(
        &mut self,
        solver: &mut Solver,
        problem: &Problem,
        tag: ConstraintTag,
    ) -> Result<(), SolveError> {
        for a in problem.tasks() {
            let from = self.vars(a)?;
            let (finish, nodes): (AffineView<DomainId>, Vec<(NodeId, Option<Literal>)>) = match &from.placement {
                Placement::Pinned { node, .. } => (from.finish, vec![(*node, None)]),
                Placement::Chosen { options, .. } => {
                    (from.finish, options.iter().map(|o| (o.node, Some(o.on))).collect())
                }
            };
            for &edge in problem.successors(a) {
                let b = self.vars(edge.task)?.start;
                let always = unavoidable_delay(problem, a, edge);
                post_leq(solver, finish.offset(int(always, "delay")?), b.scaled(1), tag);
                if edge.delay == 0 || always > 0 {
                    continue;
                }
                let delay = int(edge.delay, "delay")?;
                // On node n (a's choice): the delay is paid unless b runs on n too.
                for &(n, a_on) in &nodes {
                    let terms = match self.on_node(edge.task, n)? {
                        OnNode::Always => continue,
                        OnNode::Never => vec![finish, b.scaled(-1)],
                        OnNode::When(b_on) => vec![finish, b.scaled(-1), b_on.get_integer_variable().scaled(-delay)],
                    };
                    let constraint = pumpkin_constraints::less_than_or_equals(terms, -delay, tag);
                    match a_on {
                        Some(literal) => {
                            solver.add_constraint(constraint).implied_by(literal);
                            self.reified += 1;
                        }
                        None => solver.add_constraint(constraint).post(),
                    }
                }
            }
        }
        Ok(())
    }

    /// Downtime: for each task, node it may run on and window of that node it could meet,
    /// the clause "not on this node, or finished by the window's start, or started at its
    /// end or later" (a task of zero duration runs at an instant, so it counts as one tick).
    fn post_downtime(&mut self, solver: &mut Solver, problem: &Problem, tag: ConstraintTag) -> Result<(), SolveError> {
        if !problem.has_downtime() {
            return Ok(());
        }
        let mut clauses = 0;
        for vars in &self.tasks {
            let options: Vec<(NodeId, i32, Option<Literal>)> = match &vars.placement {
                Placement::Pinned { node, duration } => vec![(*node, *duration, None)],
                Placement::Chosen { options, .. } => options.iter().map(|o| (o.node, o.duration, Some(o.on))).collect(),
            };
            let (est, lst) = vars.window;
            for (node, duration, on) in options {
                let length = duration.max(1);
                // The task occupies at most [est, lst + length).
                let last = lst.saturating_add(Time::from(length.unsigned_abs()));
                for w in problem.unavailable(node).iter().filter(|w| w.from < last && w.to > est) {
                    // `from < last` fits, and so does `lst + 1`.
                    let before = int(w.from, "downtime start")?.saturating_sub(length);
                    let after = int(w.to.min(lst.saturating_add(1)), "downtime end")?;
                    let mut clause =
                        vec![vars.start.upper_bound_predicate(before), vars.start.lower_bound_predicate(after)];
                    clause.extend(on.map(|literal| literal.get_false_predicate()));
                    solver.add_clause(clause, tag);
                    clauses += 1;
                }
            }
        }
        self.downtime_clauses += clauses;
        Ok(())
    }

    /// Creates the parked starts of multi-node tasks of positive duration: per node, parking
    /// places laid end to end from `h + 1`.
    fn park(&mut self, solver: &mut Solver, problem: &Problem, h: i32, tag: ConstraintTag) -> Result<(), SolveError> {
        let mut next = vec![h.checked_add(1).ok_or_else(too_large)?; problem.node_count()];
        for vars in &mut self.tasks {
            let Placement::Chosen { options, .. } = &mut vars.placement else { continue };
            let earliest = solver.lower_bound(&vars.start);
            for o in options.iter_mut().filter(|o| o.duration > 0) {
                let slot =
                    next.get_mut(o.node.index()).ok_or_else(|| SolveError::Internal("node out of range".into()))?;
                let place = *slot;
                *slot = place.checked_add(o.duration).ok_or_else(too_large)?;
                // Every start plus its duration must stay representable.
                slot.checked_add(1).ok_or_else(too_large)?;
                let parked = solver.new_bounded_integer(earliest, place);
                solver
                    .add_constraint(pumpkin_constraints::binary_equals(parked.scaled(1), vars.start.scaled(1), tag))
                    .implied_by(o.on);
                solver.add_clause([o.on.get_true_predicate(), parked.lower_bound_predicate(place)], tag);
                self.reified += 1;
                o.parked = Some((parked, place));
            }
        }
        Ok(())
    }

    /// The tasks that can run on `node` with a positive duration: start variable, duration.
    fn node_tasks(&self, problem: &Problem, node: NodeId) -> Vec<(TaskId, AffineView<DomainId>, i32)> {
        problem
            .tasks()
            .zip(&self.tasks)
            .filter_map(|(t, vars)| match &vars.placement {
                Placement::Pinned { node: n, duration } => {
                    (*n == node && *duration > 0).then(|| (t, vars.start.scaled(1), *duration))
                }
                Placement::Chosen { options, .. } => options
                    .iter()
                    .find(|o| o.node == node)
                    .and_then(|o| o.parked.map(|(parked, _)| (t, parked.scaled(1), o.duration))),
            })
            .collect()
    }

    /// One cumulative per node and dimension, except on the nodes in `unary`, where a
    /// disjunctive over all the node's tasks already implies them.
    fn post_cumulatives(
        &mut self,
        solver: &mut Solver,
        problem: &Problem,
        unary: &[NodeId],
        tag: ConstraintTag,
    ) -> Result<(), SolveError> {
        for node in problem.nodes().filter(|n| !unary.contains(n)) {
            let members = self.node_tasks(problem, node);
            for (r, &capacity) in problem.capacity(node).iter().enumerate() {
                let using: Vec<_> = members
                    .iter()
                    .filter_map(|&(t, start, d)| {
                        let q = problem.demand(t).get(r).copied().unwrap_or(0);
                        (q > 0).then_some((start, d, q))
                    })
                    .collect();
                let total: u128 = using.iter().map(|&(_, _, q)| u128::from(q)).sum();
                if total <= u128::from(capacity) {
                    continue;
                }
                let demands: Vec<i32> = using.iter().map(|&(_, _, q)| int(q, "demand")).collect::<Result<_, _>>()?;
                solver
                    .add_constraint(pumpkin_constraints::cumulative(
                        using.iter().map(|&(s, _, _)| s).collect::<Vec<_>>(),
                        using.iter().map(|&(_, d, _)| d).collect::<Vec<_>>(),
                        demands,
                        int(capacity, "capacity")?,
                        tag,
                    ))
                    .post();
                self.cumulatives += 1;
            }
        }
        Ok(())
    }

    /// Disjunctives over greedy cliques of pinned tasks of a node that pairwise clash, and the
    /// order literals of the pairs of tasks of *unary* nodes, those where one clique holds
    /// every task that can run there (job shop machines; see [`Model::post_orders`]); returns
    /// the unary nodes.
    fn post_disjunctives(&mut self, solver: &mut Solver, problem: &Problem, tag: ConstraintTag) -> Vec<NodeId> {
        let mut unary = Vec::new();
        let mut disjunctives = Vec::new();
        let mut pairs = BTreeSet::new();
        for node in problem.nodes() {
            let members = self.node_tasks(problem, node);
            let all = members.len();
            let pinned: Vec<(TaskId, AffineView<DomainId>, i32)> = members
                .into_iter()
                .filter(|&(t, _, _)| {
                    matches!(self.tasks.get(t.index()).map(|v| &v.placement), Some(Placement::Pinned { .. }))
                })
                .collect();
            let clash = |a: TaskId, b: TaskId| problem.clash(node, a, b);
            let mut cliques = BTreeSet::new();
            let mut order: Vec<usize> = (0..pinned.len()).collect();
            order.sort_by_key(|&k| (std::cmp::Reverse(pinned.get(k).map_or(0, |p| p.2)), k));
            for seed in 0..pinned.len() {
                let mut members = vec![seed];
                for &k in &order {
                    let (Some(&(tk, _, _)), true) = (pinned.get(k), k != seed) else { continue };
                    if members.iter().all(|&m| pinned.get(m).is_some_and(|&(tm, _, _)| clash(tm, tk))) {
                        members.push(k);
                    }
                }
                if members.len() >= 2 {
                    members.sort_unstable();
                    cliques.insert(members);
                }
            }
            let is_unary = cliques.iter().any(|c| c.len() == all);
            if is_unary {
                unary.push(node);
            }
            for members in cliques {
                let tasks: Vec<(TaskId, AffineView<DomainId>, i32)> =
                    members.iter().filter_map(|&m| pinned.get(m)).copied().collect();
                if is_unary {
                    for (k, &(a, _, _)) in tasks.iter().enumerate() {
                        for &(b, _, _) in tasks.iter().skip(k + 1) {
                            pairs.insert((a, b));
                        }
                    }
                }
                disjunctives.push(tasks);
            }
        }
        self.post_orders(solver, &pairs, tag);
        for tasks in disjunctives {
            let tasks =
                tasks.into_iter().map(|(_, start, d)| ArgDisjunctiveTask { start_time: start, processing_time: d });
            solver.add_constraint(pumpkin_constraints::disjunctive_strict(tasks, tag)).post();
            self.disjunctives += 1;
        }
        unary
    }

    /// An order literal `o_ab = [a before b]` per pair of pinned tasks of a unary node, with
    /// `o_ab → E_a ≤ S_b` and `¬o_ab → E_b ≤ S_a`; pairs whose windows do not overlap (their
    /// order is fixed already) are left out, and so is every pair when there are more than
    /// [`MAX_ORDERS`]. The disjunctive explains its pruning by bounds on starts, which differ
    /// from one part of the search to the next; with order literals, decisions and nogoods can
    /// speak of the order of two tasks, which holds wherever they meet in that order, so what
    /// is learned applies more widely (Siala, Artigues and Hebrard, "Two clause learning
    /// approaches for disjunctive scheduling", CP 2015). Measured: `cp` alone proves ft10 in
    /// 31,569 iterations instead of 50,471. Literals over the pairs of every clique of clashing
    /// tasks on PSPLIB j30's cumulative resources gained nothing there and cost `auto` two
    /// proofs at the edge of the time limit in one of two whole-set runs (BENCHMARKS.md, `cp`,
    /// session 13), so they are left to unary nodes.
    fn post_orders(&mut self, solver: &mut Solver, pairs: &BTreeSet<(TaskId, TaskId)>, tag: ConstraintTag) {
        let pinned = |t: TaskId| match self.tasks.get(t.index()) {
            Some(TaskVars { start, window, placement: Placement::Pinned { duration, .. }, .. }) => {
                Some((*start, *window, *duration))
            }
            _ => None,
        };
        let open: Vec<_> = pairs
            .iter()
            .filter_map(|&(a, b)| {
                let ((sa, (ea, la), da), (sb, (eb, lb), db)) = (pinned(a)?, pinned(b)?);
                let overlap = ea < lb + Time::from(db.unsigned_abs()) && eb < la + Time::from(da.unsigned_abs());
                overlap.then_some((a, sa, da, b, sb, db))
            })
            .collect();
        // Pumpkin creates no variable in an inconsistent state: the literals come first.
        if open.len() > MAX_ORDERS || solver.is_inconsistent() {
            return;
        }
        let literals: Vec<Literal> = open.iter().map(|_| solver.new_literal()).collect();
        for (&(a, sa, da, b, sb, db), &before) in open.iter().zip(&literals) {
            implied_leq(solver, sa.offset(da), sb.scaled(1), before, tag);
            implied_leq(solver, sb.offset(db), sa.scaled(1), !before, tag);
            self.orders.push((before, a, b));
        }
    }

    /// The values of the model's variables in a schedule of the problem (for phase saving):
    /// `None` when the schedule does not fit the model's integers.
    pub(super) fn values_of(&self, problem: &Problem, schedule: &Schedule) -> Option<Vec<(DomainId, i32)>> {
        let mut values = Vec::new();
        let makespan = i32::try_from(schedule.makespan()).ok()?;
        values.push((self.makespan, makespan));
        for (t, vars) in problem.tasks().zip(&self.tasks) {
            let a = schedule.assignment(t)?;
            let start = i32::try_from(a.start).ok()?;
            values.push((vars.start, start));
            if let Placement::Chosen { var, options } = &vars.placement {
                values.push((*var, i32::try_from(a.node.0).ok()?));
                for o in options {
                    if let Some((parked, place)) = o.parked {
                        values.push((parked, if o.node == a.node { start } else { place }));
                    }
                }
            }
        }
        for &(before, a, b) in &self.orders {
            let (a, b) = (schedule.assignment(a)?, schedule.assignment(b)?);
            values.push((*before.get_integer_variable().inner(), i32::from(a.start < b.start)));
        }
        Some(values)
    }

    /// The schedule of a solution.
    pub(super) fn decode(&self, problem: &Problem, solution: &impl ProblemSolution) -> Result<Schedule, SolveError> {
        let mut assignments = Vec::with_capacity(self.tasks.len());
        for (t, vars) in problem.tasks().zip(&self.tasks) {
            let node = match &vars.placement {
                Placement::Pinned { node, .. } => *node,
                Placement::Chosen { var, .. } => {
                    NodeId(u32::try_from(solution.get_integer_value(*var)).map_err(|_| bad_value(problem, t))?)
                }
            };
            let start = Time::try_from(solution.get_integer_value(vars.start)).map_err(|_| bad_value(problem, t))?;
            let duration = problem.duration_on(t, node).ok_or_else(|| bad_value(problem, t))?;
            assignments.push(Assignment { task: t, node, start, finish: start + duration });
        }
        Ok(Schedule::new(assignments))
    }
}

/// The most order literals a model gets (see [`Model::post_orders`]): each costs two
/// propagators, and a job shop of 100 jobs on 20 machines would need up to 99,000.
const MAX_ORDERS: usize = 20_000;

enum OnNode {
    Always,
    Never,
    When(Literal),
}

fn too_large() -> SolveError {
    SolveError::TooLarge("the parking places of the cp model exceed its 32-bit integers".into())
}

fn bad_value(problem: &Problem, task: TaskId) -> SolveError {
    SolveError::Internal(format!(
        "the cp solution gives task {} a node or start it cannot have",
        problem.task_name(task)
    ))
}

/// Posts `a ≤ b`.
fn post_leq(solver: &mut Solver, a: AffineView<DomainId>, b: AffineView<DomainId>, tag: ConstraintTag) {
    solver.add_constraint(pumpkin_constraints::binary_less_than_or_equals(a, b, tag)).post();
}

/// Posts `literal → a ≤ b`.
fn implied_leq(
    solver: &mut Solver,
    a: AffineView<DomainId>,
    b: AffineView<DomainId>,
    literal: Literal,
    tag: ConstraintTag,
) {
    solver.add_constraint(pumpkin_constraints::binary_less_than_or_equals(a, b, tag)).implied_by(literal);
}
