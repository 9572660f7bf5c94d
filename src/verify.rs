//! The independent checker, [`Schedule::verify`]: does a schedule obey every rule of its
//! problem? (This file depends on `schedule.rs`, never the other way.)
//!
//! Written apart from every solver and sharing no code with them beyond the problem's
//! accessors, so a solver bug cannot hide behind a checker bug. Rules checked:
//!
//! 1. every task is assigned exactly once, to a node that exists;
//! 2. the node is eligible for the task and large enough for its demand;
//! 3. `finish = start + duration` of the task on that node;
//! 4. every dependency holds: `start(b) >= finish(a)`, plus the transfer delay when `a` and
//!    `b` run on different nodes;
//! 5. at every instant and in every dimension, the tasks running on a node use at most its
//!    capacity. Intervals are half-open `[start, finish)`: a task finishing at `t` frees its
//!    demand for one starting at `t`, and a zero-length task uses nothing.
//! 6. the time rules: a fixed task runs exactly where and when it is fixed; no task starts
//!    before its release date, and no task that is not fixed before the plan's start `now`;
//!    no task finishes after its deadline; no task runs during a downtime window of its node
//!    (`[start, finish)` meets `[from, to)`; a zero-length task runs at the instant `start`).
//!
//! O(n log n + dependencies) time for n assignments; arithmetic is done in `u128`, so any
//! `u64` schedule is checked without overflow.

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::{Assignment, Schedule};

/// One broken rule, naming the tasks, nodes and numbers involved.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// A task of the problem has no assignment.
    MissingTask {
        /// The task.
        task: String,
    },
    /// A task is assigned more than once.
    DuplicateTask {
        /// The task.
        task: String,
        /// How many assignments it has.
        count: usize,
    },
    /// An assignment's task id is not a task of the problem.
    UnknownTask {
        /// The out-of-range id.
        task: TaskId,
    },
    /// An assignment's node id is not a node of the problem.
    UnknownNode {
        /// The task.
        task: String,
        /// The out-of-range id.
        node: NodeId,
    },
    /// The task is not allowed on the node (eligibility list).
    IneligibleNode {
        /// The task.
        task: String,
        /// The node.
        node: String,
    },
    /// The node is too small for the task in some dimension.
    NodeTooSmall {
        /// The task.
        task: String,
        /// The node.
        node: String,
        /// The dimension.
        resource: String,
        /// The task's demand.
        demand: u64,
        /// The node's capacity.
        capacity: u64,
    },
    /// `finish - start` differs from the task's duration on that node.
    WrongDuration {
        /// The task.
        task: String,
        /// The node.
        node: String,
        /// The duration the task has there.
        expected: Time,
        /// The assignment's start.
        start: Time,
        /// The assignment's finish.
        finish: Time,
    },
    /// A task starts before a predecessor's finish (plus delay across nodes).
    Precedence {
        /// The task that must finish first.
        before: String,
        /// The task that started too early.
        after: String,
        /// The delay that applies (0 on the same node).
        delay: Time,
        /// The earliest start the dependency allows.
        earliest: u128,
        /// The actual start.
        start: Time,
    },
    /// The tasks running on a node at some instant use more than its capacity.
    OverCapacity {
        /// The node.
        node: String,
        /// The dimension.
        resource: String,
        /// The first instant of the overload.
        time: Time,
        /// The total demand then.
        used: u128,
        /// The node's capacity.
        capacity: u64,
        /// The tasks running then, by name.
        tasks: Vec<String>,
    },
    /// A fixed task is not where or when it is fixed.
    FixedMoved {
        /// The task.
        task: String,
        /// The node it is fixed on.
        fixed_node: String,
        /// The start it is fixed at.
        fixed_start: Time,
        /// The node it was given.
        node: String,
        /// The start it was given.
        start: Time,
    },
    /// A task starts before its release date.
    BeforeRelease {
        /// The task.
        task: String,
        /// Its release date.
        release: Time,
        /// Its start.
        start: Time,
    },
    /// A task that is not fixed starts before the plan's start `now`.
    BeforeNow {
        /// The task.
        task: String,
        /// The plan's start.
        now: Time,
        /// Its start.
        start: Time,
    },
    /// A task finishes after its deadline.
    AfterDeadline {
        /// The task.
        task: String,
        /// Its deadline.
        deadline: Time,
        /// Its finish.
        finish: Time,
    },
    /// A task runs while its node is unavailable.
    DuringDowntime {
        /// The task.
        task: String,
        /// The node.
        node: String,
        /// The task's start.
        start: Time,
        /// The task's finish.
        finish: Time,
        /// The downtime window's start.
        from: Time,
        /// The downtime window's end.
        to: Time,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingTask { task } => write!(f, "task `{task}` is not scheduled"),
            Self::DuplicateTask { task, count } => write!(f, "task `{task}` is scheduled {count} times"),
            Self::UnknownTask { task } => write!(f, "assignment of unknown task id {}", task.0),
            Self::UnknownNode { task, node } => write!(f, "task `{task}` is assigned to unknown node id {}", node.0),
            Self::IneligibleNode { task, node } => write!(f, "task `{task}` may not run on node `{node}`"),
            Self::NodeTooSmall { task, node, resource, demand, capacity } => {
                write!(f, "task `{task}` needs {demand} {resource} but node `{node}` has only {capacity}")
            }
            Self::WrongDuration { task, node, expected, start, finish } => {
                write!(f, "task `{task}` runs [{start}, {finish}) on `{node}` but its duration there is {expected}")
            }
            Self::Precedence { before, after, delay, earliest, start } => {
                write!(f, "task `{after}` starts at {start}, before `{before}` allows ({earliest}, delay {delay})")
            }
            Self::OverCapacity { node, resource, time, used, capacity, tasks } => write!(
                f,
                "node `{node}` uses {used} {resource} at time {time}, capacity {capacity} (running: {})",
                tasks.join(", ")
            ),
            Self::FixedMoved { task, fixed_node, fixed_start, node, start } => {
                write!(f, "task `{task}` is fixed on `{fixed_node}` at {fixed_start} but runs on `{node}` from {start}")
            }
            Self::BeforeRelease { task, release, start } => {
                write!(f, "task `{task}` starts at {start}, before its release {release}")
            }
            Self::BeforeNow { task, now, start } => {
                write!(f, "task `{task}` starts at {start}, before the plan's start (now = {now})")
            }
            Self::AfterDeadline { task, deadline, finish } => {
                write!(f, "task `{task}` finishes at {finish}, after its deadline {deadline}")
            }
            Self::DuringDowntime { task, node, start, finish, from, to } => write!(
                f,
                "task `{task}` runs [{start}, {finish}) on `{node}`, which is unavailable over [{from}, {to})"
            ),
        }
    }
}

/// A schedule that breaks rules of its problem: every violation found, displayed one per
/// line after a count.
///
/// ```
/// use dagplan::Schedule;
/// let problem = dagplan::example::five_tasks()?;
/// let error = Schedule::default().verify(&problem).unwrap_err();
/// assert_eq!(error.violations.len(), 5);
/// assert!(error.to_string().starts_with("the schedule breaks 5 rules:\n  task `v1` is not scheduled\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// Every violation found (never empty), in the order of the rules above.
    pub violations: Vec<Violation>,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(f, "the schedule breaks {n} rule{}:", if n == 1 { "" } else { "s" })?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyError {}

impl Schedule {
    /// Checks every rule of the problem independently of every solver (the rules are listed
    /// in [`Violation`]'s variants); `Err` lists every violation found.
    ///
    /// Rules: every task assigned exactly once to a node that exists; the node eligible and
    /// large enough; `finish = start + duration` there; every dependency holds
    /// (`start(b) >= finish(a)`, plus the transfer delay across nodes); at every instant and
    /// in every dimension the tasks running on a node use at most its capacity, intervals
    /// being half-open `[start, finish)`; the time rules (fixed tasks where and when fixed,
    /// no start before a release date or the plan's start, no finish after a deadline, no
    /// run during a node's downtime). O(n log n + dependencies) for n assignments, in `u128`
    /// arithmetic, so any `u64` schedule is checked without overflow.
    pub fn verify(&self, problem: &Problem) -> Result<(), VerifyError> {
        check(problem, self).map_err(|violations| VerifyError { violations })
    }
}

/// Checks `schedule` against `problem`; `Err` holds every violation found.
fn check(problem: &Problem, schedule: &Schedule) -> Result<(), Vec<Violation>> {
    let mut violations = Vec::new();
    let name = |t: TaskId| problem.task_name(t).to_owned();
    let node_name = |n: NodeId| problem.node_name(n).to_owned();

    // Rule 1: exactly once, known ids. Per task: its first assignment and how many it has.
    let mut seen: Vec<(Option<&Assignment>, usize)> = vec![(None, 0); problem.task_count()];
    for a in schedule.assignments() {
        let Some((first, count)) = seen.get_mut(a.task.index()) else {
            violations.push(Violation::UnknownTask { task: a.task });
            continue;
        };
        if a.node.index() >= problem.node_count() {
            violations.push(Violation::UnknownNode { task: name(a.task), node: a.node });
            continue;
        }
        first.get_or_insert(a);
        *count += 1;
    }
    for (t, &(_, count)) in problem.tasks().zip(&seen) {
        match count {
            0 => violations.push(Violation::MissingTask { task: name(t) }),
            1 => {}
            c => violations.push(Violation::DuplicateTask { task: name(t), count: c }),
        }
    }
    let first: Vec<Option<&Assignment>> = seen.iter().map(|&(first, _)| first).collect();
    let placed: Vec<&Assignment> = first.iter().flatten().copied().collect();

    // Rules 2 and 3: node allowed, large enough, right duration.
    for a in &placed {
        if !problem.is_eligible(a.task, a.node) {
            violations.push(Violation::IneligibleNode { task: name(a.task), node: node_name(a.node) });
        }
        let mut dimensions = problem.resources().iter().zip(problem.demand(a.task)).zip(problem.capacity(a.node));
        if let Some(((resource, &demand), &capacity)) = dimensions.find(|((_, d), c)| d > c) {
            violations.push(Violation::NodeTooSmall {
                task: name(a.task),
                node: node_name(a.node),
                resource: resource.clone(),
                demand,
                capacity,
            });
        }
        let expected = problem.listed_duration(a.task, a.node);
        if u128::from(a.finish) != u128::from(a.start) + u128::from(expected) {
            violations.push(Violation::WrongDuration {
                task: name(a.task),
                node: node_name(a.node),
                expected,
                start: a.start,
                finish: a.finish,
            });
        }
    }

    // Rule 4: dependencies.
    for a in &placed {
        for e in problem.predecessors(a.task) {
            let Some(Some(p)) = first.get(e.task.index()) else { continue };
            let delay = if p.node == a.node { 0 } else { e.delay };
            let earliest = u128::from(p.finish) + u128::from(delay);
            if u128::from(a.start) < earliest {
                violations.push(Violation::Precedence {
                    before: name(e.task),
                    after: name(a.task),
                    delay,
                    earliest,
                    start: a.start,
                });
            }
        }
    }

    // Rule 5: capacity, by a sweep over start and finish events per node.
    check_capacity(problem, &placed, &mut violations);

    // Rule 6: the time rules.
    check_time_rules(problem, &placed, &mut violations);

    if violations.is_empty() { Ok(()) } else { Err(violations) }
}

fn check_time_rules(problem: &Problem, placed: &[&Assignment], violations: &mut Vec<Violation>) {
    let name = |t: TaskId| problem.task_name(t).to_owned();
    for a in placed {
        let fixed = problem.fixed(a.task);
        if let Some(f) = fixed
            && (f.node != a.node || f.start != a.start)
        {
            violations.push(Violation::FixedMoved {
                task: name(a.task),
                fixed_node: problem.node_name(f.node).to_owned(),
                fixed_start: f.start,
                node: problem.node_name(a.node).to_owned(),
                start: a.start,
            });
        }
        let release = problem.release(a.task);
        if a.start < release {
            violations.push(Violation::BeforeRelease { task: name(a.task), release, start: a.start });
        }
        if fixed.is_none() && a.start < problem.now() {
            violations.push(Violation::BeforeNow { task: name(a.task), now: problem.now(), start: a.start });
        }
        if let Some(deadline) = problem.deadline(a.task)
            && a.finish > deadline
        {
            violations.push(Violation::AfterDeadline { task: name(a.task), deadline, finish: a.finish });
        }
        // A task occupies [start, finish), or the instant `start` when it has no length.
        let end = u128::from(a.finish).max(u128::from(a.start) + 1);
        for w in problem.unavailable(a.node) {
            if u128::from(a.start) < u128::from(w.to) && u128::from(w.from) < end {
                violations.push(Violation::DuringDowntime {
                    task: name(a.task),
                    node: problem.node_name(a.node).to_owned(),
                    start: a.start,
                    finish: a.finish,
                    from: w.from,
                    to: w.to,
                });
            }
        }
    }
}

fn check_capacity(problem: &Problem, placed: &[&Assignment], violations: &mut Vec<Violation>) {
    let width = problem.resource_count();
    let mut events: Vec<(NodeId, Time, bool, TaskId)> = Vec::with_capacity(placed.len() * 2);
    for a in placed {
        if a.finish > a.start {
            events.push((a.node, a.start, true, a.task));
            events.push((a.node, a.finish, false, a.task));
        }
    }
    // Per node, by time, finishes (false) before starts (true).
    events.sort_unstable();
    let mut i = 0;
    while let Some(&(node, ..)) = events.get(i) {
        let capacity = problem.capacity(node);
        let mut used = vec![0u128; width];
        let mut over = vec![false; width];
        let mut running: BTreeSet<TaskId> = BTreeSet::new();
        while let Some(&(n, time, is_start, task)) = events.get(i) {
            if n != node {
                break;
            }
            for (u, &d) in used.iter_mut().zip(problem.demand(task)) {
                if is_start { *u += u128::from(d) } else { *u = u.saturating_sub(u128::from(d)) }
            }
            if is_start {
                running.insert(task)
            } else {
                running.remove(&task)
            };
            i += 1;
            // Judge the instant once all its events are applied.
            if events.get(i).is_some_and(|e| e.0 == node && e.1 == time) {
                continue;
            }
            let dimensions = problem.resources().iter().zip(&used).zip(capacity).zip(over.iter_mut());
            for (((resource, &u), &c), was_over) in dimensions {
                if u > u128::from(c) && !*was_over {
                    violations.push(Violation::OverCapacity {
                        node: problem.node_name(node).to_owned(),
                        resource: resource.clone(),
                        time,
                        used: u,
                        capacity: c,
                        tasks: running.iter().map(|&t| problem.task_name(t).to_owned()).collect(),
                    });
                }
                *was_over = u > u128::from(c);
            }
        }
    }
}
