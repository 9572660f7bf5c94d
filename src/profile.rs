//! A node's resource timeline: how much of each dimension is in use over time, and the
//! earliest time a demand fits for a given length.
//!
//! The timeline is a step function stored in a `BTreeMap` from each breakpoint to the usage
//! that holds until the next breakpoint (the last step is always idle). With `k` steps:
//! [`earliest_fit`](Profile::earliest_fit) is O(log k + s·r) where `s` is the number of steps
//! it has to look at and `r` the number of dimensions; [`reserve`](Profile::reserve) is
//! O(log k + s·r) for the `s` steps the interval covers. Used by every list-scheduling
//! solver; the reference for faster special-purpose timelines.

use std::collections::BTreeMap;

use crate::model::Time;

/// The resource usage of one node over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    capacity: Vec<u64>,
    steps: BTreeMap<Time, Vec<u64>>,
}

impl Profile {
    /// An idle node with this capacity (one entry per dimension).
    pub fn new(capacity: &[u64]) -> Self {
        let mut steps = BTreeMap::new();
        steps.insert(0, vec![0; capacity.len()]);
        Self { capacity: capacity.to_vec(), steps }
    }

    /// The node's capacity.
    pub fn capacity(&self) -> &[u64] {
        &self.capacity
    }

    /// Usage at instant `t` (the step containing `t`).
    pub fn usage_at(&self, t: Time) -> &[u64] {
        self.steps.range(..=t).next_back().map_or(&[][..], |(_, u)| u.as_slice())
    }

    /// Whether `demand` can be added to `usage` without exceeding the capacity.
    fn room(&self, usage: &[u64], demand: &[u64]) -> bool {
        usage.iter().zip(demand).zip(&self.capacity).all(|((&u, &d), &c)| d <= c.saturating_sub(u))
    }

    /// The earliest `start >= from` such that `demand` fits during `[start, start + duration)`,
    /// or `None` when the demand exceeds the capacity outright.
    pub fn earliest_fit(&self, from: Time, duration: Time, demand: &[u64]) -> Option<Time> {
        if !self.room(&vec![0; self.capacity.len()], demand) {
            return None;
        }
        if duration == 0 || demand.iter().all(|&d| d == 0) {
            return Some(from);
        }
        let first = self.steps.range(..=from).next_back().map_or(0, |(&t, _)| t);
        let mut candidate = from;
        let mut steps = self.steps.range(first..).peekable();
        while let Some((&at, usage)) = steps.next() {
            if at >= candidate.saturating_add(duration) {
                break;
            }
            if !self.room(usage, demand) {
                match steps.peek() {
                    Some(&(&next, _)) => candidate = candidate.max(next),
                    None => return None, // unreachable: the last step is idle
                }
            }
        }
        Some(candidate)
    }

    /// Whether `demand` fits during `[start, start + duration)`.
    pub fn fits_at(&self, start: Time, duration: Time, demand: &[u64]) -> bool {
        self.earliest_fit(start, duration, demand) == Some(start)
    }

    /// Adds `demand` to the usage over `[start, start + duration)`. The caller has checked
    /// that it fits (usage saturates rather than overflow if not).
    pub fn reserve(&mut self, start: Time, duration: Time, demand: &[u64]) {
        if duration == 0 {
            return;
        }
        let end = start.saturating_add(duration);
        self.split_at(start);
        self.split_at(end);
        for (_, usage) in self.steps.range_mut(start..end) {
            for (u, &d) in usage.iter_mut().zip(demand) {
                *u = u.saturating_add(d);
            }
        }
    }

    /// Ensures a breakpoint at `t`, copying the usage of the step that contains it.
    fn split_at(&mut self, t: Time) {
        if self.steps.contains_key(&t) {
            return;
        }
        let usage = self.usage_at(t).to_vec();
        self.steps.insert(t, usage);
    }

    /// Number of breakpoints (for statistics and tests).
    pub fn step_count(&self) -> usize {
        self.steps.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_node_fits_immediately() {
        let p = Profile::new(&[2, 8]);
        assert_eq!(p.earliest_fit(5, 10, &[2, 8]), Some(5));
        assert_eq!(p.earliest_fit(0, 10, &[3, 1]), None);
    }

    #[test]
    fn waits_for_room_and_uses_released_capacity_at_the_same_instant() {
        let mut p = Profile::new(&[2]);
        p.reserve(0, 10, &[2]);
        assert_eq!(p.earliest_fit(0, 5, &[1]), Some(10));
        p.reserve(10, 5, &[1]);
        assert_eq!(p.earliest_fit(0, 5, &[1]), Some(10));
        assert_eq!(p.earliest_fit(0, 6, &[2]), Some(15));
    }

    #[test]
    fn fills_a_gap_only_when_long_enough() {
        let mut p = Profile::new(&[1]);
        p.reserve(0, 5, &[1]);
        p.reserve(8, 5, &[1]);
        assert_eq!(p.earliest_fit(0, 3, &[1]), Some(5));
        assert_eq!(p.earliest_fit(0, 4, &[1]), Some(13));
        assert!(p.fits_at(5, 3, &[1]));
        assert!(!p.fits_at(6, 3, &[1]));
    }

    #[test]
    fn zero_length_and_zero_demand_fit_anywhere() {
        let mut p = Profile::new(&[1]);
        p.reserve(0, 100, &[1]);
        assert_eq!(p.earliest_fit(3, 0, &[1]), Some(3));
        assert_eq!(p.earliest_fit(3, 7, &[0]), Some(3));
    }
}
