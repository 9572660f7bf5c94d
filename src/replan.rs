//! Replanning a live cluster (documented on [`Replan`], the entry point).

use std::collections::HashSet;
use std::time::Instant;

use crate::model::{FixedSpec, ModelError, NodeId, NodeSpec, Problem, TaskId, TaskSpec, Time, WindowSpec};
use crate::schedule::{Assignment, Schedule};
use crate::solver::{Scheduler, Solution, SolveError};

/// Something that happened since the previous plan was made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The task finished at `at` (at or before `now`).
    Finished {
        /// The task.
        task: String,
        /// When it finished.
        at: Time,
    },
    /// The task is running and will finish at `finish` (at or after `now`): its actual or
    /// extended end.
    Running {
        /// The task.
        task: String,
        /// When it will finish.
        finish: Time,
    },
    /// A node joined the cluster.
    NodeAdded(NodeSpec),
    /// A node left the cluster; what ran there is lost and starts again.
    NodeRemoved(String),
    /// A node will be unavailable over `[from, to)`.
    NodeUnavailable {
        /// The node.
        node: String,
        /// First tick of the window.
        from: Time,
        /// First tick after it.
        to: Time,
    },
    /// New work.
    TaskAdded(TaskSpec),
    /// The task is cancelled (whether it ran or not); tasks depending on it no longer wait.
    TaskCancelled(String),
}

/// Why a replanning could not be set up or solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplanError {
    /// An event names a task the previous problem does not have.
    #[error("event names unknown task `{0}`")]
    UnknownTask(String),
    /// An event names a node the previous problem does not have.
    #[error("event names unknown node `{0}`")]
    UnknownNode(String),
    /// The previous plan assigns a task or node id the previous problem does not have.
    #[error("the previous plan does not belong to the previous problem: {0}")]
    ForeignPlan(String),
    /// An event contradicts `now` or the previous plan.
    #[error("event for task `{task}` contradicts the plan at now = {now}: {reason}")]
    Inconsistent {
        /// The task.
        task: String,
        /// The replanning time.
        now: Time,
        /// What is wrong.
        reason: String,
    },
    /// The new problem is invalid.
    #[error("the new problem is invalid: {0}")]
    Model(#[from] ModelError),
    /// The solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// Replanning a live cluster: from the previous plan, a time `now` and what happened since,
/// the new problem, planned again.
///
/// [`Replan::at`]`(now)` collects [`Event`]s (tasks finished, running longer or shorter,
/// nodes added, removed or unavailable, tasks added or cancelled); [`Replan::problem`] turns
/// the previous problem and plan into the new [`Replanning`]; [`Replanning::solve`] plans it
/// with any solver.
///
/// # How the new problem is built
/// Every task of the previous problem is, at `now`:
/// * **finished** when an event says so, or when the plan had it finish at or before `now`
///   and no event says it is still running. It drops out, and so do its dependencies; a
///   finished task whose transfer delay to a task still to run has not elapsed at `now`
///   stays, fixed where and when it ran, so that the delay is paid only across nodes;
/// * **running** when an event says so, or when the plan had it start before `now` and
///   finish after it. It becomes fixed on its node at its start, with its actual or extended
///   duration (a running task that will now miss its deadline keeps running: its deadline is
///   dropped and it is listed in [`Replanning::late`]). A running task whose node is removed,
///   or becomes unavailable while it runs, is lost and starts again like a pending task;
/// * **pending** otherwise: free to be placed anew, no earlier than `now` (a task fixed in
///   the previous problem stays fixed while its node exists).
///
/// Removed nodes disappear from every eligibility list and per-node duration; added tasks may
/// depend on previous tasks (a dependency on a task that finished is dropped).
///
/// # Warm start and stability
/// The previous plan, moved onto the new problem (finished tasks out, running ones as they
/// are, pending ones where and when they were planned), is the **warm start**: when it is
/// still feasible, [`Replanning::solve`] returns it unless the solver finds a strictly shorter
/// plan, so replanning never makes the plan worse. With [`Replan::keep_nodes`], pending tasks
/// stay on their previous node unless planning them freely shortens the plan; either way
/// [`Replanned::moved`] counts the tasks that changed node.
///
/// Building the problem is O((tasks + dependencies + nodes) · log) plus the validation of the
/// new problem; solving costs what the solver costs (twice with `keep_nodes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replan {
    now: Time,
    events: Vec<Event>,
    keep_nodes: bool,
}

/// The state of one task of the previous problem at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Cancelled,
    Finished { node: Option<NodeId>, start: Time, finish: Time },
    Running { node: NodeId, start: Time, finish: Time },
    Pending,
}

impl Replan {
    /// A replanning at time `now`, with no event yet.
    pub fn at(now: Time) -> Self {
        Self { now, ..Self::default() }
    }

    /// Adds an event.
    pub fn event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }

    /// The task finished at `at`.
    pub fn finished(self, task: impl Into<String>, at: Time) -> Self {
        self.event(Event::Finished { task: task.into(), at })
    }

    /// The task is running and will finish at `finish`.
    pub fn running_until(self, task: impl Into<String>, finish: Time) -> Self {
        self.event(Event::Running { task: task.into(), finish })
    }

    /// The node is unavailable over `[from, to)`.
    pub fn node_unavailable(self, node: impl Into<String>, from: Time, to: Time) -> Self {
        self.event(Event::NodeUnavailable { node: node.into(), from, to })
    }

    /// The node left the cluster.
    pub fn node_removed(self, node: impl Into<String>) -> Self {
        self.event(Event::NodeRemoved(node.into()))
    }

    /// A node joined the cluster.
    pub fn node_added(self, node: NodeSpec) -> Self {
        self.event(Event::NodeAdded(node))
    }

    /// New work arrived.
    pub fn task_added(self, task: TaskSpec) -> Self {
        self.event(Event::TaskAdded(task))
    }

    /// The task is cancelled.
    pub fn task_cancelled(self, task: impl Into<String>) -> Self {
        self.event(Event::TaskCancelled(task.into()))
    }

    /// Keep pending tasks on their previous node unless moving them shortens the plan
    /// (default off: every pending task may move).
    pub fn keep_nodes(mut self, on: bool) -> Self {
        self.keep_nodes = on;
        self
    }

    /// Builds the new problem from the previous one and its plan (see [`Replan`]).
    pub fn problem(&self, previous: &Problem, plan: &Schedule) -> Result<Replanning, ReplanError> {
        let mut spec = previous.to_spec();
        let now = self.now;
        let node_of = |name: &str| previous.node_id(name).ok_or_else(|| ReplanError::UnknownNode(name.to_owned()));
        let task_of = |name: &str| previous.task_id(name).ok_or_else(|| ReplanError::UnknownTask(name.to_owned()));

        // Nodes: removed ones go, windows are added, new ones join.
        let mut removed = vec![false; previous.node_count()];
        let mut added_nodes = Vec::new();
        for event in &self.events {
            match event {
                Event::NodeRemoved(name) => *removed.get_mut(node_of(name)?.index()).ok_or_else(foreign)? = true,
                Event::NodeUnavailable { node, from, to } => {
                    let n = node_of(node)?;
                    spec.nodes
                        .get_mut(n.index())
                        .ok_or_else(foreign)?
                        .unavailable
                        .push(WindowSpec { from: *from, to: *to });
                }
                Event::NodeAdded(node) => added_nodes.push(node.clone()),
                _ => {}
            }
        }
        let gone = |n: NodeId| removed.get(n.index()).copied().unwrap_or(true);

        let phases = self.phases(previous, plan, &spec, &gone, task_of)?;

        // Which finished tasks must stay: a delay to a task still to run has not elapsed.
        let stays = |t: TaskId| match phases.get(t.index()) {
            Some(Phase::Finished { node: Some(n), finish, .. }) if !gone(*n) => previous
                .successors(t)
                .iter()
                .any(|e| e.delay > 0 && finish.saturating_add(e.delay) > now && is_open(&phases, e.task)),
            _ => false,
        };
        let keep: Vec<bool> = previous.tasks().map(|t| is_open(&phases, t) || stays(t)).collect();
        let kept = |t: TaskId| keep.get(t.index()).copied().unwrap_or(false);

        let mut late = Vec::new();
        let mut tasks = Vec::new();
        let mut origin = Vec::new();
        for (t, mut task) in previous.tasks().zip(std::mem::take(&mut spec.tasks)) {
            if !kept(t) {
                continue;
            }
            task.after.retain(|d| previous.task_id(d.task()).is_some_and(kept));
            // A finished task that cannot be kept (its node left) still delays its successors.
            for e in previous.predecessors(t) {
                if let Some(Phase::Finished { finish, .. }) = phases.get(e.task.index())
                    && !kept(e.task)
                    && e.delay > 0
                {
                    task.release = task.release.max(finish.saturating_add(e.delay));
                }
            }
            match phases.get(t.index()).copied().unwrap_or(Phase::Pending) {
                Phase::Finished { node: Some(node), start, finish } | Phase::Running { node, start, finish } => {
                    let name = previous.node_name(node).to_owned();
                    task.durations.insert(name.clone(), finish - start);
                    task.fixed = Some(FixedSpec { node: name, start });
                    task.release = task.release.min(start);
                    if task.deadline.is_some_and(|d| finish > d) {
                        task.deadline = None;
                        late.push(task.name.clone());
                    }
                }
                Phase::Pending => {
                    if task.fixed.as_ref().is_some_and(|f| previous.node_id(&f.node).is_none_or(gone)) {
                        task.fixed = None;
                    }
                }
                Phase::Finished { node: None, .. } | Phase::Cancelled => continue,
            }
            origin.push(t);
            tasks.push(task);
        }
        // Added tasks: a dependency on a task that finished or was cancelled is dropped.
        for event in &self.events {
            if let Event::TaskAdded(task) = event {
                let mut task = task.clone();
                task.after.retain(|d| previous.task_id(d.task()).is_none_or(kept));
                tasks.push(task);
            }
        }
        spec.tasks = tasks;
        strip_removed_nodes(&mut spec, previous, &gone);
        spec.nodes.extend(added_nodes);
        spec.now = now;
        let problem = spec.build()?;

        let previous_node: Vec<Option<NodeId>> = problem
            .tasks()
            .map(|t| {
                let old = *origin.get(t.index())?;
                let a = plan.assignment(old)?;
                problem.node_id(previous.node_name(a.node))
            })
            .collect();
        let warm_start = projected(&problem, previous, plan, &origin);
        Ok(Replanning { problem, previous_node, warm_start, late, keep_nodes: self.keep_nodes })
    }

    /// Each previous task's phase at `now`.
    fn phases(
        &self,
        previous: &Problem,
        plan: &Schedule,
        spec: &crate::ProblemSpec,
        gone: &dyn Fn(NodeId) -> bool,
        task_of: impl Fn(&str) -> Result<TaskId, ReplanError>,
    ) -> Result<Vec<Phase>, ReplanError> {
        let now = self.now;
        for a in plan.assignments() {
            if a.task.index() >= previous.task_count() || a.node.index() >= previous.node_count() {
                return Err(ReplanError::ForeignPlan(format!(
                    "assignment of task id {} on node id {}",
                    a.task.0, a.node.0
                )));
            }
        }
        let inconsistent = |t: TaskId, reason: String| ReplanError::Inconsistent {
            task: previous.task_name(t).to_owned(),
            now,
            reason,
        };
        let mut phases: Vec<Phase> = previous
            .tasks()
            .map(|t| match plan.assignment(t) {
                Some(a) if a.finish <= now && a.start < now => {
                    Phase::Finished { node: Some(a.node), start: a.start, finish: a.finish }
                }
                Some(a) if a.start < now => Phase::Running { node: a.node, start: a.start, finish: a.finish },
                _ => Phase::Pending,
            })
            .collect();
        for event in &self.events {
            match event {
                Event::Finished { task, at } => {
                    let t = task_of(task)?;
                    if *at > now {
                        return Err(inconsistent(t, format!("it is reported finished at {at}, after now")));
                    }
                    let a = plan.assignment(t);
                    let start = a.map_or(*at, |a| a.start.min(*at));
                    if let Some(slot) = phases.get_mut(t.index()) {
                        *slot = Phase::Finished { node: a.map(|a| a.node), start, finish: *at };
                    }
                }
                Event::Running { task, finish } => {
                    let t = task_of(task)?;
                    let Some(a) = plan.assignment(t).copied() else {
                        return Err(inconsistent(t, "it is reported running but the plan does not place it".into()));
                    };
                    if a.start > now {
                        return Err(inconsistent(
                            t,
                            format!("it is reported running but was planned to start at {}", a.start),
                        ));
                    }
                    if *finish < now {
                        return Err(inconsistent(t, format!("it is reported running until {finish}, before now")));
                    }
                    if let Some(slot) = phases.get_mut(t.index()) {
                        *slot = Phase::Running { node: a.node, start: a.start, finish: *finish };
                    }
                }
                Event::TaskCancelled(task) => {
                    let t = task_of(task)?;
                    if let Some(slot) = phases.get_mut(t.index()) {
                        *slot = Phase::Cancelled;
                    }
                }
                _ => {}
            }
        }
        // A running task whose node left, or goes down while it runs, is lost: it starts again.
        for phase in &mut phases {
            if let Phase::Running { node, start, finish } = *phase {
                let windows = spec.nodes.get(node.index()).map_or(&[][..], |n| n.unavailable.as_slice());
                let hit = windows.iter().any(|w| start < w.to && w.from < finish.max(start.saturating_add(1)));
                if gone(node) || hit {
                    *phase = Phase::Pending;
                }
            }
        }
        Ok(phases)
    }
}

fn foreign() -> ReplanError {
    ReplanError::ForeignPlan("node id out of range".into())
}

/// Whether the task still has to run or is running.
fn is_open(phases: &[Phase], t: TaskId) -> bool {
    matches!(phases.get(t.index()), Some(Phase::Running { .. } | Phase::Pending))
}

/// Removes the removed nodes from the spec: the node entries, eligibility lists and per-node
/// durations (a task left with an empty eligibility list is a validation error).
fn strip_removed_nodes(spec: &mut crate::ProblemSpec, previous: &Problem, gone: &dyn Fn(NodeId) -> bool) {
    let names: HashSet<String> =
        previous.nodes().filter(|&n| gone(n)).map(|n| previous.node_name(n).to_owned()).collect();
    if names.is_empty() {
        return;
    }
    spec.nodes.retain(|n| !names.contains(&n.name));
    for task in &mut spec.tasks {
        if let Some(nodes) = &mut task.nodes {
            nodes.retain(|n| !names.contains(n));
        }
        task.durations.retain(|n, _| !names.contains(n));
    }
}

/// The previous plan moved onto the new problem, if every task of the new problem has a
/// place in it and it keeps every rule.
fn projected(problem: &Problem, previous: &Problem, plan: &Schedule, origin: &[TaskId]) -> Option<Schedule> {
    let mut assignments = Vec::with_capacity(problem.task_count());
    for t in problem.tasks() {
        let a = match problem.fixed(t) {
            Some(f) => Assignment {
                task: t,
                node: f.node,
                start: f.start,
                finish: f.start + problem.listed_duration(t, f.node),
            },
            None => {
                let old = plan.assignment(*origin.get(t.index())?)?;
                let node = problem.node_id(previous.node_name(old.node))?;
                let duration = problem.duration_on(t, node)?;
                Assignment { task: t, node, start: old.start, finish: old.start.checked_add(duration)? }
            }
        };
        assignments.push(a);
    }
    let schedule = Schedule::new(assignments);
    schedule.verify(problem).is_ok().then_some(schedule)
}

/// The new problem of a replanning, with what the previous plan says about it.
#[derive(Debug, Clone)]
pub struct Replanning {
    /// The new problem: open tasks, running ones fixed, `now` set.
    pub problem: Problem,
    previous_node: Vec<Option<NodeId>>,
    warm_start: Option<Schedule>,
    late: Vec<String>,
    keep_nodes: bool,
}

/// The result of [`Replanning::solve`].
#[derive(Debug, Clone)]
pub struct Replanned {
    /// The new plan, for [`Replanning::problem`].
    pub solution: Solution,
    /// How many tasks of the previous plan run on another node than planned.
    pub moved: usize,
    /// Whether the previous plan (moved onto the new problem) was kept because the solver
    /// found nothing shorter.
    pub kept_previous: bool,
}

impl Replanning {
    /// The previous plan moved onto the new problem, when it is still feasible.
    pub fn warm_start(&self) -> Option<&Schedule> {
        self.warm_start.as_ref()
    }

    /// Running tasks that will finish after their deadline (their deadline was dropped).
    pub fn late(&self) -> &[String] {
        &self.late
    }

    /// The node a task of the new problem had in the previous plan, if any.
    pub fn previous_node(&self, task: TaskId) -> Option<NodeId> {
        self.previous_node.get(task.index()).copied().flatten()
    }

    /// How many tasks run on another node than in the previous plan.
    pub fn moved(&self, schedule: &Schedule) -> usize {
        schedule.assignments().iter().filter(|a| self.previous_node(a.task).is_some_and(|n| n != a.node)).count()
    }

    /// Plans the new problem with `solver` (see [`Replan`] for the warm start
    /// and `keep_nodes`).
    pub fn solve(&self, solver: &dyn Scheduler) -> Result<Replanned, ReplanError> {
        let started = Instant::now();
        let free = solver.schedule(&self.problem);
        let mut best = match free {
            Ok(solution) => Some(solution),
            Err(SolveError::DeadlinesMissed(_)) if self.warm_start.is_some() || self.keep_nodes => None,
            Err(e) => return Err(e.into()),
        };
        if best.as_ref().is_some_and(|s| s.status == crate::Status::Infeasible) {
            let solution = best.take().ok_or_else(|| SolveError::Internal("lost the solution".into()))?;
            return Ok(Replanned { solution, moved: 0, kept_previous: false });
        }
        let bound = best.as_ref().map_or(0, |s| s.lower_bound);
        // Kept nodes: the same solver on the problem with every pending task on its node.
        if self.keep_nodes
            && let Some(pinned) = self.pinned_problem()?
            && let Ok(kept) = solver.schedule(&pinned)
            && kept.status != crate::Status::Infeasible
            && best.as_ref().is_none_or(|b| b.makespan() >= kept.makespan())
        {
            best = Some(self.wrap(kept.schedule, bound, started)?);
        }
        let mut kept_previous = false;
        if let Some(warm) = &self.warm_start
            && best.as_ref().is_none_or(|b| b.makespan() > warm.makespan())
        {
            best = Some(self.wrap(warm.clone(), bound, started)?);
            kept_previous = true;
        }
        let Some(solution) = best else {
            return Err(ReplanError::Solve(SolveError::Internal("replanning produced no plan".into())));
        };
        let moved = self.moved(&solution.schedule);
        Ok(Replanned { solution, moved, kept_previous })
    }

    fn wrap(&self, schedule: Schedule, bound: Time, started: Instant) -> Result<Solution, ReplanError> {
        Ok(Solution::new(&self.problem, schedule, bound, started, vec![("schedules", 1)])?)
    }

    /// The problem with every task that is neither fixed nor new restricted to its previous
    /// node (when it can still run there); `None` when nothing would change.
    fn pinned_problem(&self) -> Result<Option<Problem>, ReplanError> {
        let mut spec = self.problem.to_spec();
        let mut changed = false;
        for (t, task) in self.problem.tasks().zip(spec.tasks.iter_mut()) {
            let Some(node) = self.previous_node(t) else { continue };
            if self.problem.fixed(t).is_some() || self.problem.duration_on(t, node).is_none() {
                continue;
            }
            task.nodes = Some(vec![self.problem.node_name(node).to_owned()]);
            task.durations.retain(|n, _| n == self.problem.node_name(node));
            changed = true;
        }
        if !changed {
            return Ok(None);
        }
        Ok(Some(spec.build()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DependencySpec;
    use crate::example::{documented_deployment, five_tasks};

    fn names(deps: &[DependencySpec]) -> Vec<&str> {
        deps.iter().map(DependencySpec::task).collect()
    }

    #[test]
    fn nothing_changed_keeps_the_plan() {
        let problem = five_tasks().unwrap();
        let plan = documented_deployment(&problem).unwrap();
        let replanning = Replan::at(15).problem(&problem, &plan).unwrap();
        let p = &replanning.problem;
        // v1 finished at 10 and drops out; v2 and v3 run since 10 and are fixed.
        assert_eq!(p.task_count(), 4);
        assert!(p.task_id("v1").is_none());
        let v2 = p.task_id("v2").unwrap();
        assert_eq!(p.fixed(v2).map(|f| (p.node_name(f.node), f.start)), Some(("n2", 10)));
        assert!(p.predecessors(v2).is_empty());
        let v4 = p.task_id("v4").unwrap();
        let spec = p.to_spec();
        assert_eq!(names(&spec.tasks[v4.index()].after), ["v2", "v3"]);
        assert_eq!(replanning.warm_start().map(Schedule::makespan), Some(70));
    }
}
