//! The depth-first branch and bound over event states (see the [module docs](super)).

use super::state::{Context, Memo, Run, State};
use crate::model::{NodeId, PerNode, TaskId, Time};
use crate::solver::shared::Incumbent;
use crate::solver::{Deadline, SolveError};

/// Expansions between two looks at the clock and at the shared incumbent.
const POLL: u64 = 64;
/// Expansions between two computations of the open subtrees' bound, to report it.
const BOUND_POLL: u64 = 4096;

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

/// Searches for a schedule shorter than `upper`, and shorter than the incumbent's best as it
/// improves; reports each schedule found and each rise of the bound to the incumbent.
pub(super) fn search(
    ctx: &Context<'_>,
    upper: Time,
    deadline: &Deadline,
    max_states: usize,
    incumbent: &Incumbent,
) -> Result<Outcome, SolveError> {
    let mut ub = upper;
    let mut best: Option<State> = None;
    let mut memo = Memo::new();
    let root = ctx.root();
    let root_bound = ctx.bound(&root);
    incumbent.offer_bound("dp", root_bound.min(ub));
    if root_bound >= ub {
        // The best schedule known meets the root's bound: proven without a search.
        return Ok(Outcome { best: None, bound: ub, expanded: 0, generated: 0, states: 0, stopped: None });
    }
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
            // With time rules only the final answer, checked by `Solution::new`, is offered.
            if !ctx.problem.has_time_rules() {
                incumbent.try_offer_schedule("dp", ub, || ctx.schedule(&state))?;
            }
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
        if expanded % POLL == 0 {
            if deadline.reached() {
                stopped = Some(Stop::Time);
                open_bound = bound;
                break;
            }
            // A shorter schedule found elsewhere prunes more from now on.
            ub = incumbent.upper().map_or(ub, |u| u.min(ub));
            if expanded % BOUND_POLL == 0 {
                incumbent.offer_bound("dp", open_min(&stack).min(bound).min(ub));
            }
        }
        match expand(ctx, &state, ub, deadline, &mut generated)? {
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
    let bound = if stopped.is_none() { ub } else { open_min(&stack).min(open_bound).min(ub) };
    Ok(Outcome { best, bound, expanded, generated, states: memo.len(), stopped })
}

/// The smallest bound of the unexplored children on the stack (`Time::MAX` if none).
fn open_min(stack: &[Frame]) -> Time {
    stack.iter().flat_map(|f| f.children.iter().skip(f.next)).map(|c| c.bound).min().unwrap_or(Time::MAX)
}

/// A task that may start at this decision point, the nodes it may start on now, and the
/// enumeration's choice for it: `choice < nodes.len()` starts it on that node, `==` skips it,
/// `>` means its choices are exhausted.
struct Candidate {
    task: TaskId,
    nodes: Vec<(NodeId, Time)>,
    choice: usize,
    /// A fixed task must start now (it is a candidate only at its fixed start).
    fixed: bool,
}

impl Candidate {
    /// The node and duration chosen, if the task starts.
    fn chosen(&self) -> Option<(NodeId, Time)> {
        self.nodes.get(self.choice).copied()
    }
}

/// What the enumeration of start sets tracks per node.
struct Nodes {
    /// Capacity left per dimension.
    residual: PerNode<Vec<u64>>,
    /// Whether nothing distinguishes the node in the state (idle, no open window).
    quiet: PerNode<bool>,
    /// Tasks the current start set places on it.
    used: PerNode<u32>,
}

impl Nodes {
    fn fits(&self, ctx: &Context<'_>, task: TaskId, node: NodeId) -> bool {
        ctx.problem.demand(task).iter().zip(&self.residual[node]).all(|(&q, &x)| q <= x)
    }

    /// Starts (`take`) or undoes the start of the task on the node. Zero-length tasks never
    /// hold resources.
    fn reserve(&mut self, ctx: &Context<'_>, task: TaskId, node: NodeId, d: Time, take: bool) {
        if d > 0 {
            for (x, &q) in self.residual[node].iter_mut().zip(ctx.problem.demand(task)) {
                *x = if take { *x - q } else { *x + q }; // a start is reserved only where it fits
            }
        }
        let used = &mut self.used[node];
        *used = if take { *used + 1 } else { *used - 1 };
    }

    /// Whether an earlier node of the same class is as idle as `node`: identical idle nodes
    /// are interchangeable, so only the first of a class is tried.
    fn twin(&self, ctx: &Context<'_>, node: NodeId) -> bool {
        let idle = |n: NodeId| self.quiet[n] && self.used[n] == 0;
        idle(node) && (0..node.0).map(NodeId).any(|m| ctx.class[m] == ctx.class[node] && idle(m))
    }
}

/// Every child of a decision state: one per feasible set of starts (with a node each),
/// advanced to the next event. `None` when the deadline passed during the enumeration.
fn expand(
    ctx: &Context<'_>,
    state: &State,
    ub: Time,
    deadline: &Deadline,
    generated: &mut u64,
) -> Result<Option<Vec<Child>>, SolveError> {
    let t = state.time;
    let signatures = ctx.node_signatures(state);
    let mut nodes = Nodes {
        residual: ctx.capacity.clone(),
        quiet: PerNode::nodes(ctx.problem, |n| signatures[n].is_empty()),
        used: PerNode::nodes(ctx.problem, |_| 0),
    };
    for r in &state.running {
        for (x, &q) in nodes.residual[r.node].iter_mut().zip(ctx.problem.demand(r.task)) {
            *x = x.saturating_sub(q);
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
        let mut here = Vec::new();
        for &(node, d) in &ctx.options[task] {
            let ready = ctx.ready_on(state, task, node);
            if ready > t {
                releases.push((task, ready));
                continue;
            }
            if fixed.is_some_and(|f| f.start != t) {
                return Ok(Some(Vec::new())); // a fixed task can no longer start at its time
            }
            // Downtime: the task waits for the end of the window it would meet.
            let free = problem.available_from(node, t, d);
            if free > t {
                releases.push((task, free));
            } else if t.saturating_add(d) <= ctx.due(task) && !state.forbidden.contains(&(task, node)) {
                here.push((node, d));
            }
        }
        // A fixed task that can start now must (it has a node only at its fixed start).
        let fixed = fixed.is_some() && !here.is_empty();
        candidates.push(Candidate { task, nodes: here, choice: 0, fixed });
    }

    // Enumerate the start sets depth first over the candidates: position `i` is being chosen,
    // those before it are fixed.
    let k = candidates.len();
    let mut children = Vec::new();
    let mut i = 0usize;
    loop {
        if i == k {
            *generated += 1;
            if (*generated).is_multiple_of(4096) && deadline.reached() {
                return Ok(None);
            }
            if let Some(child) = child_of(ctx, state, &candidates, &nodes, &releases, ub) {
                children.push(child);
            }
            if k == 0 {
                break;
            }
            i -= 1;
            advance(ctx, candidate(&mut candidates, i)?, &mut nodes);
            continue;
        }
        let cand = candidate(&mut candidates, i)?;
        // The next choice from the current one on: a node where the task fits, or a skip.
        while let Some((node, d)) = cand.chosen() {
            if (d == 0 || nodes.fits(ctx, cand.task, node)) && !nodes.twin(ctx, node) {
                break;
            }
            cand.choice += 1;
        }
        if cand.choice <= cand.nodes.len() {
            if let Some((node, d)) = cand.chosen() {
                nodes.reserve(ctx, cand.task, node, d, true);
            }
            i += 1;
            if let Some(next) = candidates.get_mut(i) {
                next.choice = 0; // a fresh enumeration of the next position (none after the last)
            }
        } else {
            if i == 0 {
                break;
            }
            i -= 1;
            advance(ctx, candidate(&mut candidates, i)?, &mut nodes);
        }
    }
    Ok(Some(children))
}

/// The candidate at position `i` of the enumeration, which is always below their number.
fn candidate(candidates: &mut [Candidate], i: usize) -> Result<&mut Candidate, SolveError> {
    let len = candidates.len();
    candidates
        .get_mut(i)
        .ok_or_else(|| SolveError::Internal(format!("dp: start-set enumeration at position {i} of {len}")))
}

/// Undoes a candidate's current choice (if it started the task) and moves to its next one.
fn advance(ctx: &Context<'_>, cand: &mut Candidate, nodes: &mut Nodes) {
    if let Some((node, d)) = cand.chosen() {
        nodes.reserve(ctx, cand.task, node, d, false);
    }
    cand.choice += 1;
}

/// The child for one start set: start the chosen tasks, forbid the skipped ones that would
/// still fit at the next decision point, advance to the next event. `None` if it cannot
/// beat `ub` or is a dead end.
fn child_of(
    ctx: &Context<'_>,
    state: &State,
    candidates: &[Candidate],
    nodes: &Nodes,
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
    for cand in candidates {
        match cand.chosen() {
            Some((node, d)) => {
                next.placed[cand.task] = (node.0, t + d);
                next.running.push(Run { task: cand.task, node, finish: t + d });
            }
            None if cand.fixed => return None, // a fixed task skipped at its start
            None => {
                skipped_fitting.extend(
                    cand.nodes
                        .iter()
                        .filter(|&&(n, d)| d == 0 || nodes.fits(ctx, cand.task, n))
                        .map(|&(n, _)| (cand.task, n)),
                );
            }
        }
    }
    // The next event: a completion, or a release time of a waiting task not started now
    // (none at all: a dead end).
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
            next.finished.insert(r.task);
            next.finished_count += 1;
        } else {
            still.push(r);
        }
    }
    still.sort_unstable_by_key(|r| r.task);
    next.running = still;
    debug_assert!(next.running.iter().all(|r| !next.finished.contains(r.task)));
    let bound = ctx.bound(&next);
    (bound < ub).then_some(Child { bound, state: next })
}
