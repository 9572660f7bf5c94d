//! Shops: problems in which every node that any task can use is **unary** (no two of its
//! tasks can overlap, e.g. machines of capacity 1 in job shops and flexible job shops). A
//! schedule of a shop is then fully described by a node per task and a sequence per node:
//! the **disjunctive graph** (Roy and Sussmann 1964), whose longest paths give every start
//! time. The tabu search of `tabu.rs` works on that representation.
//!
//! A node is recognised as unary when some dimension cannot hold the two smallest demands of
//! the tasks that may use it at once (a sufficient test: then no pair of its tasks fits
//! together). Times: the head of a task is its earliest start given its dependencies (plus
//! the transfer delay when the nodes differ) and its predecessor on its node; its tail the
//! longest path from its finish to the end. Both come from one pass each over a topological
//! order of the graph (Kahn), O(n + e) for n tasks and e dependencies; a cycle means the
//! sequences contradict the dependencies.

pub(super) mod tabu;

use crate::model::{Edge, NodeId, Problem, TaskId, Time};
use crate::schedule::Assignment;
use crate::solver::SolveError;

/// No neighbour on the node.
const NONE: u32 = u32::MAX;
/// Shops with more tasks than this are left to the genetic algorithm (the tabu structures
/// grow with the square of the task count).
pub(super) const MAX_TASKS: usize = 2_000;

/// A problem all of whose usable nodes are unary, with every task's options.
pub(super) struct Shop<'p> {
    pub(super) problem: &'p Problem,
    first: Vec<u32>,
    options: Vec<(NodeId, Time)>,
}

impl<'p> Shop<'p> {
    /// The shop view of `problem`, or `None` when some usable node can run two of its tasks
    /// at once (or the problem is too small or too large for the tabu search, or has time
    /// rules, which its disjunctive graph and re-timing do not know: the genetic algorithm
    /// takes those).
    pub(super) fn detect(problem: &'p Problem) -> Option<Self> {
        let n = problem.task_count();
        if !(2..=MAX_TASKS).contains(&n) || problem.has_time_rules() {
            return None;
        }
        let r = problem.resource_count();
        // The two smallest demands per node and dimension.
        let mut smallest = vec![(u64::MAX, u64::MAX); problem.node_count() * r];
        let mut first = Vec::with_capacity(n + 1);
        let mut options = Vec::new();
        for t in problem.tasks() {
            first.push(options.len() as u32);
            for (node, duration) in problem.options(t) {
                options.push((node, duration));
                let row = smallest.get_mut(node.index() * r..(node.index() + 1) * r)?;
                for (pair, &d) in row.iter_mut().zip(problem.demand(t)) {
                    if d < pair.0 {
                        *pair = (d, pair.0);
                    } else if d < pair.1 {
                        pair.1 = d;
                    }
                }
            }
        }
        first.push(options.len() as u32);
        for node in problem.nodes() {
            let row = smallest.get(node.index() * r..(node.index() + 1) * r)?;
            let used = row.iter().any(|&(a, _)| a != u64::MAX);
            let unary =
                row.iter().zip(problem.capacity(node)).any(|(&(a, b), &c)| b == u64::MAX || a.saturating_add(b) > c);
            if used && !unary {
                return None;
            }
        }
        Some(Self { problem, first, options })
    }

    /// The nodes `task` can use, with its duration on each.
    pub(super) fn options(&self, task: TaskId) -> &[(NodeId, Time)] {
        let range = self.first.get(task.index()).zip(self.first.get(task.index() + 1));
        range.and_then(|(&a, &b)| self.options.get(a as usize..b as usize)).unwrap_or(&[])
    }

    /// Whether any task has a choice of node.
    pub(super) fn flexible(&self) -> bool {
        self.problem.tasks().any(|t| self.options(t).len() > 1)
    }
}

/// A node and a duration per task and a sequence per node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub(super) node: Vec<NodeId>,
    pub(super) duration: Vec<Time>,
    pub(super) sequence: Vec<Vec<TaskId>>,
}

impl Plan {
    /// The plan of a complete schedule (indexed by task id): each node's tasks by start.
    pub(super) fn of(shop: &Shop<'_>, schedule: &[Assignment]) -> Result<Self, SolveError> {
        let problem = shop.problem;
        let mut sequence: Vec<Vec<TaskId>> = vec![Vec::new(); problem.node_count()];
        let mut node = Vec::with_capacity(schedule.len());
        let mut duration = Vec::with_capacity(schedule.len());
        for a in schedule {
            let d = shop.options(a.task).iter().find(|o| o.0 == a.node).map(|o| o.1);
            let (Some(d), Some(seq)) = (d, sequence.get_mut(a.node.index())) else {
                return Err(SolveError::Internal(format!("task {} on a node it cannot use", a.task.0)));
            };
            node.push(a.node);
            duration.push(d);
            seq.push(a.task);
        }
        for seq in &mut sequence {
            seq.sort_by_key(|t| (schedule.get(t.index()).map_or(0, |a| a.start), *t));
        }
        Ok(Self { node, duration, sequence })
    }

    pub(super) fn node(&self, t: TaskId) -> NodeId {
        self.node.get(t.index()).copied().unwrap_or(NodeId(u32::MAX))
    }

    pub(super) fn duration(&self, t: TaskId) -> Time {
        self.duration.get(t.index()).copied().unwrap_or_default()
    }

    /// The delay paid on dependency `e` into or out of `t` (paid when the nodes differ).
    pub(super) fn delay(&self, t: TaskId, e: &Edge) -> Time {
        if self.node(t) == self.node(e.task) { 0 } else { e.delay }
    }
}

/// Heads, tails and machine neighbours of a plan, in reusable buffers.
#[derive(Debug, Clone)]
pub(super) struct Times {
    pub(super) head: Vec<Time>,
    pub(super) tail: Vec<Time>,
    pub(super) prev: Vec<u32>,
    pub(super) next: Vec<u32>,
    /// Each task's index in its node's sequence.
    pub(super) position: Vec<u32>,
    waiting: Vec<u32>,
    order: Vec<TaskId>,
    pub(super) makespan: Time,
}

impl Times {
    pub(super) fn new(n: usize) -> Self {
        Self {
            head: vec![0; n],
            tail: vec![0; n],
            prev: vec![NONE; n],
            next: vec![NONE; n],
            position: vec![0; n],
            waiting: vec![0; n],
            order: Vec::with_capacity(n),
            makespan: 0,
        }
    }

    fn at(v: &[Time], t: TaskId) -> Time {
        v.get(t.index()).copied().unwrap_or_default()
    }

    pub(super) fn head(&self, t: TaskId) -> Time {
        Self::at(&self.head, t)
    }

    pub(super) fn tail(&self, t: TaskId) -> Time {
        Self::at(&self.tail, t)
    }

    pub(super) fn prev(&self, t: TaskId) -> Option<TaskId> {
        self.prev.get(t.index()).filter(|&&p| p != NONE).map(|&p| TaskId(p))
    }

    pub(super) fn position(&self, t: TaskId) -> usize {
        self.position.get(t.index()).map_or(0, |&p| p as usize)
    }

    pub(super) fn next(&self, t: TaskId) -> Option<TaskId> {
        self.next.get(t.index()).filter(|&&p| p != NONE).map(|&p| TaskId(p))
    }

    /// Computes every head and tail of `plan`; `false` when the plan has a cycle (its
    /// sequences contradict the dependencies), in which case the times are meaningless.
    pub(super) fn compute(&mut self, problem: &Problem, plan: &Plan) -> bool {
        self.prev.fill(NONE);
        self.next.fill(NONE);
        for seq in &plan.sequence {
            for (i, t) in seq.iter().enumerate() {
                if let Some(p) = self.position.get_mut(t.index()) {
                    *p = i as u32;
                }
            }
            for pair in seq.windows(2) {
                if let [a, b] = *pair {
                    if let Some(p) = self.prev.get_mut(b.index()) {
                        *p = a.0;
                    }
                    if let Some(s) = self.next.get_mut(a.index()) {
                        *s = b.0;
                    }
                }
            }
        }
        self.order.clear();
        for t in problem.tasks() {
            let w = problem.predecessors(t).len() as u32 + u32::from(self.prev(t).is_some());
            if let Some(slot) = self.waiting.get_mut(t.index()) {
                *slot = w;
            }
            if w == 0 {
                self.order.push(t);
            }
        }
        self.head.fill(0);
        let mut i = 0;
        while let Some(&t) = self.order.get(i) {
            i += 1;
            let finish = self.head(t).saturating_add(plan.duration(t));
            let next = self.next(t);
            let (head, waiting, order) = (&mut self.head, &mut self.waiting, &mut self.order);
            let mut release = |s: TaskId, at: Time| {
                if let Some(h) = head.get_mut(s.index()) {
                    *h = (*h).max(at);
                }
                if let Some(w) = waiting.get_mut(s.index()) {
                    *w -= 1;
                    if *w == 0 {
                        order.push(s);
                    }
                }
            };
            for e in problem.successors(t) {
                release(e.task, finish.saturating_add(plan.delay(t, e)));
            }
            if let Some(s) = next {
                release(s, finish);
            }
        }
        if self.order.len() != problem.task_count() {
            return false;
        }
        let mut makespan = 0;
        for k in (0..self.order.len()).rev() {
            let Some(&t) = self.order.get(k) else { continue };
            let mut tail = 0;
            for e in problem.successors(t) {
                let through = plan.delay(t, e).saturating_add(plan.duration(e.task)).saturating_add(self.tail(e.task));
                tail = tail.max(through);
            }
            if let Some(s) = self.next(t) {
                tail = tail.max(plan.duration(s).saturating_add(self.tail(s)));
            }
            if let Some(slot) = self.tail.get_mut(t.index()) {
                *slot = tail;
            }
            makespan = makespan.max(self.head(t).saturating_add(plan.duration(t)));
        }
        self.makespan = makespan;
        true
    }

    /// The schedule of the plan (after a successful [`compute`](Self::compute)): every task
    /// at its head on its node, indexed by task id.
    pub(super) fn schedule(&self, problem: &Problem, plan: &Plan, out: &mut Vec<Assignment>) {
        out.clear();
        out.extend(problem.tasks().map(|task| {
            let start = self.head(task);
            Assignment { task, node: plan.node(task), start, finish: start.saturating_add(plan.duration(task)) }
        }));
    }

    /// One critical path, from its first task to its last: from a task that ends last, each
    /// step back to a predecessor that ends exactly when the task can start (its node
    /// predecessor first, so that blocks are long).
    pub(super) fn critical_path(&self, problem: &Problem, plan: &Plan, out: &mut Vec<TaskId>) {
        out.clear();
        let end = problem.tasks().find(|&t| self.head(t).saturating_add(plan.duration(t)) == self.makespan);
        let Some(mut t) = end else { return };
        out.push(t);
        loop {
            let start = self.head(t);
            let on_node = self.prev(t).filter(|&p| self.head(p).saturating_add(plan.duration(p)) == start);
            let by_edge = || {
                let tight = |e: &&Edge| {
                    self.head(e.task).saturating_add(plan.duration(e.task)).saturating_add(plan.delay(t, e)) == start
                };
                problem.predecessors(t).iter().find(tight).map(|e| e.task)
            };
            // The graph is acyclic, so the walk ends.
            match on_node.or_else(by_edge) {
                Some(p) => {
                    out.push(p);
                    t = p;
                }
                None => break,
            }
        }
        out.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NodeSpec, ProblemSpec, TaskSpec};
    use crate::schedule::Schedule;

    fn job_shop() -> Problem {
        // Two jobs over two machines; b2 may also run on m1 (flexible).
        ProblemSpec::new()
            .node(NodeSpec::new("m1").capacity("unit", 1))
            .node(NodeSpec::new("m2").capacity("unit", 1))
            .task(TaskSpec::new("a1", 3).demand("unit", 1).nodes(["m1"]))
            .task(TaskSpec::new("a2", 2).demand("unit", 1).nodes(["m2"]).after("a1"))
            .task(TaskSpec::new("b1", 4).demand("unit", 1).nodes(["m1"]))
            .task(TaskSpec::new("b2", 1).demand("unit", 1).nodes(["m2", "m1"]).after("b1"))
            .build()
            .unwrap()
    }

    #[test]
    fn unary_nodes_make_a_shop_and_cumulative_ones_do_not() {
        let shop = job_shop();
        assert!(Shop::detect(&shop).is_some_and(|s| s.flexible()));
        let cumulative = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 2))
            .task(TaskSpec::new("a", 3).demand("cpu", 1))
            .task(TaskSpec::new("b", 3).demand("cpu", 1))
            .build()
            .unwrap();
        assert!(Shop::detect(&cumulative).is_none());
    }

    #[test]
    fn times_follow_the_sequences_and_a_contradicting_sequence_is_a_cycle() {
        let problem = job_shop();
        assert!(Shop::detect(&problem).is_some());
        let t = |name: &str| problem.task_id(name).unwrap();
        let m = |name: &str| problem.node_id(name).unwrap();
        // m1: b1 then a1; m2: b2 then a2.
        let plan = Plan {
            node: vec![m("m1"), m("m2"), m("m1"), m("m2")],
            duration: vec![3, 2, 4, 1],
            sequence: vec![vec![t("b1"), t("a1")], vec![t("b2"), t("a2")]],
        };
        let mut times = Times::new(4);
        assert!(times.compute(&problem, &plan));
        assert_eq!(times.makespan, 9);
        assert_eq!((times.head(t("a1")), times.head(t("a2")), times.head(t("b2"))), (4, 7, 4));
        let mut schedule = Vec::new();
        times.schedule(&problem, &plan, &mut schedule);
        Schedule::new(schedule).verify(&problem).unwrap();
        let mut path = Vec::new();
        times.critical_path(&problem, &plan, &mut path);
        assert_eq!(path, [t("b1"), t("a1"), t("a2")]);
        assert_eq!(times.tail(t("b1")), 5);
        // Another order on m2 is fine; a2 before a1 on one node contradicts a1 -> a2.
        let other = Plan { sequence: vec![vec![t("b1"), t("a1")], vec![t("a2"), t("b2")]], ..plan.clone() };
        assert!(times.compute(&problem, &other));
        assert_eq!(times.makespan, 10);
        let mut broken = plan;
        broken.node[t("a2").index()] = m("m1");
        broken.sequence = vec![vec![t("a2"), t("b1"), t("a1")], vec![t("b2")]];
        assert!(!times.compute(&problem, &broken));
    }
}
