//! Time rules of a live cluster: release dates, deadlines, fixed tasks, node downtime and the
//! plan's start (`now`).
//!
//! | rule | JSON | meaning |
//! |---|---|---|
//! | release | task `"release": 20` | the task starts at 20 or later |
//! | deadline | task `"deadline": 500` | the task finishes at 500 or earlier (hard) |
//! | fixed | task `"fixed": {"node": "n2", "start": 40}` | the task runs on `n2` from 40, for its duration there; every solver keeps it exactly |
//! | downtime | node `"unavailable": [{"from": 100, "to": 160}]` | the node runs nothing in `[100, 160)`, not even a task without demand |
//! | plan start | top-level `"now": 35` | no task that is not fixed starts before 35 |
//!
//! A task *runs during* a window `[from, to)` when its interval `[start, finish)` meets it; a
//! task of zero duration runs at the instant `start`, so it may not start inside a window
//! either. Capacity that steps down for a while without reaching zero is a fixed task of that
//! demand on the node (a placeholder holding the capacity), so downtime is the only window kind.
//!
//! Problems without any of these rules store nothing for them: the vectors stay empty.

use super::{FixedSpec, NodeId, Problem, ProblemSpec, TaskId, Time, WindowSpec};

/// Where and when a fixed task runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fixed {
    /// The node it runs on.
    pub node: NodeId,
    /// Its start time.
    pub start: Time,
}

/// A half-open window `[from, to)` in which a node runs nothing (`from < to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    /// First tick of the window.
    pub from: Time,
    /// First tick after it.
    pub to: Time,
}

impl Window {
    /// Whether a task running over `[start, finish)` runs during the window (a zero-length
    /// task runs at the instant `start`).
    pub fn blocks(&self, start: Time, finish: Time) -> bool {
        start < self.to && self.from < finish.max(start.saturating_add(1))
    }
}

/// The time rules of a problem; empty vectors when a rule is not used by any task or node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Timing {
    pub(super) now: Time,
    pub(super) release: Vec<Time>,
    pub(super) deadline: Vec<Option<Time>>,
    pub(super) fixed: Vec<Option<Fixed>>,
    /// Per node: sorted, disjoint, non-adjacent windows.
    pub(super) unavailable: Vec<Box<[Window]>>,
}

impl Problem {
    /// The plan's start: no task that is not fixed starts before it (0 by default).
    pub fn now(&self) -> Time {
        self.timing.now
    }

    /// A task's release date as given (0 when none): it starts no earlier.
    pub fn release(&self, task: TaskId) -> Time {
        self.timing.release.get(task.index()).copied().unwrap_or(0)
    }

    /// A task's deadline: it finishes no later. `None` when it has none.
    pub fn deadline(&self, task: TaskId) -> Option<Time> {
        self.timing.deadline.get(task.index()).copied().flatten()
    }

    /// Where and when the task is fixed, if it is.
    pub fn fixed(&self, task: TaskId) -> Option<Fixed> {
        self.timing.fixed.get(task.index()).copied().flatten()
    }

    /// Whether the task is fixed on a node other than `node`.
    pub(super) fn fixed_elsewhere(&self, task: TaskId, node: NodeId) -> bool {
        self.timing.fixed.get(task.index()).is_some_and(|f| f.is_some_and(|f| f.node != node))
    }

    /// The fixed tasks with their placement, in id order.
    pub fn fixed_tasks(&self) -> impl Iterator<Item = (TaskId, Fixed)> + '_ {
        self.timing.fixed.iter().enumerate().filter_map(|(i, f)| f.map(|f| (TaskId(i as u32), f)))
    }

    /// The node's downtime windows: sorted, disjoint and not touching one another.
    pub fn unavailable(&self, node: NodeId) -> &[Window] {
        self.timing.unavailable.get(node.index()).map_or(&[], |w| w)
    }

    /// The earliest start the time rules allow the task: its fixed start if it is fixed,
    /// else the later of its release date and [`now`](Self::now).
    pub fn not_before(&self, task: TaskId) -> Time {
        match self.fixed(task) {
            Some(f) => f.start,
            None => self.release(task).max(self.timing.now),
        }
    }

    /// Whether some task has a deadline.
    pub fn has_deadlines(&self) -> bool {
        !self.timing.deadline.is_empty()
    }

    /// Whether some task is fixed.
    pub fn has_fixed_tasks(&self) -> bool {
        !self.timing.fixed.is_empty()
    }

    /// Whether some node has downtime.
    pub fn has_downtime(&self) -> bool {
        !self.timing.unavailable.is_empty()
    }

    /// Whether the problem uses any time rule (a release date, a deadline, a fixed task,
    /// downtime or a plan start after 0). Without one, every task may start at 0 on any node
    /// it fits.
    pub fn has_time_rules(&self) -> bool {
        self.timing.now > 0
            || !self.timing.release.is_empty()
            || self.has_deadlines()
            || self.has_fixed_tasks()
            || self.has_downtime()
    }

    /// The earliest `start >= from` at which a task of this duration runs on the node
    /// without meeting any of its downtime windows (saturating at `Time::MAX`).
    pub fn available_from(&self, node: NodeId, from: Time, duration: Time) -> Time {
        let windows = self.unavailable(node);
        // Windows ending at or before `from` cannot block: skip them by binary search.
        let first = windows.partition_point(|w| w.to <= from);
        let mut start = from;
        for w in windows.get(first..).unwrap_or(&[]) {
            if w.blocks(start, start.saturating_add(duration)) {
                start = w.to;
            } else if w.from >= start {
                break; // sorted: every later window starts later still
            }
        }
        start
    }

    /// The latest start at which a task of this duration finishes by `until` on the node
    /// without meeting any of its downtime windows; `None` when it cannot (not even from 0).
    /// The mirror of [`available_from`](Self::available_from).
    pub fn available_until(&self, node: NodeId, until: Time, duration: Time) -> Option<Time> {
        let windows = self.unavailable(node);
        let mut start = until.checked_sub(duration)?;
        // Windows starting after the task's interval (or instant) cannot block: skip them.
        let last = windows.partition_point(|w| w.from < until.max(start.saturating_add(1)));
        for w in windows.get(..last).unwrap_or(&[]).iter().rev() {
            if w.blocks(start, start.saturating_add(duration)) {
                // Finish by the window's start; a zero-length task runs at an instant before it.
                start = w.from.checked_sub(duration.max(1))?;
            } else if w.to <= start {
                break; // sorted: every earlier window ends earlier still
            }
        }
        Some(start)
    }

    /// Whether a task of this duration may run on the node from `start` (no downtime met).
    pub fn is_available(&self, node: NodeId, start: Time, duration: Time) -> bool {
        self.available_from(node, start, duration) == start
    }

    /// The first downtime window of the node that a task over `[start, finish)` runs
    /// during, if any.
    pub fn downtime_during(&self, node: NodeId, start: Time, finish: Time) -> Option<Window> {
        let windows = self.unavailable(node);
        let first = windows.partition_point(|w| w.to <= start);
        windows
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|w| w.from <= finish)
            .find(|w| w.blocks(start, finish))
            .copied()
    }
}

impl Problem {
    /// The latest instant any time rule names: `now`, a release date, the finish of a fixed
    /// task or the end of a downtime window (0 without rules). Fixed finishes saturate; the
    /// validation has checked they do not overflow.
    pub(super) fn latest_time_rule(&self) -> Time {
        let fixed = self.fixed_tasks().map(|(t, f)| f.start.saturating_add(self.listed_duration(t, f.node)));
        let windows = self.timing.unavailable.iter().filter_map(|w| w.last().map(|w| w.to));
        let releases = self.timing.release.iter().copied();
        releases.chain(fixed).chain(windows).fold(self.timing.now, Time::max)
    }

    /// Writes the time rules into a spec made from this problem (names as in the problem).
    pub(super) fn write_timing(&self, spec: &mut ProblemSpec) {
        spec.now = self.timing.now;
        for (t, task) in self.tasks().zip(spec.tasks.iter_mut()) {
            task.release = self.release(t);
            task.deadline = self.deadline(t);
            task.fixed = self.fixed(t).map(|f| FixedSpec { node: self.node_name(f.node).to_owned(), start: f.start });
        }
        for (n, node) in self.nodes().zip(spec.nodes.iter_mut()) {
            node.unavailable = self.unavailable(n).iter().map(|w| WindowSpec { from: w.from, to: w.to }).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_block_overlaps_and_zero_length_tasks_inside() {
        let w = Window { from: 10, to: 20 };
        assert!(w.blocks(5, 11) && w.blocks(19, 30) && w.blocks(12, 15) && w.blocks(0, 100));
        assert!(!w.blocks(0, 10) && !w.blocks(20, 25));
        assert!(w.blocks(10, 10) && w.blocks(19, 19));
        assert!(!w.blocks(9, 9) && !w.blocks(20, 20));
    }

    #[test]
    fn the_latest_start_before_a_time_mirrors_the_earliest_after_one() {
        let problem = ProblemSpec::new()
            .node(crate::NodeSpec::new("n").unavailable(10, 20).unavailable(25, 30))
            .task(crate::TaskSpec::new("a", 1))
            .build()
            .unwrap();
        let n = NodeId(0);
        let until = |t, d| problem.available_until(n, t, d);
        assert_eq!([until(40, 5), until(29, 5), until(24, 5), until(26, 7)], [Some(35), Some(20), Some(5), Some(3)]);
        assert_eq!([until(24, 4), until(12, 0), until(4, 5)], [Some(20), Some(9), None]);
        // Brute force: the latest fitting start, against `is_available`.
        for t in 0..45 {
            for d in 0..8 {
                let brute = (0..=t).rev().filter(|&s| s + d <= t).find(|&s| problem.is_available(n, s, d));
                assert_eq!(until(t, d), brute, "until {t}, duration {d}");
            }
        }
    }
}
