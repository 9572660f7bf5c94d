//! One schedule under construction: a timeline per node, the candidate-node index, and the
//! placement of every task placed so far. Both schemes ([`super::serial`],
//! [`super::parallel`]) drive it task by task: [`State::evaluate`] lists the slots where a
//! task can go, the node policy picks one ([`State::choose`]), [`State::place`] commits it.
//!
//! The state also runs **backwards** (edges reversed, time mirrored: used by double
//! justification) and can be **reset** and reused, so a decoder that builds millions of
//! schedules allocates its buffers once.
//!
//! Per task: O(p + c·(p + log c) + s·r) for p predecessors, c candidate nodes (all of them up
//! to [`SCAN_ALL`] nodes, a bounded sample above; see [`super::candidates`]), s timeline steps
//! inspected and r dimensions; one timeline look-up when the node is fixed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::candidates::{Candidates, SCAN_ALL};
use super::policy::{Policy, Slot};
use super::timeline::Timeline;
use crate::model::{Edge, NodeId, Problem, TaskId, Time};
use crate::schedule::Assignment;
use crate::solver::SolveError;

/// Marker for unplaced tasks.
pub(crate) const UNPLACED: Assignment =
    Assignment { task: TaskId(u32::MAX), node: NodeId(u32::MAX), start: 0, finish: 0 };

/// Above this many task × node pairs the per-task option table is not built.
const TABLE_LIMIT: usize = 1 << 22;

/// Every task's options (node, duration), flattened: built once for a decoder so that
/// repeated schedules skip the eligibility and fit checks.
struct Table {
    first: Vec<u32>,
    options: Vec<(NodeId, Time)>,
}

impl Table {
    fn new(problem: &Problem) -> Option<Self> {
        if problem.node_count() > SCAN_ALL || problem.task_count().saturating_mul(problem.node_count()) > TABLE_LIMIT {
            return None;
        }
        let mut first = Vec::with_capacity(problem.task_count() + 1);
        let mut options = Vec::new();
        for t in problem.tasks() {
            first.push(options.len() as u32);
            options.extend(problem.options(t));
        }
        first.push(options.len() as u32);
        Some(Self { first, options })
    }

    fn of(&self, task: TaskId) -> &[(NodeId, Time)] {
        let (a, b) = (self.first.get(task.index()), self.first.get(task.index() + 1));
        match (a, b) {
            (Some(&a), Some(&b)) => self.options.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Timelines, candidate index and placements of one schedule under construction.
pub(crate) struct State<'p> {
    pub(crate) problem: &'p Problem,
    timelines: Vec<Timeline>,
    index: Candidates,
    table: Option<Table>,
    placed: Vec<Assignment>,
    backward: bool,
    ids: Vec<NodeId>,
    nodes: Vec<(NodeId, Time)>,
    bounds: Vec<(Time, NodeId, Time, Time)>,
    slots: Vec<Slot>,
    /// Per task, the node preferred among equally good slots (empty: none).
    prefer: &'p [Option<NodeId>],
}

impl<'p> State<'p> {
    /// An empty schedule, forward or backward. Forward, the problem's fixed tasks are placed
    /// from the start (backward passes are not run on problems with time rules).
    pub(crate) fn new(problem: &'p Problem, backward: bool) -> Self {
        let mut state = Self::empty(problem, backward);
        state.place_fixed();
        state
    }

    fn empty(problem: &'p Problem, backward: bool) -> Self {
        Self {
            problem,
            timelines: problem.nodes().map(|n| Timeline::new(problem.capacity(n))).collect(),
            index: Candidates::new(problem),
            table: None,
            placed: vec![UNPLACED; problem.task_count()],
            backward,
            ids: Vec::new(),
            nodes: Vec::new(),
            bounds: Vec::new(),
            slots: Vec::new(),
            prefer: &[],
        }
    }

    /// Prefers `prefer[task]` among equally good slots of each task (ties after the finish
    /// and the start, before the node id; see [`SolveOptions::prefer_nodes`]).
    ///
    /// [`SolveOptions::prefer_nodes`]: crate::SolveOptions::prefer_nodes
    pub(crate) fn preferring(mut self, prefer: &'p [Option<NodeId>]) -> Self {
        self.prefer = prefer;
        self
    }

    /// The order in which slots of `task` are compared when their score ties: earlier finish,
    /// earlier start, the preferred node, smaller node id.
    fn rank(&self, task: TaskId, slot: &Slot) -> (Time, Time, bool, NodeId) {
        let preferred = self.prefer.get(task.index()).copied().flatten() == Some(slot.node);
        (slot.finish, slot.start, !preferred, slot.node)
    }

    /// An empty schedule that will be reset and rebuilt many times: also tabulates every
    /// task's options when the cluster is small.
    pub(crate) fn reusable(problem: &'p Problem) -> Self {
        let mut state = Self { table: Table::new(problem), ..Self::empty(problem, false) };
        state.place_fixed();
        state
    }

    /// Places every fixed task where and when it runs (forward passes only).
    fn place_fixed(&mut self) {
        if self.backward {
            return;
        }
        let problem = self.problem;
        for (task, f) in problem.fixed_tasks() {
            let finish = f.start.saturating_add(problem.listed_duration(task, f.node));
            self.place(task, Slot { node: f.node, start: f.start, finish });
        }
    }

    /// Whether the task is placed already (a fixed task is, from the start).
    pub(crate) fn is_placed(&self, task: TaskId) -> bool {
        self.placed.get(task.index()).is_some_and(|a| a.task != UNPLACED.task)
    }

    /// The earliest start of a task forward in time ([`Problem::not_before`]), 0 backward.
    fn not_before(&self, task: TaskId) -> Time {
        if self.backward { 0 } else { self.problem.not_before(task) }
    }

    /// The earliest `start >= from` at which the demand fits the node's timeline for the
    /// whole duration and the node has no downtime then.
    fn fit(&self, timeline: &Timeline, node: NodeId, from: Time, duration: Time, demand: &[u64]) -> Time {
        let mut at = from;
        loop {
            let fits = timeline.earliest_fit(at, duration, demand);
            let free = if self.backward { fits } else { self.problem.available_from(node, fits, duration) };
            if free == fits {
                return fits;
            }
            at = free;
        }
    }

    /// Empties the schedule (forward or backward), keeping every buffer.
    pub(crate) fn reset(&mut self, backward: bool) {
        for t in &mut self.timelines {
            t.clear();
        }
        self.index.reset();
        self.placed.fill(UNPLACED);
        self.backward = backward;
        self.place_fixed();
    }

    /// The placements so far, indexed by task id ([`UNPLACED`] for the others).
    pub(crate) fn placed(&self) -> &[Assignment] {
        &self.placed
    }

    /// Exchanges the placements with `other` (a decoder keeps them without copying).
    pub(crate) fn swap_placed(&mut self, other: &mut Vec<Assignment>) {
        std::mem::swap(&mut self.placed, other);
        self.placed.resize(self.problem.task_count(), UNPLACED);
    }

    /// The placements, consuming the state.
    pub(crate) fn into_placed(self) -> Vec<Assignment> {
        self.placed
    }

    /// The tasks that must be placed before `task` (its successors when running backwards).
    pub(crate) fn before(&self, task: TaskId) -> &'p [Edge] {
        if self.backward { self.problem.successors(task) } else { self.problem.predecessors(task) }
    }

    /// Earliest start of `task` on `node` given its placed predecessors.
    fn ready_on(&self, task: TaskId, node: NodeId) -> Time {
        let mut ready = self.not_before(task);
        for e in self.before(task) {
            let p = self.placed.get(e.task.index()).copied().unwrap_or(UNPLACED);
            // Hot loop: the schemes place a task only after all its predecessors, so an
            // unplaced predecessor is a bug in the caller's list (caught in debug builds and
            // by the final completeness check; an unplaced one adds nothing here).
            debug_assert!(p.task != UNPLACED.task, "{task:?} placed before its predecessor {:?}", e.task);
            let at = if p.node == node { p.finish } else { p.finish.saturating_add(e.delay) };
            ready = ready.max(at);
        }
        ready
    }

    /// Earliest time `task` could start on any node (predecessors' finish, no delay).
    pub(crate) fn ready_anywhere(&self, task: TaskId) -> Time {
        let finish = |e: &Edge| self.placed.get(e.task.index()).map_or(0, |p| p.finish);
        self.before(task).iter().map(finish).max().unwrap_or(0).max(self.not_before(task))
    }

    /// Fills the slots with the placements of `task` that `policy` may pick: on `fixed` if
    /// given, else on its candidate nodes. With `at = Some(t)` (parallel scheme) only nodes
    /// where it can start exactly at `t` are kept; otherwise each node's earliest fit. Nodes
    /// are looked up in order of a cheap bound (ready time plus duration for earliest finish,
    /// ready time otherwise) and the look-ups stop once the bound exceeds the best value
    /// found: most tasks cost one or two timeline look-ups.
    pub(crate) fn evaluate(&mut self, task: TaskId, fixed: Option<NodeId>, at: Option<Time>, policy: Policy) {
        let problem = self.problem;
        self.slots.clear();
        let demand = problem.demand(task);
        if let Some(node) = fixed {
            // Callers fix a node the task can use (one of its options).
            debug_assert!(problem.duration_on(task, node).is_some(), "{task:?} cannot run on {node:?}");
            let duration = problem.listed_duration(task, node);
            let ready = self.ready_on(task, node);
            let Some(timeline) = self.timelines.get(node.index()) else { return };
            let start = match at {
                Some(t) if ready > t || self.fit(timeline, node, t, duration, demand) != t => return,
                Some(t) => t,
                None => self.fit(timeline, node, ready, duration, demand),
            };
            self.slots.push(Slot { node, start, finish: start.saturating_add(duration) });
            return;
        }
        let mut nodes = std::mem::take(&mut self.nodes);
        nodes.clear();
        match &self.table {
            Some(table) => nodes.extend_from_slice(table.of(task)),
            None => {
                let mut ids = std::mem::take(&mut self.ids);
                let ready = self.ready_anywhere(task);
                let placed = &self.placed;
                let pred_nodes = self.before(task).iter().filter_map(|e| placed.get(e.task.index())).map(|a| a.node);
                self.index.collect(problem, task, pred_nodes, ready, &mut ids);
                nodes.extend(ids.iter().map(|&n| (n, problem.listed_duration(task, n))));
                self.ids = ids;
            }
        }
        // Cheap lower bounds first (ready time and duration need no timeline look-up), then
        // exact look-ups in order of the bound, stopping once no remaining node can win.
        let mut bounds = std::mem::take(&mut self.bounds);
        bounds.clear();
        // Off the predecessors' nodes every delay is paid: one value for all those nodes.
        let before = self.before(task);
        let placed = &self.placed;
        let on_pred_node = |n: NodeId| before.iter().any(|e| placed.get(e.task.index()).is_some_and(|p| p.node == n));
        let cross = self.ready_on(task, NodeId(u32::MAX));
        for &(node, duration) in &nodes {
            let ready = if on_pred_node(node) { self.ready_on(task, node) } else { cross };
            if at.is_some_and(|t| ready > t) {
                continue;
            }
            let key = if policy.by_finish() { ready.saturating_add(duration) } else { ready };
            bounds.push((key, node, ready, duration));
        }
        bounds.sort_unstable();
        let mut best: Option<Time> = None;
        for &(key, node, ready, duration) in &bounds {
            if best.is_some_and(|b| key > b) {
                break;
            }
            let Some(timeline) = self.timelines.get(node.index()) else { continue };
            let start = match at {
                Some(t) if self.fit(timeline, node, t, duration, demand) != t => continue,
                Some(t) => t,
                None => self.fit(timeline, node, ready, duration, demand),
            };
            let finish = start.saturating_add(duration);
            let value = if policy.by_finish() { finish } else { start };
            best = Some(best.map_or(value, |b| b.min(value)));
            self.slots.push(Slot { node, start, finish });
        }
        self.bounds = bounds;
        self.nodes = nodes;
    }

    /// Writes into `out` the capacity left on `node` at instant `t`, per dimension.
    pub(crate) fn free_at(&self, node: NodeId, t: Time, out: &mut Vec<u64>) {
        out.clear();
        if let Some(tl) = self.timelines.get(node.index()) {
            tl.usage_at(t, out);
            for (u, &c) in out.iter_mut().zip(tl.capacity()) {
                *u = c.saturating_sub(*u);
            }
        }
    }

    /// Picks one of the slots [`evaluate`](Self::evaluate) found by the policy (`None` when
    /// there is none).
    pub(crate) fn choose(&self, task: TaskId, policy: Policy) -> Option<Slot> {
        if policy.by_finish() {
            return self.slots.iter().min_by_key(|s| self.rank(task, s)).copied();
        }
        let earliest = self.slots.iter().map(|s| s.start).min()?;
        let pool = self.slots.iter().filter(|s| s.start == earliest);
        if policy == Policy::FirstFit {
            let preferred = |s: &Slot| self.prefer.get(task.index()).copied().flatten() != Some(s.node);
            return pool.min_by_key(|s| (preferred(s), s.node)).copied();
        }
        let demand = self.problem.demand(task);
        let mut used = Vec::with_capacity(demand.len());
        let mut best: Option<(f64, Slot)> = None;
        for &slot in pool {
            let Some(tl) = self.timelines.get(slot.node.index()) else { continue };
            tl.usage_at(slot.start, &mut used);
            let after = used.iter().zip(demand).map(|(&u, &d)| u.saturating_add(d)).zip(tl.capacity().iter().copied());
            let score = policy.score(after);
            if best
                .is_none_or(|(s, b)| score.total_cmp(&s).then(self.rank(task, &slot).cmp(&self.rank(task, &b))).is_lt())
            {
                best = Some((score, slot));
            }
        }
        best.map(|(_, s)| s)
    }

    /// Places `task` in `slot`.
    pub(crate) fn place(&mut self, task: TaskId, slot: Slot) {
        let demand = self.problem.demand(task);
        if let Some(tl) = self.timelines.get_mut(slot.node.index()) {
            let old = tl.free_from();
            tl.reserve(slot.start, slot.finish - slot.start, demand);
            let new = tl.free_from();
            self.index.moved(slot.node, old, new);
        }
        if let Some(a) = self.placed.get_mut(task.index()) {
            *a = Assignment { task, node: slot.node, start: slot.start, finish: slot.finish };
        }
    }

    /// Evaluates, chooses and places `task` (on `fixed` if given): the serial scheme's step.
    /// A task with no slot at all means the problem's validation or the caller's node broke
    /// an invariant: an internal error.
    pub(crate) fn place_earliest(
        &mut self,
        task: TaskId,
        fixed: Option<NodeId>,
        policy: Policy,
    ) -> Result<Slot, SolveError> {
        if let Some(a) = self.placed.get(task.index()).filter(|a| a.task != UNPLACED.task) {
            return Ok(Slot { node: a.node, start: a.start, finish: a.finish }); // a fixed task
        }
        self.evaluate(task, fixed, None, policy);
        let slot = self.choose(task, policy).ok_or_else(|| {
            SolveError::Internal(format!("list scheduling found no node for task {}", self.problem.task_name(task)))
        })?;
        self.place(task, slot);
        Ok(slot)
    }
}

/// The activity list of a priority rule: repeatedly the ready task with the largest key
/// (ties to the smaller id). O(n log n + e). `keys` has one entry per task.
pub(crate) fn priority_list(problem: &Problem, keys: &[u64]) -> Result<Vec<TaskId>, SolveError> {
    if keys.len() != problem.task_count() {
        return Err(SolveError::Internal(format!("{} priority keys for {} tasks", keys.len(), problem.task_count())));
    }
    // One key per task (checked above), so the default never applies.
    let key = |t: TaskId| (keys.get(t.index()).copied().unwrap_or_default(), Reverse(t));
    let mut waiting: Vec<u32> = problem.tasks().map(|t| problem.predecessors(t).len() as u32).collect();
    let mut ready: BinaryHeap<(u64, Reverse<TaskId>)> =
        problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).map(key).collect();
    let mut list = Vec::with_capacity(problem.task_count());
    while let Some((_, Reverse(t))) = ready.pop() {
        list.push(t);
        for e in problem.successors(t) {
            if let Some(w) = waiting.get_mut(e.task.index()) {
                *w -= 1;
                if *w == 0 {
                    ready.push(key(e.task));
                }
            }
        }
    }
    Ok(list)
}

/// The serial scheme over a precedence-feasible `list` (reverse-topological when
/// `backward`), each task on the node `policy` picks or on `fixed[task]`. Returns the
/// assignments indexed by task id (times mirrored when `backward`).
pub(crate) fn serial(
    problem: &Problem,
    list: &[TaskId],
    policy: Policy,
    backward: bool,
    fixed: Option<&[NodeId]>,
    prefer: &[Option<NodeId>],
) -> Result<Vec<Assignment>, SolveError> {
    let mut state = State::new(problem, backward).preferring(prefer);
    for &task in list {
        let pin = fixed.and_then(|f| f.get(task.index()).copied());
        state.place_earliest(task, pin, policy)?;
    }
    Ok(state.into_placed())
}
