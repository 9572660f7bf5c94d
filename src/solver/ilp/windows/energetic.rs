//! Energetic reasoning on the pinned tasks of each node and dimension (Baptiste, Le Pape and
//! Nuijten, *Constraint-Based Scheduling*, 2001, §3.3; Lopez and Esquirol 1996).
//!
//! The *minimal intersection* of a task with an interval `[a, b)` is the least time it must
//! run inside it wherever it starts in its window: `max(0, min(b − a, d, es + d − a, b − (lf −
//! d)))`. Weighted by demand and summed over the tasks, it must fit `capacity · (b − a)`,
//! else no schedule fits the horizon. And when a task placed as early as it can would put
//! more into `[a, b)` than the others leave free (`free` ticks at its demand), it starts at
//! `b − free` or later; symmetrically, placed as late as it can, it ends by `a + free`.
//! Intervals run over `a ∈ {es, lf − d, es + d}` and `b ∈ {lf, es + d, lf − d}` of the tasks:
//! O(R · N³) per call for R dimensions and N pinned tasks, run only up to
//! [`MAX_ENERGETIC`](super::MAX_ENERGETIC) tasks per node and dimension.
//!
//! The same rule runs on **disjunctive sets**: pinned tasks of one node that pairwise cannot
//! overlap (they clash in some dimension, or a chain of dependencies orders them) form a
//! machine of capacity 1 on which each needs 1. There the rule is much stronger than in the
//! dimensions themselves, where two tasks needing 60 % of a node each look half idle. The
//! sets are greedy cliques (from each task, add the others by decreasing duration when
//! disjoint from every member), of three tasks or more (pairs are the disjunction rule's);
//! O(N² · K) for cliques of size K.

use super::{MAX_ENERGETIC, Propagation};
use crate::model::{Problem, TaskId, Time};
use crate::solver::ilp::relations::{Reach, greedy_cliques};

/// The disjunctive sets of the pinned tasks of each node (`pinned[n]`), in a stable order.
pub(super) fn disjunctive_sets(problem: &Problem, pinned: &[Vec<TaskId>]) -> Vec<Vec<TaskId>> {
    let reach = Reach::new(problem, &[]);
    let mut sets = Vec::new();
    for (node, here) in problem.nodes().zip(pinned) {
        if here.len() > MAX_ENERGETIC {
            continue;
        }
        let disjoint = |a: TaskId, b: TaskId| problem.clash(node, a, b) || reach.ordered(a, b) || reach.ordered(b, a);
        for members in greedy_cliques(here, |t| problem.min_duration(t), disjoint) {
            if members.len() >= 3 {
                sets.push(members.iter().filter_map(|&k| here.get(k).copied()).collect());
            }
        }
    }
    sets
}

/// A pinned task using the dimension: its window, duration and demand.
#[derive(Clone, Copy)]
struct User {
    task: TaskId,
    es: Time,
    lf: Time,
    d: Time,
    q: u64,
}

impl User {
    /// Time inside `[a, b)` when placed as early as it can.
    fn earliest_part(&self, a: Time, b: Time) -> Time {
        (b - a).min(self.d).min((self.es + self.d).saturating_sub(a))
    }

    /// Time inside `[a, b)` when placed as late as it can.
    fn latest_part(&self, a: Time, b: Time) -> Time {
        (b - a).min(self.d).min(b.saturating_sub(self.lf.saturating_sub(self.d)))
    }
}

impl Propagation<'_> {
    /// The energetic check and adjustments on every node and dimension: `None` when some
    /// interval is overloaded, else whether a window changed.
    pub(super) fn energetic(&mut self) -> Option<bool> {
        let mut changed = false;
        let fixed = self.fixed;
        let problem = fixed.problem;
        for (node, here) in problem.nodes().zip(fixed.pinned.values()) {
            for (r, &cap) in problem.capacity(node).iter().enumerate() {
                let users: Vec<User> = here
                    .iter()
                    .filter_map(|&task| {
                        let q = problem.demand_in(task, r);
                        (q > 0).then(|| self.user(task, q))
                    })
                    .collect();
                if users.len() > MAX_ENERGETIC {
                    continue;
                }
                changed |= self.energetic_on(&users, cap)?;
            }
        }
        for set in &fixed.disjunctive {
            let users: Vec<User> = set.iter().map(|&task| self.user(task, 1)).collect();
            changed |= self.energetic_on(&users, 1)?;
        }
        Some(changed)
    }

    /// A task as it stands now, with demand `q`.
    fn user(&self, task: TaskId, q: u64) -> User {
        User { task, es: self.es(task), lf: self.lf(task), d: self.d(task), q }
    }

    /// The rule on one node and dimension of capacity `cap`.
    fn energetic_on(&mut self, users: &[User], cap: u64) -> Option<bool> {
        let points = |f: fn(&User) -> [Time; 3]| {
            let mut all: Vec<Time> = users.iter().flat_map(f).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        let starts = points(|u| [u.es, u.lf.saturating_sub(u.d), u.es + u.d]);
        let ends = points(|u| [u.lf, u.es + u.d, u.lf.saturating_sub(u.d)]);
        self.work += (2 * starts.len() * ends.len() * users.len()) as u64;
        let mut changed = false;
        // Per task, its time inside `[a, b)` placed as early and as late as it can.
        let mut parts = vec![(0, 0); users.len()];
        for &a in &starts {
            for &b in ends.iter().filter(|&&b| b > a) {
                let mut energy: u64 = 0;
                for (part, u) in parts.iter_mut().zip(users) {
                    *part = (u.earliest_part(a, b), u.latest_part(a, b));
                    energy = energy.saturating_add(part.0.min(part.1).saturating_mul(u.q));
                }
                let room = cap.saturating_mul(b - a);
                if energy > room {
                    return None;
                }
                for (&(early, late), u) in parts.iter().zip(users) {
                    // Ticks the task may spend inside `[a, b)` beside the others' least work.
                    let free = (room - (energy - early.min(late).saturating_mul(u.q))) / u.q;
                    if early > free {
                        changed |= self.raise_es(u.task, b - free);
                    }
                    if late > free {
                        changed |= self.lower_lf(u.task, a + free);
                    }
                }
            }
        }
        Some(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Fixed, Propagation, Windows};
    use crate::{NodeSpec, ProblemSpec, TaskSpec};

    #[test]
    fn an_overloaded_interval_is_found_where_the_other_rules_see_nothing() {
        // Three tasks of 2 ticks that need the whole node: 6 ticks of work. Within a horizon
        // of 4 no task has a compulsory part and every pair can still go either way, but the
        // interval [0, 4) holds only 4 ticks.
        let mut spec = ProblemSpec::new().node(NodeSpec::new("n").capacity("cpu", 1));
        for name in ["a", "b", "c"] {
            spec = spec.task(TaskSpec::new(name, 2).demand("cpu", 1));
        }
        let problem = spec.build().unwrap();
        let fixed = Fixed::new(&problem);
        // The CPM windows (a column cap of 0 skips propagation).
        let windows = |horizon| Windows::propagate(&problem, horizon, 0, None);
        let mut tight = Propagation::new(&fixed, windows(4));
        assert!(!tight.precedence() && !tight.disjunction() && !tight.time_table());
        assert_eq!(tight.energetic(), None);
        let mut roomy = Propagation::new(&fixed, windows(6));
        assert_eq!(roomy.energetic(), Some(false));
    }

    #[test]
    fn a_task_that_cannot_start_early_is_pushed_back() {
        // `long` (3 ticks) and `short` (1 tick) share a node of capacity 1; `short` must run
        // within [0, 2). Within a horizon of 5, `long` cannot spend both ticks of [0, 2) there,
        // so it starts at 1 or later.
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("n").capacity("cpu", 1))
            .task(TaskSpec::new("long", 3).demand("cpu", 1))
            .task(TaskSpec::new("short", 1).demand("cpu", 1))
            .task(TaskSpec::new("tail", 3).after("short"))
            .build()
            .unwrap();
        let fixed = Fixed::new(&problem);
        let mut state = Propagation::new(&fixed, Windows::propagate(&problem, 5, 0, None));
        let long = problem.task_id("long").unwrap();
        assert_eq!(state.es(long), 0);
        assert_eq!(state.energetic(), Some(true));
        assert_eq!(state.es(long), 1);
    }
}
