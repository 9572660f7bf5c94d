//! Validation of the time rules ([`super::timing`]): each rule is read from the spec, and
//! every inconsistency that one task, one node or the fixed tasks alone reveal is an error
//! naming the items and the numbers.
//!
//! Checked, in this order: downtime windows are non-empty; a fixed task's node exists, is
//! eligible and large enough; a fixed task starts no earlier than its release, finishes no
//! later than its deadline and runs during no downtime; fixed tasks fit their node together;
//! a deadline leaves room for the task after its release (and `now`), on some eligible node
//! around that node's downtime; a fixed task starts no earlier than its dependencies allow.
//! Whether *all* deadlines can be met together is the solvers' question (a proven
//! [`Status::Infeasible`](crate::Status) or an error naming the missed deadlines).
//!
//! O((tasks + dependencies + windows) · log + fixed tasks · dimensions) time, no recursion.

use super::error::{FixedLoad, NodeGap};
use super::input::Input;
use super::names::Names;
use super::timing::{Fixed, Timing, Window};
use super::{ModelError, NodeId, Problem, TaskId, Time};

/// Reads the time rules of the spec (names resolved, windows sorted and merged), before the
/// problem that checks them exists.
pub(super) fn read_timing(spec: &Input<'_>, nodes: &Names) -> Result<Timing, ModelError> {
    let mut timing = Timing { now: spec.now, ..Timing::default() };
    if spec.tasks.iter().any(|t| t.release > 0) {
        timing.release = spec.tasks.iter().map(|t| t.release).collect();
    }
    if spec.tasks.iter().any(|t| t.deadline.is_some()) {
        timing.deadline = spec.tasks.iter().map(|t| t.deadline).collect();
    }
    if spec.tasks.iter().any(|t| t.fixed.is_some()) {
        timing.fixed = spec
            .tasks
            .iter()
            .map(|t| match &t.fixed {
                None => Ok(None),
                Some(f) => match nodes.get(&f.node) {
                    Some(node) => Ok(Some(Fixed { node: NodeId(node), start: f.start })),
                    None => Err(ModelError::UnknownNode { task: t.name.to_string(), node: f.node.clone() }),
                },
            })
            .collect::<Result<_, _>>()?;
    }
    if spec.nodes.iter().any(|n| !n.unavailable.is_empty()) {
        timing.unavailable = spec
            .nodes
            .iter()
            .map(|n| {
                let mut windows = Vec::with_capacity(n.unavailable.len());
                for w in &n.unavailable {
                    if w.from >= w.to {
                        return Err(ModelError::EmptyWindow { node: n.name.clone(), from: w.from, to: w.to });
                    }
                    windows.push(Window { from: w.from, to: w.to });
                }
                Ok(merge(windows))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(timing)
}

/// Sorts windows and merges the overlapping or touching ones.
pub(super) fn merge(mut windows: Vec<Window>) -> Box<[Window]> {
    windows.sort_unstable();
    let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.from <= last.to => last.to = last.to.max(w.to),
            _ => merged.push(w),
        }
    }
    merged.into_boxed_slice()
}

/// Checks the rest of the time rules, once every task's shortest duration is known.
pub(super) fn check_timing(problem: &Problem) -> Result<(), ModelError> {
    if !problem.has_time_rules() {
        return Ok(());
    }
    check_fixed_load(problem)?;
    check_deadlines(problem)?;
    check_fixed_dependencies(problem)
}

/// Checks each fixed task on its own: its node is eligible and large enough, and it keeps
/// its release date, its deadline and its node's downtime. Runs before the shortest
/// durations are computed (a fixed task's only option is its node).
pub(super) fn check_fixed_tasks(problem: &Problem) -> Result<(), ModelError> {
    for (t, f) in problem.fixed_tasks() {
        let task = || problem.task_name(t).to_owned();
        let node = || problem.node_name(f.node).to_owned();
        if !problem.is_eligible(t, f.node) {
            return Err(ModelError::FixedOnIneligibleNode { task: task(), node: node() });
        }
        let short = problem.demand(t).iter().zip(problem.capacity(f.node)).enumerate().find(|(_, (d, c))| d > c);
        if let Some((r, (&demand, &capacity))) = short {
            return Err(ModelError::FixedNodeTooSmall {
                task: task(),
                node: node(),
                resource: problem.resources().get(r).cloned().unwrap_or_default(),
                demand,
                capacity,
            });
        }
        let duration = problem.listed_duration(t, f.node);
        let finish = f.start.checked_add(duration).ok_or_else(|| ModelError::Overflow {
            what: format!("task `{}` is fixed at {} and runs {duration} ticks", task(), f.start),
        })?;
        if f.start < problem.release(t) {
            return Err(ModelError::FixedBeforeRelease { task: task(), start: f.start, release: problem.release(t) });
        }
        if let Some(deadline) = problem.deadline(t).filter(|&d| finish > d) {
            return Err(ModelError::FixedAfterDeadline { task: task(), finish, deadline });
        }
        if let Some(w) = problem.downtime_during(f.node, f.start, finish) {
            return Err(ModelError::FixedDuringDowntime {
                task: task(),
                node: node(),
                start: f.start,
                finish,
                from: w.from,
                to: w.to,
            });
        }
    }
    Ok(())
}

/// Per node, a sweep over the fixed tasks' starts and finishes: their demands must fit the
/// capacity together at every instant.
fn check_fixed_load(problem: &Problem) -> Result<(), ModelError> {
    let mut events: Vec<(NodeId, Time, bool, TaskId)> = Vec::new();
    for (t, f) in problem.fixed_tasks() {
        let finish = f.start.saturating_add(problem.listed_duration(t, f.node));
        if finish > f.start {
            events.push((f.node, f.start, true, t));
            events.push((f.node, finish, false, t));
        }
    }
    // Per node, by time, finishes (false) before starts (true).
    events.sort_unstable();
    let width = problem.resource_count();
    let mut running: Vec<TaskId> = Vec::new();
    let mut used = vec![0u128; width];
    let mut current = None;
    for &(node, time, is_start, task) in &events {
        if current != Some(node) {
            current = Some(node);
            running.clear();
            used.iter_mut().for_each(|u| *u = 0);
        }
        for (u, &d) in used.iter_mut().zip(problem.demand(task)) {
            if is_start { *u += u128::from(d) } else { *u = u.saturating_sub(u128::from(d)) }
        }
        if !is_start {
            running.retain(|&r| r != task);
            continue;
        }
        running.push(task);
        let over = used.iter().zip(problem.capacity(node)).position(|(&u, &c)| u > u128::from(c));
        if let Some(r) = over {
            running.sort_unstable();
            return Err(ModelError::FixedOverCapacity(Box::new(FixedLoad {
                node: problem.node_name(node).to_owned(),
                resource: problem.resources().get(r).cloned().unwrap_or_default(),
                time,
                used: used.get(r).copied().unwrap_or(0),
                capacity: problem.capacity(node).get(r).copied().unwrap_or(0),
                tasks: running.iter().map(|&t| problem.task_name(t).to_owned()).collect(),
            })));
        }
    }
    Ok(())
}

/// Each deadline leaves room for its task: after the task's earliest start it takes its
/// shortest duration, and some eligible node has that much time free of downtime before the
/// deadline.
fn check_deadlines(problem: &Problem) -> Result<(), ModelError> {
    if !problem.has_deadlines() {
        return Ok(());
    }
    for t in problem.tasks() {
        let Some(deadline) = problem.deadline(t) else { continue };
        if problem.fixed(t).is_some() {
            continue; // checked with the fixed tasks
        }
        let earliest = problem.not_before(t);
        let shortest = problem.min_duration(t);
        if earliest.saturating_add(shortest) > deadline {
            return Err(ModelError::DeadlineTooEarly {
                task: problem.task_name(t).to_owned(),
                earliest,
                shortest,
                deadline,
            });
        }
        if problem.has_downtime()
            && !problem.options(t).any(|(n, d)| problem.available_from(n, earliest, d).saturating_add(d) <= deadline)
        {
            let gaps = problem
                .options(t)
                .map(|(n, duration)| NodeGap {
                    node: problem.node_name(n).to_owned(),
                    duration,
                    longest: longest_gap(problem, n, earliest, deadline),
                })
                .collect();
            return Err(ModelError::NoRoomBeforeDeadline {
                task: problem.task_name(t).to_owned(),
                earliest,
                deadline,
                gaps,
            });
        }
    }
    Ok(())
}

/// The longest stretch of `[from, to)` free of the node's downtime.
fn longest_gap(problem: &Problem, node: NodeId, from: Time, to: Time) -> Time {
    let mut longest = 0;
    let mut free_from = from;
    for w in problem.unavailable(node) {
        if w.to <= free_from {
            continue;
        }
        if w.from >= to {
            break;
        }
        longest = longest.max(w.from.saturating_sub(free_from));
        free_from = w.to;
    }
    longest.max(to.saturating_sub(free_from))
}

/// Every fixed task starts no earlier than its dependencies allow: the earliest finish of
/// each predecessor (its fixed finish, or a head computed from release dates, `now` and
/// fixed tasks with every task at its shortest duration), plus the transfer delay when both
/// are fixed on different nodes.
fn check_fixed_dependencies(problem: &Problem) -> Result<(), ModelError> {
    if !problem.has_fixed_tasks() {
        return Ok(());
    }
    let mut finish: Vec<Time> = vec![0; problem.task_count()];
    for &t in problem.topological_order() {
        let fixed = problem.fixed(t);
        let mut start = problem.not_before(t);
        for e in problem.predecessors(t) {
            let before = finish.get(e.task.index()).copied().unwrap_or(0);
            let delay = match (problem.fixed(e.task), fixed) {
                (Some(a), Some(b)) if a.node != b.node => e.delay,
                _ => 0,
            };
            let allowed = before.saturating_add(delay);
            match fixed {
                Some(f) if allowed > f.start => {
                    return Err(ModelError::FixedBreaksDependency {
                        task: problem.task_name(t).to_owned(),
                        start: f.start,
                        dependency: problem.task_name(e.task).to_owned(),
                        earliest: allowed,
                    });
                }
                _ => start = start.max(allowed),
            }
        }
        let duration = match fixed {
            Some(f) => problem.listed_duration(t, f.node),
            None => problem.min_duration(t),
        };
        if let Some(slot) = finish.get_mut(t.index()) {
            *slot = start.saturating_add(duration);
        }
    }
    Ok(())
}
