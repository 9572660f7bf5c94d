//! Lower bounds on the makespan: no schedule of the problem can finish earlier.
//!
//! * **Critical path**: the longest dependency chain with every task at its shortest
//!   duration over the nodes it can run on and a transfer delay only where the two tasks
//!   share no node ([`crate::Cpm`]). O(tasks + dependencies).
//! * **Resource energy**, per dimension: a task occupies `duration × demand` of "energy"
//!   (at least its smallest value over its nodes), and the cluster supplies at most the total
//!   capacity per tick, so the makespan is at least `⌈Σ energy / Σ capacity⌉`. A task pinned
//!   to a single node must spend its energy on that node: per node,
//!   `min head + ⌈pinned energy / capacity⌉ + min tail` over the pinned tasks (the
//!   one-machine bound of job shops, with heads and tails from the critical path).
//!   O(tasks · nodes-per-task · dimensions).
//!
//! [`LowerBounds::compute`] returns each and their maximum ([`LowerBounds::best`]).

use crate::graph::{Cpm, longest_path_to_end, unavoidable_delay};
use crate::model::{NodeId, Problem, Time};

/// The lower bounds of a problem (see the [module docs](self)).
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
        self.energy.iter().copied().chain([self.critical_path, self.pinned]).max().unwrap_or(0)
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

/// The least energy (`duration × demand`) the task needs in dimension `r` over its nodes.
fn min_energy(problem: &Problem, task: crate::TaskId, r: usize) -> u128 {
    let demand = u128::from(problem.demand(task).get(r).copied().unwrap_or(0));
    if demand == 0 {
        return 0;
    }
    u128::from(problem.min_duration(task)) * demand
}

fn energy_bounds(problem: &Problem) -> Vec<Time> {
    (0..problem.resource_count())
        .map(|r| {
            let supply: u128 =
                problem.nodes().map(|n| u128::from(problem.capacity(n).get(r).copied().unwrap_or(0))).sum();
            let need: u128 = problem.tasks().map(|t| min_energy(problem, t, r)).sum();
            ceil_div(need, supply)
        })
        .collect()
}

fn pinned_bound(problem: &Problem, cpm: &Cpm) -> Time {
    let tail = longest_path_to_end(problem, |t| cpm.duration(t), |from, e| unavoidable_delay(problem, from, e));
    let width = problem.resource_count();
    // Per node: energy per dimension, smallest head, smallest tail after the task.
    let mut energy = vec![0u128; problem.node_count() * width];
    let mut head = vec![Time::MAX; problem.node_count()];
    let mut rest = vec![Time::MAX; problem.node_count()];
    for t in problem.tasks() {
        let mut options = problem.options(t);
        let (Some((node, d)), None) = (options.next(), options.next()) else { continue };
        let n = node.index();
        for (r, &q) in problem.demand(t).iter().enumerate() {
            if let Some(e) = energy.get_mut(n * width + r) {
                *e += u128::from(d) * u128::from(q);
            }
        }
        if let Some(h) = head.get_mut(n) {
            *h = (*h).min(cpm.earliest_start(t));
        }
        if let Some(s) = rest.get_mut(n) {
            *s = (*s).min(tail.get(t.index()).copied().unwrap_or(0).saturating_sub(d));
        }
    }
    problem
        .nodes()
        .map(|node: NodeId| {
            let n = node.index();
            let busy = (0..width)
                .map(|r| {
                    let cap = u128::from(problem.capacity(node).get(r).copied().unwrap_or(0));
                    ceil_div(energy.get(n * width + r).copied().unwrap_or(0), cap)
                })
                .max()
                .unwrap_or(0);
            if busy == 0 {
                return 0;
            }
            let h = head.get(n).copied().unwrap_or(0);
            let s = rest.get(n).copied().unwrap_or(0);
            h.saturating_add(busy).saturating_add(s)
        })
        .max()
        .unwrap_or(0)
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
