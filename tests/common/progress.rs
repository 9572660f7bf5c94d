//! Progress reports: options that record every event, and the checks every stream of events
//! must pass.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dagplan::{Improvement, Problem, Progress, Solution, SolveOptions};

/// Options that record every event, and the record.
pub fn recording(options: SolveOptions) -> (SolveOptions, Arc<Mutex<Vec<Progress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (options.on_progress(move |p| sink.lock().unwrap().push(p.clone())), seen)
}

/// Checks a stream of events against the solution it led to: time runs forward, every
/// reported schedule verifies, makespans strictly fall, bounds strictly rise, no bound
/// exceeds a makespan, and the last schedule and bound reported are the answer's. Returns the
/// number of events. Panics on a failure (inside a property test too: proptest shrinks it).
pub fn check_stream(problem: &Problem, events: &[Progress], solution: &Solution) -> usize {
    let mut last_makespan = None;
    let mut last_bound = 0;
    let mut last_elapsed = Duration::ZERO;
    for p in events {
        assert!(p.elapsed >= last_elapsed, "time runs forward: {events:?}");
        last_elapsed = p.elapsed;
        match &p.improvement {
            Improvement::Schedule(s) => {
                assert_eq!(s.verify(problem), Ok(()), "a reported schedule verifies");
                assert_eq!(Some(s.makespan()), p.makespan);
                assert!(last_makespan.is_none_or(|m| s.makespan() < m), "makespans decrease: {events:?}");
                assert_eq!(p.lower_bound, last_bound);
                last_makespan = Some(s.makespan());
            }
            Improvement::Bound(b) => {
                assert!(*b > last_bound, "bounds increase: {events:?}");
                assert_eq!(p.lower_bound, *b);
                assert_eq!(p.makespan, last_makespan);
                last_bound = *b;
            }
            other => panic!("unknown event {other:?}"),
        }
        assert!(p.makespan.is_none_or(|m| p.lower_bound <= m), "a bound never exceeds a makespan: {events:?}");
    }
    assert_eq!(last_makespan, Some(solution.makespan()), "the last schedule reported is the one returned");
    assert_eq!(last_bound, solution.lower_bound, "the last bound reported is the one returned");
    events.len()
}
