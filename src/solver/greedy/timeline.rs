//! A node's resource timeline tuned for list scheduling at scale.
//!
//! The same step function as [`crate::profile::Profile`] (usage per dimension between
//! breakpoints, half-open intervals), stored more compactly: a `BTreeMap` from breakpoint to
//! a slot in one flat usage slab (no allocation per step), plus the **free-from frontier**:
//! the last breakpoint, after which the node is idle. With `k` breakpoints and `r`
//! dimensions:
//!
//! * [`earliest_fit`](Timeline::earliest_fit) is O(1) when the task may start at or after the
//!   frontier (the common case in a list schedule, whose ready times grow with the list), and
//!   otherwise O(log k + s·r) for the `s` steps it inspects (HEFT's insertion: a gap earlier
//!   in the timeline is used when it is long and wide enough);
//! * [`reserve`](Timeline::reserve) is O(log k + s·r) for the `s` steps the interval covers.

use std::collections::BTreeMap;

use crate::model::Time;

/// Dimensions stored inline in each step (the rest, if any, in a flat slab).
const INLINE: usize = 4;

/// The usage during one step: the first [`INLINE`] dimensions inline (one cache line with
/// the key), further dimensions in the slab at `rest * (r - INLINE)`.
#[derive(Debug, Clone, Copy)]
struct Step {
    head: [u64; INLINE],
    rest: u32,
}

/// The usage of one node over time (see the [module docs](self)).
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    capacity: Box<[u64]>,
    steps: BTreeMap<Time, Step>,
    slab: Vec<u64>,
    free_from: Time,
}

impl Timeline {
    /// An idle node with this capacity.
    pub(crate) fn new(capacity: &[u64]) -> Self {
        let mut steps = BTreeMap::new();
        steps.insert(0, Step { head: [0; INLINE], rest: 0 });
        let extra = capacity.len().saturating_sub(INLINE);
        Self { capacity: capacity.into(), steps, slab: vec![0; extra], free_from: 0 }
    }

    /// The time after which the node is idle.
    pub(crate) fn free_from(&self) -> Time {
        self.free_from
    }

    /// The node's capacity.
    pub(crate) fn capacity(&self) -> &[u64] {
        &self.capacity
    }

    fn extra(&self) -> usize {
        self.capacity.len().saturating_sub(INLINE)
    }

    fn rest(&self, step: &Step) -> &[u64] {
        let w = self.extra();
        let at = step.rest as usize * w;
        self.slab.get(at..at + w).unwrap_or(&[])
    }

    /// Writes the usage at instant `t` (one entry per dimension) into `out`.
    pub(crate) fn usage_at(&self, t: Time, out: &mut Vec<u64>) {
        let r = self.capacity.len();
        out.clear();
        if let Some((_, step)) = self.steps.range(..=t).next_back() {
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

    /// The earliest `start >= from` at which `demand` fits for `duration`. The caller
    /// guarantees that the demand fits the capacity (so the idle tail always has room).
    pub(crate) fn earliest_fit(&self, from: Time, duration: Time, demand: &[u64]) -> Time {
        if from >= self.free_from || duration == 0 || demand.iter().all(|&d| d == 0) {
            return from;
        }
        let first = self.steps.range(..=from).next_back().map_or(0, |(&t, _)| t);
        let mut candidate = from;
        let mut steps = self.steps.range(first..).peekable();
        while let Some((&at, step)) = steps.next() {
            if at >= candidate.saturating_add(duration) || candidate >= self.free_from {
                break;
            }
            if !self.room(step, demand) {
                match steps.peek() {
                    Some(&(&next, _)) => candidate = candidate.max(next),
                    None => break, // the last step is idle
                }
            }
        }
        candidate
    }

    /// Adds `demand` over `[start, start + duration)` (the caller checked that it fits).
    pub(crate) fn reserve(&mut self, start: Time, duration: Time, demand: &[u64]) {
        if duration == 0 || demand.iter().all(|&d| d == 0) {
            return;
        }
        let end = start.saturating_add(duration);
        self.split_at(start);
        self.split_at(end);
        let w = self.extra();
        for (_, step) in self.steps.range_mut(start..end) {
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
    }

    /// Ensures a breakpoint at `t` (copying the usage of the step containing it).
    fn split_at(&mut self, t: Time) {
        if self.steps.contains_key(&t) {
            return;
        }
        let Some(mut step) = self.steps.range(..=t).next_back().map(|(_, s)| *s) else { return };
        let w = self.extra();
        if w > 0 {
            let from = step.rest as usize * w;
            step.rest = (self.slab.len() / w) as u32;
            self.slab.extend_from_within(from..from + w);
        }
        self.steps.insert(t, step);
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
        assert_eq!(t.earliest_fit(0, 1, &[0, 0, 0, 0, 0, 1]), 15);
    }
}
