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

/// The earliest times of the tasks: per task, its start and its finish.
struct Earliest {
    start: PerTask<Time>,
    finish: PerTask<Time>,
}

/// The forward pass: for each task, the earliest start that its predecessors (their finish
/// plus the delay) and the time rules ([`Problem::not_before`]: its release date, `now`, or
/// its fixed start) allow, routed around downtime: the first start from there at which it
/// runs on some node it can run on without meeting a window of that node, and the earliest
/// finish over those nodes, each at its own duration there ([`route_forward`]).
fn earliest(problem: &Problem, duration: impl Fn(TaskId) -> Time, delay: impl Fn(TaskId, Edge) -> Time) -> Earliest {
    let mut start: PerTask<Time> = PerTask::tasks(problem, |_| 0);
    let mut finish: PerTask<Time> = PerTask::tasks(problem, |_| 0);
    let downtime = problem.has_downtime();
    // Topological order: every predecessor's finish is final when it is read.
    for &t in problem.topological_order() {
        let after = problem.predecessors(t).iter().map(|&e| {
            let back = Edge { task: t, delay: e.delay };
            finish[e.task].saturating_add(delay(e.task, back))
        });
        // No predecessor: it starts when the time rules allow it.
        let ready = after.max().unwrap_or(0).max(problem.not_before(t));
        (start[t], finish[t]) = match downtime {
            true => route_forward(problem, t, ready),
            false => (ready, ready.saturating_add(duration(t))),
        };
    }
    Earliest { start, finish }
}

/// The earliest start at or after `ready` at which the task runs on one of its nodes around
/// that node's downtime, and the earliest finish so (each node at its own duration).
fn route_forward(problem: &Problem, task: TaskId, ready: Time) -> (Time, Time) {
    let shortest = problem.min_duration(task);
    let (mut start, mut finish) = (Time::MAX, Time::MAX);
    for (node, d) in problem.options(task) {
        let s = problem.available_from(node, ready, d);
        start = start.min(s);
        finish = finish.min(s.saturating_add(d));
        if s == ready && d == shortest {
            break; // neither can be earlier
        }
    }
    (start, finish)
}

/// The latest times of the tasks: per task, its latest finish and latest start (`Time::MAX`
/// for both when nothing constrains it).
struct Latest {
    finish: PerTask<Time>,
    start: PerTask<Time>,
}

/// The backward pass: for each task, the latest finish that its own deadline, a fixed
/// task's finish (a deadline too), `cap` (a deadline on every task; `Time::MAX` for none) and
/// the latest starts of its successors (minus the delays) allow, routed around downtime like
/// the forward pass ([`route_backward`]), and its latest start.
fn latest(
    problem: &Problem,
    duration: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
    cap: Time,
) -> Latest {
    let mut finish: PerTask<Time> = PerTask::tasks(problem, |_| Time::MAX);
    let mut start: PerTask<Time> = PerTask::tasks(problem, |_| Time::MAX);
    let downtime = problem.has_downtime();
    // Reverse topological order: every successor's latest start is final when it is read.
    for &t in problem.topological_order().iter().rev() {
        let by_successors = problem.successors(t).iter().map(|&e| match start[e.task] {
            Time::MAX => Time::MAX, // unconstrained
            after => after.saturating_sub(delay(t, e)),
        });
        // A fixed task finishes where it is fixed: that is a deadline, too.
        let fixed = problem.fixed(t).map(|f| f.start.saturating_add(duration(t)));
        let own = problem.deadline(t).into_iter().chain(fixed).chain([cap]);
        (finish[t], start[t]) = match by_successors.chain(own).fold(Time::MAX, Time::min) {
            Time::MAX => (Time::MAX, Time::MAX), // nothing: unconstrained
            due if downtime => route_backward(problem, t, due),
            due => (due, due.saturating_sub(duration(t))),
        };
    }
    Latest { finish, start }
}

/// The latest finish by `due` at which the task runs on one of its nodes around that node's
/// downtime, and the latest start so (each node at its own duration). When it fits nowhere
/// (no schedule meets `due`, which the forward pass then shows as an earliest finish after
/// it): `due`, and `due` minus its shortest duration.
fn route_backward(problem: &Problem, task: TaskId, due: Time) -> (Time, Time) {
    let shortest = problem.min_duration(task);
    let mut fits: Option<(Time, Time)> = None;
    for (node, d) in problem.options(task) {
        let Some(s) = problem.available_until(node, due, d) else { continue };
        let (f, s) = fits.map_or((s + d, s), |(f, first)| (f.max(s + d), first.max(s)));
        fits = Some((f, s));
        if f == due && s + shortest == due {
            break; // neither can be later
        }
    }
    fits.unwrap_or((due, due.saturating_sub(shortest)))
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
/// tasks share no node they can both run on); resources are ignored. Time rules count: a task
/// starts no earlier than [`Problem::not_before`], and a fixed task's finish and the task
/// deadlines bound the latest times. **Downtime** counts too: a task whose every node is down
/// at some point of `[start, start + its duration there)` cannot start then, so the forward
/// pass starts it at the first time at which some node it can run on is free for its whole
/// duration there ([`Problem::available_from`]), and finishes it at the earliest finish over
/// those nodes (a later finish than start plus shortest duration when the fastest node is
/// down); the backward passes mirror this from the deadlines ([`Problem::available_until`]).
/// With downtime the passes cost O((tasks + dependencies) + tasks · nodes per task · log
/// windows), stopping at the first node that leaves a task no later start (nothing to pay
/// without downtime). Every schedule that keeps the rules therefore starts and ends each task
/// within its earliest and latest times (against a deadline at least its makespan), and is at
/// least as long as the CPM length, which makes it a lower bound
/// ([`LowerBounds`](crate::LowerBounds)); a task whose earliest finish comes after its latest
/// proves that no schedule meets the deadlines ([`Cpm::deadline_conflict`]).
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
    /// Per task, the earliest finish (at least the head plus the duration; more when downtime
    /// leaves the shortest duration's nodes no room then).
    finish: PerTask<Time>,
    tail: PerTask<Time>,
    /// Per task, the latest finish by the task deadlines (`Time::MAX`: none).
    due: PerTask<Time>,
    /// Per task, the latest finish and start by the deadline and the task deadlines.
    latest: PerTask<(Time, Time)>,
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
        let Earliest { start: head, finish } = earliest(problem, dur, delay);
        let tail = tails(problem, dur, delay);
        // The longest path through each task; 0 for a problem without tasks.
        let through = |t: TaskId| finish[t].saturating_add(tail[t] - duration[t]); // tails include durations
        let length = problem.tasks().map(through).max().unwrap_or(0);
        let path = critical_path(problem, &head, through, &tail, length, dur, delay);
        let deadline = deadline.max(length);
        // The task deadlines alone (skipped when there are none), then with `deadline` on all.
        let due = match problem.has_deadlines() || problem.has_fixed_tasks() {
            true => latest(problem, dur, delay, Time::MAX).finish,
            false => PerTask::tasks(problem, |_| Time::MAX),
        };
        let Latest { finish: late_finish, start: late_start } = latest(problem, dur, delay, deadline);
        let latest = PerTask::tasks(problem, |t| (late_finish[t], late_start[t]));
        Self { duration, head, finish, tail, due, latest, length, deadline, path }
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

    /// Earliest finish of a task: at least its earliest start plus its duration, later when
    /// downtime leaves its fastest nodes no room then.
    pub fn earliest_finish(&self, task: TaskId) -> Time {
        self.finish[task]
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

    /// Latest start of a task that still meets the deadline (and every task deadline),
    /// around downtime: at most the deadline minus its tail.
    pub fn latest_start(&self, task: TaskId) -> Time {
        self.latest[task].1
    }

    /// Latest finish of a task that still meets the deadline (and every task deadline),
    /// around downtime: at most the deadline minus what follows it ([`after`](Self::after)).
    /// Without downtime, its latest start plus its duration.
    pub fn latest_finish(&self, task: TaskId) -> Time {
        self.latest[task].0
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
    /// none constrains it), around downtime. [`latest_finish`](Self::latest_finish) and the
    /// slack already include it.
    pub fn due(&self, task: TaskId) -> Option<Time> {
        Some(self.due[task]).filter(|&d| d != Time::MAX)
    }

    /// A task whose earliest finish comes after the latest finish the deadlines allow, with
    /// both times (each around downtime): a proof that no schedule meets every deadline. Of
    /// several, the one allowed the latest finish (the smallest id on ties): a conflict
    /// spreads back to the tasks before, with earlier latest finishes.
    pub fn deadline_conflict(&self) -> Option<(TaskId, Time, Time)> {
        let conflicts = (0..self.due.values().len() as u32).map(TaskId).filter_map(|t| {
            let due = self.due(t)?;
            let finish = self.earliest_finish(t);
            (finish > due).then_some((t, finish, due))
        });
        conflicts.min_by_key(|&(t, _, due)| (std::cmp::Reverse(due), t))
    }

    /// One longest path, from its first task to its last (ties broken by smallest id).
    pub fn critical_path(&self) -> &[TaskId] {
        &self.path
    }
}

/// One longest path: from the path task that can start first, each step to a successor
/// that gives the task its tail (smallest ids on ties).
fn critical_path(
    problem: &Problem,
    head: &PerTask<Time>,
    through: impl Fn(TaskId) -> Time,
    tail: &PerTask<Time>,
    length: Time,
    dur: impl Fn(TaskId) -> Time,
    delay: impl Fn(TaskId, Edge) -> Time,
) -> Vec<TaskId> {
    let on_path = |t: TaskId| through(t) == length;
    let after = |t: TaskId| tail[t] - dur(t); // a tail includes the task's own duration
    let mut current = problem.tasks().filter(|&t| on_path(t)).min_by_key(|&t| (head[t], t));
    let mut path = Vec::new();
    while let Some(t) = current {
        path.push(t);
        current = problem
            .successors(t)
            .iter()
            .filter(|&&e| on_path(e.task) && after(t) == delay(t, e).saturating_add(tail[e.task]))
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

    /// a (10, on x) then b (5 on x, 2 on y); x is down over [12, 20), y over [0, 30).
    fn around_downtime(b_deadline: Option<Time>) -> Problem {
        let mut b = crate::TaskSpec::new("b", 5).duration_on("y", 2).after("a");
        b.deadline = b_deadline;
        crate::ProblemSpec::new()
            .node(crate::NodeSpec::new("x").unavailable(12, 20))
            .node(crate::NodeSpec::new("y").unavailable(0, 30))
            .task(crate::TaskSpec::new("a", 10).nodes(["x"]))
            .task(b)
            .build()
            .unwrap()
    }

    #[test]
    fn the_passes_route_around_downtime() {
        let cpm = Cpm::analyze(&around_downtime(Some(30)));
        let (a, b) = (TaskId(0), TaskId(1));
        // b is ready at 10; x is free again at 20 (finish 25), y at 30 (finish 32).
        assert_eq!((cpm.earliest_start(b), cpm.earliest_finish(b), cpm.length()), (20, 25, 25));
        // The window, not a, holds b back: the longest path is b alone.
        assert_eq!(cpm.critical_path(), [b]);
        // Back from 25: b starts by 20 on x; a must finish by then, so before the window: by 12.
        assert_eq!((cpm.latest_start(b), cpm.latest_finish(a), cpm.latest_start(a)), (20, 12, 2));
        assert_eq!((cpm.slack(a), cpm.slack(b), cpm.critical_tasks()), (2, 0, vec![b]));
        assert_eq!((cpm.due(a), cpm.due(b)), (Some(12), Some(30)));
        assert_eq!(cpm.deadline_conflict(), None);
        // A deadline of 24 for b: it must run before x's window, so a must finish by 7.
        let cpm = Cpm::analyze(&around_downtime(Some(24)));
        assert_eq!((cpm.due(a), cpm.due(b)), (Some(7), Some(12)));
        assert_eq!(cpm.deadline_conflict(), Some((b, 25, 12)));
    }

    #[test]
    fn heads_and_tails_are_the_longest_paths_of_the_relaxation() {
        for problem in instances() {
            let cpm = Cpm::analyze(&problem);
            let delay = |from: TaskId, e: Edge| unavoidable_delay(&problem, from, e);
            // The passes every solver used to run on its own, now read from the one `Cpm`.
            let tail = longest_path_to_end(&problem, |t| problem.min_duration(t), delay);
            let head = earliest(&problem, |t| problem.min_duration(t), delay).start.values().to_vec();
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
