//! Lower bounds on the makespan ([`LowerBounds`], whose docs hold the bounds and their cost).

use crate::graph::Cpm;
use crate::model::{PerNode, Problem, Time};

/// The lower bounds of a problem.
///
/// Lower bounds on the makespan: no schedule of the problem can finish earlier.
///
/// * **Critical path**: the longest dependency chain with every task at its shortest
///   duration over the nodes it can run on and a transfer delay only where the two tasks
///   share no node ([`crate::Cpm`]). O(tasks + dependencies).
/// * **Resource energy**, per dimension: a task occupies `duration × demand` of "energy"
///   (at least its smallest value over its nodes), and the cluster supplies at most the total
///   capacity per tick, so the makespan is at least `⌈Σ energy / Σ capacity⌉`. A task pinned
///   to a single node must spend its energy on that node: per node,
///   `min head + ⌈pinned energy / capacity⌉ + min tail` over the pinned tasks (the
///   one-machine bound of job shops, with heads and tails from the critical path).
///   O(tasks · nodes-per-task · dimensions).
///
/// [`LowerBounds::compute`] returns each and their maximum ([`LowerBounds::best`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerBounds {
    /// The critical path length.
    pub critical_path: Time,
    /// The resource-energy bound over the whole cluster, per dimension.
    pub energy: Vec<Time>,
    /// The largest single-node bound over tasks pinned to one node.
    pub pinned: Time,
}

impl LowerBounds {
    /// Computes every bound.
    pub fn compute(problem: &Problem) -> Self {
        let cpm = Cpm::analyze(problem);
        Self { critical_path: cpm.length(), energy: energy_bounds(problem), pinned: pinned_bound(problem, &cpm) }
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
/// a task whose earliest finish (from release dates, `now`, fixed tasks and its
/// predecessors) comes after the latest finish the deadlines allow, with both times.
pub fn deadline_conflict(problem: &Problem) -> Option<(crate::TaskId, Time, Time)> {
    if !problem.has_deadlines() && !problem.has_fixed_tasks() {
        return None;
    }
    Cpm::analyze(problem).deadline_conflict()
}

/// The least energy (`duration × demand`) the task needs in each dimension over its nodes.
fn min_energy(problem: &Problem, task: crate::TaskId) -> impl Iterator<Item = u128> + '_ {
    let d = u128::from(problem.min_duration(task));
    problem.demand(task).iter().map(move |&q| d * u128::from(q))
}

fn energy_bounds(problem: &Problem) -> Vec<Time> {
    let width = problem.resource_count();
    let (mut need, mut supply) = (vec![0u128; width], vec![0u128; width]);
    for t in problem.tasks() {
        for (sum, e) in need.iter_mut().zip(min_energy(problem, t)) {
            *sum += e;
        }
    }
    for n in problem.nodes() {
        for (sum, &c) in supply.iter_mut().zip(problem.capacity(n)) {
            *sum += u128::from(c);
        }
    }
    need.iter().zip(&supply).map(|(&need, &supply)| ceil_div(need, supply)).collect()
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
            let busy = pinned.energy.iter().zip(problem.capacity(node)).map(|(&e, &c)| ceil_div(e, u128::from(c)));
            match busy.max() {
                // A node with pinned work: its least start, its work, its least tail.
                Some(busy) if busy > 0 => pinned.head.saturating_add(busy).saturating_add(pinned.after),
                // Nothing pinned here, or no dimension: no bound.
                _ => 0,
            }
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
        assert_eq!(bounds.energy, vec![5]); // 10 units over 2 machines
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
}
