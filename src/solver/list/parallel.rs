//! The parallel schedule generation scheme (Brooks' algorithm; Kolisch 1996).
//!
//! Time advances over decision points: the finish times of running tasks, the times
//! predecessors' transfer delays expire, and release times. At each point every eligible
//! task (all predecessors finished) is tried in priority order and started *now* on a node
//! where it fits for its whole duration (no task ever starts later than a decision point, so
//! a node's usage only falls after it); tasks that fit nowhere wait for the next point.
//! Produces non-delay schedules, which on RCPSP are often better for single passes but may
//! exclude the optimum. O(d·E·c·(p + log k + s·r)) for d decision points and E eligible tasks
//! per point: meant for small and medium instances (the portfolio uses the serial scheme
//! alone on large ones). On clusters small enough to scan in full, the capacity left on each
//! node *now* is kept up to date, and a task whose demand exceeds it on every node it may use
//! is passed over without a timeline search, so a waiting task costs O(m·r) per point.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::candidates::SCAN_ALL;
use super::policy::Policy;
use super::state::State;
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::Assignment;
use crate::solver::SolveError;

/// The parallel scheme with priority `keys` (larger first, ties to smaller id; one per task)
/// and `policy`.
pub(crate) fn parallel(
    problem: &Problem,
    keys: &[u64],
    policy: Policy,
    prefer: &[Option<NodeId>],
) -> Result<Vec<Assignment>, SolveError> {
    let n = problem.task_count();
    if keys.len() != n {
        return Err(SolveError::Internal(format!("{} priority keys for {n} tasks", keys.len())));
    }
    // One key per task (checked above), so the default never applies.
    let key = |t: TaskId| (keys.get(t.index()).copied().unwrap_or_default(), Reverse(t));
    let mut state = State::new(problem, false).preferring(prefer);
    let mut waiting: Vec<u32> = problem.tasks().map(|t| problem.predecessors(t).len() as u32).collect();
    let mut release: Vec<Time> = vec![0; n];
    let mut pending: BinaryHeap<Reverse<(Time, TaskId)>> =
        problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).map(|t| Reverse((0, t))).collect();
    let mut events: BinaryHeap<Reverse<Time>> = BinaryHeap::new();
    // Eligible tasks in priority order (largest key, then smallest id, first).
    let mut eligible: Vec<(u64, Reverse<TaskId>)> = Vec::new();
    let mut fresh: Vec<(u64, Reverse<TaskId>)> = Vec::new();
    let mut deferred: Vec<(u64, Reverse<TaskId>)> = Vec::new();
    let mut done = 0usize;
    let mut now: Time = 0;
    // The time rules: fixed tasks are placed already (their successors wait for them), a
    // task is released no earlier than it may start, and downtime ends are decision points.
    if problem.has_time_rules() {
        pending.retain(|Reverse((_, t))| !state.is_placed(*t));
        for (task, _) in problem.fixed_tasks() {
            done += 1;
            let finish = state.placed().get(task.index()).map_or(0, |a| a.finish);
            events.push(Reverse(finish));
            for e in problem.successors(task) {
                let i = e.task.index();
                if let (Some(w), Some(r)) = (waiting.get_mut(i), release.get_mut(i)) {
                    *w -= 1;
                    *r = (*r).max(finish);
                    events.push(Reverse(finish.saturating_add(e.delay)));
                    if *w == 0 && !state.is_placed(e.task) {
                        pending.push(Reverse((*r, e.task)));
                    }
                }
            }
        }
        pending = pending.into_iter().map(|Reverse((r, t))| Reverse((r.max(problem.not_before(t)), t))).collect();
        for node in problem.nodes() {
            events.extend(problem.unavailable(node).iter().map(|w| Reverse(w.to)));
        }
    }
    // Capacity left now per node (row-major), on clusters scanned in full.
    let width = problem.resource_count();
    let track = problem.node_count() <= SCAN_ALL;
    let mut free: Vec<u64> = Vec::new();
    let mut row = Vec::with_capacity(width);
    while done < n {
        if track {
            free.clear();
            for node in problem.nodes() {
                state.free_at(node, now, &mut row);
                free.extend_from_slice(&row);
            }
        }
        loop {
            fresh.clear();
            while let Some(&Reverse((r, t))) = pending.peek() {
                if r > now {
                    break;
                }
                pending.pop();
                fresh.push(key(t));
            }
            if !fresh.is_empty() {
                fresh.sort_unstable_by(|a, b| b.cmp(a));
                merge_descending(&mut eligible, &fresh, &mut deferred);
            }
            let mut released_now = false;
            deferred.clear();
            for item in eligible.drain(..) {
                let task = item.1.0;
                if track && !room_somewhere(problem, task, &free, width) {
                    deferred.push(item);
                    continue;
                }
                state.evaluate(task, None, Some(now), policy);
                let Some(slot) = state.choose(task, policy) else {
                    deferred.push(item);
                    continue;
                };
                state.place(task, slot);
                done += 1;
                // A zero-length task holds nothing at any instant.
                if track && slot.finish > slot.start {
                    let at = slot.node.index() * width;
                    if let Some(left) = free.get_mut(at..at + width) {
                        for (f, &d) in left.iter_mut().zip(problem.demand(task)) {
                            *f = f.saturating_sub(d);
                        }
                    }
                }
                if slot.finish > now {
                    events.push(Reverse(slot.finish));
                }
                for e in problem.successors(task) {
                    let i = e.task.index();
                    if let (Some(w), Some(r)) = (waiting.get_mut(i), release.get_mut(i)) {
                        *w -= 1;
                        *r = (*r).max(slot.finish);
                        if e.delay > 0 {
                            events.push(Reverse(slot.finish.saturating_add(e.delay)));
                        }
                        if *w == 0 && !state.is_placed(e.task) {
                            let r = (*r).max(problem.not_before(e.task));
                            pending.push(Reverse((r, e.task)));
                            released_now |= r <= now;
                        }
                    }
                }
            }
            std::mem::swap(&mut eligible, &mut deferred);
            if !released_now {
                break;
            }
        }
        if done == n {
            break;
        }
        while events.peek().is_some_and(|&Reverse(e)| e <= now) {
            events.pop();
        }
        let next_event = events.peek().map(|&Reverse(e)| e);
        let next_release = pending.peek().map(|&Reverse((r, _))| r);
        match (next_event, next_release) {
            (Some(a), Some(b)) => now = a.min(b),
            (Some(a), None) | (None, Some(a)) => now = a,
            (None, None) => break,
        }
    }
    if done < n {
        // With nothing running every eligible task fits an idle node it may use, so a valid
        // problem never gets here.
        return Err(SolveError::Internal(format!("the parallel scheme placed {done} of {n} tasks")));
    }
    Ok(state.into_placed())
}

/// Merges the descending `fresh` into the descending `list` (using `buffer`).
fn merge_descending<T: Ord + Copy>(list: &mut Vec<T>, fresh: &[T], buffer: &mut Vec<T>) {
    buffer.clear();
    buffer.reserve(list.len() + fresh.len());
    let (mut a, mut b) = (list.iter().peekable(), fresh.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&&x), Some(&&y)) => {
                if x >= y {
                    a.next();
                    x
                } else {
                    b.next();
                    y
                }
            }
            (Some(&&x), None) => {
                a.next();
                x
            }
            (None, Some(&&y)) => {
                b.next();
                y
            }
            (None, None) => break,
        };
        buffer.push(next);
    }
    std::mem::swap(list, buffer);
}

/// Whether some node the task may use has at least its demand left now (a necessary
/// condition for starting it now).
fn room_somewhere(problem: &Problem, task: TaskId, free: &[u64], width: usize) -> bool {
    let demand = problem.demand(task);
    let room = |n: NodeId| {
        let at = n.index() * width;
        problem.fits(task, n)
            && free.get(at..at + width).is_some_and(|left| demand.iter().zip(left).all(|(d, l)| d <= l))
    };
    match problem.eligible_nodes(task) {
        Some(list) => list.iter().any(|&n| room(n)),
        None => problem.nodes().any(room),
    }
}
