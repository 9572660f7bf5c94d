//! The depth-first branch and bound over event states (see the [module docs](super)).

use super::state::{Context, Memo, Run, State, is_set, set};
use crate::model::{NodeId, TaskId, Time};
use crate::solver::Deadline;

/// Why the search stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// Time limit or cancellation.
    Time,
    /// The memo reached its state cap.
    States,
}

/// The outcome of a search: the best complete state found (if it beat the initial upper
/// bound), a proven lower bound, counters, and why it stopped (`None`: exhausted, so the
/// best makespan is optimal).
pub(super) struct Outcome {
    pub best: Option<State>,
    pub bound: Time,
    pub expanded: u64,
    pub generated: u64,
    pub states: usize,
    pub stopped: Option<Stop>,
}

/// A child of an expanded state, with its lower bound.
struct Child {
    bound: Time,
    state: State,
}

/// The open part of one expanded state: its children not yet explored (`next..`), sorted by
/// bound.
struct Frame {
    children: Vec<Child>,
    next: usize,
}

/// Searches for a schedule shorter than `upper`.
pub(super) fn search(ctx: &Context<'_>, upper: Time, deadline: &Deadline, max_states: usize) -> Outcome {
    let mut ub = upper;
    let mut best: Option<State> = None;
    let mut memo = Memo::new();
    let root = ctx.root();
    let root_bound = ctx.bound(&root);
    let mut stack = vec![Frame { children: vec![Child { bound: root_bound, state: root }], next: 0 }];
    let (mut expanded, mut generated) = (0u64, 0u64);
    let mut stopped = None;
    let mut open_bound = Time::MAX; // bound of a state whose expansion was cut short
    while let Some(frame) = stack.last_mut() {
        let Some(child) = frame.children.get_mut(frame.next) else {
            stack.pop();
            continue;
        };
        if child.bound >= ub {
            frame.next = frame.children.len(); // sorted: the rest cannot beat `ub` either
            continue;
        }
        frame.next += 1;
        let state = std::mem::take(&mut child.state);
        let bound = child.bound;
        if state.finished_count == ctx.tasks {
            ub = state.time;
            best = Some(state);
            continue;
        }
        let key = ctx.key(&state);
        match memo.get(&key) {
            Some(&seen) if seen <= state.time => continue,
            _ => {}
        }
        memo.insert(key, state.time);
        if memo.len() > max_states {
            stopped = Some(Stop::States);
            open_bound = bound;
            break;
        }
        expanded += 1;
        if expanded % 64 == 0 && deadline.reached() {
            stopped = Some(Stop::Time);
            open_bound = bound;
            break;
        }
        match expand(ctx, &state, ub, deadline, &mut generated) {
            Some(mut children) => {
                children.sort_by_key(|c| c.bound); // stable: ties keep generation order
                stack.push(Frame { children, next: 0 });
            }
            None => {
                stopped = Some(Stop::Time);
                open_bound = bound;
                break;
            }
        }
    }
    // Every schedule shorter than `ub` lies below an unexplored child (or the state whose
    // expansion was cut short), each of which carries a valid bound.
    let open = stack
        .iter()
        .filter_map(|f| f.children.get(f.next..))
        .flatten()
        .map(|c| c.bound)
        .chain([open_bound])
        .min()
        .unwrap_or(Time::MAX);
    let bound = if stopped.is_none() { ub } else { open.min(ub) };
    Outcome { best, bound, expanded, generated, states: memo.len(), stopped }
}

/// A task that may start at this decision point and the nodes it may start on now.
struct Candidate {
    task: TaskId,
    nodes: Vec<(NodeId, Time)>,
    /// A fixed task must start now (it is a candidate only at its fixed start).
    fixed: bool,
}

/// Every child of a decision state: one per feasible set of starts (with a node each),
/// advanced to the next event. `None` when the deadline passed during the enumeration.
fn expand(ctx: &Context<'_>, state: &State, ub: Time, deadline: &Deadline, generated: &mut u64) -> Option<Vec<Child>> {
    let t = state.time;
    let dims = ctx.dims;
    // Residual capacity per node at `t`.
    let mut residual: Vec<u64> = ctx.problem.nodes().flat_map(|n| ctx.problem.capacity(n).iter().copied()).collect();
    let mut quiet = vec![true; ctx.nodes];
    for r in &state.running {
        let base = r.node.index() * dims;
        for (k, &q) in ctx.problem.demand(r.task).iter().enumerate() {
            if let Some(x) = residual.get_mut(base + k) {
                *x = x.saturating_sub(q);
            }
        }
    }
    for (n, sig) in ctx.node_signatures(state).iter().enumerate() {
        if let Some(q) = quiet.get_mut(n) {
            *q = sig.is_empty();
        }
    }
    // Waiting tasks (all predecessors finished) with their ready time per node.
    let mut candidates = Vec::new();
    let mut releases = Vec::new(); // ready times later than `t`
    let problem = ctx.problem;
    for &task in &ctx.priority {
        if Context::started(state, task) || !ctx.preds_finished(state, task) {
            continue;
        }
        let fixed = problem.fixed(task);
        let mut nodes = Vec::new();
        for &(node, d) in ctx.options.get(task.index()).map_or(&[][..], Vec::as_slice) {
            let ready = ctx.ready_on(state, task, node);
            if ready > t {
                releases.push((task, ready));
                continue;
            }
            if fixed.is_some_and(|f| f.start != t) {
                return Some(Vec::new()); // a fixed task can no longer start at its time
            }
            // Downtime: the task waits for the end of the window it would meet.
            let free = problem.available_from(node, t, d);
            if free > t {
                releases.push((task, free));
            } else if t.saturating_add(d) <= ctx.due(task) && !state.forbidden.contains(&(task, node)) {
                nodes.push((node, d));
            }
        }
        // A fixed task that can start now must (it has a node only at its fixed start).
        let fixed = fixed.is_some() && !nodes.is_empty();
        candidates.push(Candidate { task, nodes, fixed });
    }

    // Enumerate the start sets: position i chooses `choice[i]` < len (start there) or
    // == len (skip); > len means exhausted.
    let k = candidates.len();
    let mut choice = vec![0usize; k];
    let mut used = vec![0u32; ctx.nodes];
    let mut children = Vec::new();
    let mut i = 0usize;
    loop {
        if i == k {
            *generated += 1;
            if *generated % 4096 == 0 && deadline.reached() {
                return None;
            }
            if let Some(child) = child_of(ctx, state, &candidates, &choice, &residual, &releases, ub) {
                children.push(child);
            }
            if k == 0 {
                break;
            }
            i -= 1;
            release(ctx, &candidates, &choice, i, &mut residual, &mut used);
            if let Some(c) = choice.get_mut(i) {
                *c += 1;
            }
            continue;
        }
        let Some(cand) = candidates.get(i) else { break };
        let len = cand.nodes.len();
        let mut c = choice.get(i).copied().unwrap_or(len + 1);
        while c < len {
            let Some(&(node, d)) = cand.nodes.get(c) else { break };
            let fits = d == 0 || fits(ctx, &residual, cand.task, node);
            // Identical idle nodes are interchangeable: use only the first of a class.
            let twin = quiet.get(node.index()) == Some(&true)
                && used.get(node.index()) == Some(&0)
                && (0..node.index()).any(|m| {
                    ctx.class.get(m) == ctx.class.get(node.index())
                        && quiet.get(m) == Some(&true)
                        && used.get(m) == Some(&0)
                });
            if fits && !twin {
                break;
            }
            c += 1;
        }
        if let Some(slot) = choice.get_mut(i) {
            *slot = c;
        }
        if c <= len {
            if let Some(&(node, d)) = cand.nodes.get(c) {
                if d > 0 {
                    reserve(ctx, &mut residual, cand.task, node, true);
                }
                if let Some(u) = used.get_mut(node.index()) {
                    *u += 1;
                }
            }
            i += 1;
            if let Some(slot) = choice.get_mut(i) {
                *slot = 0;
            }
        } else {
            if i == 0 {
                break;
            }
            i -= 1;
            release(ctx, &candidates, &choice, i, &mut residual, &mut used);
            if let Some(c) = choice.get_mut(i) {
                *c += 1;
            }
        }
    }
    Some(children)
}

fn fits(ctx: &Context<'_>, residual: &[u64], task: TaskId, node: NodeId) -> bool {
    let base = node.index() * ctx.dims;
    ctx.problem.demand(task).iter().enumerate().all(|(k, &q)| residual.get(base + k).is_some_and(|&x| q <= x))
}

/// Takes (`take`) or gives back the task's demand on the node. Zero-length tasks never
/// hold resources and are not passed here.
fn reserve(ctx: &Context<'_>, residual: &mut [u64], task: TaskId, node: NodeId, take: bool) {
    let base = node.index() * ctx.dims;
    for (k, &q) in ctx.problem.demand(task).iter().enumerate() {
        if let Some(x) = residual.get_mut(base + k) {
            *x = if take { x.saturating_sub(q) } else { x.saturating_add(q) };
        }
    }
}

/// Undoes the choice at position `i` (if it started the task).
fn release(
    ctx: &Context<'_>,
    candidates: &[Candidate],
    choice: &[usize],
    i: usize,
    residual: &mut [u64],
    used: &mut [u32],
) {
    let (Some(cand), Some(&c)) = (candidates.get(i), choice.get(i)) else { return };
    if let Some(&(node, d)) = cand.nodes.get(c) {
        if d > 0 {
            reserve(ctx, residual, cand.task, node, false);
        }
        if let Some(u) = used.get_mut(node.index()) {
            *u -= 1;
        }
    }
}

/// The child for one start set: start the chosen tasks, forbid the skipped ones that would
/// still fit at the next decision point, advance to the next event. `None` if it cannot
/// beat `ub` or is a dead end.
fn child_of(
    ctx: &Context<'_>,
    state: &State,
    candidates: &[Candidate],
    choice: &[usize],
    residual: &[u64],
    releases: &[(TaskId, Time)],
    ub: Time,
) -> Option<Child> {
    let t = state.time;
    let mut next = State {
        time: t,
        finished: state.finished.clone(),
        finished_count: state.finished_count,
        running: state.running.clone(),
        placed: state.placed.clone(),
        forbidden: Vec::new(),
    };
    let mut skipped_fitting = Vec::new();
    for (cand, &c) in candidates.iter().zip(choice) {
        match cand.nodes.get(c) {
            Some(&(node, d)) => {
                if let Some(p) = next.placed.get_mut(cand.task.index()) {
                    *p = (node.0, t);
                }
                next.running.push(Run { task: cand.task, node, finish: t + d });
            }
            None if cand.fixed => return None, // a fixed task skipped at its start
            None => {
                skipped_fitting.extend(
                    cand.nodes
                        .iter()
                        .filter(|&&(n, d)| d == 0 || fits(ctx, residual, cand.task, n))
                        .map(|&(n, _)| (cand.task, n)),
                );
            }
        }
    }
    // The next event: a completion, or a release time of a waiting task not started now.
    let event = next
        .running
        .iter()
        .map(|r| r.finish)
        .chain(releases.iter().filter(|(task, _)| !Context::started(&next, *task)).map(|&(_, at)| at))
        .min()?;
    if event > t {
        skipped_fitting.sort_unstable();
        next.forbidden = skipped_fitting;
    }
    next.time = event;
    let mut still = Vec::with_capacity(next.running.len());
    for r in next.running.drain(..) {
        if r.finish <= event {
            set(&mut next.finished, r.task);
            next.finished_count += 1;
        } else {
            still.push(r);
        }
    }
    still.sort_unstable_by_key(|r| r.task);
    next.running = still;
    debug_assert!(next.running.iter().all(|r| !is_set(&next.finished, r.task)));
    let bound = ctx.bound(&next);
    (bound < ub).then_some(Child { bound, state: next })
}
