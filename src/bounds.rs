//! Lower bounds on the makespan ([`LowerBounds`], whose docs hold the bounds and their cost).

use std::collections::HashMap;

use crate::graph::Cpm;
use crate::model::{NodeId, PerNode, Problem, Time};

/// The lower bounds of a problem.
///
/// Lower bounds on the makespan: no schedule of the problem can finish earlier.
///
/// * **Critical path**: the longest dependency chain with every task at its shortest
///   duration over the nodes it can run on and a transfer delay only where the two tasks
///   share no node, each task starting no earlier than its release date, `now` or fixed
///   start, and routed around downtime: at the first time some node it can run on is free
///   for its whole duration there ([`crate::Cpm`]). O(tasks + dependencies), plus
///   O(tasks · nodes per task · log windows) with downtime.
/// * **Resource energy**, per dimension: a task occupies `duration × demand` of "energy"
///   (at least its smallest value over its nodes), which it can spend only on the nodes it
///   may run on (its eligibility list, node selector and tolerations, and capacity), not
///   before its earliest start by the critical path method (its release date, `now`, its
///   predecessors, downtime), and not while a node is down. Tasks are grouped by
///   that set of nodes; for each set `S` (every group's set and the whole cluster), the tasks
///   confined to `S` (their set is a subset of it) must fit into what `S` supplies from the
///   earliest of their starts `t0`: the makespan is at least the first `M` at which the
///   capacity of `S` over `[t0, M)`, minus its downtime and minus what fixed tasks occupy
///   there, reaches their energy. Without time rules and eligibility this is
///   `⌈Σ energy / Σ capacity⌉`. O(tasks · nodes + groups² · nodes / 64 + groups ·
///   dimensions · windows · log windows), with at most 64 groups compared pairwise (beyond
///   that each group is bounded alone, plus the whole cluster).
/// * **Pinned**: a task that can run on a single node must spend its energy on that node:
///   per node, the least head, then the first time its up-time from there covers the pinned
///   energy, then the least tail, over the pinned tasks (the one-machine bound of job shops,
///   with heads and tails from the critical path, and downtime).
///   O(tasks · nodes-per-task · dimensions).
///
/// [`LowerBounds::compute`] returns each and their maximum ([`LowerBounds::best`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerBounds {
    /// The critical path length.
    pub critical_path: Time,
    /// The resource-energy bound per dimension: the largest over the sets of nodes that
    /// groups of tasks are confined to, and the whole cluster.
    pub energy: Vec<Time>,
    /// The largest single-node bound over tasks pinned to one node.
    pub pinned: Time,
}

impl LowerBounds {
    /// Computes every bound.
    pub fn compute(problem: &Problem) -> Self {
        let cpm = Cpm::analyze(problem);
        Self { critical_path: cpm.length(), energy: energy_bounds(problem, &cpm), pinned: pinned_bound(problem, &cpm) }
    }

    /// The strongest of them.
    pub fn best(&self) -> Time {
        self.energy.iter().fold(self.critical_path.max(self.pinned), |best, &e| best.max(e))
    }
}

/// The best lower bound of the problem ([`LowerBounds::compute`]`.best()`).
pub fn lower_bound(problem: &Problem) -> Time {
    LowerBounds::compute(problem).best()
}

/// A proof that no schedule meets every deadline, if the critical path method finds one:
/// a task whose earliest finish (from release dates, `now`, fixed tasks, its predecessors
/// and downtime) comes after the latest finish the deadlines allow (around downtime too),
/// with both times ([`Cpm::deadline_conflict`]).
pub fn deadline_conflict(problem: &Problem) -> Option<(crate::TaskId, Time, Time)> {
    if !problem.has_deadlines() && !problem.has_fixed_tasks() {
        return None;
    }
    Cpm::analyze(problem).deadline_conflict()
}

/// The energy bound per dimension (see [`LowerBounds`]).
fn energy_bounds(problem: &Problem, cpm: &Cpm) -> Vec<Time> {
    let width = problem.resource_count();
    let mut best = vec![0; width];
    for group in Group::confined(problem, cpm) {
        for (r, best) in best.iter_mut().enumerate() {
            let Some(&need) = group.need.get(r) else { continue };
            if need == 0 {
                continue;
            }
            let nodes = || problem.nodes().filter(|n| group.nodes.contains(*n));
            let need = need + fixed_use(problem, &group.nodes, group.start, r);
            *best = (*best).max(covered(problem, nodes(), group.start, r, need));
        }
    }
    best
}

/// What the fixed tasks on the nodes of `nodes` occupy in dimension `r` from `start` on.
fn fixed_use(problem: &Problem, nodes: &NodeSet, start: Time, r: usize) -> u128 {
    problem
        .fixed_tasks()
        .filter(|(_, f)| nodes.contains(f.node))
        .map(|(t, f)| {
            let finish = f.start.saturating_add(problem.listed_duration(t, f.node));
            u128::from(finish.saturating_sub(f.start.max(start)))
                * u128::from(problem.demand(t).get(r).copied().unwrap_or(0))
        })
        .sum()
}

/// The first `M >= start` at which the capacity of `nodes` in dimension `r` over
/// `[start, M)`, outside their downtime, reaches `need` (0 when nothing is needed; `start`
/// when no node has capacity, which a valid problem with a need excludes).
fn covered(problem: &Problem, nodes: impl Iterator<Item = NodeId>, start: Time, r: usize, need: u128) -> Time {
    if need == 0 {
        return 0;
    }
    let mut rate: i128 = 0;
    // Capacity leaving at a window's start (or at `start`), returning at its end.
    let mut steps: Vec<(Time, i128)> = Vec::new();
    for n in nodes {
        let c = problem.capacity(n).get(r).map_or(0, |&c| i128::from(c));
        if c == 0 {
            continue;
        }
        rate += c;
        for w in problem.unavailable(n).iter().filter(|w| w.to > start) {
            steps.push((w.from.max(start), -c));
            steps.push((w.to, c));
        }
    }
    steps.sort_unstable();
    let (mut at, mut supplied) = (start, 0u128);
    for (when, change) in steps {
        if when > at {
            let gain = rate.unsigned_abs() * u128::from(when - at);
            if supplied + gain >= need {
                break;
            }
            supplied += gain;
            at = when;
        }
        rate += change;
    }
    at.saturating_add(ceil_div(need - supplied, rate.unsigned_abs()))
}

/// A set of nodes, one bit each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct NodeSet(Vec<u64>);

impl NodeSet {
    fn empty(nodes: usize) -> Self {
        Self(vec![0; nodes.div_ceil(64)])
    }

    fn insert(&mut self, n: NodeId) {
        if let Some(word) = self.0.get_mut(n.index() / 64) {
            *word |= 1 << (n.index() % 64);
        }
    }

    fn contains(&self, n: NodeId) -> bool {
        self.0.get(n.index() / 64).is_some_and(|w| w >> (n.index() % 64) & 1 == 1)
    }

    fn is_subset(&self, of: &NodeSet) -> bool {
        self.0.iter().zip(&of.0).all(|(a, b)| a & !b == 0)
    }

    fn union(&mut self, other: &NodeSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn intersect(&mut self, other: &NodeSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// The nodes large enough for a demand: per dimension, the distinct capacities in
/// increasing order, each with the set of nodes that have at least it.
struct Fits {
    all: NodeSet,
    levels: Vec<Vec<(u64, NodeSet)>>,
}

impl Fits {
    fn new(problem: &Problem) -> Self {
        let mut all = NodeSet::empty(problem.node_count());
        for n in problem.nodes() {
            all.insert(n);
        }
        let levels = (0..problem.resource_count())
            .map(|r| {
                let capacity = |n: NodeId| problem.capacity(n).get(r).copied().unwrap_or(0);
                let mut nodes: Vec<NodeId> = problem.nodes().collect();
                nodes.sort_unstable_by_key(|&n| std::cmp::Reverse(capacity(n)));
                // From the largest capacity down, each level adds its nodes to the one above.
                let mut levels: Vec<(u64, NodeSet)> = Vec::new();
                let mut set = NodeSet::empty(problem.node_count());
                for n in nodes {
                    set.insert(n);
                    match levels.last_mut() {
                        Some((c, last)) if *c == capacity(n) => last.insert(n),
                        _ => levels.push((capacity(n), set.clone())),
                    }
                }
                levels.reverse();
                levels
            })
            .collect();
        Self { all, levels }
    }

    /// The nodes whose capacity covers `demand` in every dimension.
    fn of(&self, demand: &[u64]) -> NodeSet {
        let mut nodes = self.all.clone();
        for (levels, &q) in self.levels.iter().zip(demand) {
            if q == 0 {
                continue;
            }
            match levels.get(levels.partition_point(|(c, _)| *c < q)) {
                Some((_, enough)) => nodes.intersect(enough),
                None => return NodeSet(vec![0; self.all.0.len()]),
            }
        }
        nodes
    }
}

/// Groups compared pairwise at most (beyond, each group is bounded alone).
const PAIRWISE_GROUPS: usize = 64;

/// Tasks that are not fixed and can run on exactly the same nodes: their least energy per
/// dimension and their earliest start.
#[derive(Debug, Clone)]
struct Group {
    nodes: NodeSet,
    need: Vec<u128>,
    start: Time,
}

impl Group {
    /// For each set of nodes that a group of tasks can run on (and the union of them all),
    /// the tasks confined to it: their energy and their earliest start.
    fn confined(problem: &Problem, cpm: &Cpm) -> Vec<Group> {
        let width = problem.resource_count();
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<NodeSet, usize> = HashMap::new();
        let fits = Fits::new(problem);
        for t in problem.tasks().filter(|&t| problem.fixed(t).is_none()) {
            let d = u128::from(problem.min_duration(t));
            if d == 0 || problem.demand(t).iter().all(|&q| q == 0) {
                continue; // no energy anywhere
            }
            // The nodes it can run on: eligible and large enough (`Problem::options`).
            let mut nodes = fits.of(problem.demand(t));
            if let Some(only) = problem.eligible_nodes(t) {
                let mut eligible = NodeSet::empty(problem.node_count());
                for &n in only {
                    eligible.insert(n);
                }
                nodes.intersect(&eligible);
            }
            let g = match index.get(&nodes) {
                Some(&g) => g,
                None => {
                    index.insert(nodes.clone(), groups.len());
                    groups.push(Group { nodes, need: vec![0; width], start: Time::MAX });
                    groups.len() - 1
                }
            };
            let Some(group) = groups.get_mut(g) else { continue };
            for (need, &q) in group.need.iter_mut().zip(problem.demand(t)) {
                *need += d * u128::from(q);
            }
            group.start = group.start.min(cpm.earliest_start(t)); // at least its release and `now`
        }
        let mut all = Group { nodes: NodeSet::empty(problem.node_count()), need: vec![0; width], start: Time::MAX };
        for g in &groups {
            all.absorb(g);
        }
        let mut confined = if groups.len() <= PAIRWISE_GROUPS {
            groups
                .iter()
                .map(|s| {
                    let mut sum = Group { need: vec![0; width], start: Time::MAX, ..s.clone() };
                    for g in groups.iter().filter(|g| g.nodes.is_subset(&s.nodes)) {
                        sum.absorb(g);
                    }
                    sum
                })
                .collect()
        } else {
            groups
        };
        confined.push(all);
        confined
    }

    /// Adds `other`'s tasks (and nodes).
    fn absorb(&mut self, other: &Group) {
        self.nodes.union(&other.nodes);
        for (a, b) in self.need.iter_mut().zip(&other.need) {
            *a += b;
        }
        self.start = self.start.min(other.start);
    }
}

/// What the tasks pinned to one node need of it.
#[derive(Clone)]
struct Pinned {
    /// Energy per dimension.
    energy: Vec<u128>,
    /// The smallest head and the smallest tail after the task, over the pinned tasks.
    head: Time,
    after: Time,
}

fn pinned_bound(problem: &Problem, cpm: &Cpm) -> Time {
    let empty = Pinned { energy: vec![0; problem.resource_count()], head: Time::MAX, after: Time::MAX };
    let mut nodes = PerNode::nodes(problem, |_| empty.clone());
    for t in problem.tasks() {
        let mut options = problem.options(t);
        let (Some((node, d)), None) = (options.next(), options.next()) else { continue };
        let pinned = &mut nodes[node];
        for (e, &q) in pinned.energy.iter_mut().zip(problem.demand(t)) {
            *e += u128::from(d) * u128::from(q);
        }
        pinned.head = pinned.head.min(cpm.earliest_start(t));
        // A pinned task runs at its one duration, which is the one CPM used.
        pinned.after = pinned.after.min(cpm.after(t));
    }
    problem
        .nodes()
        .map(|node| {
            let pinned = &nodes[node];
            // A node with pinned work: its least start, its work around its downtime, its
            // least tail (nothing pinned here, or no dimension: no bound).
            (0..problem.resource_count())
                .filter_map(|r| {
                    let need = *pinned.energy.get(r)?;
                    (need > 0).then(|| covered(problem, [node].into_iter(), pinned.head, r, need))
                })
                .max()
                .map_or(0, |end| end.saturating_add(pinned.after))
        })
        .max()
        .unwrap_or(0) // no node: no bound
}

/// `⌈need / supply⌉`, as a time (0 when nothing is needed; saturating).
fn ceil_div(need: u128, supply: u128) -> Time {
    if need == 0 || supply == 0 {
        return 0;
    }
    Time::try_from(need.div_ceil(supply)).unwrap_or(Time::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeSpec, ProblemSpec, TaskSpec};

    /// Two jobs of two operations each on machines m1, m2 (capacity 1 each).
    fn small_job_shop() -> Problem {
        ProblemSpec::new()
            .node(NodeSpec::new("m1").capacity("unit", 1))
            .node(NodeSpec::new("m2").capacity("unit", 1))
            .task(TaskSpec::new("a1", 3).demand("unit", 1).nodes(["m1"]))
            .task(TaskSpec::new("a2", 2).demand("unit", 1).nodes(["m2"]).after("a1"))
            .task(TaskSpec::new("b1", 4).demand("unit", 1).nodes(["m1"]))
            .task(TaskSpec::new("b2", 1).demand("unit", 1).nodes(["m2"]).after("b1"))
            .build()
            .unwrap()
    }

    #[test]
    fn pinned_bound_sees_machine_load_the_critical_path_misses() {
        let bounds = LowerBounds::compute(&small_job_shop());
        assert_eq!(bounds.critical_path, 5);
        // m1 carries 3 + 4 = 7 from time 0, then at least the shortest tail 1.
        assert_eq!(bounds.pinned, 8);
        // 10 units over 2 machines is 5, but a1 and b1 may only use m1: 7.
        assert_eq!(bounds.energy, vec![7]);
        assert_eq!(bounds.best(), 8);
    }

    #[test]
    fn unavoidable_delays_count_toward_the_critical_path() {
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("x"))
            .node(NodeSpec::new("y"))
            .task(TaskSpec::new("a", 2).nodes(["x"]))
            .task(TaskSpec::new("b", 2).nodes(["y"]).after_with_delay("a", 5))
            .task(TaskSpec::new("c", 2).after_with_delay("b", 7))
            .build()
            .unwrap();
        // a -> b must cross nodes (+5); b -> c can share y (+0).
        assert_eq!(LowerBounds::compute(&problem).critical_path, 11);
    }

    #[test]
    fn energy_uses_the_cheapest_node_for_each_task() {
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("slow").capacity("cpu", 1))
            .node(NodeSpec::new("fast").capacity("cpu", 1))
            .task(TaskSpec::new("a", 10).demand("cpu", 1).duration_on("fast", 4))
            .task(TaskSpec::new("b", 10).demand("cpu", 1).duration_on("fast", 4))
            .build()
            .unwrap();
        assert_eq!(LowerBounds::compute(&problem).energy, vec![4]);
    }

    #[test]
    fn energy_counts_no_capacity_during_downtime_or_before_the_tasks_may_start() {
        // One unit node down over [0, 5): 10 ticks of work end at 15 at the earliest.
        let down = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 1).unavailable(0, 5))
            .task(TaskSpec::new("a", 6).demand("cpu", 1))
            .task(TaskSpec::new("b", 4).demand("cpu", 1))
            .build()
            .unwrap();
        assert_eq!(LowerBounds::compute(&down).energy, vec![15]);
        // Released at 10, two tasks of 5 on one unit node: 20 (the critical path says 15).
        let late = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 1))
            .task(TaskSpec::new("a", 5).demand("cpu", 1).release(10))
            .task(TaskSpec::new("b", 5).demand("cpu", 1).release(10))
            .build()
            .unwrap();
        let bounds = LowerBounds::compute(&late);
        assert_eq!((bounds.critical_path, bounds.energy.clone()), (15, vec![20]));
    }

    #[test]
    fn energy_counts_what_fixed_tasks_occupy_after_now() {
        // Two unit nodes; `now` is 4; a fixed task holds one node over [0, 10); 12 ticks of
        // free work: by 4 + (12 + 6) / 2 = 13 at the earliest.
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("x").capacity("cpu", 1))
            .node(NodeSpec::new("y").capacity("cpu", 1))
            .task(TaskSpec::new("f", 10).demand("cpu", 1).fixed("x", 0))
            .task(TaskSpec::new("a", 6).demand("cpu", 1))
            .task(TaskSpec::new("b", 6).demand("cpu", 1))
            .now(4)
            .build()
            .unwrap();
        assert_eq!(LowerBounds::compute(&problem).energy, vec![13]);
    }

    #[test]
    fn energy_counts_only_the_nodes_a_task_may_run_on() {
        // Three tasks of 10 that may run only on `a`: 30, not 15 over both nodes.
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("a").capacity("cpu", 1))
            .node(NodeSpec::new("b").capacity("cpu", 1))
            .task(TaskSpec::new("t1", 10).demand("cpu", 1).nodes(["a"]))
            .task(TaskSpec::new("t2", 10).demand("cpu", 1).nodes(["a"]))
            .task(TaskSpec::new("t3", 10).demand("cpu", 1).nodes(["a", "b"]))
            .build()
            .unwrap();
        let bounds = LowerBounds::compute(&problem);
        assert_eq!(bounds.energy, vec![20]); // t1 and t2 alone on a; all three on both: 15
        // A demand only the large node covers confines the task to it.
        let sized = ProblemSpec::new()
            .node(NodeSpec::new("small").capacity("cpu", 1))
            .node(NodeSpec::new("large").capacity("cpu", 4))
            .task(TaskSpec::new("big", 10).demand("cpu", 4))
            .task(TaskSpec::new("unit", 10).demand("cpu", 1))
            .build()
            .unwrap();
        // big: 40 on large alone (10); both: 50 over 5 = 10; so 10 either way, but with two
        // of them: 80 on large = 20 against 90 / 5 = 18.
        assert_eq!(LowerBounds::compute(&sized).energy, vec![10]);
        let two = ProblemSpec::new()
            .node(NodeSpec::new("small").capacity("cpu", 1))
            .node(NodeSpec::new("large").capacity("cpu", 4))
            .task(TaskSpec::new("big1", 10).demand("cpu", 4))
            .task(TaskSpec::new("big2", 10).demand("cpu", 4))
            .task(TaskSpec::new("unit", 10).demand("cpu", 1))
            .build()
            .unwrap();
        assert_eq!(LowerBounds::compute(&two).energy, vec![20]);
    }

    #[test]
    fn the_critical_path_routes_around_downtime() {
        // a (2) then b (2) on one node down over [3, 10): b cannot start at 2 and waits until
        // 10, so 12; energy and pinned see 4 ticks of work around the window: 11.
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 1).unavailable(3, 10))
            .task(TaskSpec::new("a", 2).demand("cpu", 1))
            .task(TaskSpec::new("b", 2).demand("cpu", 1).after("a"))
            .build()
            .unwrap();
        let bounds = LowerBounds::compute(&problem);
        assert_eq!((bounds.critical_path, bounds.energy.clone(), bounds.pinned), (12, vec![11], 11));
        assert_eq!(deadline_conflict(&problem), None);
        // A deadline of 9 for b: it must run before the window, by 3, so a must finish by 1.
        let mut spec = problem.to_spec();
        spec.tasks[1].deadline = Some(9);
        let late = spec.build().unwrap();
        assert_eq!(deadline_conflict(&late), Some((crate::TaskId(1), 12, 3)));
    }

    #[test]
    fn energy_starts_at_the_earliest_start_of_the_confined_tasks() {
        // a (10) on y, then three tasks of 10 on x or z: 30 units from 10 on two nodes, 25
        // (from 0 it was 15; the critical path says 20).
        let mut spec = ProblemSpec::new()
            .node(NodeSpec::new("x").capacity("cpu", 1))
            .node(NodeSpec::new("y").capacity("cpu", 1))
            .node(NodeSpec::new("z").capacity("cpu", 1))
            .task(TaskSpec::new("a", 10).demand("cpu", 1).nodes(["y"]));
        for name in ["b", "c", "d"] {
            spec = spec.task(TaskSpec::new(name, 10).demand("cpu", 1).nodes(["x", "z"]).after("a"));
        }
        let bounds = LowerBounds::compute(&spec.build().unwrap());
        assert_eq!((bounds.critical_path, bounds.energy.clone(), bounds.pinned), (20, vec![25], 20));
    }

    #[test]
    fn the_pinned_bound_works_around_downtime() {
        // Job shop m1 with a window [2, 6): a1 (3) and b1 (4) need 7 ticks of up-time, which
        // neither finds before the window (their heads are 6), so they end at 13 at the
        // earliest, then the least tail 1.
        let mut spec = small_job_shop().to_spec();
        spec.nodes[0].unavailable.push(crate::WindowSpec { from: 2, to: 6 });
        let bounds = LowerBounds::compute(&spec.build().unwrap());
        assert_eq!(bounds.pinned, 14);
        // A window [4, 6) leaves both room before it (heads 0): 7 ticks of up-time end at 9.
        let mut spec = small_job_shop().to_spec();
        spec.nodes[0].unavailable.push(crate::WindowSpec { from: 4, to: 6 });
        assert_eq!(LowerBounds::compute(&spec.build().unwrap()).pinned, 10);
    }
}
