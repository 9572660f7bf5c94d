//! Event states of the recursion, their canonical keys and lower bounds.

use std::collections::HashMap;

use crate::graph::{longest_path_to_end, unavoidable_delay};
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::{Assignment, Schedule};

/// What distinguishes a node in a state: (kind, task, relative time) entries, sorted.
pub(super) type Signature = Vec<(u8, u32, Time)>;

/// "Not started" in [`State::placed`].
pub(super) const NONE: u32 = u32::MAX;

/// A running task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    pub task: TaskId,
    pub node: NodeId,
    pub finish: Time,
}

/// A decision state: the time, the finished set, the running tasks, where and when every
/// started task began (to rebuild the schedule and to know release times under delays), and
/// the (task, node) pairs that may not start at this decision point (left-shift dominance).
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    pub time: Time,
    pub finished: Vec<u64>,
    pub finished_count: usize,
    pub running: Vec<Run>,
    /// Per task: node index (`NONE` if not started) and start time.
    pub placed: Vec<(u32, Time)>,
    pub forbidden: Vec<(TaskId, NodeId)>,
}

/// Everything about the problem the recursion looks up, computed once.
#[derive(Debug, Clone)]
pub(super) struct Context<'a> {
    pub problem: &'a Problem,
    pub tasks: usize,
    pub nodes: usize,
    pub dims: usize,
    /// Per task: (node, duration) where it can run.
    pub options: Vec<Vec<(NodeId, Time)>>,
    /// Per task: its duration on each node (`None`: cannot run there).
    pub duration: Vec<Vec<Option<Time>>>,
    /// Per task: the longest chain after it (CPM tail without itself).
    pub after: Vec<Time>,
    /// Per task: its smallest duration.
    pub min_duration: Vec<Time>,
    /// Per node: its class of identical nodes (smallest node id of the class).
    pub class: Vec<usize>,
    /// Per dimension: the total capacity of the cluster.
    pub supply: Vec<u128>,
    /// Tasks by decreasing CPM tail, ties to the smallest id: the branching order.
    pub priority: Vec<TaskId>,
    /// Keys pack an entry in one word when tasks < 2^15 and times < 2^46.
    pub compact: bool,
    /// Per task: the latest finish its deadlines allow (CPM, `Time::MAX` when none).
    pub due: Vec<Time>,
}

impl<'a> Context<'a> {
    pub fn new(problem: &'a Problem) -> Self {
        let tasks = problem.task_count();
        let nodes = problem.node_count();
        let options: Vec<Vec<(NodeId, Time)>> = problem.tasks().map(|t| problem.options(t).collect()).collect();
        let duration: Vec<Vec<Option<Time>>> =
            problem.tasks().map(|t| problem.nodes().map(|n| problem.duration_on(t, n)).collect()).collect();
        let min_duration: Vec<Time> = problem.tasks().map(|t| problem.min_duration(t)).collect();
        let tail =
            longest_path_to_end(problem, |t| problem.min_duration(t), |from, e| unavoidable_delay(problem, from, e));
        let after: Vec<Time> = tail.iter().zip(&min_duration).map(|(&total, &own)| total.saturating_sub(own)).collect();
        let class: Vec<usize> = problem
            .nodes()
            .map(|n| {
                problem
                    .nodes()
                    .find(|&m| {
                        problem.capacity(m) == problem.capacity(n)
                            && problem.unavailable(m) == problem.unavailable(n)
                            && duration.iter().all(|row| row.get(m.index()) == row.get(n.index()))
                    })
                    .map_or(n.index(), NodeId::index)
            })
            .collect();
        let supply = (0..problem.resource_count())
            .map(|r| problem.nodes().map(|n| u128::from(problem.capacity(n).get(r).copied().unwrap_or(0))).sum())
            .collect();
        let mut priority: Vec<TaskId> = problem.tasks().collect();
        priority.sort_by_key(|&t| (std::cmp::Reverse(tail.get(t.index()).copied().unwrap_or(0)), t));
        let compact = tasks < (1 << 15) && problem.horizon() < (1 << 46);
        let cpm = crate::graph::Cpm::analyze(problem);
        let due = problem.tasks().map(|t| cpm.due(t).unwrap_or(Time::MAX)).collect();
        Self {
            problem,
            tasks,
            nodes,
            dims: problem.resource_count(),
            options,
            duration,
            after,
            min_duration,
            class,
            supply,
            priority,
            compact,
            due,
        }
    }

    pub fn duration_on(&self, task: TaskId, node: NodeId) -> Time {
        self.duration.get(task.index()).and_then(|r| r.get(node.index())).copied().flatten().unwrap_or(0)
    }

    /// The initial state: time 0, nothing started.
    pub fn root(&self) -> State {
        State {
            time: 0,
            finished: vec![0; self.tasks.div_ceil(64)],
            finished_count: 0,
            running: Vec::new(),
            placed: vec![(NONE, 0); self.tasks],
            forbidden: Vec::new(),
        }
    }

    /// The finish time of a started task.
    pub fn finish_of(&self, state: &State, task: TaskId) -> Option<Time> {
        let &(node, start) = state.placed.get(task.index())?;
        (node != NONE).then(|| start + self.duration_on(task, NodeId(node)))
    }

    /// The latest finish the deadlines allow the task (`Time::MAX` when none does).
    pub fn due(&self, task: TaskId) -> Time {
        self.due.get(task.index()).copied().unwrap_or(Time::MAX)
    }

    /// When `task` (all predecessors finished) may start on `node`: the latest predecessor
    /// finish, plus the transfer delay for those on other nodes, no earlier than the time
    /// rules allow ([`Problem::not_before`]).
    pub fn ready_on(&self, state: &State, task: TaskId, node: NodeId) -> Time {
        self.problem
            .predecessors(task)
            .iter()
            .map(|e| {
                let (at, _) = state.placed.get(e.task.index()).copied().unwrap_or((NONE, 0));
                let finish = self.finish_of(state, e.task).unwrap_or(0);
                if at == node.0 { finish } else { finish + e.delay }
            })
            .max()
            .unwrap_or(0)
            .max(self.problem.not_before(task))
    }

    /// Whether every predecessor of `task` has finished.
    pub fn preds_finished(&self, state: &State, task: TaskId) -> bool {
        self.problem.predecessors(task).iter().all(|e| is_set(&state.finished, e.task))
    }

    /// Whether `task` has started (running or finished).
    pub fn started(state: &State, task: TaskId) -> bool {
        state.placed.get(task.index()).is_some_and(|&(n, _)| n != NONE)
    }

    /// A lower bound on the makespan of every completion of the state: critical paths of
    /// the running and waiting tasks, and the remaining resource energy per dimension;
    /// `Time::MAX` when a task can no longer meet the latest finish its deadlines allow.
    pub fn bound(&self, state: &State) -> Time {
        let t = state.time;
        if self.problem.has_deadlines() || self.problem.has_fixed_tasks() {
            let late = self.problem.tasks().any(|task| {
                !Self::started(state, task)
                    && t.saturating_add(self.min_duration.get(task.index()).copied().unwrap_or(0)) > self.due(task)
            });
            if late {
                return Time::MAX;
            }
        }
        let mut rest: Time = 0;
        let mut energy = vec![0u128; self.dims];
        for r in &state.running {
            let left = r.finish.saturating_sub(t);
            rest = rest.max(left + self.after.get(r.task.index()).copied().unwrap_or(0));
            for (e, &q) in energy.iter_mut().zip(self.problem.demand(r.task)) {
                *e += u128::from(left) * u128::from(q);
            }
        }
        for task in self.problem.tasks() {
            if Self::started(state, task) {
                continue;
            }
            let d = self.min_duration.get(task.index()).copied().unwrap_or(0);
            for (e, &q) in energy.iter_mut().zip(self.problem.demand(task)) {
                *e += u128::from(d) * u128::from(q);
            }
            if self.preds_finished(state, task) {
                let options = self.options.get(task.index()).map_or(&[][..], Vec::as_slice);
                let first = options
                    .iter()
                    .map(|&(n, d)| self.ready_on(state, task, n).saturating_sub(t) + d)
                    .min()
                    .unwrap_or(0);
                rest = rest.max(first + self.after.get(task.index()).copied().unwrap_or(0));
            }
        }
        for (e, &s) in energy.iter().zip(&self.supply) {
            if *e > 0 && s > 0 {
                rest = rest.max(Time::try_from(e.div_ceil(s)).unwrap_or(Time::MAX));
            }
        }
        t.saturating_add(rest)
    }

    /// Whether a finished task's placement still matters: some successor has not started
    /// and the transfer delay to it has not elapsed.
    fn window_open(&self, state: &State, task: TaskId, finish: Time) -> bool {
        self.problem
            .successors(task)
            .iter()
            .any(|e| e.delay > 0 && finish + e.delay > state.time && !Self::started(state, e.task))
    }

    /// Per node, what distinguishes it in the state: running tasks (kind 0, time left),
    /// finished tasks whose delay window is open (kind 1, age) and forbidden starts (kind 2).
    pub fn node_signatures(&self, state: &State) -> Vec<Signature> {
        let mut sig: Vec<Signature> = vec![Vec::new(); self.nodes];
        for r in &state.running {
            if let Some(s) = sig.get_mut(r.node.index()) {
                s.push((0, r.task.0, r.finish - state.time));
            }
        }
        for task in self.problem.tasks() {
            if !is_set(&state.finished, task) {
                continue;
            }
            let Some(finish) = self.finish_of(state, task) else { continue };
            if self.window_open(state, task, finish) {
                let node = state.placed.get(task.index()).map_or(NONE, |p| p.0);
                if let Some(s) = sig.get_mut(node as usize) {
                    s.push((1, task.0, state.time - finish));
                }
            }
        }
        for &(task, node) in &state.forbidden {
            if let Some(s) = sig.get_mut(node.index()) {
                s.push((2, task.0, 0));
            }
        }
        for s in &mut sig {
            s.sort_unstable();
        }
        sig
    }

    /// The canonical key of a state, the same for states that differ only by the time (all
    /// times are relative; not under time rules) or by a permutation of identical nodes
    /// (their signatures are sorted within each class).
    pub fn key(&self, state: &State) -> Box<[u64]> {
        let sig = self.node_signatures(state);
        let mut key: Vec<u64> = state.finished.clone();
        // Under time rules (release dates, downtime, deadlines, fixed tasks) states at
        // different times differ, and a state may recur after waiting for a release: only
        // states at the same time share a key.
        if self.problem.has_time_rules() {
            key.push(state.time);
        }
        let mut by_class: Vec<(usize, &Signature)> =
            sig.iter().enumerate().map(|(n, s)| (self.class.get(n).copied().unwrap_or(n), s)).collect();
        by_class.sort();
        for (class, s) in by_class {
            key.push(((class as u64) << 32) | s.len() as u64);
            for &(kind, task, rel) in s {
                if self.compact {
                    key.push((u64::from(kind) << 62) | (u64::from(task) << 46) | rel);
                } else {
                    key.push((u64::from(kind) << 62) | u64::from(task));
                    key.push(rel);
                }
            }
        }
        key.into_boxed_slice()
    }

    /// The schedule of a state in which every task has started.
    pub fn schedule(&self, state: &State) -> Schedule {
        let assignments = self
            .problem
            .tasks()
            .filter_map(|task| {
                let &(node, start) = state.placed.get(task.index())?;
                let node = NodeId(node);
                (node.0 != NONE).then(|| Assignment { task, node, start, finish: start + self.duration_on(task, node) })
            })
            .collect();
        Schedule::new(assignments)
    }
}

/// Whether a task is in a bitset.
pub(super) fn is_set(bits: &[u64], task: TaskId) -> bool {
    bits.get(task.index() / 64).is_some_and(|w| w >> (task.index() % 64) & 1 == 1)
}

/// Adds a task to a bitset.
pub(super) fn set(bits: &mut [u64], task: TaskId) {
    if let Some(w) = bits.get_mut(task.index() / 64) {
        *w |= 1 << (task.index() % 64);
    }
}

/// The memo: for each canonical key, the earliest time at which it was reached and fully
/// explored (or is being explored: only ancestors, which cannot recur).
pub(super) type Memo = HashMap<Box<[u64]>, Time>;
