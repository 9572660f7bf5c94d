//! Event states of the recursion, their canonical keys and lower bounds.

use std::collections::HashMap;

use crate::graph::Cpm;
use crate::model::{NodeId, PerNode, PerTask, Problem, TaskId, TaskSet, Time};
use crate::schedule::{Assignment, Schedule};
use crate::solver::SolveError;

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

/// A decision state: the time, the finished set, the running tasks, where every started task
/// runs and when it finishes (to know release times under delays and to rebuild the
/// schedule), and the (task, node) pairs that may not start at this decision point
/// (left-shift dominance).
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    pub time: Time,
    pub finished: TaskSet,
    pub finished_count: usize,
    pub running: Vec<Run>,
    /// Per task: node index (`NONE` if not started) and finish time.
    pub placed: PerTask<(u32, Time)>,
    pub forbidden: Vec<(TaskId, NodeId)>,
}

/// Everything about the problem the recursion looks up, computed once.
#[derive(Debug, Clone)]
pub(super) struct Context<'a> {
    pub problem: &'a Problem,
    pub tasks: usize,
    pub dims: usize,
    /// Per task: (node, duration) where it can run; never empty for a valid problem.
    pub options: PerTask<Vec<(NodeId, Time)>>,
    /// Per task: the longest chain after it ([`Cpm::after`]).
    pub after: PerTask<Time>,
    /// Per task: its smallest duration.
    pub min_duration: PerTask<Time>,
    /// Per node: its class of identical nodes (smallest node id of the class).
    pub class: PerNode<usize>,
    /// Per node: its capacity, one entry per dimension.
    pub capacity: PerNode<Vec<u64>>,
    /// Per dimension: the total capacity of the cluster.
    pub supply: Vec<u128>,
    /// Tasks by decreasing CPM tail, ties to the smallest id: the branching order.
    pub priority: Vec<TaskId>,
    /// Keys pack an entry in one word when tasks < 2^15 and times < 2^46.
    pub compact: bool,
    /// Per task: the latest finish its deadlines allow ([`Cpm::due`], `Time::MAX` when none).
    pub due: PerTask<Time>,
}

impl<'a> Context<'a> {
    pub fn new(problem: &'a Problem) -> Self {
        let tasks = problem.task_count();
        let dims = problem.resource_count();
        let cpm = Cpm::analyze(problem);
        // Same capacity, downtime and duration (or none) for every task: interchangeable.
        let identical = |m: NodeId, n: NodeId| {
            problem.capacity(m) == problem.capacity(n)
                && problem.unavailable(m) == problem.unavailable(n)
                && problem.tasks().all(|t| problem.duration_on(t, m) == problem.duration_on(t, n))
        };
        let class = PerNode::nodes(problem, |n| problem.nodes().find(|&m| identical(m, n)).map_or(n, |m| m).index());
        let mut supply = vec![0u128; dims];
        for n in problem.nodes() {
            for (sum, &c) in supply.iter_mut().zip(problem.capacity(n)) {
                *sum += u128::from(c);
            }
        }
        let mut priority: Vec<TaskId> = problem.tasks().collect();
        priority.sort_by_key(|&t| (std::cmp::Reverse(cpm.tail(t)), t));
        Self {
            problem,
            tasks,
            dims,
            options: PerTask::tasks(problem, |t| problem.options(t).collect()),
            after: PerTask::tasks(problem, |t| cpm.after(t)),
            min_duration: PerTask::tasks(problem, |t| problem.min_duration(t)),
            class,
            capacity: PerNode::nodes(problem, |n| problem.capacity(n).to_vec()),
            supply,
            priority,
            compact: tasks < (1 << 15) && problem.horizon() < (1 << 46),
            due: PerTask::tasks(problem, |t| cpm.due(t).unwrap_or(Time::MAX)), // MAX: no deadline
        }
    }

    /// The latest finish the deadlines allow the task (`Time::MAX` when none does).
    pub fn due(&self, task: TaskId) -> Time {
        self.due[task]
    }

    /// The initial state: time 0, nothing started.
    pub fn root(&self) -> State {
        State {
            time: 0,
            finished: TaskSet::new(self.problem),
            finished_count: 0,
            running: Vec::new(),
            placed: PerTask::tasks(self.problem, |_| (NONE, 0)),
            forbidden: Vec::new(),
        }
    }

    /// When `task` (all predecessors finished) may start on `node`: the latest predecessor
    /// finish, plus the transfer delay for those on other nodes, no earlier than the time
    /// rules allow ([`Problem::not_before`]).
    pub fn ready_on(&self, state: &State, task: TaskId, node: NodeId) -> Time {
        let ready = self.problem.predecessors(task).iter().map(|e| {
            let (at, finish) = state.placed[e.task];
            // Hot loop: the callers ask only once every predecessor has finished.
            debug_assert!(at != NONE, "ready_on: a predecessor of task {} has not started", task.0);
            if at == node.0 { finish } else { finish + e.delay }
        });
        // No predecessor: ready when the time rules allow.
        ready.max().unwrap_or(0).max(self.problem.not_before(task))
    }

    /// Whether every predecessor of `task` has finished.
    pub fn preds_finished(&self, state: &State, task: TaskId) -> bool {
        self.problem.predecessors(task).iter().all(|e| state.finished.contains(e.task))
    }

    /// Whether `task` has started (running or finished).
    pub fn started(state: &State, task: TaskId) -> bool {
        state.placed[task].0 != NONE
    }

    /// A lower bound on the makespan of every completion of the state: critical paths of
    /// the running and waiting tasks, and the remaining resource energy per dimension;
    /// `Time::MAX` when a task can no longer meet the latest finish its deadlines allow.
    pub fn bound(&self, state: &State) -> Time {
        let t = state.time;
        if self.problem.has_deadlines() || self.problem.has_fixed_tasks() {
            let late = self
                .problem
                .tasks()
                .any(|task| !Self::started(state, task) && t.saturating_add(self.min_duration[task]) > self.due(task));
            if late {
                return Time::MAX;
            }
        }
        let mut rest: Time = 0;
        let mut energy = vec![0u128; self.dims];
        for r in &state.running {
            let left = r.finish.saturating_sub(t);
            rest = rest.max(left + self.after[r.task]);
            for (e, &q) in energy.iter_mut().zip(self.problem.demand(r.task)) {
                *e += u128::from(left) * u128::from(q);
            }
        }
        for task in self.problem.tasks() {
            if Self::started(state, task) {
                continue;
            }
            let d = self.min_duration[task];
            for (e, &q) in energy.iter_mut().zip(self.problem.demand(task)) {
                *e += u128::from(d) * u128::from(q);
            }
            if self.preds_finished(state, task) {
                let options = &self.options[task];
                // Hot loop: validation gives every task a node; were it not so, leaving the
                // critical path out would only weaken the bound, never make it wrong.
                debug_assert!(!options.is_empty(), "task {} has no node to run on", task.0);
                let first = options.iter().map(|&(n, d)| self.ready_on(state, task, n).saturating_sub(t) + d).min();
                rest = rest.max(first.unwrap_or(0) + self.after[task]);
            }
        }
        for (e, &s) in energy.iter().zip(&self.supply) {
            if *e > 0 && s > 0 {
                // The energy left fits the horizon: demands are at most the supply.
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
    pub fn node_signatures(&self, state: &State) -> PerNode<Signature> {
        let mut sig: PerNode<Signature> = PerNode::nodes(self.problem, |_| Vec::new());
        for r in &state.running {
            sig[r.node].push((0, r.task.0, r.finish - state.time));
        }
        for task in self.problem.tasks() {
            if !state.finished.contains(task) {
                continue;
            }
            let (node, finish) = state.placed[task]; // finished, so placed
            if self.window_open(state, task, finish) {
                sig[NodeId(node)].push((1, task.0, state.time - finish));
            }
        }
        for &(task, node) in &state.forbidden {
            sig[node].push((2, task.0, 0));
        }
        for s in sig.values_mut() {
            s.sort_unstable();
        }
        sig
    }

    /// The canonical key of a state, the same for states that differ only by the time (all
    /// times are relative; not under time rules) or by a permutation of identical nodes
    /// (their signatures are sorted within each class).
    pub fn key(&self, state: &State) -> Box<[u64]> {
        let sig = self.node_signatures(state);
        let mut key: Vec<u64> = state.finished.words().to_vec();
        // Under time rules (release dates, downtime, deadlines, fixed tasks) states at
        // different times differ, and a state may recur after waiting for a release: only
        // states at the same time share a key.
        if self.problem.has_time_rules() {
            key.push(state.time);
        }
        let mut by_class: Vec<(usize, &Signature)> = self.class.values().iter().copied().zip(sig.values()).collect();
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

    /// The schedule of a state in which every task has started; an unstarted task, or one on
    /// a node it cannot run on, is an internal error.
    pub fn schedule(&self, state: &State) -> Result<Schedule, SolveError> {
        let assignments = self.problem.tasks().map(|task| {
            let (node, finish) = state.placed[task];
            let node = NodeId(node);
            let duration = self.options[task].iter().find(|o| o.0 == node).map(|o| o.1).ok_or_else(|| {
                SolveError::Internal(format!(
                    "dp: task `{}` is not placed on a node it can run on in the final state",
                    self.problem.task_name(task)
                ))
            })?;
            Ok(Assignment { task, node, start: finish - duration, finish })
        });
        Ok(Schedule::new(assignments.collect::<Result<_, SolveError>>()?))
    }
}

/// The memo: for each canonical key, the earliest time at which it was reached and fully
/// explored (or is being explored: only ancestors, which cannot recur).
pub(super) type Memo = HashMap<Box<[u64]>, Time>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_state_with_an_unstarted_task_is_an_internal_error() {
        let problem = crate::example::five_tasks().unwrap();
        let ctx = Context::new(&problem);
        // The root places nothing: rebuilding a schedule from it must fail loudly, not
        // return a schedule with tasks at time 0 or without them.
        match ctx.schedule(&ctx.root()) {
            Err(SolveError::Internal(message)) => assert!(message.contains("`v1`"), "{message}"),
            other => panic!("expected an internal error, got {other:?}"),
        }
    }
}
