//! Validation: turning a name-based [`ProblemSpec`], or the JSON reader's borrowed form of
//! one (`input.rs`), into a [`Problem`].
//!
//! Runs in O((tasks + dependencies) · log + tasks · resources) time, without recursion (a
//! 100,000-task chain is fine).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::input::{Input, TaskInput};
use super::names::{Names, Refused};
use super::{
    Adjacency, Edge, ModelError, NodeId, NodeSpec, Placement, Problem, ProblemSpec, Shortfall, TaskId, Time, entry,
    entry_mut,
};

impl TryFrom<ProblemSpec> for Problem {
    type Error = ModelError;

    fn try_from(spec: ProblemSpec) -> Result<Self, ModelError> {
        build(Input::from(spec))
    }
}

/// Validates the input and builds the problem (the spec's strings are moved, the JSON
/// reader's borrowed: see `input.rs`).
pub(crate) fn build(input: Input<'_>) -> Result<Problem, ModelError> {
    let resources = resource_names(&input);
    let resource_index = names_of("resource", resources.iter().cloned())?;
    let node_names = names_of("node", input.nodes.iter().map(|n| n.name.clone()))?;
    // A million tasks' names go into their table one after the other while the other core
    // reads the amounts and the time rules; each error still surfaces in the order of checks.
    let (task_names, (amounts, timing)) = rayon::join(
        || names_of("task", input.tasks.iter().map(|t| String::from(&*t.name))),
        || {
            let amounts = super::amounts::read_amounts(&input, &resources, &resource_index);
            (amounts, super::check_timing::read_timing(&input, &node_names))
        },
    );
    let super::amounts::Amounts { capacity, demand, scales } = amounts?;
    let task_names = task_names?;
    let tainted = super::select::any_repelling_taint(&input.nodes);
    let tables = Tables { nodes: &input.nodes, tainted, node_names: &node_names, task_names: &task_names };
    let TaskRows { duration, placement, edges } = tables.read_tasks(&input.tasks)?;

    let n = task_names.len();
    let (preds, succs) = rayon::join(
        || adjacency(n, edges.iter().map(|&(a, b, d)| (b, Edge { task: a, delay: d }))),
        || adjacency(n, edges.iter().map(|&(a, b, d)| (a, Edge { task: b, delay: d }))),
    );
    drop(edges);
    let order = kahn_order(n, &preds, &succs).map_err(|cycle| ModelError::Cycle {
        tasks: cycle.iter().map(|t| entry(task_names.as_slice(), t.index()).clone()).collect(),
    })?;

    let timing = timing?;
    let labels = input.nodes.iter().map(|n| n.labels.clone()).collect();
    let problem = Problem {
        resources,
        scales,
        node_names,
        labels,
        capacity,
        task_names,
        duration,
        demand,
        placement,
        min_duration: Vec::new(),
        preds,
        succs,
        order,
        horizon: 0,
        timing,
    };
    finish_validation(problem)
}

/// The checks that need the problem itself: fixed tasks, a node for every task (and the
/// shortest durations), the time rules, and the horizon (set here).
pub(super) fn finish_validation(mut problem: Problem) -> Result<Problem, ModelError> {
    super::check_timing::check_fixed_tasks(&problem)?;
    let ranges = duration_ranges(&problem)?;
    problem.min_duration = ranges.iter().map(|&(shortest, _)| shortest).collect();
    super::check_timing::check_timing(&problem)?;
    problem.horizon = horizon(&problem, &ranges)?;
    Ok(problem)
}

/// The table of these names (of items of this `kind`), refusing a repeat.
fn names_of(kind: &'static str, names: impl ExactSizeIterator<Item = String>) -> Result<Names, ModelError> {
    let mut table = Names::with_capacity(names.len());
    for name in names {
        table.push(name).map_err(|refused| name_error(kind, refused))?;
    }
    Ok(table)
}

pub(super) fn name_error(kind: &'static str, refused: Refused) -> ModelError {
    match refused {
        Refused::Duplicate(name) => ModelError::DuplicateName { kind, name },
        Refused::Full => ModelError::Overflow { what: format!("more than {} {kind}s", u32::MAX) },
    }
}

/// What the tasks are read against: the nodes (for selectors and taints) and the name tables.
struct Tables<'a> {
    nodes: &'a [NodeSpec],
    /// Whether any node has a taint that repels tasks.
    tainted: bool,
    node_names: &'a Names,
    task_names: &'a Names,
}

/// The tasks' columns: default durations, placements, and the dependency edges
/// `(from, to, delay)` grouped by `to` in task order.
#[derive(Default)]
struct TaskRows {
    duration: Vec<Time>,
    placement: Vec<Placement>,
    edges: Vec<(TaskId, TaskId, Time)>,
}

/// Tasks per parallel chunk: large enough that a small problem is read in one go.
const CHUNK: usize = 16_384;

impl Tables<'_> {
    /// Reads every task, in parallel chunks (a million tasks' dependency names are most of
    /// the work of validation). On errors in several tasks, the first task's error is
    /// returned, as a sequential reading would.
    fn read_tasks(&self, tasks: &[TaskInput<'_>]) -> Result<TaskRows, ModelError> {
        let chunks: Vec<Result<TaskRows, ModelError>> =
            tasks.par_chunks(CHUNK).enumerate().map(|(chunk, tasks)| self.read_chunk(chunk * CHUNK, tasks)).collect();
        let mut rows = TaskRows::default();
        for chunk in chunks {
            let chunk = chunk?;
            rows.duration.extend(chunk.duration);
            rows.placement.extend(chunk.placement);
            rows.edges.extend(chunk.edges);
        }
        Ok(rows)
    }

    /// Reads the tasks with ids `first..`.
    fn read_chunk(&self, first: usize, tasks: &[TaskInput<'_>]) -> Result<TaskRows, ModelError> {
        let mut rows = TaskRows {
            duration: Vec::with_capacity(tasks.len()),
            placement: Vec::with_capacity(tasks.len()),
            edges: Vec::new(),
        };
        for (i, task) in tasks.iter().enumerate() {
            rows.duration.push(task.duration);
            rows.placement.push(task_placement(task, self.nodes, self.tainted, self.node_names)?);
            let id = TaskId((first + i) as u32); // below `u32::MAX`: `task_names` gave every task an id
            let known = rows.edges.len();
            for dep in &task.after {
                let unknown =
                    || ModelError::UnknownTask { task: task.name.to_string(), dependency: dep.task().to_owned() };
                let from = TaskId(self.task_names.get(dep.task()).ok_or_else(unknown)?);
                if entry(&rows.edges, known..).iter().any(|&(seen, _, _)| seen == from) {
                    return Err(ModelError::DuplicateDependency {
                        task: task.name.to_string(),
                        dependency: dep.task().to_owned(),
                    });
                }
                rows.edges.push((from, id, dep.delay()));
            }
        }
        Ok(rows)
    }
}

/// The declared resources, or the union of the names used, in order of first use.
fn resource_names(input: &Input<'_>) -> Vec<String> {
    if let Some(declared) = &input.resources {
        return declared.clone();
    }
    let mut names: Vec<String> = Vec::new();
    let capacities = input.nodes.iter().flat_map(|n| n.capacity.keys().map(String::as_str));
    let used = capacities.chain(input.tasks.iter().flat_map(|t| t.demand.iter().map(|(k, _)| &**k)));
    let mut seen = std::collections::HashSet::new();
    for name in used {
        if seen.insert(name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// Where a task may run: its `nodes` list (if any) narrowed by its node selector and the
/// nodes' taints (see `select.rs`), and its per-node durations.
fn task_placement(
    task: &TaskInput<'_>,
    nodes: &[NodeSpec],
    tainted: bool,
    node_names: &Names,
) -> Result<Placement, ModelError> {
    let lookup = |name: &str| {
        node_names
            .get(name)
            .map(NodeId)
            .ok_or_else(|| ModelError::UnknownNode { task: task.name.to_string(), node: name.to_owned() })
    };
    let only = match &task.nodes {
        None => None,
        Some(names) => {
            let mut ids = names.iter().map(|name| Ok((lookup(name)?, name))).collect::<Result<Vec<_>, _>>()?;
            ids.sort_unstable();
            let repeated = ids.windows(2).find_map(|w| match w {
                [(a, name), (b, _)] if a == b => Some(*name),
                _ => None,
            });
            if let Some(name) = repeated {
                return Err(ModelError::DuplicateEligibleNode { task: task.name.to_string(), node: name.to_string() });
            }
            Some(ids.into_iter().map(|(id, _)| id).collect::<Box<[NodeId]>>())
        }
    };
    let mut durations = Vec::with_capacity(task.durations.len());
    for (name, d) in &task.durations {
        let d = *d;
        let node = lookup(name)?;
        if only.as_ref().is_some_and(|o| o.binary_search(&node).is_err()) {
            return Err(ModelError::DurationForIneligibleNode { task: task.name.to_string(), node: name.to_string() });
        }
        durations.push((node, d));
    }
    durations.sort_unstable();
    let only = if tainted || !task.node_selector.is_empty() {
        let all = || (0u32..).map(NodeId).zip(nodes);
        let candidates: Box<dyn Iterator<Item = (NodeId, &NodeSpec)>> = match &only {
            Some(ids) => Box::new(all().filter(|(id, _)| ids.binary_search(id).is_ok())),
            None => Box::new(all()),
        };
        let kept = super::select::select(task, candidates)?;
        if only.is_none() && kept.len() == nodes.len() { None } else { Some(kept.into_boxed_slice()) }
    } else {
        only
    };
    Ok(Placement { only, durations: durations.into_boxed_slice() })
}

/// Compressed adjacency lists of `n` tasks (every owner is one of them) by a counting sort.
pub(super) fn adjacency(n: usize, edges: impl Iterator<Item = (TaskId, Edge)> + Clone) -> Adjacency {
    let mut start = vec![0usize; n + 1];
    for (owner, _) in edges.clone() {
        *entry_mut(&mut start, owner.index() + 1) += 1;
    }
    let mut total = 0;
    for s in &mut start {
        total += *s;
        *s = total;
    }
    let mut fill = start.clone();
    let mut out = vec![Edge { task: TaskId(0), delay: 0 }; total];
    for (owner, edge) in edges {
        let pos = entry_mut(&mut fill, owner.index());
        *entry_mut(&mut out, *pos) = edge;
        *pos += 1;
    }
    Adjacency { start, edges: out }
}

/// Kahn's algorithm taking ready tasks in id order; on a cycle, returns one cycle in order.
pub(super) fn kahn_order(n: usize, preds: &Adjacency, succs: &Adjacency) -> Result<Vec<TaskId>, Vec<TaskId>> {
    let mut indegree: Vec<usize> = (0..n).map(|i| preds.of(TaskId(i as u32)).len()).collect();
    let mut ready: BinaryHeap<Reverse<TaskId>> =
        (0..n as u32).map(TaskId).filter(|t| preds.of(*t).is_empty()).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(t)) = ready.pop() {
        order.push(t);
        for e in succs.of(t) {
            let d = entry_mut(&mut indegree, e.task.index());
            *d -= 1;
            if *d == 0 {
                ready.push(Reverse(e.task));
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every unordered task has an unordered predecessor: walk backwards until a task repeats.
    let mut visited = vec![usize::MAX; n];
    let Some(mut t) = (0..n).position(|i| indegree.get(i).is_some_and(|&d| d > 0)) else {
        return Err(Vec::new());
    };
    let mut walk: Vec<usize> = Vec::new();
    loop {
        let at = *entry(&visited, t);
        if at != usize::MAX {
            let mut cycle: Vec<TaskId> = entry(&walk, at..).iter().map(|&i| TaskId(i as u32)).collect();
            cycle.reverse(); // the walk followed predecessors; report in dependency order
            rotate_to_smallest(&mut cycle);
            return Err(cycle);
        }
        *entry_mut(&mut visited, t) = walk.len();
        walk.push(t);
        let next = preds.of(TaskId(t as u32)).iter().find(|e| indegree.get(e.task.index()).is_some_and(|&d| d > 0));
        match next {
            Some(e) => t = e.task.index(),
            None => return Err(walk.iter().map(|&i| TaskId(i as u32)).collect()),
        }
    }
}

fn rotate_to_smallest(cycle: &mut [TaskId]) {
    if let Some(pos) = cycle.iter().enumerate().min_by_key(|&(_, t)| *t).map(|(i, _)| i) {
        cycle.rotate_left(pos);
    }
}

/// The shortest and longest duration per task over the nodes it can run on; rejects tasks
/// with none.
fn duration_ranges(problem: &Problem) -> Result<Vec<(Time, Time)>, ModelError> {
    problem.tasks().map(|t| duration_range(problem, t).ok_or_else(|| no_fit_error(problem, t))).collect()
}

/// The shortest and longest duration of the task over the nodes it can run on, `None` when
/// it fits none. A task without an eligibility list runs everywhere it fits: its overrides
/// cover a few nodes and every other fitting node has the default duration, so one fitting
/// node without an override settles the default. The scan stops at the first such node,
/// which keeps validation near O(tasks) on large clusters instead of O(tasks × nodes).
fn duration_range(problem: &Problem, task: TaskId) -> Option<(Time, Time)> {
    let placement = entry(&problem.placement, task.index());
    if placement.only.is_some() || problem.fixed(task).is_some() {
        let mut range: Option<(Time, Time)> = None;
        for (_, d) in problem.options(task) {
            range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
        return range;
    }
    let mut range: Option<(Time, Time)> = None;
    let mut widen = |d: Time| range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
    for &(node, d) in placement.durations.iter() {
        if problem.fits(task, node) {
            widen(d);
        }
    }
    let overridden = |n: NodeId| placement.durations.binary_search_by_key(&n, |&(m, _)| m).is_ok();
    if problem.nodes().any(|n| !overridden(n) && problem.fits(task, n)) {
        widen(problem.default_duration(task));
    }
    range
}

fn no_fit_error(problem: &Problem, task: TaskId) -> ModelError {
    let name = problem.task_name(task).to_owned();
    let eligible: Vec<NodeId> = match problem.eligible_nodes(task) {
        Some(only) => only.to_vec(),
        None => problem.nodes().collect(),
    };
    if eligible.is_empty() {
        return ModelError::NoEligibleNode { task: name };
    }
    let demand = problem.demand(task);
    // A dimension in which even the largest eligible node is too small explains it best.
    for (r, (resource, &need)) in problem.resources().iter().zip(demand).enumerate() {
        let largest =
            eligible.iter().map(|&n| (*entry(problem.capacity(n), r), n)).max_by_key(|&(c, n)| (c, Reverse(n)));
        if let Some((capacity, node)) = largest
            && capacity < need
        {
            return ModelError::DoesNotFit {
                task: name,
                resource: resource.clone(),
                demand: need,
                node: problem.node_name(node).to_owned(),
                capacity,
            };
        }
    }
    let shortfalls = eligible
        .iter()
        .filter_map(|&n| {
            let mut dimensions = problem.resources().iter().zip(demand).zip(problem.capacity(n));
            let ((resource, &demand), &capacity) = dimensions.find(|((_, d), c)| d > c)?;
            Some(Shortfall { node: problem.node_name(n).to_owned(), resource: resource.clone(), demand, capacity })
        })
        .collect();
    ModelError::FitsNoNode { task: name, shortfalls }
}

/// The latest time rule (`now`, a release, a fixed finish or the end of a downtime window),
/// plus the sum of longest durations and all delays, with headroom for one more duration
/// (`ranges`: the shortest and longest duration of each task). After the latest time rule
/// every node is free, so a list schedule ends by then.
fn horizon(problem: &Problem, ranges: &[(Time, Time)]) -> Result<Time, ModelError> {
    let overflow = || ModelError::Overflow {
        what: "the sum of all task durations and transfer delays exceeds the largest representable time".into(),
    };
    let mut total: Time = problem.latest_time_rule();
    let mut longest: Time = 0;
    for (t, &(_, max)) in problem.tasks().zip(ranges) {
        longest = longest.max(max);
        total = total.checked_add(max).ok_or_else(overflow)?;
        for e in problem.predecessors(t) {
            total = total.checked_add(e.delay).ok_or_else(overflow)?;
        }
    }
    total.checked_add(longest).ok_or_else(overflow)?;
    Ok(total)
}
