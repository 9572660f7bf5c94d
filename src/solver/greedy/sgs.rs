//! Schedule generation: the state shared by the serial and parallel schemes, node policies,
//! and the serial scheme itself.
//!
//! **Serial scheme** (Kelley 1963; Kolisch 1996): tasks are taken one at a time from a
//! precedence-feasible list; each is tried on its candidate nodes
//! ([`super::candidates`]) at the earliest time it fits there after its predecessors (plus
//! the transfer delay from predecessors on other nodes), and the node policy picks one.
//! O(n log n + e + n·c·(p + log k + s·r)) for c candidate nodes, p predecessors, k timeline
//! steps, s steps inspected, r dimensions. The scheme also runs **backwards** (edges reversed,
//! time mirrored) for justification, and with **fixed nodes** (each task on a given node).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

use super::candidates::Candidates;
use super::timeline::Timeline;
use crate::model::{Edge, NodeId, Problem, TaskId, Time};
use crate::schedule::Assignment;

/// Which of the nodes a task can start on a node policy picks. The names follow the
/// Kubernetes scheduler's scoring strategies where they match one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Policy {
    /// The node where the task finishes earliest, using earlier gaps of a node's timeline
    /// (HEFT's insertion policy). Ties: earlier start, then smaller node id. The default.
    EarliestFinish,
    /// Best fit / pack (Kubernetes `MostAllocated`): among the nodes where the task can start
    /// earliest, the one most allocated after placement (mean over dimensions of
    /// used/capacity). Leaves other nodes free for large tasks.
    MostAllocated,
    /// Spread (Kubernetes `LeastAllocated`, its default): among the nodes where the task can
    /// start earliest, the one least allocated after placement.
    LeastAllocated,
    /// Kubernetes `NodeResourcesBalancedAllocation`: among the nodes where the task can start
    /// earliest, the one whose dimensions are most evenly used after placement (smallest
    /// variance of used/capacity), so no dimension is stranded.
    BalancedAllocation,
    /// The smallest node id among the nodes where the task can start earliest.
    FirstFit,
}

impl Policy {
    /// Every policy, in declaration order.
    pub const ALL: [Policy; 5] = [
        Policy::EarliestFinish,
        Policy::MostAllocated,
        Policy::LeastAllocated,
        Policy::BalancedAllocation,
        Policy::FirstFit,
    ];

    /// The policy's short name.
    pub fn name(self) -> &'static str {
        match self {
            Policy::EarliestFinish => "earliest-finish",
            Policy::MostAllocated => "most-allocated",
            Policy::LeastAllocated => "least-allocated",
            Policy::BalancedAllocation => "balanced-allocation",
            Policy::FirstFit => "first-fit",
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Marker for unplaced tasks.
pub(crate) const UNPLACED: Assignment =
    Assignment { task: TaskId(u32::MAX), node: NodeId(u32::MAX), start: 0, finish: 0 };

/// One way to place a task: node, start, finish.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) node: NodeId,
    pub(crate) start: Time,
    pub(crate) finish: Time,
}

/// Timelines, candidate index and placements of one schedule under construction.
pub(crate) struct State<'p> {
    pub(crate) problem: &'p Problem,
    timelines: Vec<Timeline>,
    index: Candidates,
    pub(crate) placed: Vec<Assignment>,
    backward: bool,
    nodes: Vec<NodeId>,
    bounds: Vec<(Time, NodeId, Time, Time)>,
    pub(crate) slots: Vec<Slot>,
}

impl<'p> State<'p> {
    pub(crate) fn new(problem: &'p Problem, backward: bool) -> Self {
        Self {
            problem,
            timelines: problem.nodes().map(|n| Timeline::new(problem.capacity(n))).collect(),
            index: Candidates::new(problem),
            placed: vec![UNPLACED; problem.task_count()],
            backward,
            nodes: Vec::new(),
            bounds: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// The tasks that must be placed before `task` (its successors when running backwards).
    pub(crate) fn before(&self, task: TaskId) -> &'p [Edge] {
        if self.backward { self.problem.successors(task) } else { self.problem.predecessors(task) }
    }

    /// Earliest start of `task` on `node` given its placed predecessors.
    fn ready_on(&self, task: TaskId, node: NodeId) -> Time {
        let mut ready = 0;
        for e in self.before(task) {
            if let Some(p) = self.placed.get(e.task.index()).filter(|p| p.task != UNPLACED.task) {
                let at = if p.node == node { p.finish } else { p.finish.saturating_add(e.delay) };
                ready = ready.max(at);
            }
        }
        ready
    }

    /// Earliest time `task` could start on any node (predecessors' finish, no delay).
    pub(crate) fn ready_anywhere(&self, task: TaskId) -> Time {
        self.before(task)
            .iter()
            .filter_map(|e| self.placed.get(e.task.index()))
            .filter(|p| p.task != UNPLACED.task)
            .map(|p| p.finish)
            .max()
            .unwrap_or(0)
    }

    /// Fills `self.slots` with the placements of `task` on its candidate nodes (or on
    /// `fixed`) that `policy` may pick. With `at = Some(t)` (parallel scheme) only nodes where
    /// it can start exactly at `t` are kept; otherwise each node's earliest fit. Nodes are
    /// looked up in order of a cheap bound (ready time plus duration for earliest finish,
    /// ready time otherwise) and the look-ups stop once the bound exceeds the best value
    /// found: most tasks cost one or two timeline look-ups.
    pub(crate) fn evaluate(&mut self, task: TaskId, fixed: Option<NodeId>, at: Option<Time>, policy: Policy) {
        let problem = self.problem;
        let mut nodes = std::mem::take(&mut self.nodes);
        match fixed {
            Some(n) => {
                nodes.clear();
                nodes.push(n);
            }
            None => {
                let ready = self.ready_anywhere(task);
                let placed = &self.placed;
                let pred_nodes = self
                    .before(task)
                    .iter()
                    .filter_map(|e| placed.get(e.task.index()))
                    .filter(|a| a.task != UNPLACED.task)
                    .map(|a| a.node);
                self.index.collect(problem, task, pred_nodes, ready, &mut nodes);
            }
        }
        self.slots.clear();
        let demand = problem.demand(task);
        // Cheap lower bounds first (ready time and duration need no timeline look-up), then
        // exact look-ups in order of the bound, stopping once no remaining node can win.
        let mut bounds = std::mem::take(&mut self.bounds);
        bounds.clear();
        // Off the predecessors' nodes every delay is paid: one value for all those nodes.
        let before = self.before(task);
        let placed = &self.placed;
        let on_pred_node = |n: NodeId| before.iter().any(|e| placed.get(e.task.index()).is_some_and(|p| p.node == n));
        let cross = self.ready_on(task, NodeId(u32::MAX));
        for &node in &nodes {
            let duration = problem.listed_duration(task, node);
            let ready = if on_pred_node(node) { self.ready_on(task, node) } else { cross };
            if at.is_some_and(|t| ready > t) {
                continue;
            }
            let key = if policy == Policy::EarliestFinish { ready.saturating_add(duration) } else { ready };
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
                Some(t) => {
                    if timeline.earliest_fit(t, duration, demand) != t {
                        continue;
                    }
                    t
                }
                None => timeline.earliest_fit(ready, duration, demand),
            };
            let finish = start.saturating_add(duration);
            let value = if policy == Policy::EarliestFinish { finish } else { start };
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

    /// Picks one of `self.slots` by the policy.
    pub(crate) fn choose(&self, task: TaskId, policy: Policy) -> Option<Slot> {
        let eft = |s: &Slot| (s.finish, s.start, s.node);
        if policy == Policy::EarliestFinish {
            return self.slots.iter().min_by_key(|s| eft(s)).copied();
        }
        let earliest = self.slots.iter().map(|s| s.start).min()?;
        let pool = self.slots.iter().filter(|s| s.start == earliest);
        if policy == Policy::FirstFit {
            return pool.min_by_key(|s| s.node).copied();
        }
        let demand = self.problem.demand(task);
        let mut used = Vec::with_capacity(demand.len());
        let mut score = |s: &Slot| -> f64 {
            let Some(tl) = self.timelines.get(s.node.index()) else { return 0.0 };
            tl.usage_at(s.start, &mut used);
            let fractions = tl
                .capacity()
                .iter()
                .zip(&used)
                .zip(demand)
                .filter(|&((&c, _), _)| c > 0)
                .map(|((&c, &u), &d)| (u.saturating_add(d)) as f64 / c as f64);
            let (mut n, mut sum, mut sq) = (0.0, 0.0, 0.0);
            for f in fractions {
                n += 1.0;
                sum += f;
                sq += f * f;
            }
            if n == 0.0 {
                return 0.0;
            }
            let mean = sum / n;
            match policy {
                Policy::MostAllocated => -mean,
                Policy::LeastAllocated => mean,
                _ => sq / n - mean * mean,
            }
        };
        let scored: Vec<(f64, Slot)> = pool.copied().collect::<Vec<_>>().into_iter().map(|s| (score(&s), s)).collect();
        scored.into_iter().min_by(|a, b| a.0.total_cmp(&b.0).then(eft(&a.1).cmp(&eft(&b.1)))).map(|(_, s)| s)
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
}

/// The activity list of a priority rule: repeatedly the ready task with the largest key
/// (ties to the smaller id). O(n log n + e).
pub(crate) fn priority_list(problem: &Problem, keys: &[u64]) -> Vec<TaskId> {
    let key = |t: TaskId| (keys.get(t.index()).copied().unwrap_or(0), Reverse(t));
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
    list
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
) -> Vec<Assignment> {
    let mut state = State::new(problem, backward);
    for &task in list {
        let pin = fixed.and_then(|f| f.get(task.index()).copied());
        state.evaluate(task, pin, None, policy);
        if let Some(slot) = state.choose(task, policy) {
            state.place(task, slot);
        }
    }
    state.placed
}
