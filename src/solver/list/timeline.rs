//! A node's resource timeline: the usage of each dimension over time, a step function
//! between breakpoints (half-open intervals), stored compactly: a sorted vector of
//! breakpoints, each with the usage of its first four dimensions inline (further dimensions
//! in a flat slab), and the **free-from frontier**, the time after which the node is idle. With `k`
//! breakpoints and `r` dimensions:
//!
//! * [`earliest_fit`](Timeline::earliest_fit) is O(1) when the task may start at or after the
//!   frontier (the common case in a list schedule, whose ready times grow with the list), and
//!   otherwise O(log k + s·r) for the `s` steps it inspects (HEFT's insertion: a gap earlier
//!   in the timeline is used when it is long and wide enough);
//! * [`reserve`](Timeline::reserve) is O(log k + s·r) plus the shift of the breakpoints after
//!   the new ones (few: placements happen near the frontier).
//!
//! **Bounded look-back.** A node keeps at most [`MAX_STEPS`] breakpoints: beyond that the
//! oldest are dropped and the time before the first kept breakpoint (the *floor*) is treated
//! as full, so nothing is placed there any more. This is conservative (schedules stay valid)
//! and only forgoes gap-filling far in a busy node's past; it keeps every timeline a few
//! kilobytes, so the look-ups of a million-task schedule stay in cache. Instances with fewer
//! than `MAX_STEPS / 2` tasks per node (PSPLIB j30/j60/j90 included) never reach it.

use crate::model::Time;

/// Dimensions stored inline in each step (the rest, if any, in a flat slab).
const INLINE: usize = 4;
/// Most breakpoints kept per node (see the [module docs](self)).
pub(crate) const MAX_STEPS: usize = 256;
/// Breakpoints kept after dropping the oldest.
const KEEP_STEPS: usize = 128;

/// The usage from `at` until the next breakpoint: the first [`INLINE`] dimensions inline,
/// further dimensions in the slab at `rest * (r - INLINE)`.
#[derive(Debug, Clone, Copy)]
struct Step {
    at: Time,
    head: [u64; INLINE],
    rest: u32,
}

/// The usage of one node over time (see the [module docs](self)).
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    capacity: Box<[u64]>,
    steps: Vec<Step>,
    slab: Vec<u64>,
    free_from: Time,
}

impl Timeline {
    /// An idle node with this capacity.
    pub(crate) fn new(capacity: &[u64]) -> Self {
        let extra = capacity.len().saturating_sub(INLINE);
        Self {
            capacity: capacity.into(),
            steps: vec![Step { at: 0, head: [0; INLINE], rest: 0 }],
            slab: vec![0; extra],
            free_from: 0,
        }
    }

    /// Back to idle, keeping the buffers.
    pub(crate) fn clear(&mut self) {
        self.steps.clear();
        self.steps.push(Step { at: 0, head: [0; INLINE], rest: 0 });
        let extra = self.extra();
        self.slab.clear();
        self.slab.resize(extra, 0);
        self.free_from = 0;
    }

    /// The time after which the node is idle.
    pub(crate) fn free_from(&self) -> Time {
        self.free_from
    }

    /// The node's capacity.
    pub(crate) fn capacity(&self) -> &[u64] {
        &self.capacity
    }

    /// The earliest time anything may still be placed (see bounded look-back).
    fn floor(&self) -> Time {
        self.steps.first().map_or(0, |s| s.at)
    }

    fn extra(&self) -> usize {
        self.capacity.len().saturating_sub(INLINE)
    }

    fn rest(&self, step: &Step) -> &[u64] {
        let w = self.extra();
        let at = step.rest as usize * w;
        // Every step owns a row of the slab (hot path: checked in debug builds).
        debug_assert!(at + w <= self.slab.len(), "timeline slab row {} missing", step.rest);
        self.slab.get(at..at + w).unwrap_or(&[])
    }

    /// Index of the step containing `t` (`t` at or after the floor).
    fn containing(&self, t: Time) -> usize {
        self.steps.partition_point(|s| s.at <= t).saturating_sub(1)
    }

    /// Writes the usage at instant `t` (one entry per dimension) into `out`.
    pub(crate) fn usage_at(&self, t: Time, out: &mut Vec<u64>) {
        let r = self.capacity.len();
        out.clear();
        if let Some(step) = self.steps.get(self.containing(t)) {
            out.extend(step.head.iter().take(r.min(INLINE)));
            out.extend_from_slice(self.rest(step));
        }
        out.resize(r, 0);
    }

    fn room(&self, step: &Step, demand: &[u64]) -> bool {
        let fits = |(&u, (&d, &c)): (&u64, (&u64, &u64))| d <= c.saturating_sub(u);
        step.head.iter().zip(demand.iter().zip(self.capacity.iter())).all(fits)
            && (self.extra() == 0
                || self.rest(step).iter().zip(demand.iter().zip(self.capacity.iter()).skip(INLINE)).all(fits))
    }

    /// The earliest `start >= from` (and at or after the floor) at which `demand` fits for
    /// `duration`. The caller guarantees that the demand fits the capacity (so the idle tail
    /// always has room).
    pub(crate) fn earliest_fit(&self, from: Time, duration: Time, demand: &[u64]) -> Time {
        let from = from.max(self.floor());
        if from >= self.free_from || duration == 0 || demand.iter().all(|&d| d == 0) {
            return from;
        }
        let mut candidate = from;
        let mut i = self.containing(from);
        while let Some(step) = self.steps.get(i) {
            if step.at >= candidate.saturating_add(duration) || candidate >= self.free_from {
                break;
            }
            if !self.room(step, demand) {
                match self.steps.get(i + 1) {
                    Some(next) => candidate = candidate.max(next.at),
                    None => break, // the last step is idle
                }
            }
            i += 1;
        }
        candidate
    }

    /// Adds `demand` over `[start, start + duration)`. The caller found `start` with
    /// [`earliest_fit`](Self::earliest_fit), so it is at or after the floor and fits.
    pub(crate) fn reserve(&mut self, start: Time, duration: Time, demand: &[u64]) {
        if duration == 0 || demand.iter().all(|&d| d == 0) {
            return;
        }
        let end = start.saturating_add(duration);
        let first = self.split_at(start);
        let last = self.split_at(end);
        let w = self.extra();
        for k in first..last {
            let Some(step) = self.steps.get_mut(k) else { continue };
            for (u, &d) in step.head.iter_mut().zip(demand) {
                *u = u.saturating_add(d);
            }
            if w > 0 {
                let at = step.rest as usize * w;
                if let Some(row) = self.slab.get_mut(at..at + w) {
                    for (u, &d) in row.iter_mut().zip(demand.iter().skip(INLINE)) {
                        *u = u.saturating_add(d);
                    }
                }
            }
        }
        self.free_from = self.free_from.max(end);
        if self.steps.len() > MAX_STEPS {
            self.drop_oldest();
        }
    }

    /// Ensures a breakpoint at `t` (at or after the floor), copying the usage of the step
    /// containing it; returns its index.
    fn split_at(&mut self, t: Time) -> usize {
        let i = self.steps.partition_point(|s| s.at < t);
        if self.steps.get(i).is_some_and(|s| s.at == t) {
            return i;
        }
        let Some(mut step) = i.checked_sub(1).and_then(|p| self.steps.get(p)).copied() else { return i };
        step.at = t;
        let w = self.extra();
        if w > 0 {
            let from = step.rest as usize * w;
            step.rest = (self.slab.len() / w) as u32;
            self.slab.extend_from_within(from..from + w);
        }
        self.steps.insert(i, step);
        i
    }

    /// Drops the oldest breakpoints, raising the floor.
    fn drop_oldest(&mut self) {
        let cut = self.steps.len().saturating_sub(KEEP_STEPS);
        self.steps.drain(..cut);
        let w = self.extra();
        if w > 0 {
            let mut slab = Vec::with_capacity(self.steps.len() * w);
            for (i, step) in self.steps.iter_mut().enumerate() {
                let from = step.rest as usize * w;
                slab.extend_from_slice(self.slab.get(from..from + w).unwrap_or(&[]));
                step.rest = i as u32;
            }
            self.slab = slab;
        }
    }
}

#[cfg(test)]
pub(crate) fn at(t: &Timeline, time: Time) -> Vec<u64> {
    let mut out = Vec::new();
    t.usage_at(time, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_frontier_fast_path() {
        let mut t = Timeline::new(&[2, 8]);
        assert_eq!(t.earliest_fit(5, 10, &[2, 8]), 5);
        t.reserve(0, 10, &[2, 1]);
        assert_eq!(t.free_from(), 10);
        assert_eq!(t.earliest_fit(0, 5, &[1, 1]), 10);
        assert_eq!(t.earliest_fit(12, 5, &[2, 8]), 12);
        assert_eq!(at(&t, 3), [2, 1]);
        assert_eq!(at(&t, 10), [0, 0]);
    }

    #[test]
    fn fills_a_gap_only_when_long_and_wide_enough() {
        let mut t = Timeline::new(&[2]);
        t.reserve(0, 5, &[2]);
        t.reserve(8, 5, &[1]);
        t.reserve(13, 5, &[2]);
        assert_eq!(t.earliest_fit(0, 3, &[2]), 5);
        assert_eq!(t.earliest_fit(0, 4, &[2]), 18);
        assert_eq!(t.earliest_fit(0, 8, &[1]), 5);
        assert_eq!(t.earliest_fit(0, 9, &[1]), 18);
    }

    #[test]
    fn zero_length_and_zero_demand_fit_anywhere() {
        let mut t = Timeline::new(&[1]);
        t.reserve(0, 100, &[1]);
        assert_eq!(t.earliest_fit(3, 0, &[1]), 3);
        assert_eq!(t.earliest_fit(3, 7, &[0]), 3);
    }
}

#[cfg(test)]
mod wide_tests {
    use super::*;

    #[test]
    fn more_dimensions_than_inline() {
        let mut t = Timeline::new(&[1, 1, 1, 1, 2, 3]);
        t.reserve(0, 10, &[0, 0, 0, 0, 2, 1]);
        assert_eq!(t.earliest_fit(0, 5, &[0, 0, 0, 0, 1, 0]), 10);
        assert_eq!(t.earliest_fit(0, 5, &[1, 1, 1, 1, 0, 2]), 0);
        assert_eq!(at(&t, 4), [0, 0, 0, 0, 2, 1]);
        t.reserve(5, 10, &[1, 0, 0, 0, 0, 2]);
        assert_eq!(at(&t, 7), [1, 0, 0, 0, 2, 3]);
        assert_eq!(at(&t, 12), [1, 0, 0, 0, 0, 2]);
        assert_eq!(t.earliest_fit(0, 1, &[0, 0, 0, 0, 0, 1]), 0);
        assert_eq!(t.earliest_fit(5, 1, &[0, 0, 0, 0, 0, 1]), 10);
    }
}

#[cfg(test)]
mod look_back_tests {
    use super::*;

    #[test]
    fn dropping_old_breakpoints_raises_the_floor_and_stays_safe() {
        let mut t = Timeline::new(&[1, 1, 1, 1, 1]);
        for i in 0..400u64 {
            t.reserve(2 * i, 1, &[1, 0, 0, 0, 1]);
        }
        assert!(t.steps.len() <= MAX_STEPS);
        assert!(t.floor() > 0);
        // A gap before the floor is no longer offered...
        assert!(t.earliest_fit(1, 1, &[1, 0, 0, 0, 0]) >= t.floor());
        // ... but the kept gaps are, and the last dimension is still tracked.
        let late = 2 * 390 + 1;
        assert_eq!(t.earliest_fit(late, 1, &[1, 0, 0, 0, 1]), late);
        assert_eq!(at(&t, 2 * 390), [1, 0, 0, 0, 1]);
        assert_eq!(t.earliest_fit(2 * 390, 1, &[0, 0, 0, 0, 1]), 2 * 390 + 1);
    }
}
