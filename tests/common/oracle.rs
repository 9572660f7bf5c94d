//! A brute-force oracle for the exact solvers: the optimal makespan of a tiny instance of the
//! full model with its time rules (release dates, deadlines, fixed tasks, downtime, `now`),
//! by enumeration, with a node timeline of its own (independent of the solvers').

use dagplan::{NodeId, Problem, TaskId, Time};

/// Every topological order × every node choice, each task at its earliest start on its node
/// that the time rules, its predecessors and the tasks before it allow (fixed tasks where they
/// are fixed); the best makespan of a schedule that meets every deadline, or `None` when none
/// does. The serial scheme over all orders generates every active schedule, left-shifting
/// never breaks a release, a deadline or a fixed task, and some optimal schedule is active.
/// Exponential: for a handful of tasks.
pub fn oracle(problem: &Problem) -> Option<Time> {
    let n = problem.task_count();
    let mut best: Option<Time> = None;
    let mut order: Vec<TaskId> = Vec::new();
    let mut used = vec![false; n];
    // Position k of the order tries tasks from `stack[k]` upwards.
    let mut stack: Vec<usize> = vec![0];
    while let Some(&next) = stack.last() {
        if order.len() == n
            && let Some(m) = best_assignment(problem, &order)
        {
            best = Some(best.map_or(m, |b| b.min(m)));
        }
        let candidate = (next..n)
            .find(|&i| !used[i] && problem.predecessors(TaskId(i as u32)).iter().all(|e| used[e.task.index()]));
        match candidate {
            Some(i) if order.len() < n => {
                *stack.last_mut().unwrap() = i;
                used[i] = true;
                order.push(TaskId(i as u32));
                stack.push(0);
            }
            _ => {
                stack.pop();
                if let Some(t) = order.pop() {
                    used[t.index()] = false;
                }
                if let Some(top) = stack.last_mut() {
                    *top += 1;
                }
            }
        }
    }
    best
}

/// The best makespan over every node choice for the tasks in `order` (odometer over the
/// choices), `None` when no choice meets the deadlines.
fn best_assignment(problem: &Problem, order: &[TaskId]) -> Option<Time> {
    let options: Vec<Vec<(NodeId, Time)>> = order.iter().map(|&t| problem.options(t).collect()).collect();
    let mut pick = vec![0usize; order.len()];
    let mut best: Option<Time> = None;
    loop {
        if let Some(m) = serial(problem, order, &options, &pick) {
            best = Some(best.map_or(m, |b| b.min(m)));
        }
        let mut k = 0;
        while k < pick.len() {
            pick[k] += 1;
            if pick[k] < options[k].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
        if k == pick.len() {
            return best;
        }
    }
}

/// The serial schedule of `order` with the node choices `pick`; `None` when a deadline or a
/// fixed task cannot be met.
fn serial(problem: &Problem, order: &[TaskId], options: &[Vec<(NodeId, Time)>], pick: &[usize]) -> Option<Time> {
    let mut profiles: Vec<Intervals> = problem.nodes().map(|n| Intervals::new(problem.capacity(n))).collect();
    for (t, f) in problem.fixed_tasks() {
        profiles[f.node.index()].reserve(f.start, problem.listed_duration(t, f.node), problem.demand(t));
    }
    let mut placed: Vec<Option<(NodeId, Time)>> = vec![None; problem.task_count()];
    let mut makespan = 0;
    for (k, &t) in order.iter().enumerate() {
        let (node, d) = options[k][pick[k]];
        let ready = problem
            .predecessors(t)
            .iter()
            .map(|e| {
                let (pn, pf) = placed[e.task.index()].unwrap();
                if pn == node { pf } else { pf + e.delay }
            })
            .max()
            .unwrap_or(0);
        let start = match problem.fixed(t) {
            Some(f) if ready > f.start => return None,
            Some(f) => f.start,
            None => {
                let mut at = ready.max(problem.release(t)).max(problem.now());
                loop {
                    let fits = profiles[node.index()].earliest_fit(at, d, problem.demand(t));
                    // Independent downtime check: the task's interval (an instant when empty).
                    let blocked = problem
                        .unavailable(node)
                        .iter()
                        .find(|w| fits < w.to && w.from < (fits + d).max(fits + 1))
                        .map(|w| w.to);
                    match blocked {
                        Some(to) => at = to,
                        None => break fits,
                    }
                }
            }
        };
        if problem.fixed(t).is_none() {
            profiles[node.index()].reserve(start, d, problem.demand(t));
        }
        if problem.deadline(t).is_some_and(|dl| start + d > dl) {
            return None;
        }
        placed[t.index()] = Some((node, start + d));
        makespan = makespan.max(start + d);
    }
    Some(makespan)
}

/// The oracle's own node timeline, independent of the solvers': the reserved intervals.
struct Intervals {
    capacity: Vec<u64>,
    busy: Vec<(Time, Time, Vec<u64>)>,
}

impl Intervals {
    fn new(capacity: &[u64]) -> Self {
        Self { capacity: capacity.to_vec(), busy: Vec::new() }
    }

    /// Whether `demand` fits at every instant of `[start, start + d)`: usage only rises at a
    /// reservation's start, so checking `start` and the starts inside the interval suffices.
    fn fits(&self, start: Time, d: Time, demand: &[u64]) -> bool {
        let mut instants =
            std::iter::once(start).chain(self.busy.iter().map(|b| b.0).filter(|&s| start < s && s < start + d));
        instants.all(|at| {
            (0..self.capacity.len()).all(|r| {
                let used: u64 = self.busy.iter().filter(|b| b.0 <= at && at < b.1).map(|b| b.2[r]).sum();
                used + demand[r] <= self.capacity[r]
            })
        })
    }

    /// The earliest start at or after `ready`: `ready` itself or a reservation's end.
    fn earliest_fit(&self, ready: Time, d: Time, demand: &[u64]) -> Time {
        if d == 0 {
            return ready;
        }
        let mut starts: Vec<Time> =
            std::iter::once(ready).chain(self.busy.iter().map(|b| b.1).filter(|&f| f > ready)).collect();
        starts.sort_unstable();
        starts.into_iter().find(|&s| self.fits(s, d, demand)).unwrap()
    }

    fn reserve(&mut self, start: Time, d: Time, demand: &[u64]) {
        if d > 0 {
            self.busy.push((start, start + d, demand.to_vec()));
        }
    }
}
