//! Tabu search on the disjunctive graph of a shop (one island).
//!
//! Each iteration takes one critical path of the current plan and splits it into **blocks**
//! (maximal runs of consecutive tasks on one node). Moves: a block task moved to the front or
//! to the back of its block (the N7 neighbourhood of Zhang et al. 2007, which contains
//! Nowicki and Smutnicki's N5 swaps), and, in flexible shops, a critical task moved to
//! another node it can use, inserted where the estimate below is smallest among positions
//! that cannot create a cycle (Mastrolilli and Gambardella 2000). Every move is scored by
//! the standard head/tail estimate of the longest path through the tasks it touches (heads
//! recomputed along the changed sequence, tails backwards, the rest taken from the current
//! plan); the best move that is not tabu (or that beats the island's best: aspiration) is
//! applied and the plan re-timed exactly. Moving a task over others forbids putting them
//! back in front of it (or, for a node change, returning to the old node) for a random
//! tenure of 5 to 14 iterations. After a long stall the island restarts from its best plan,
//! perturbed.
//!
//! Per iteration: O(n + e) for the critical path and the exact re-timing, O(b·k) estimates
//! for b blocks of k tasks (each O(k + p) for p dependencies per task), and O(o·s) for node
//! changes over o options of s positions. Nowicki and Smutnicki (1996), "A fast taboo search
//! algorithm for the job shop problem", Management Science 42; Mastrolilli and Gambardella
//! (2000), "Effective neighbourhood functions for the flexible job shop problem", Journal of
//! Scheduling 3; Zhang, Li, Guan and Rao (2007), "A tabu search algorithm with a new
//! neighborhood structure for the job shop scheduling problem", Computers & OR 34.

use super::{Plan, Shop, Times};
use crate::model::{NodeId, TaskId, Time};
use crate::rng::SplitMix64;
use crate::schedule::{Assignment, Schedule};
use crate::solver::SolveError;
use crate::solver::search::control::{Budget, Control};

/// The mean tabu tenure, in iterations. A fixed 10 (tenures 5 to 14) measured better than
/// the size-dependent `10 + jobs` of Zhang et al. at the same schedule budget (200,000 per
/// instance, 2 islands): Lawrence 0.41 % -> 0.15 % above the optimum, Brandimarte 0.90 % ->
/// 0.59 % above the best known, ft10 at 930 with 3 seeds of 3 at 500,000 (935-938 before);
/// 7 and 13 measured close to 10.
const TENURE: u64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    /// Within one node: the task at `from` moves to index `to`.
    Shift { node: NodeId, from: usize, to: usize },
    /// `task` moves to `node` (duration `duration`) at index `at` of its sequence.
    Reassign { task: TaskId, node: NodeId, duration: Time, at: usize },
}

/// One island of the tabu search.
pub(in crate::solver::search) struct Tabu<'s, 'p> {
    shop: &'s Shop<'p>,
    plan: Plan,
    times: Times,
    trial: Times,
    best_plan: Plan,
    best: Vec<Assignment>,
    best_makespan: Time,
    rng: SplitMix64,
    /// `forbid[a·n + b]`: until which iteration `a` may not be put before `b` again.
    forbid: Vec<u32>,
    /// `forbid_node[t·m + k]`: until which iteration `t` may not return to node `k`.
    forbid_node: Vec<u32>,
    iteration: u32,
    stall: u32,
    budget: Budget,
    path: Vec<TaskId>,
    moves: Vec<(Time, u64, Move)>,
    segment: Vec<TaskId>,
    pub(in crate::solver::search) schedules: u64,
    pub(in crate::solver::search) iterations: u64,
}

impl<'s, 'p> Tabu<'s, 'p> {
    /// An island starting from `start` (a complete schedule indexed by task id).
    pub(in crate::solver::search) fn new(
        shop: &'s Shop<'p>,
        start: &[Assignment],
        rng: SplitMix64,
        budget: Budget,
    ) -> Result<Self, SolveError> {
        let problem = shop.problem;
        let n = problem.task_count();
        let plan = Plan::of(shop, start)?;
        let mut times = Times::new(n);
        if !times.compute(problem, &plan) {
            return Err(SolveError::Internal("the starting schedule's sequences form a cycle".into()));
        }
        let mut best = Vec::with_capacity(n);
        times.schedule(problem, &plan, &mut best);
        Ok(Self {
            shop,
            best_plan: plan.clone(),
            best_makespan: times.makespan,
            plan,
            trial: times.clone(),
            times,
            best,
            rng,
            forbid: vec![0; n * n],
            forbid_node: vec![0; n * problem.node_count()],
            iteration: 1,
            stall: 0,
            budget,
            path: Vec::new(),
            moves: Vec::new(),
            segment: Vec::new(),
            schedules: 0,
            iterations: 0,
        })
    }

    /// The island's best makespan and schedule.
    pub(in crate::solver::search) fn best(&self) -> (Time, &[Assignment]) {
        (self.best_makespan, &self.best)
    }

    /// Whether the budget is spent.
    pub(in crate::solver::search) fn exhausted(&self) -> bool {
        !self.budget.allows(1)
    }

    /// Runs iterations for at most `epoch` re-timings, until the budget is spent, the control
    /// stops, or `bound` is reached.
    pub(in crate::solver::search) fn run(&mut self, epoch: u64, control: &Control, bound: Time) {
        let end = self.schedules.saturating_add(epoch);
        let problem = self.shop.problem;
        let n = problem.task_count() as u32;
        let patience = 2_000 + 20 * n;
        while self.schedules < end && !self.exhausted() && self.best_makespan > bound && !control.stopped() {
            self.iterations += 1;
            self.iteration = self.iteration.wrapping_add(1).max(1);
            if !self.step(control) || self.stall > patience {
                self.restart();
            }
        }
    }

    /// One iteration; `false` when the plan has no move left (restart).
    fn step(&mut self, control: &Control) -> bool {
        let problem = self.shop.problem;
        self.times.critical_path(problem, &self.plan, &mut self.path);
        self.collect_moves();
        if self.moves.is_empty() {
            return false;
        }
        self.moves.sort_unstable_by_key(|&(estimate, noise, _)| (estimate, noise));
        // The best allowed move first; if every move is tabu, a random one.
        let allowed: Vec<usize> = (0..self.moves.len())
            .filter(|&i| {
                self.moves.get(i).is_some_and(|&(estimate, _, m)| estimate < self.best_makespan || !self.is_tabu(m))
            })
            .collect();
        let order: Vec<usize> =
            if allowed.is_empty() { vec![self.rng.below(self.moves.len() as u64) as usize] } else { allowed };
        for i in order {
            let Some(&(_, _, m)) = self.moves.get(i) else { continue };
            if !self.budget.allows(1) {
                return true;
            }
            let undo = self.apply(m);
            self.schedules += 1;
            self.budget.spend(1);
            if self.trial.compute(problem, &self.plan) {
                std::mem::swap(&mut self.times, &mut self.trial);
                self.make_tabu(m, undo);
                self.stall += 1;
                if self.times.makespan < self.best_makespan {
                    self.best_makespan = self.times.makespan;
                    self.best_plan.clone_from(&self.plan);
                    self.times.schedule(problem, &self.plan, &mut self.best);
                    self.stall = 0;
                    control.improved(self.best_makespan, || Schedule::new(self.best.clone()));
                }
                return true;
            }
            self.revert(m, undo);
        }
        false
    }

    /// Fills `self.moves` with every move of the neighbourhood and its estimate.
    fn collect_moves(&mut self) {
        self.moves.clear();
        let path = std::mem::take(&mut self.path);
        let mut i = 0;
        while i < path.len() {
            // The block starting at i: consecutive tasks on one node.
            let mut j = i;
            while let (Some(&a), Some(&b)) = (path.get(j), path.get(j + 1)) {
                if self.times.next(a) != Some(b) {
                    break;
                }
                j += 1;
            }
            if let (Some(&first), true) = (path.get(i), j > i) {
                let node = self.plan.node(first);
                let p0 = self.times.position(first);
                let k = j - i + 1;
                for q in 1..k {
                    self.push_shift(node, p0 + q, p0);
                }
                for q in 0..k - 1 {
                    if !(k == 2 && q == 0) {
                        self.push_shift(node, p0 + q, p0 + k - 1);
                    }
                }
            }
            i = j + 1;
        }
        if self.shop.flexible() {
            for &t in &path {
                self.push_reassignments(t);
            }
        }
        self.path = path;
    }

    fn finish(&self, t: TaskId) -> Time {
        self.times.head(t).saturating_add(self.plan.duration(t))
    }

    /// Earliest start of `t` on `node` from its dependencies alone.
    fn ready(&self, t: TaskId, node: NodeId) -> Time {
        let problem = self.shop.problem;
        let delay = |p: TaskId, d: Time| if self.plan.node(p) == node { 0 } else { d };
        problem
            .predecessors(t)
            .iter()
            .map(|e| self.finish(e.task).saturating_add(delay(e.task, e.delay)))
            .max()
            .unwrap_or(0)
    }

    /// Longest path from the finish of `t` on `node` to the end through its dependents.
    fn after(&self, t: TaskId, node: NodeId) -> Time {
        let problem = self.shop.problem;
        let delay = |s: TaskId, d: Time| if self.plan.node(s) == node { 0 } else { d };
        problem
            .successors(t)
            .iter()
            .map(|e| {
                delay(e.task, e.delay)
                    .saturating_add(self.plan.duration(e.task))
                    .saturating_add(self.times.tail(e.task))
            })
            .max()
            .unwrap_or(0)
    }

    fn push_shift(&mut self, node: NodeId, from: usize, to: usize) {
        let Some(seq) = self.plan.sequence.get(node.index()) else { return };
        let Some(&moved) = seq.get(from) else { return };
        let (lo, hi) = (from.min(to), from.max(to));
        self.segment.clear();
        if to < from {
            self.segment.push(moved);
            self.segment.extend(seq.iter().take(from).skip(to));
        } else {
            self.segment.extend(seq.iter().take(to + 1).skip(from + 1));
            self.segment.push(moved);
        }
        let before = lo.checked_sub(1).and_then(|p| seq.get(p)).map_or(0, |&b| self.finish(b));
        let after = seq.get(hi + 1).map_or(0, |&a| self.plan.duration(a).saturating_add(self.times.tail(a)));
        // Heads forward along the new order, then tails backwards.
        let mut heads = Vec::with_capacity(self.segment.len());
        let mut at = before;
        for &t in &self.segment {
            let h = at.max(self.ready(t, node));
            heads.push(h);
            at = h.saturating_add(self.plan.duration(t));
        }
        let mut estimate = 0;
        let mut tail = after;
        for (&t, &h) in self.segment.iter().zip(&heads).rev() {
            let q = tail.max(self.after(t, node));
            estimate = estimate.max(h.saturating_add(self.plan.duration(t)).saturating_add(q));
            tail = q.saturating_add(self.plan.duration(t));
        }
        let noise = self.rng.next_u64();
        self.moves.push((estimate, noise, Move::Shift { node, from, to }));
    }

    fn push_reassignments(&mut self, t: TaskId) {
        let current = self.plan.node(t);
        let head = self.times.head(t);
        let finish = self.finish(t);
        for &(node, duration) in self.shop.options(t) {
            if node == current {
                continue;
            }
            let Some(seq) = self.plan.sequence.get(node.index()) else { continue };
            let (ready, after) = (self.ready(t, node), self.after(t, node));
            let mut best: Option<(Time, usize)> = None;
            for at in 0..=seq.len() {
                let x = at.checked_sub(1).and_then(|p| seq.get(p)).copied();
                let y = seq.get(at).copied();
                // No cycle: nothing before may depend on t, nothing after may precede it.
                if x.is_some_and(|x| self.times.head(x) >= finish) || y.is_some_and(|y| self.finish(y) <= head) {
                    continue;
                }
                let start = ready.max(x.map_or(0, |x| self.finish(x)));
                let tail = after.max(y.map_or(0, |y| self.plan.duration(y).saturating_add(self.times.tail(y))));
                let estimate = start.saturating_add(duration).saturating_add(tail);
                if best.is_none_or(|(e, _)| estimate < e) {
                    best = Some((estimate, at));
                }
            }
            if let Some((estimate, at)) = best {
                let noise = self.rng.next_u64();
                self.moves.push((estimate, noise, Move::Reassign { task: t, node, duration, at }));
            }
        }
    }

    fn n(&self) -> usize {
        self.shop.problem.task_count()
    }

    fn forbidden(&self, a: TaskId, b: TaskId) -> bool {
        self.forbid.get(a.index() * self.n() + b.index()).is_some_and(|&until| until > self.iteration)
    }

    fn is_tabu(&self, m: Move) -> bool {
        match m {
            Move::Shift { node, from, to } => {
                let Some(seq) = self.plan.sequence.get(node.index()) else { return false };
                let Some(&u) = seq.get(from) else { return false };
                if to < from {
                    seq.iter().take(from).skip(to).any(|&x| self.forbidden(u, x))
                } else {
                    seq.iter().take(to + 1).skip(from + 1).any(|&x| self.forbidden(x, u))
                }
            }
            Move::Reassign { task, node, .. } => {
                let m = self.shop.problem.node_count();
                self.forbid_node.get(task.index() * m + node.index()).is_some_and(|&until| until > self.iteration)
            }
        }
    }

    /// A random tenure in `TENURE / 2 .. TENURE * 3 / 2`.
    fn tenure(&mut self) -> u32 {
        (TENURE / 2 + self.rng.below(TENURE)) as u32
    }

    /// Applies `m`; returns what [`revert`](Self::revert) needs (the old node, duration and
    /// index of a reassigned task).
    fn apply(&mut self, m: Move) -> (NodeId, Time, usize) {
        match m {
            Move::Shift { node, from, to } => {
                if let Some(seq) = self.plan.sequence.get_mut(node.index())
                    && from < seq.len()
                    && to < seq.len()
                {
                    let u = seq.remove(from);
                    seq.insert(to, u);
                }
                (node, 0, from)
            }
            Move::Reassign { task, node, duration, at } => {
                let old = self.plan.node(task);
                let old_duration = self.plan.duration(task);
                let index = self.times.position(task);
                if let Some(seq) = self.plan.sequence.get_mut(old.index())
                    && seq.get(index) == Some(&task)
                {
                    seq.remove(index);
                }
                if let Some(seq) = self.plan.sequence.get_mut(node.index()) {
                    seq.insert(at.min(seq.len()), task);
                }
                if let (Some(n), Some(d)) =
                    (self.plan.node.get_mut(task.index()), self.plan.duration.get_mut(task.index()))
                {
                    *n = node;
                    *d = duration;
                }
                (old, old_duration, index)
            }
        }
    }

    fn revert(&mut self, m: Move, (old, old_duration, index): (NodeId, Time, usize)) {
        match m {
            Move::Shift { node, from, to } => {
                if let Some(seq) = self.plan.sequence.get_mut(node.index())
                    && from < seq.len()
                    && to < seq.len()
                {
                    let u = seq.remove(to);
                    seq.insert(from, u);
                }
            }
            Move::Reassign { task, node, at, .. } => {
                if let Some(seq) = self.plan.sequence.get_mut(node.index()) {
                    let at = at.min(seq.len().saturating_sub(1));
                    if seq.get(at) == Some(&task) {
                        seq.remove(at);
                    }
                }
                if let Some(seq) = self.plan.sequence.get_mut(old.index()) {
                    seq.insert(index.min(seq.len()), task);
                }
                if let (Some(n), Some(d)) =
                    (self.plan.node.get_mut(task.index()), self.plan.duration.get_mut(task.index()))
                {
                    *n = old;
                    *d = old_duration;
                }
            }
        }
    }

    /// Forbids undoing the move just made, for a random tenure.
    fn make_tabu(&mut self, m: Move, (old, _, _): (NodeId, Time, usize)) {
        let until = self.iteration.saturating_add(self.tenure());
        let n = self.n();
        match m {
            Move::Shift { node, from, to } => {
                let Some(seq) = self.plan.sequence.get(node.index()) else { return };
                let Some(&u) = seq.get(to) else { return };
                // After the move: a front move put u before seq[to+1..=from], a back move
                // put seq[from..to] before u.
                let (jumped, u_first): (Vec<TaskId>, bool) = if to < from {
                    (seq.iter().take(from + 1).skip(to + 1).copied().collect(), true)
                } else {
                    (seq.iter().take(to).skip(from).copied().collect(), false)
                };
                for x in jumped {
                    let (a, b) = if u_first { (x, u) } else { (u, x) };
                    if let Some(slot) = self.forbid.get_mut(a.index() * n + b.index()) {
                        *slot = until;
                    }
                }
            }
            Move::Reassign { task, .. } => {
                let m = self.shop.problem.node_count();
                if let Some(slot) = self.forbid_node.get_mut(task.index() * m + old.index()) {
                    *slot = until;
                }
            }
        }
    }

    /// Back to the best plan, perturbed by a few random adjacent swaps that keep it acyclic,
    /// with the tabu memory cleared.
    fn restart(&mut self) {
        let problem = self.shop.problem;
        self.stall = 0;
        self.plan.clone_from(&self.best_plan);
        self.forbid.fill(0);
        self.forbid_node.fill(0);
        let swaps = 2 + self.rng.below(1 + problem.task_count() as u64 / 20);
        for _ in 0..swaps {
            let node = self.rng.below(problem.node_count() as u64) as usize;
            let len = self.plan.sequence.get(node).map_or(0, Vec::len);
            if len < 2 {
                continue;
            }
            let from = self.rng.below(len as u64 - 1) as usize;
            let m = Move::Shift { node: NodeId(node as u32), from, to: from + 1 };
            let undo = self.apply(m);
            self.schedules += 1;
            self.budget.spend(1);
            if !self.trial.compute(problem, &self.plan) {
                self.revert(m, undo);
            }
        }
        if !self.times.compute(problem, &self.plan) {
            // Unreachable: every kept swap was checked; fall back to the best plan.
            self.plan.clone_from(&self.best_plan);
            let _ = self.times.compute(problem, &self.plan);
        }
    }
}
