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
//! alone on large ones).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::sgs::{Policy, State, serial};
use crate::model::{Problem, TaskId, Time};
use crate::schedule::Assignment;

/// The parallel scheme with priority `keys` (larger first, ties to smaller id) and `policy`.
pub(crate) fn parallel(problem: &Problem, keys: &[u64], policy: Policy) -> Vec<Assignment> {
    let n = problem.task_count();
    let key = |t: TaskId| (keys.get(t.index()).copied().unwrap_or(0), Reverse(t));
    let mut state = State::new(problem, false);
    let mut waiting: Vec<u32> = problem.tasks().map(|t| problem.predecessors(t).len() as u32).collect();
    let mut release: Vec<Time> = vec![0; n];
    let mut pending: BinaryHeap<Reverse<(Time, TaskId)>> =
        problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).map(|t| Reverse((0, t))).collect();
    let mut events: BinaryHeap<Reverse<Time>> = BinaryHeap::new();
    let mut eligible: BinaryHeap<(u64, Reverse<TaskId>)> = BinaryHeap::new();
    let mut deferred = Vec::new();
    let mut done = 0usize;
    let mut now: Time = 0;
    while done < n {
        loop {
            while let Some(&Reverse((r, t))) = pending.peek() {
                if r > now {
                    break;
                }
                pending.pop();
                eligible.push(key(t));
            }
            let mut released_now = false;
            while let Some(item) = eligible.pop() {
                let task = item.1.0;
                state.evaluate(task, None, Some(now), policy);
                let Some(slot) = state.choose(task, policy) else {
                    deferred.push(item);
                    continue;
                };
                state.place(task, slot);
                done += 1;
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
                        if *w == 0 {
                            pending.push(Reverse((*r, e.task)));
                            released_now |= *r <= now;
                        }
                    }
                }
            }
            eligible.extend(deferred.drain(..));
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
        // Unreachable for a valid problem (with nothing running every eligible task fits
        // an idle node); finish serially rather than return an incomplete schedule.
        let placed = std::mem::take(&mut state.placed);
        return finish_serially(problem, keys, policy, placed);
    }
    state.placed
}

fn finish_serially(problem: &Problem, keys: &[u64], policy: Policy, _partial: Vec<Assignment>) -> Vec<Assignment> {
    let list = super::sgs::priority_list(problem, keys);
    serial(problem, &list, policy, false, None)
}
