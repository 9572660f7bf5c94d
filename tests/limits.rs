//! Limits that hold: on instances too hard to finish, every solver with a time limit stops
//! working soon after the limit and returns a verified schedule; a cancel flag set from
//! another thread stops a running solve, which still returns its best schedule.
//!
//! "Soon" is measured in CPU time: the process's CPU time spent after the limit (or the
//! cancel) until `schedule` returns must stay within 10% of the limit + 50 ms per thread the
//! solver uses, and the solve must have been running at that moment (a solve that finished on
//! its own shows nothing). On
//! a machine shared with other work, the wall time of that same work stretches with the load,
//! so the wall time is only checked coarsely (2 s past the limit) to catch a solver that
//! waits instead of working. The tests of this file run one at a time, so the process's CPU
//! time is the solve's.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

mod common;

use common::instances::{hard_rcpsp, large_cluster};
use common::process::{cores, cpu_time};
use dagplan::{Problem, SolveOptions, solver_by_name};

/// The threads `auto` is given here: an improving lane and an exact lane.
const AUTO_THREADS: usize = 2;

/// Timing tests run one at a time, so they do not slow each other down.
static SERIAL: Mutex<()> = Mutex::new(());

/// When greedy's portfolio on `large_cluster` is stopped (time limit or cancel), in ms.
const GREEDY_STOP_MS: u64 = 50;

/// What a limited solve cost: its wall time, the CPU time spent after the limit or the
/// cancel, whether it was still running at that moment, and its counters.
struct Cost {
    wall: Duration,
    cpu_after_stop: Duration,
    still_running: bool,
    counters: Vec<(&'static str, u64)>,
}

/// Runs `name` with `options` on `problem` and, on a second thread, takes the CPU time `stop`
/// after the start, then sets `cancel` if given (the time limit's moment, or the cancel's).
/// Checks the schedule.
fn run(name: &str, problem: &Problem, options: SolveOptions, stop: Duration, cancel: Option<Arc<AtomicBool>>) -> Cost {
    let solver = solver_by_name(name, &options).unwrap();
    let cancelled = cancel.is_some();
    let started = Instant::now();
    let at_stop = thread::spawn(move || {
        thread::sleep(stop);
        let sample = (Instant::now(), cpu_time());
        if let Some(flag) = cancel {
            flag.store(true, Ordering::Relaxed);
        }
        sample
    });
    let solution = solver.schedule(problem).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (returned, cpu_at_return) = (Instant::now(), cpu_time());
    let (stopped, cpu_at_stop) = at_stop.join().unwrap();
    assert_eq!(solution.schedule.verify(problem), Ok(()), "{name}");
    assert!(solution.makespan() >= solution.lower_bound, "{name}");
    let wall = returned - started;
    // A cancel is sampled before it is set. A time limit is the solver's own clock, and the
    // sampling thread may wake after the solver stopped at it, so only the wall time tells;
    // a solver may stop a little early rather than start a pass it cannot finish in time.
    let still_running = if cancelled { stopped < returned } else { wall >= stop / 2 };
    let cpu_after_stop = cpu_at_return.saturating_sub(cpu_at_stop);
    eprintln!("{name}: stop at {stop:?}, returned after {wall:?}, {cpu_after_stop:?} CPU after the stop");
    Cost { wall, cpu_after_stop, still_running, counters: solution.stats.counters }
}

/// The margins of the module docs for a solve stopped at `limit` after its start, which was
/// still running then: the test shows nothing about a solve that finished on its own.
fn check(name: &str, cost: &Cost, limit: Duration, threads: u32) {
    assert!(
        cost.still_running,
        "{name} ended after {:?}, before its stop at {limit:?}: too easy a test ({:?})",
        cost.wall, cost.counters
    );
    check_margins(name, cost, limit, threads);
}

/// The margins alone (for a solve that may end early).
fn check_margins(name: &str, cost: &Cost, limit: Duration, threads: u32) {
    let allowed = (limit.mul_f64(0.1) + Duration::from_millis(50)) * threads;
    assert!(
        cost.cpu_after_stop <= allowed,
        "{name} worked {:?} (CPU) past its limit of {limit:?}; allowed {allowed:?}",
        cost.cpu_after_stop
    );
    let coarse = limit + Duration::from_secs(2);
    assert!(cost.wall <= coarse, "{name} returned after {:?} (wall) with a limit of {limit:?}", cost.wall);
}

#[test]
fn dp_and_greedy_stop_at_the_time_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // The greedy portfolio ends on its own after 0.18 s (a quiet machine) to 0.7 s (a loaded
    // one) here (see `large_cluster`), so it is stopped well before: at 50 ms.
    let cases = [("dp", hard_rcpsp(), 1, 400), ("greedy", large_cluster(), cores(), GREEDY_STOP_MS)];
    for (name, problem, threads, limit) in cases {
        let limit = Duration::from_millis(limit);
        let cost = run(name, &problem, SolveOptions::default().time_limit(limit), limit, None);
        check(name, &cost, limit, threads);
    }
}

/// The anytime solvers use all of their time: `search` on its islands (one per core), `auto`
/// with greedy, then `search` and `dp` side by side (`ilp` does not start with less than 2 s).
#[test]
fn search_and_auto_stop_at_the_time_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let limit = Duration::from_secs(1);
    for (name, threads) in [("search", 0), ("auto", AUTO_THREADS)] {
        let options = SolveOptions::default().time_limit(limit).threads(threads);
        let threads = if threads == 0 { cores() } else { threads as u32 };
        let cost = run(name, &hard_rcpsp(), options, limit, None);
        check(name, &cost, limit, threads);
    }
}

#[cfg(feature = "ilp")]
#[test]
fn ilp_stops_at_the_time_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let limit = Duration::from_secs(1);
    let options = SolveOptions::default().time_limit(limit).threads(1);
    let cost = run("ilp", &hard_rcpsp(), options, limit, None);
    check("ilp", &cost, limit, 2);
}

/// A tight 120-task workflow on 4 nodes (the portfolio benchmark's instances): its
/// time-indexed models have 400,000–800,000 nonzeros, which take a while to build and to hand
/// over, and after its own time limit HiGHS used to take 0.5–2 s more on them (`ilp` returned
/// after up to 11.9 s with a 10 s limit on a loaded 2-core VM).
#[cfg(feature = "ilp")]
fn workflow() -> Problem {
    dagplan::Generator::tight_workflow(120, 4, 6).generate().unwrap()
}

/// On a model that takes long to build, `ilp` holds its limit as every solver does: with
/// little time it does not build the model (it answers with the best schedule it has), and
/// with more it hands the model to HiGHS with a reserve for HiGHS's last step. Two threads:
/// HiGHS and `dp` beside it.
#[cfg(feature = "ilp")]
#[test]
fn ilp_stops_at_the_time_limit_on_a_model_that_takes_long_to_build() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let problem = workflow();
    let short = Duration::from_millis(1500);
    let cost = run("ilp", &problem, SolveOptions::default().time_limit(short).threads(1), short, None);
    check_margins("ilp (short limit)", &cost, short, 2);
    assert!(cost.counters.contains(&("time_stops", 1)), "{:?}", cost.counters);
    let long = Duration::from_secs(4);
    let cost = run("ilp", &problem, SolveOptions::default().time_limit(long).threads(1), long, None);
    check("ilp (long limit)", &cost, long, 2);
    assert!(cost.counters.iter().any(|&(c, n)| c == "nonzeros" && n > 200_000), "{:?}", cost.counters);
}

#[cfg(feature = "cp")]
#[test]
fn cp_stops_at_the_time_limit() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let limit = Duration::from_millis(400);
    let options = SolveOptions::default().time_limit(limit).threads(1);
    let cost = run("cp", &hard_rcpsp(), options, limit, None);
    check("cp", &cost, limit, 1);
}

#[test]
fn a_cancel_flag_stops_a_running_solve_with_its_best_schedule() {
    let _serial = SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut cases = vec![("dp", hard_rcpsp(), 1), ("greedy", large_cluster(), cores())];
    if cfg!(feature = "ilp") {
        cases.push(("ilp", hard_rcpsp(), cores()));
    }
    if cfg!(feature = "cp") {
        cases.push(("cp", hard_rcpsp(), cores()));
    }
    cases.push(("search", hard_rcpsp(), cores()));
    // Without a time limit `auto`'s exact lanes run to their end: cancelled while they run.
    cases.push(("auto", hard_rcpsp(), AUTO_THREADS as u32));
    let auto_options =
        |options: SolveOptions, name: &str| if name == "auto" { options.threads(AUTO_THREADS) } else { options };
    for (name, problem, threads) in cases {
        // Greedy's portfolio may end on its own after 0.18 s: see `dp_and_greedy_stop_at_the_time_limit`.
        let after = Duration::from_millis(if name == "greedy" { GREEDY_STOP_MS } else { 200 });
        let flag = Arc::new(AtomicBool::new(false));
        let options = auto_options(SolveOptions::default().cancel(Arc::clone(&flag)), name);
        let cost = run(name, &problem, options, after, Some(flag));
        check(name, &cost, after, threads);
    }
}
