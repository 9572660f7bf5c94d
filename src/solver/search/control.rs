//! When a search stops and where its improvements go: the deadline (time limit, cancellation,
//! and inside a portfolio a proof by another member), the schedule budget of each island, and
//! the solve's shared incumbent, which reports every improvement (the returned schedule is
//! chosen deterministically from the islands' own bests).

use std::sync::Arc;

use crate::model::Time;
use crate::schedule::Schedule;
use crate::solver::Deadline;
use crate::solver::shared::Incumbent;

/// Shared by the islands of one solve.
pub(super) struct Control {
    deadline: Deadline,
    incumbent: Arc<Incumbent>,
}

impl Control {
    pub(super) fn new(deadline: Deadline, incumbent: Arc<Incumbent>) -> Self {
        Self { deadline, incumbent }
    }

    /// Whether the time is up or the solve was cancelled.
    pub(super) fn stopped(&self) -> bool {
        self.deadline.reached()
    }

    /// Called by an island that found a schedule of `makespan`; `schedule` builds it, and runs
    /// only when it is shorter than every schedule of the solve so far and someone (a progress
    /// function, a portfolio) wants it.
    pub(super) fn improved(&self, makespan: Time, schedule: impl FnOnce() -> Schedule) {
        self.incumbent.offer_schedule("search", makespan, schedule);
    }
}

/// A budget of schedules for one island: `None` is unlimited.
#[derive(Debug, Clone, Copy)]
pub(super) struct Budget {
    left: Option<u64>,
}

impl Budget {
    /// Island `i` of `k`'s share of `total` schedules (the shares add up to `total`).
    pub(super) fn share(total: Option<u64>, i: usize, k: usize) -> Self {
        let k = k.max(1) as u64;
        let i = i as u64;
        Self { left: total.map(|t| t / k + u64::from(i < t % k)) }
    }

    /// Whether `n` more schedules fit.
    pub(super) fn allows(&self, n: u64) -> bool {
        self.left.is_none_or(|l| l >= n)
    }

    /// Counts `n` schedules.
    pub(super) fn spend(&mut self, n: u64) {
        if let Some(l) = &mut self.left {
            *l = l.saturating_sub(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_spending_never_underflows() {
        let total: u64 = (0..3).map(|i| Budget::share(Some(10), i, 3).left.unwrap()).sum();
        assert_eq!(total, 10);
        assert!(Budget::share(None, 0, 3).allows(u64::MAX));
        let mut b = Budget::share(Some(5), 0, 1);
        b.spend(4);
        assert!(b.allows(1) && !b.allows(2));
        b.spend(3);
        assert!(!b.allows(1));
    }
}
