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

/// The usage of one node over time (see the [module docs](self)).
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    capacity: Box<[u64]>,
    steps: BTreeMap<Time, u32>,
    usage: Vec<u64>,
    free_from: Time,
}

impl Timeline {
    /// An idle node with this capacity.
    pub(crate) fn new(capacity: &[u64]) -> Self {
        let mut steps = BTreeMap::new();
        steps.insert(0, 0);
        Self { capacity: capacity.into(), steps, usage: vec![0; capacity.len()], free_from: 0 }
    }

    /// The time after which the node is idle.
    pub(crate) fn free_from(&self) -> Time {
        self.free_from
    }

    /// The node's capacity.
    pub(crate) fn capacity(&self) -> &[u64] {
        &self.capacity
    }

    fn row(&self, slot: u32) -> &[u64] {
        let w = self.capacity.len();
        let at = slot as usize * w;
        self.usage.get(at..at + w).unwrap_or(&[])
    }

    /// Usage at instant `t`.
    pub(crate) fn usage_at(&self, t: Time) -> &[u64] {
        let slot = self.steps.range(..=t).next_back().map_or(0, |(_, &s)| s);
        self.row(slot)
    }

    fn room(&self, slot: u32, demand: &[u64]) -> bool {
        self.row(slot).iter().zip(demand).zip(self.capacity.iter()).all(|((&u, &d), &c)| d <= c.saturating_sub(u))
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
        while let Some((&at, &slot)) = steps.next() {
            if at >= candidate.saturating_add(duration) || candidate >= self.free_from {
                break;
            }
            if !self.room(slot, demand) {
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
        let w = self.capacity.len();
        for (_, &slot) in self.steps.range(start..end) {
            let at = slot as usize * w;
            if let Some(row) = self.usage.get_mut(at..at + w) {
                for (u, &d) in row.iter_mut().zip(demand) {
                    *u = u.saturating_add(d);
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
        let slot = (self.usage.len() / self.capacity.len().max(1)) as u32;
        if self.capacity.is_empty() {
            self.steps.insert(t, 0);
            return;
        }
        let from = self.steps.range(..=t).next_back().map_or(0, |(_, &s)| s) as usize * self.capacity.len();
        self.usage.extend_from_within(from..from + self.capacity.len());
        self.steps.insert(t, slot);
    }
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
        assert_eq!(t.usage_at(3), &[2, 1]);
        assert_eq!(t.usage_at(10), &[0, 0]);
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
