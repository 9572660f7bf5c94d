//! Replanning a live cluster (documented on [`Replan`], the entry point).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use crate::model::{
    Derivation, Fixed, FixedSpec, ModelError, NodeId, NodeSpec, Problem, TaskId, TaskRules, TaskSpec, Time, Window,
    WindowSpec,
};
use crate::schedule::{Assignment, Schedule};
use crate::solver::{CriticalPath, Scheduler, Solution, SolveError, SolveOptions, Status};

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
/// still feasible, [`Replanning::solve`] hands it to the solver as
/// [`SolveOptions::warm_start`], so every solver returns it unless it finds a shorter plan
/// (and the exact solvers search only below it): replanning never makes the plan worse. With
/// [`Replan::keep_nodes`], the warm start is a *kept plan*, with every pending task on its
/// previous node (where it can still run): the previous plan when it is still feasible, else
/// one `critical-path` pass over the problem with those tasks pinned. The solver runs once,
/// from that warm start and preferring each task's previous node among equally good ones
/// ([`SolveOptions::prefer_nodes`]); its plan replaces the kept one only when it is shorter
/// (an exact solver thus moves tasks only when the optimum is shorter than the kept plan,
/// and proves the kept plan optimal otherwise). Either way
/// [`Replanned::moved`] counts the tasks that changed node.
///
/// Building the problem is O((tasks + dependencies + nodes) · log) plus the validation of the
/// new problem; solving costs what the solver costs (plus one `critical-path` pass with
/// `keep_nodes` when the previous plan no longer fits).
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
        self.build(previous, plan, false)
    }

    /// [`Replan::problem`]; `by_spec` builds through the name-based spec even when the id-based
    /// derivation applies (the tests compare the two).
    fn build(&self, previous: &Problem, plan: &Schedule, by_spec: bool) -> Result<Replanning, ReplanError> {
        let now = self.now;
        let node_of = |name: &str| previous.node_id(name).ok_or_else(|| ReplanError::UnknownNode(name.to_owned()));
        let task_of = |name: &str| previous.task_id(name).ok_or_else(|| ReplanError::UnknownTask(name.to_owned()));

        // Nodes: removed ones go, windows are added, new ones join.
        let mut removed = vec![false; previous.node_count()];
        let mut windows = Vec::new();
        let (mut added_nodes, mut added_tasks) = (Vec::new(), Vec::new());
        for event in &self.events {
            match event {
                Event::NodeRemoved(name) => *removed.get_mut(node_of(name)?.index()).ok_or_else(foreign)? = true,
                Event::NodeUnavailable { node, from, to } => windows.push((node_of(node)?, *from, *to)),
                Event::NodeAdded(node) => added_nodes.push(node),
                Event::TaskAdded(task) => added_tasks.push(task),
                _ => {}
            }
        }
        let gone = |n: NodeId| removed.get(n.index()).copied().unwrap_or(true);

        let phases = self.phases(previous, plan, &windows, &gone, task_of)?;

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
        let mut tasks: Vec<(TaskId, TaskRules)> = Vec::new();
        for t in previous.tasks().filter(|&t| kept(t)) {
            let mut rules = TaskRules {
                release: previous.release(t),
                deadline: previous.deadline(t),
                fixed: previous.fixed(t).map(|f| (f, None)),
                only: None,
            };
            // A finished task that cannot be kept (its node left) still delays its successors.
            for e in previous.predecessors(t) {
                if let Some(Phase::Finished { finish, .. }) = phases.get(e.task.index())
                    && !kept(e.task)
                    && e.delay > 0
                {
                    rules.release = rules.release.max(finish.saturating_add(e.delay));
                }
            }
            match phases.get(t.index()).copied().unwrap_or(Phase::Pending) {
                Phase::Finished { node: Some(node), start, finish } | Phase::Running { node, start, finish } => {
                    rules.fixed = Some((Fixed { node, start }, Some(finish - start)));
                    rules.release = rules.release.min(start);
                    if rules.deadline.is_some_and(|d| finish > d) {
                        rules.deadline = None;
                        late.push(previous.task_name(t).to_owned());
                    }
                }
                Phase::Pending => {
                    if rules.fixed.is_some_and(|(f, _)| gone(f.node)) {
                        rules.fixed = None;
                    }
                }
                Phase::Finished { node: None, .. } | Phase::Cancelled => continue,
            }
            tasks.push((t, rules));
        }
        let origin: Vec<TaskId> = tasks.iter().map(|&(t, _)| t).collect();
        let derivation = Derivation { tasks, removed, windows, now };
        let problem = if by_spec || !added_nodes.is_empty() || !added_tasks.is_empty() {
            by_names(previous, &derivation, &added_nodes, &added_tasks, &kept)?
        } else {
            previous.derive(&derivation)?
        };

        let previous_node: Vec<Option<NodeId>> = problem
            .tasks()
            .map(|t| {
                let old = *origin.get(t.index())?;
                let a = plan.assignment(old)?;
                problem.node_id(previous.node_name(a.node))
            })
            .collect();
        let warm_start = projected(&problem, previous, plan, &origin).map(Arc::new);
        Ok(Replanning { problem, previous_node, warm_start, late, keep_nodes: self.keep_nodes })
    }

    /// Each previous task's phase at `now`.
    fn phases(
        &self,
        previous: &Problem,
        plan: &Schedule,
        windows: &[(NodeId, Time, Time)],
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
                let blocks = |from: Time, to: Time| Window { from, to }.blocks(start, finish);
                let hit = previous.unavailable(node).iter().any(|w| blocks(w.from, w.to))
                    || windows.iter().any(|&(n, from, to)| n == node && blocks(from, to));
                if gone(node) || hit {
                    *phase = Phase::Pending;
                }
            }
        }
        Ok(phases)
    }
}

fn foreign() -> ReplanError {
    ReplanError::ForeignPlan("an id out of range".into())
}

/// Whether the task still has to run or is running.
fn is_open(phases: &[Phase], t: TaskId) -> bool {
    matches!(phases.get(t.index()), Some(Phase::Running { .. } | Phase::Pending))
}

/// The new problem through the name-based spec: the previous problem's spec with the
/// changes of `derivation` written in, the added nodes and tasks (a dependency of an added
/// task on a previous task that is not kept is dropped), validated as any spec. What
/// [`Problem::derive`] does by ids when nothing is added.
fn by_names(
    previous: &Problem,
    derivation: &Derivation,
    added_nodes: &[&NodeSpec],
    added_tasks: &[&TaskSpec],
    kept: &dyn Fn(TaskId) -> bool,
) -> Result<Problem, ReplanError> {
    let mut spec = previous.to_spec();
    for &(n, from, to) in &derivation.windows {
        spec.nodes.get_mut(n.index()).ok_or_else(foreign)?.unavailable.push(WindowSpec { from, to });
    }
    let mut previous_tasks: Vec<Option<TaskSpec>> = std::mem::take(&mut spec.tasks).into_iter().map(Some).collect();
    for &(t, rules) in &derivation.tasks {
        let mut task = previous_tasks.get_mut(t.index()).and_then(Option::take).ok_or_else(foreign)?;
        task.after.retain(|d| previous.task_id(d.task()).is_some_and(kept));
        task.release = rules.release;
        task.deadline = rules.deadline;
        task.fixed = rules.fixed.map(|(f, duration)| {
            let node = previous.node_name(f.node).to_owned();
            if let Some(d) = duration {
                task.durations.insert(node.clone(), d);
            }
            FixedSpec { node, start: f.start }
        });
        if let Some(n) = rules.only {
            let name = previous.node_name(n);
            task.nodes = Some(vec![name.to_owned()]);
            task.durations.retain(|node, _| node == name);
        }
        spec.tasks.push(task);
    }
    for &task in added_tasks {
        let mut task = task.clone();
        task.after.retain(|d| previous.task_id(d.task()).is_none_or(kept));
        spec.tasks.push(task);
    }
    // Removed nodes leave the node list, eligibility lists and per-node durations (a task
    // left with an empty eligibility list is a validation error).
    let gone: HashSet<&str> = previous
        .nodes()
        .filter(|n| derivation.removed.get(n.index()).copied().unwrap_or(false))
        .map(|n| previous.node_name(n))
        .collect();
    if !gone.is_empty() {
        spec.nodes.retain(|n| !gone.contains(n.name.as_str()));
        for task in &mut spec.tasks {
            if let Some(nodes) = &mut task.nodes {
                nodes.retain(|n| !gone.contains(n.as_str()));
            }
            task.durations.retain(|n, _| !gone.contains(n.as_str()));
        }
    }
    spec.nodes.extend(added_nodes.iter().map(|&n| n.clone()));
    spec.now = derivation.now;
    Ok(spec.build()?)
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
    warm_start: Option<Arc<Schedule>>,
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
    /// Whether the new plan is the previous one (moved onto the new problem): the solver,
    /// started from it, found nothing shorter.
    pub kept_previous: bool,
}

impl Replanning {
    /// The previous plan moved onto the new problem, when it is still feasible.
    pub fn warm_start(&self) -> Option<&Schedule> {
        self.warm_start.as_deref()
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

    /// Plans the new problem with the solver that `solver` builds from `options`, with the warm
    /// start (when there is one, it replaces a warm start set in `options`; see [`Replan`]
    /// for the warm start and `keep_nodes`).
    ///
    /// ```
    /// use dagplan::{Greedy, Replan, SolveOptions};
    /// let problem = dagplan::example::five_tasks()?;
    /// let plan = dagplan::example::documented_deployment(&problem)?;
    /// let replanning = Replan::at(35).node_unavailable("n2", 35, 1000).problem(&problem, &plan)?;
    /// let replanned = replanning.solve(SolveOptions::default(), Greedy::new)?;
    /// assert_eq!(replanned.solution.schedule.verify(&replanning.problem), Ok(()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn solve<S: Scheduler>(
        &self,
        options: SolveOptions,
        solver: impl Fn(SolveOptions) -> S,
    ) -> Result<Replanned, ReplanError> {
        let started = Instant::now();
        // With kept nodes, the kept plan is the warm start: the solver returns a plan no longer.
        let kept = match self.keep_nodes {
            true => self.kept_plan()?.map(Arc::new),
            false => None,
        };
        let mut options = match kept.as_ref().or(self.warm_start.as_ref()) {
            Some(warm) => SolveOptions { warm_start: Some(Arc::clone(warm)), ..options },
            None => options,
        };
        if self.keep_nodes {
            options = options.prefer_nodes(self.previous_node.clone());
        }
        let free = match solver(options).schedule(&self.problem) {
            Ok(solution) if solution.status == Status::Infeasible => {
                return Ok(Replanned { solution, moved: 0, kept_previous: false });
            }
            Ok(solution) => Some(solution),
            Err(SolveError::DeadlinesMissed(_)) if kept.is_some() => None,
            Err(e) => return Err(e.into()),
        };
        let solution = match (free, kept) {
            // Moving pays only when it shortens the plan: at equal makespan, the kept plan (with
            // the solver's lower bound, which holds for the same problem).
            (Some(free), Some(kept)) if free.makespan() >= kept.makespan() && *kept != free.schedule => {
                let counters = free.stats.counters;
                Solution::new(&self.problem, Schedule::clone(&kept), free.lower_bound, started, counters)?
            }
            (Some(free), _) => free,
            (None, Some(kept)) => Solution::new(&self.problem, Schedule::clone(&kept), 0, started, Vec::new())?,
            (None, None) => {
                return Err(ReplanError::Solve(SolveError::Internal("replanning produced no plan".into())));
            }
        };
        let moved = self.moved(&solution.schedule);
        let kept_previous = self.warm_start.as_deref() == Some(&solution.schedule);
        Ok(Replanned { solution, moved, kept_previous })
    }

    /// The plan with every pending task on its previous node (where it can still run): the
    /// previous plan when it is still feasible, else one `critical-path` pass over the problem
    /// with those tasks pinned; `None` when no task can stay, pinning breaks a rule, or that
    /// pass misses a deadline.
    fn kept_plan(&self) -> Result<Option<Schedule>, ReplanError> {
        if let Some(previous) = &self.warm_start {
            return Ok(Some(Schedule::clone(previous)));
        }
        let pinned = match self.pinned_problem() {
            Ok(Some(pinned)) => pinned,
            // Nothing to pin, or pinning breaks a rule (a deadline on the old node): no kept plan.
            Ok(None) | Err(ReplanError::Model(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        match CriticalPath::default().schedule(&pinned) {
            // The pinned problem has the same ids and rules, and fewer placements: its plans
            // are plans of the free problem.
            Ok(solution) if solution.status != Status::Infeasible => Ok(Some(solution.schedule)),
            Ok(_) | Err(SolveError::DeadlinesMissed(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The problem with every task that is neither fixed nor new restricted to its previous
    /// node (when it can still run there); `None` when nothing would change.
    fn pinned_problem(&self) -> Result<Option<Problem>, ReplanError> {
        let p = &self.problem;
        let pin = |t: TaskId| self.previous_node(t).filter(|&n| p.fixed(t).is_none() && p.duration_on(t, n).is_some());
        if !p.tasks().any(|t| pin(t).is_some()) {
            return Ok(None);
        }
        let rules = |t: TaskId| TaskRules {
            release: p.release(t),
            deadline: p.deadline(t),
            fixed: p.fixed(t).map(|f| (f, None)),
            only: pin(t),
        };
        let tasks = p.tasks().map(|t| (t, rules(t))).collect();
        Ok(Some(p.derive(&Derivation { tasks, removed: Vec::new(), windows: Vec::new(), now: p.now() })?))
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

    /// The id-based derivation builds exactly the problem the name-based spec does.
    #[test]
    fn derived_problems_equal_the_ones_built_by_names() {
        let five = five_tasks().unwrap();
        let plan = documented_deployment(&five).unwrap();
        let cases = [
            Replan::at(15),
            Replan::at(35).running_until("v3", 50).node_unavailable("n2", 45, 80),
            Replan::at(20).finished("v2", 20).task_cancelled("v5").node_removed("n1"),
            Replan::at(40).node_removed("n2").node_unavailable("n1", 100, 120),
        ];
        for replan in &cases {
            let by_ids = replan.build(&five, &plan, false).unwrap();
            let by_names = replan.build(&five, &plan, true).unwrap();
            assert_eq!(by_ids.problem, by_names.problem, "{replan:?}");
            assert_eq!(by_ids.warm_start, by_names.warm_start);
        }
        // Generated workflows with eligibility lists, per-node durations, delays and time rules.
        for seed in 0..20 {
            let generator = crate::Generator {
                tasks: 30,
                nodes: 4,
                eligibility: 0.3,
                heterogeneity: 0.3,
                max_delay: 3,
                seed,
                ..crate::Generator::default()
            };
            let mut spec = generator.generate().unwrap().to_spec();
            spec.tasks[3].deadline = Some(10_000);
            spec.tasks[4].release = 2;
            spec.nodes[1].unavailable.push(WindowSpec { from: 500, to: 510 });
            let problem = spec.build().unwrap();
            let plan = crate::Greedy::default().schedule(&problem).unwrap().schedule;
            let now = plan.makespan() / 3;
            let busy = plan.assignments().iter().find(|a| a.start < now && a.finish > now).map(|a| a.node);
            for node in problem.nodes() {
                let name = problem.node_name(node);
                for replan in [
                    Replan::at(now).node_removed(name),
                    Replan::at(now).node_unavailable(name, now, now + 7),
                    Replan::at(now).node_unavailable(name, now + 3, now + 30).keep_nodes(Some(node) == busy),
                ] {
                    match (replan.build(&problem, &plan, false), replan.build(&problem, &plan, true)) {
                        (Ok(by_ids), Ok(by_names)) => {
                            assert_eq!(by_ids.problem, by_names.problem, "seed {seed}, {replan:?}");
                            assert_eq!(by_ids.warm_start, by_names.warm_start);
                        }
                        (Err(a), Err(b)) => assert_eq!(a, b),
                        (a, b) => panic!("seed {seed}, {replan:?}: {:?} vs {:?}", a.err(), b.err()),
                    }
                }
            }
        }
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
