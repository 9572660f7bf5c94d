//! When a search stops and what it has found so far: the deadline (time limit and
//! cancellation), the schedule budget of each island, and the best schedule over all
//! islands (kept for reporting; the returned schedule is chosen deterministically from the
//! islands' own bests).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::Time;
use crate::solver::Deadline;

/// Shared by the islands of one solve.
pub(super) struct Control {
    deadline: Deadline,
    /// The shortest makespan any island has found (for reporting improvements once).
    best: AtomicU64,
    /// Serialises reports so that reported makespans strictly decrease.
    report: Mutex<()>,
}

impl Control {
    pub(super) fn new(deadline: Deadline, start: Time) -> Self {
        Self { deadline, best: AtomicU64::new(start), report: Mutex::new(()) }
    }

    /// Whether the time is up or the solve was cancelled.
    pub(super) fn stopped(&self) -> bool {
        self.deadline.reached()
    }

    /// Called by an island that found a schedule of `makespan`; `report` runs when it is
    /// shorter than every schedule found before by any island.
    pub(super) fn improved(&self, makespan: Time, report: impl FnOnce()) {
        if makespan >= self.best.load(Ordering::Relaxed) {
            return;
        }
        // A poisoned lock only means a report panicked; the order guarantee still holds.
        let _guard = self.report.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if makespan < self.best.load(Ordering::Relaxed) {
            self.best.store(makespan, Ordering::Relaxed);
            report();
        }
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
