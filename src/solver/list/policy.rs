//! Node policies: which of the nodes a task can use the engine picks.
//!
//! The state ([`super::state::State::evaluate`]) lists the candidate slots of a task (node,
//! start, finish); a policy picks one. Earliest finish compares slots alone; the allocation
//! policies keep the slots that start earliest and score each by the node's usage after
//! placement (mean or variance over dimensions of used / capacity, dimensions of capacity 0
//! left out). O(c·r) per task for c slots and r dimensions. Ties always go to the earlier
//! finish, then the earlier start, then the task's preferred node if any
//! ([`SolveOptions::prefer_nodes`](crate::SolveOptions::prefer_nodes)), then the smaller node
//! id, so no choice depends on order.

use std::fmt;

use crate::model::{NodeId, Time};

/// Which of the nodes a task can start on a node policy picks. The names follow the
/// Kubernetes scheduler's scoring strategies where they match one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Policy {
    /// The node where the task finishes earliest, using earlier gaps of a node's timeline
    /// (HEFT's insertion policy). Ties: earlier start, then smaller node id. The default.
    EarliestFinish,
    /// Best fit / pack (Kubernetes `MostAllocated`): among the nodes where the task can start
    /// earliest, the one most allocated after placement (mean over dimensions of
    /// used/capacity). Leaves other nodes free for large tasks.
    MostAllocated,
    /// Spread (Kubernetes `LeastAllocated`, its default): among the nodes where the task can
    /// start earliest, the one least allocated after placement.
    LeastAllocated,
    /// Kubernetes `NodeResourcesBalancedAllocation`: among the nodes where the task can start
    /// earliest, the one whose dimensions are most evenly used after placement (smallest
    /// variance of used/capacity), so no dimension is stranded.
    BalancedAllocation,
    /// The smallest node id among the nodes where the task can start earliest.
    FirstFit,
}

impl Policy {
    /// Every policy, in declaration order.
    pub const ALL: [Policy; 5] = [
        Policy::EarliestFinish,
        Policy::MostAllocated,
        Policy::LeastAllocated,
        Policy::BalancedAllocation,
        Policy::FirstFit,
    ];

    /// The policy's short name.
    pub fn name(self) -> &'static str {
        match self {
            Policy::EarliestFinish => "earliest-finish",
            Policy::MostAllocated => "most-allocated",
            Policy::LeastAllocated => "least-allocated",
            Policy::BalancedAllocation => "balanced-allocation",
            Policy::FirstFit => "first-fit",
        }
    }

    /// Whether candidate nodes are ranked by finish (earliest finish) rather than by start
    /// (every other policy first keeps the earliest start).
    pub(crate) fn by_finish(self) -> bool {
        self == Policy::EarliestFinish
    }

    /// The score of a slot whose node will be used `used` out of `capacity` (after adding
    /// the task's demand); smaller is better. Only the allocation policies score.
    pub(crate) fn score(self, used: impl Iterator<Item = (u64, u64)>) -> f64 {
        let (mut n, mut sum, mut sq) = (0.0, 0.0, 0.0);
        for (u, c) in used {
            if c == 0 {
                continue;
            }
            let f = u as f64 / c as f64;
            n += 1.0;
            sum += f;
            sq += f * f;
        }
        if n == 0.0 {
            return 0.0;
        }
        let mean = sum / n;
        match self {
            Policy::MostAllocated => -mean,
            Policy::LeastAllocated => mean,
            Policy::BalancedAllocation => sq / n - mean * mean,
            Policy::EarliestFinish | Policy::FirstFit => 0.0,
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One way to place a task: node, start, finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub(crate) node: NodeId,
    pub(crate) start: Time,
    pub(crate) finish: Time,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_rank_allocation_as_named() {
        let full = [(4, 4), (8, 8)];
        let half = [(2, 4), (4, 8)];
        let skew = [(4, 4), (0, 8)];
        let s = |p: Policy, u: &[(u64, u64)]| p.score(u.iter().copied());
        assert!(s(Policy::MostAllocated, &full) < s(Policy::MostAllocated, &half));
        assert!(s(Policy::LeastAllocated, &half) < s(Policy::LeastAllocated, &full));
        assert!(s(Policy::BalancedAllocation, &half) < s(Policy::BalancedAllocation, &skew));
        assert_eq!(s(Policy::LeastAllocated, &[(1, 0)]), 0.0);
    }
}
