//! Double justification (forward–backward improvement; Valls, Ballestín and Quintanilla
//! 2005, "Justification and RCPSP: a technique that pays", EJOR 165; Tormos and Lova 2001).
//!
//! Keep every task on its node; shift each as far *right* as possible in order of decreasing
//! finish (a backward serial pass on mirrored time, successors acting as predecessors), then
//! as far *left* as possible in order of increasing start. Each pass is a serial scheme over
//! the previous schedule's order with every task's node fixed, so by the classic left-shift
//! argument no task ends later than before: the makespan never grows, and often shrinks.
//! O(2·(n log n + serial pass with one node per task)).

use std::cmp::Reverse;

use super::decoder::Decoder;
use super::policy::Policy;
use crate::model::{TaskId, Time};
use crate::schedule::Assignment;
use crate::solver::SolveError;

impl Decoder<'_> {
    /// Whether [`Decoder::justify`] runs on this problem: not under time rules (the backward
    /// pass does not know release dates, fixed tasks or downtime), where it returns the
    /// schedule unchanged.
    pub(crate) fn justifies(&self) -> bool {
        !self.problem.has_time_rules()
    }

    /// Double justification of the current schedule: replaces it by the justified one when
    /// that is no longer (ties too: it is packed further left), and returns the makespan.
    pub(crate) fn justify(&mut self) -> Result<Time, SolveError> {
        if !self.justifies() {
            return Ok(self.makespan);
        }
        let n = self.problem.task_count();
        self.nodes.clear();
        self.nodes.extend(self.schedule.iter().map(|a| a.node));
        let (schedule, position) = (&self.schedule, &self.position);
        let at = |t: TaskId| schedule.get(t.index()).copied().unwrap_or(super::state::UNPLACED);
        // Both vectors have one entry per task (the decoder's invariant), so the defaults
        // never apply.
        let pos = |t: TaskId| position.get(t.index()).copied().unwrap_or_default();

        // Right: latest finish first, mirrored time.
        self.order.clear();
        self.order.extend(self.problem.tasks());
        self.order.sort_unstable_by_key(|&t| (Reverse(at(t).finish), Reverse(pos(t))));
        self.state.reset(true);
        let mut end = 0;
        for &task in &self.order {
            let slot =
                self.state.place_earliest(task, self.nodes.get(task.index()).copied(), Policy::EarliestFinish)?;
            end = end.max(slot.finish);
        }
        self.mirrored.clear();
        self.mirrored.extend(self.state.placed().iter().map(|a| Assignment {
            start: end - a.finish,
            finish: end - a.start,
            ..*a
        }));

        // Left: earliest start of the right-justified schedule first.
        let mirrored = &self.mirrored;
        let right = |t: TaskId| mirrored.get(t.index()).map_or(0, |a| a.start);
        self.order.sort_unstable_by_key(|&t| (right(t), pos(t)));
        self.state.reset(false);
        let mut makespan = 0;
        for &task in &self.order {
            let slot =
                self.state.place_earliest(task, self.nodes.get(task.index()).copied(), Policy::EarliestFinish)?;
            makespan = makespan.max(slot.finish);
        }
        if self.order.len() != n {
            return Err(SolveError::Internal("justification lost a task".into()));
        }
        if makespan <= self.makespan {
            self.state.swap_placed(&mut self.schedule);
            self.makespan = makespan;
        }
        Ok(self.makespan)
    }
}
