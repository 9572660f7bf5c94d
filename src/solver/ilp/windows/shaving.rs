//! Shaving (Martin and Shmoys 1996; Carlier and Pinson 1994; for RCPSP time windows, Brucker
//! and Knust, "A linear programming and constraint propagation-based lower bound for the
//! RCPSP", EJOR 127, 2000): a hypothesis is tried on a copy of the propagation state, and when
//! the rules refute it, its negation holds in every schedule within the horizon.
//!
//! Hypotheses: "task `t` starts at its earliest start" (refuted: `es` rises by one), "ends at
//! its latest finish" (refuted: `lf` drops by one), and for two clashing pinned tasks not yet
//! ordered, "`a` precedes `b`" (refuted: `b` precedes `a`, a new precedence row). Passes repeat
//! until nothing changes, the work budget [`SHAVING_WORK`] is spent or the deadline passes.
//! Each test costs one fixed point of the rules.

use super::{Propagation, SHAVING_WORK};
use crate::model::TaskId;
use crate::solver::Deadline;

/// Which end of a window to shave.
#[derive(Clone, Copy)]
enum End {
    Start,
    Finish,
}

impl Propagation<'_> {
    /// Shaves to a fixed point, until a contradiction, or until the budget or `deadline`
    /// runs out.
    pub(super) fn shave(&mut self, deadline: &Deadline) {
        let mut changed = true;
        while changed && !self.exhausted(deadline) {
            changed = self.shave_orders(deadline);
            for t in self.fixed.problem.tasks() {
                changed |= self.shave_end(t, End::Start, deadline);
                changed |= self.shave_end(t, End::Finish, deadline);
            }
        }
    }

    /// Whether to stop: a contradiction found, the budget spent or the deadline passed.
    fn exhausted(&self, deadline: &Deadline) -> bool {
        self.failed || self.work >= SHAVING_WORK || deadline.reached()
    }

    /// Tries `hypothesis` on a copy; when the rules refute it, applies `negation` here and
    /// propagates. Whether the hypothesis was refuted (what the two steps return is unused).
    fn refute<A, B>(&mut self, hypothesis: impl FnOnce(&mut Self) -> A, negation: impl FnOnce(&mut Self) -> B) -> bool {
        let mut probe = self.clone();
        hypothesis(&mut probe);
        let holds = probe.fixpoint();
        self.work = probe.work;
        if holds {
            return false;
        }
        negation(self);
        self.fixpoint();
        true
    }

    /// Shaves one end of a task's window as far as the rules refute it.
    fn shave_end(&mut self, t: TaskId, end: End, deadline: &Deadline) -> bool {
        let longest = self.fixed.longest[t];
        let mut changed = false;
        loop {
            let (es, lf) = (self.es(t), self.lf(t));
            // A window that holds a single placement of the longest option cannot be shaved
            // further by these hypotheses.
            if lf <= es.saturating_add(longest) || self.exhausted(deadline) {
                return changed;
            }
            // "Starts at `es`" is contained in "ends by `es + longest`" (and "ends at `lf`" in
            // "starts from `lf − longest`"), so refuting the wider hypothesis refutes it.
            let refuted = match end {
                End::Start => self.refute(|p| p.lower_lf(t, es + longest), |s| s.raise_es(t, es + 1)),
                End::Finish => self.refute(|p| p.raise_es(t, lf - longest), |s| s.lower_lf(t, lf - 1)),
            };
            if !refuted {
                return changed;
            }
            changed = true;
        }
    }

    /// Orders the clashing pinned pairs whose one order the rules refute.
    fn shave_orders(&mut self, deadline: &Deadline) -> bool {
        let mut changed = false;
        let fixed = self.fixed;
        for &(a, b) in &fixed.clashes {
            if self.exhausted(deadline) {
                break;
            }
            for (first, second) in [(a, b), (b, a)] {
                if self.is_ordered(a, b) {
                    break;
                }
                changed |= self.refute(|p| p.add_order(first, second), |s| s.add_order(second, first));
            }
        }
        changed
    }
}
