//! The geometry of a drawn plan, kept apart from the drawing: where each task sits in its
//! node's lane, the usage profile of a node, and the ticks of the time axis. All integer
//! arithmetic, so the same schedule always gives the same picture.

use crate::model::Time;

/// A task as the lane layout sees it: its interval and its height in lane units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bar {
    pub start: Time,
    pub finish: Time,
    pub height: u128,
}

/// Vertical offsets (from the lane's floor, in lane units) for bars on one node, so that no
/// two bars running at the same time overlap. First fit in order of start time (longer bars
/// first at equal starts, then input order): each bar takes the lowest gap that is free for
/// its whole interval. A feasible schedule usually stacks within the capacity; when the
/// first-fit order fragments the lane, a bar goes above it and the lane grows (the usage
/// profile still shows the true usage). Zero-length bars count as one tick long here, so
/// they do not pile up on top of each other. O(k · a log a) for k bars and at most a bars
/// running at once.
pub(crate) fn stack(bars: &[Bar]) -> Vec<u128> {
    let mut order: Vec<usize> = (0..bars.len()).collect();
    let end = |b: &Bar| b.finish.max(b.start.saturating_add(1));
    order.sort_by_key(|&i| bars.get(i).map(|b| (b.start, std::cmp::Reverse(end(b)), i)));
    let mut offsets = vec![0u128; bars.len()];
    // Bars placed so far that may still overlap later ones: (end, offset, height).
    let mut active: Vec<(Time, u128, u128)> = Vec::new();
    for i in order {
        let Some(bar) = bars.get(i) else { continue };
        active.retain(|&(finish, _, _)| finish > bar.start);
        active.sort_by_key(|&(_, offset, _)| offset);
        let mut floor = 0u128;
        for &(_, offset, height) in &active {
            if offset >= floor.saturating_add(bar.height) {
                break;
            }
            floor = floor.max(offset.saturating_add(height));
        }
        if let Some(slot) = offsets.get_mut(i) {
            *slot = floor;
        }
        active.push((end(bar), floor, bar.height));
    }
    offsets
}

/// The usage over time of one resource on one node: `(time, usage from then on)` at every
/// change, from the first start to the last finish (the last entry has usage 0). `tasks` are
/// `(start, finish, demand)`; zero-length tasks use nothing.
pub(crate) fn usage_steps(tasks: impl IntoIterator<Item = (Time, Time, u64)>) -> Vec<(Time, u128)> {
    let mut events: Vec<(Time, i8, u64)> = Vec::new();
    for (start, finish, demand) in tasks {
        if finish > start && demand > 0 {
            events.push((start, 1, demand));
            events.push((finish, -1, demand));
        }
    }
    events.sort_unstable();
    let mut steps: Vec<(Time, u128)> = Vec::new();
    let mut usage = 0u128;
    for (time, sign, demand) in events {
        usage =
            if sign > 0 { usage.saturating_add(u128::from(demand)) } else { usage.saturating_sub(u128::from(demand)) };
        match steps.last_mut() {
            Some(last) if last.0 == time => last.1 = usage,
            _ => steps.push((time, usage)),
        }
    }
    steps
}

/// Tick positions for an axis from 0 to `end`: a step of 1, 2 or 5 times a power of ten,
/// chosen so that there are at most `max_ticks` intervals (at least one tick at 0).
pub(crate) fn ticks(end: Time, max_ticks: u64) -> Vec<Time> {
    let max_ticks = max_ticks.max(1);
    let mut step: Time = 1;
    'search: loop {
        for factor in [1, 2, 5] {
            let candidate = step.saturating_mul(factor);
            if end / candidate <= max_ticks || candidate == Time::MAX {
                step = candidate;
                break 'search;
            }
        }
        step = step.saturating_mul(10);
    }
    (0..=end / step).map(|k| k * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(start: Time, finish: Time, height: u128) -> Bar {
        Bar { start, finish, height }
    }

    #[test]
    fn bars_running_together_are_stacked_and_reuse_freed_space() {
        // a [0,10) h2, b [0,5) h1, c [5,10) h1 fits where b was, d [10,20) back at the floor.
        let bars = [bar(0, 10, 2), bar(0, 5, 1), bar(5, 10, 1), bar(10, 20, 3)];
        assert_eq!(stack(&bars), vec![0, 2, 2, 0]);
    }

    #[test]
    fn a_gap_below_is_used_when_tall_enough() {
        // x [0,10) at 0..1, y [2,6) at 1..3, z [3,10) at 3..4; w [6,9) fits in y's old place.
        let bars = [bar(0, 10, 1), bar(2, 6, 2), bar(3, 10, 1), bar(6, 9, 2), bar(6, 9, 1)];
        let offsets = stack(&bars);
        assert_eq!(offsets, vec![0, 1, 3, 1, 4]);
        // No two bars running at the same time overlap.
        for (i, a) in bars.iter().enumerate() {
            for (j, b) in bars.iter().enumerate().skip(i + 1) {
                if a.start < b.finish && b.start < a.finish {
                    let (oa, ob) = (offsets[i], offsets[j]);
                    assert!(oa + a.height <= ob || ob + b.height <= oa, "{i} and {j} overlap");
                }
            }
        }
    }

    #[test]
    fn zero_length_bars_at_the_same_time_do_not_overlap() {
        assert_eq!(stack(&[bar(3, 3, 1), bar(3, 3, 1)]), vec![0, 1]);
    }

    #[test]
    fn usage_steps_follow_starts_and_finishes() {
        let steps = usage_steps([(0, 10, 1), (0, 5, 2), (5, 10, 2), (12, 12, 9)]);
        assert_eq!(steps, vec![(0, 3), (5, 3), (10, 0)]);
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(ticks(70, 10), vec![0, 10, 20, 30, 40, 50, 60, 70]);
        assert_eq!(ticks(7, 10), (0..=7).collect::<Vec<_>>());
        assert_eq!(ticks(1234, 8), vec![0, 200, 400, 600, 800, 1000, 1200]);
        assert_eq!(ticks(0, 10), vec![0]);
        assert!(ticks(Time::MAX, 10).len() <= 11);
    }
}
