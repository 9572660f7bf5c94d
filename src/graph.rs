//! The dependency DAG: longest paths and the critical path method ([`Cpm`], whose docs hold
//! the method).

use crate::model::{Edge, PerTask, Problem, TaskId, Time};

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
    tails(problem, duration, delay).values().to_vec()
}

/// [`longest_path_to_end`] as a table.
fn tails(problem: &Problem, duration: impl Fn(TaskId) -> Time, delay: impl Fn(TaskId, Edge) -> Time) -> PerTask<Time> {
    let mut tail: PerTask<Time> = PerTask::tasks(problem, |_| 0);
    // Reverse topological order: every successor's tail is final when it is read.
    for &t in problem.topological_order().iter().rev() {
        let after = problem.successors(t).iter().map(|&e| delay(t, e).saturating_add(tail[e.task])).max();
        tail[t] = duration(t).saturating_add(after.unwrap_or(0)); // no successor: nothing after
    }
    tail
}

/// For each task, the longest path from the start of the DAG to its start ("head"), no
/// earlier than the time rules allow the task ([`Problem::not_before`]: its release date,
/// `now`, or its fixed start).
fn heads(problem: &Problem, duration: impl Fn(TaskId) -> Time, delay: impl Fn(TaskId, Edge) -> Time) -> PerTask<Time> {
    let mut head: PerTask<Time> = PerTask::tasks(problem, |_| 0);
    // Topological order: every predecessor's head is final when it is read.
    for &t in problem.topological_order() {
        let start = problem.predecessors(t).iter().map(|&e| {
            let back = Edge { task: t, delay: e.delay };
            head[e.task].saturating_add(duration(e.task)).saturating_add(delay(e.task, back))
        });
        // No predecessor: it starts when the time rules allow it.
        head[t] = start.max().unwrap_or(0).max(problem.not_before(t));
    }
    head
}

/// For each task, the latest finish its own deadline and those of the tasks after it allow
/// (`Time::MAX` when no deadline constrains it; a fixed task's finish counts as a deadline):
/// the deadline pass of CPM, backwards over the DAG with the same durations and delays as
/// the heads.
fn dues(problem: &Problem, duration: impl Fn(TaskId) -> Time, delay: impl Fn(TaskId, Edge) -> Time) -> PerTask<Time> {
    let mut due: PerTask<Time> = PerTask::tasks(problem, |_| Time::MAX);
    if !problem.has_deadlines() && !problem.has_fixed_tasks() {
        return due;
    }
    // Reverse topological order: every successor's due time is final when it is read.
    for &t in problem.topological_order().iter().rev() {
        let by_successors = problem.successors(t).iter().map(|&e| match due[e.task] {
            Time::MAX => Time::MAX, // unconstrained
            after => after.saturating_sub(duration(e.task)).saturating_sub(delay(t, e)),
        });
        // A fixed task finishes where it is fixed: that is a deadline, too.
        let fixed = problem.fixed(t).map(|f| f.start.saturating_add(duration(t)));
        let own = problem.deadline(t).into_iter().chain(fixed);
        due[t] = by_successors.chain(own).fold(Time::MAX, Time::min); // nothing: unconstrained
    }
    due
}

/// Critical path analysis of a problem's relaxation (the critical path method,
/// CPM): the one source of heads and tails for the bounds and the exact solvers.
///
/// Each task runs at its shortest duration over the nodes it can run on, and a transfer delay
/// counts only when it is unavoidable (when no node can run both tasks). The *head* of a task is its
/// earliest start, its *tail* the longest path from its start to the end of the DAG, its own
/// duration included; the latest times are measured back from a deadline, the critical path
/// length unless a longer one is given ([`Cpm::with_deadline`]).
///
/// All passes walk [`Problem::topological_order`] forwards or backwards: O(tasks +
/// dependencies) time and O(tasks) memory, with no recursion.
///
/// The analysis runs on the problem's *relaxation*: each task at its shortest duration over
/// the nodes it can run on, and a transfer delay counted only when it is unavoidable (the two
/// tasks share no node they can both run on). Every schedule is therefore at least as long as
/// the CPM length, which makes it a lower bound ([`LowerBounds`](crate::LowerBounds)).
/// Reference: Kelley and Walker, "Critical-path planning and scheduling" (1959).
///
/// ```
/// let problem = dagplan::example::five_tasks()?;
/// let cpm = dagplan::Cpm::analyze(&problem);
/// assert_eq!(cpm.length(), 70);
/// let path: Vec<&str> = cpm.critical_path().iter().map(|&t| problem.task_name(t)).collect();
/// assert_eq!(path, ["v1", "v3", "v4", "v5"]);
/// let v4 = problem.task_id("v4").unwrap();
/// assert_eq!((cpm.earliest_start(v4), cpm.tail(v4), cpm.after(v4)), (40, 30, 10));
/// # Ok::<(), dagplan::io::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpm {
    duration: PerTask<Time>,
    head: PerTask<Time>,
    tail: PerTask<Time>,
    /// Per task, the latest finish by the task deadlines (`Time::MAX`: none).
    due: PerTask<Time>,
    length: Time,
    deadline: Time,
    path: Vec<TaskId>,
}

impl Cpm {
    /// Analyses the problem with the deadline equal to the critical path length.
    pub fn analyze(problem: &Problem) -> Self {
        Self::with_deadline(problem, 0)
    }

    /// Analyses the problem against a deadline (latest times are measured from
    /// `max(deadline, length)`).
    pub fn with_deadline(problem: &Problem, deadline: Time) -> Self {
        let duration = PerTask::tasks(problem, |t| problem.min_duration(t));
        let dur = |t: TaskId| duration[t];
        let delay = |from: TaskId, e: Edge| unavoidable_delay(problem, from, e);
        let head = heads(problem, dur, delay);
        let tail = tails(problem, dur, delay);
        // The longest path through each task; 0 for a problem without tasks.
        let length = problem.tasks().map(|t| head[t].saturating_add(tail[t])).max().unwrap_or(0);
        let path = critical_path(problem, &head, &tail, length, dur, delay);
        let due = dues(problem, dur, delay);
        Self { duration, head, tail, due, length, deadline: deadline.max(length), path }
    }

    /// The critical path length: no schedule is shorter.
    pub fn length(&self) -> Time {
        self.length
    }

    /// The deadline the latest times are measured from.
    pub fn deadline(&self) -> Time {
        self.deadline
    }

    /// Earliest start of a task (its head).
    pub fn earliest_start(&self, task: TaskId) -> Time {
        self.head[task]
    }

    /// Earliest finish of a task.
    pub fn earliest_finish(&self, task: TaskId) -> Time {
        self.earliest_start(task).saturating_add(self.duration(task))
    }

    /// The longest path from the task's start to the end of the DAG, its own duration
    /// included (its tail): no schedule ends before the task's start plus this.
    pub fn tail(&self, task: TaskId) -> Time {
        self.tail[task]
    }

    /// The longest path after the task finishes: its tail without its own duration (the
    /// least work that follows it in every schedule).
    pub fn after(&self, task: TaskId) -> Time {
        self.tail(task) - self.duration(task) // a tail includes the task's own duration
    }

    /// Latest start of a task that still meets the deadline (and every task deadline).
    pub fn latest_start(&self, task: TaskId) -> Time {
        let by_deadline = self.deadline - self.tail(task); // the deadline is at least every tail
        match self.due(task) {
            Some(due) => by_deadline.min(due.saturating_sub(self.duration(task))),
            None => by_deadline,
        }
    }

    /// Latest finish of a task that still meets the deadline (and every task deadline).
    pub fn latest_finish(&self, task: TaskId) -> Time {
        self.latest_start(task) + self.duration(task)
    }

    /// Total slack (float): how far the task can slip without delaying the deadline (0 when
    /// the task deadlines leave it none, or conflict).
    pub fn slack(&self, task: TaskId) -> Time {
        self.latest_start(task).saturating_sub(self.earliest_start(task))
    }

    /// The duration CPM used for the task (its shortest over the nodes it can run on).
    pub fn duration(&self, task: TaskId) -> Time {
        self.duration[task]
    }

    /// Whether the task has zero slack.
    pub fn is_critical(&self, task: TaskId) -> bool {
        self.slack(task) == 0
    }

    /// All tasks with zero slack, in id order.
    pub fn critical_tasks(&self) -> Vec<TaskId> {
        (0..self.head.values().len() as u32).map(TaskId).filter(|&t| self.is_critical(t)).collect()
    }

    /// The latest finish the task's deadline and the deadlines after it allow (`None` when
    /// none constrains it). [`latest_finish`](Self::latest_finish) and the slack already
    /// include it.
    pub fn due(&self, task: TaskId) -> Option<Time> {
        Some(self.due[task]).filter(|&d| d != Time::MAX)
    }

    /// A task whose earliest finish comes after the latest finish the deadlines allow, with
    /// both times: a proof that no schedule meets every deadline.
    pub fn deadline_conflict(&self) -> Option<(TaskId, Time, Time)> {
        (0..self.due.values().len() as u32).map(TaskId).find_map(|t| {
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
    head: &PerTask<Time>,
    tail: &PerTask<Time>,
    length: Time,
    dur: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<TaskId> {
    let on_path = |t: TaskId| head[t].saturating_add(tail[t]) == length;
    let mut current = problem.tasks().find(|&t| on_path(t) && head[t] == 0);
    let mut path = Vec::new();
    while let Some(t) = current {
        path.push(t);
        let finish = head[t].saturating_add(dur(t));
        current = problem
            .successors(t)
            .iter()
            .filter(|&&e| on_path(e.task) && head[e.task] == finish.saturating_add(delay(t, e)))
            .map(|e| e.task)
            .min();
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Generator;

    /// Small random instances with eligibility lists, per-node durations and delays.
    fn instances() -> impl Iterator<Item = Problem> {
        (0..150u64).map(|seed| {
            Generator {
                tasks: 5 + (seed % 40) as usize,
                nodes: 1 + (seed % 5) as usize,
                eligibility: (seed % 3) as f64 * 0.3,
                heterogeneity: (seed % 4) as f64 * 0.25,
                max_delay: seed % 6,
                window: 1 + (seed % 9) as usize,
                seed,
                ..Generator::default()
            }
            .generate()
            .unwrap()
        })
    }

    #[test]
    fn heads_and_tails_are_the_longest_paths_of_the_relaxation() {
        for problem in instances() {
            let cpm = Cpm::analyze(&problem);
            let delay = |from: TaskId, e: Edge| unavoidable_delay(&problem, from, e);
            // The passes every solver used to run on its own, now read from the one `Cpm`.
            let tail = longest_path_to_end(&problem, |t| problem.min_duration(t), delay);
            let head = heads(&problem, |t| problem.min_duration(t), delay).values().to_vec();
            for t in problem.tasks() {
                let d = problem.min_duration(t);
                assert_eq!((cpm.tail(t), cpm.earliest_start(t)), (tail[t.index()], head[t.index()]));
                // Bellman's equations, checked edge by edge.
                let after = problem.successors(t).iter().map(|&e| delay(t, e) + cpm.tail(e.task)).max();
                assert_eq!(cpm.tail(t), d + after.unwrap_or(0));
                assert_eq!(cpm.after(t), cpm.tail(t) - d);
                assert!(cpm.earliest_start(t) + cpm.tail(t) <= cpm.length());
            }
        }
    }

    #[test]
    fn latest_times_count_back_from_the_deadline() {
        for problem in instances() {
            let length = Cpm::analyze(&problem).length();
            for deadline in [0, length, length + 17] {
                let cpm = Cpm::with_deadline(&problem, deadline);
                assert_eq!(cpm.deadline(), deadline.max(length));
                for t in problem.tasks() {
                    assert_eq!(cpm.latest_start(t), cpm.deadline() - cpm.tail(t));
                    assert_eq!(cpm.latest_finish(t), cpm.latest_start(t) + cpm.duration(t));
                    assert_eq!(cpm.deadline() - cpm.latest_finish(t), cpm.after(t)); // no task deadlines
                    assert_eq!(cpm.slack(t), cpm.latest_start(t) - cpm.earliest_start(t));
                }
            }
        }
    }
}
