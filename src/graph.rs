//! The dependency DAG: longest paths and the critical path method (CPM).
//!
//! All passes walk [`Problem::topological_order`] forwards or backwards: O(tasks +
//! dependencies) time and O(tasks) memory, with no recursion.
//!
//! The analysis runs on the problem's *relaxation*: each task at its shortest duration over
//! the nodes it can run on, and a transfer delay counted only when it is unavoidable (the two
//! tasks share no node they can both run on). Every schedule is therefore at least as long as
//! the CPM length, which makes it a lower bound ([`crate::bounds`]). Reference: Kelley and
//! Walker, "Critical-path planning and scheduling" (1959).

use crate::model::{Edge, Problem, TaskId, Time};

/// The transfer delay of `from -> edge.task` that no placement can avoid: the edge's delay
/// when the two tasks have no node in common they can both run on, else 0.
pub fn unavoidable_delay(problem: &Problem, from: TaskId, edge: Edge) -> Time {
    if edge.delay == 0 {
        return 0;
    }
    let to = edge.task;
    let shared = match (problem.eligible_nodes(from), problem.eligible_nodes(to)) {
        (None, None) => return 0, // co-location is possible in the relaxation
        (Some(list), _) => {
            list.iter().any(|&n| problem.duration_on(from, n).is_some() && problem.duration_on(to, n).is_some())
        }
        (None, Some(list)) => {
            list.iter().any(|&n| problem.duration_on(from, n).is_some() && problem.duration_on(to, n).is_some())
        }
    };
    if shared { 0 } else { edge.delay }
}

/// For each task, the longest path from it to the end of the DAG, counting its own duration
/// (`duration(t)`) and the delays `delay(from, edge)`: the "upward rank" of HEFT and the
/// "tail" of RCPSP bounds. Saturates instead of overflowing.
pub fn longest_path_to_end(
    problem: &Problem,
    duration: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<Time> {
    let mut tail = vec![0; problem.task_count()];
    for &t in problem.topological_order().iter().rev() {
        let after = problem
            .successors(t)
            .iter()
            .map(|&e| delay(t, e).saturating_add(tail.get(e.task.index()).copied().unwrap_or(0)))
            .max()
            .unwrap_or(0);
        if let Some(slot) = tail.get_mut(t.index()) {
            *slot = duration(t).saturating_add(after);
        }
    }
    tail
}

/// For each task, the longest path from the start of the DAG to its start ("head"), no
/// earlier than the time rules allow the task ([`Problem::not_before`]: its release date,
/// `now`, or its fixed start).
pub fn longest_path_from_start(
    problem: &Problem,
    duration: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<Time> {
    let mut head: Vec<Time> = vec![0; problem.task_count()];
    for &t in problem.topological_order() {
        let start = problem
            .predecessors(t)
            .iter()
            .map(|&e| {
                let before = head.get(e.task.index()).copied().unwrap_or(0);
                let back = Edge { task: t, delay: e.delay };
                before.saturating_add(duration(e.task)).saturating_add(delay(e.task, back))
            })
            .max()
            .unwrap_or(0)
            .max(problem.not_before(t));
        if let Some(slot) = head.get_mut(t.index()) {
            *slot = start;
        }
    }
    head
}

/// For each task, the latest finish its own deadline and those of the tasks after it allow
/// (`Time::MAX` when no deadline constrains it; a fixed task's finish counts as a deadline): the deadline pass of CPM, backwards over the
/// DAG with the same durations and delays as the heads.
pub fn latest_finish_by_deadlines(
    problem: &Problem,
    duration: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<Time> {
    let mut due = vec![Time::MAX; problem.task_count()];
    if !problem.has_deadlines() && !problem.has_fixed_tasks() {
        return due;
    }
    for &t in problem.topological_order().iter().rev() {
        let by_successors = problem
            .successors(t)
            .iter()
            .map(|&e| {
                let after = due.get(e.task.index()).copied().unwrap_or(Time::MAX);
                if after == Time::MAX {
                    return Time::MAX;
                }
                after.saturating_sub(duration(e.task)).saturating_sub(delay(t, e))
            })
            .min()
            .unwrap_or(Time::MAX);
        // A fixed task finishes where it is fixed: that is a deadline, too.
        let fixed = problem.fixed(t).map(|f| f.start.saturating_add(duration(t)));
        let own = problem.deadline(t).into_iter().chain(fixed).min().unwrap_or(Time::MAX);
        if let Some(slot) = due.get_mut(t.index()) {
            *slot = by_successors.min(own);
        }
    }
    due
}

/// Critical path analysis of a problem's relaxation (see the [module docs](self)).
///
/// ```
/// let problem = dagplan::example::five_tasks();
/// let cpm = dagplan::Cpm::analyze(&problem);
/// assert_eq!(cpm.length(), 70);
/// let path: Vec<&str> = cpm.critical_path().iter().map(|&t| problem.task_name(t)).collect();
/// assert_eq!(path, ["v1", "v3", "v4", "v5"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpm {
    duration: Vec<Time>,
    earliest_start: Vec<Time>,
    latest_start: Vec<Time>,
    length: Time,
    deadline: Time,
    path: Vec<TaskId>,
    due: Vec<Time>,
}

impl Cpm {
    /// Analyses the problem with the deadline equal to the critical path length.
    pub fn analyze(problem: &Problem) -> Self {
        Self::with_deadline(problem, 0)
    }

    /// Analyses the problem against a deadline (latest times are measured from
    /// `max(deadline, length)`).
    pub fn with_deadline(problem: &Problem, deadline: Time) -> Self {
        let duration: Vec<Time> = problem.tasks().map(|t| problem.min_duration(t)).collect();
        let dur = |t: TaskId| duration.get(t.index()).copied().unwrap_or(0);
        let delay = |from: TaskId, e: Edge| unavoidable_delay(problem, from, e);
        let earliest_start = longest_path_from_start(problem, dur, delay);
        let tail = longest_path_to_end(problem, dur, delay);
        let length = problem
            .tasks()
            .map(|t| {
                earliest_start
                    .get(t.index())
                    .copied()
                    .unwrap_or(0)
                    .saturating_add(tail.get(t.index()).copied().unwrap_or(0))
            })
            .max()
            .unwrap_or(0);
        let deadline = deadline.max(length);
        let latest_start: Vec<Time> =
            problem.tasks().map(|t| deadline.saturating_sub(tail.get(t.index()).copied().unwrap_or(0))).collect();
        let path = critical_path(problem, &earliest_start, &tail, length, dur, delay);
        let due = latest_finish_by_deadlines(problem, dur, delay);
        Self { duration, earliest_start, latest_start, length, deadline, path, due }
    }

    /// The critical path length: no schedule is shorter.
    pub fn length(&self) -> Time {
        self.length
    }

    /// The deadline the latest times are measured from.
    pub fn deadline(&self) -> Time {
        self.deadline
    }

    /// Earliest start of a task.
    pub fn earliest_start(&self, task: TaskId) -> Time {
        self.earliest_start.get(task.index()).copied().unwrap_or(0)
    }

    /// Earliest finish of a task.
    pub fn earliest_finish(&self, task: TaskId) -> Time {
        self.earliest_start(task).saturating_add(self.duration(task))
    }

    /// Latest start of a task that still meets the deadline (and every task deadline).
    pub fn latest_start(&self, task: TaskId) -> Time {
        let by_deadline = self.latest_start.get(task.index()).copied().unwrap_or(0);
        match self.due(task) {
            Some(due) => by_deadline.min(due.saturating_sub(self.duration(task))),
            None => by_deadline,
        }
    }

    /// Latest finish of a task that still meets the deadline.
    pub fn latest_finish(&self, task: TaskId) -> Time {
        self.latest_start(task).saturating_add(self.duration(task))
    }

    /// Total slack (float): how far the task can slip without delaying the deadline.
    pub fn slack(&self, task: TaskId) -> Time {
        self.latest_start(task).saturating_sub(self.earliest_start(task))
    }

    /// The duration CPM used for the task (its shortest over the nodes it can run on).
    pub fn duration(&self, task: TaskId) -> Time {
        self.duration.get(task.index()).copied().unwrap_or(0)
    }

    /// Whether the task has zero slack.
    pub fn is_critical(&self, task: TaskId) -> bool {
        self.slack(task) == 0
    }

    /// All tasks with zero slack, in id order.
    pub fn critical_tasks(&self) -> Vec<TaskId> {
        (0..self.earliest_start.len() as u32).map(TaskId).filter(|&t| self.is_critical(t)).collect()
    }

    /// The latest finish the task's deadline and the deadlines after it allow (`None` when
    /// none constrains it). [`latest_finish`](Self::latest_finish) and the slack already
    /// include it.
    pub fn due(&self, task: TaskId) -> Option<Time> {
        self.due.get(task.index()).copied().filter(|&d| d != Time::MAX)
    }

    /// A task whose earliest finish comes after the latest finish the deadlines allow, with
    /// both times: a proof that no schedule meets every deadline.
    pub fn deadline_conflict(&self) -> Option<(TaskId, Time, Time)> {
        (0..self.due.len() as u32).map(TaskId).find_map(|t| {
            let due = self.due(t)?;
            let finish = self.earliest_finish(t);
            (finish > due).then_some((t, finish, due))
        })
    }

    /// One longest path, from its first task to its last (ties broken by smallest id).
    pub fn critical_path(&self) -> &[TaskId] {
        &self.path
    }
}

fn critical_path(
    problem: &Problem,
    head: &[Time],
    tail: &[Time],
    length: Time,
    dur: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<TaskId> {
    let on_path = |t: TaskId| {
        head.get(t.index()).copied().unwrap_or(0).saturating_add(tail.get(t.index()).copied().unwrap_or(0)) == length
    };
    let mut current = problem.tasks().find(|&t| on_path(t) && head.get(t.index()) == Some(&0));
    let mut path = Vec::new();
    while let Some(t) = current {
        path.push(t);
        let finish = head.get(t.index()).copied().unwrap_or(0).saturating_add(dur(t));
        current = problem
            .successors(t)
            .iter()
            .filter(|&&e| {
                on_path(e.task) && head.get(e.task.index()).copied() == Some(finish.saturating_add(delay(t, e)))
            })
            .map(|e| e.task)
            .min();
    }
    path
}
