//! No work left running: once a solver's `schedule` returns — finished, out of time or
//! cancelled — no thread of the solve is still running, and the threads it started are gone.
//!
//! Observed from outside through `/proc/self/task` (Linux): the number of the process's
//! threads, each thread's name and its scheduler state (`R` = running or runnable). The file
//! is one test that runs its cases in turn: the test harness starts no other thread meanwhile,
//! and the only running thread should be the test's own.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // a test fails loudly

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

mod common;

use common::instances::{hard_rcpsp, large_cluster};
use dagplan::Generator;
use dagplan::solver_by_name;
use dagplan::{Auto, Dp, Problem, Scheduler, Solution, SolveOptions, Status};

/// A thread of this process: its id, name and scheduler state.
struct Task {
    id: String,
    name: String,
    state: char,
}

fn tasks() -> Vec<Task> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task").unwrap() {
        let dir = entry.unwrap().path();
        // A thread may end between the listing and the reads: skip it.
        let (Ok(name), Ok(stat)) =
            (std::fs::read_to_string(dir.join("comm")), std::fs::read_to_string(dir.join("stat")))
        else {
            continue;
        };
        // `stat` is `tid (comm) S ...`; the name may hold spaces or parentheses.
        let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next()).unwrap_or('?');
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push(Task { id, name: name.trim().to_owned(), state });
    }
    out
}

/// This thread's id.
fn own_id() -> String {
    let link = std::fs::read_link("/proc/thread-self").unwrap();
    link.file_name().unwrap().to_string_lossy().into_owned()
}

/// Waits (at most 5 s) until the process has no more threads than `baseline` and no thread
/// but this one has been running for 20 checks in a row (200 ms); fails with the threads seen.
fn assert_settles(what: &str, baseline: usize) {
    let own = own_id();
    let started = Instant::now();
    let mut quiet = 0;
    loop {
        let all = tasks();
        let busy: Vec<&Task> = all.iter().filter(|t| t.id != own && t.state == 'R').collect();
        quiet = if all.len() <= baseline && busy.is_empty() { quiet + 1 } else { 0 };
        if quiet >= 20 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what}: 5 s after the solve returned, {} threads (baseline {baseline}); running: {:?}; all: {:?}",
            all.len(),
            busy.iter().map(|t| format!("{} ({})", t.name, t.id)).collect::<Vec<_>>(),
            all.iter().map(|t| format!("{} ({}, {})", t.name, t.id, t.state)).collect::<Vec<_>>()
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// The number of the process's threads before a solve. The `greedy` portfolio (also run
/// inside `dp` and `ilp`) uses rayon's global pool, whose idle threads stay for the
/// process's life: started first, so that they count in the baseline.
fn thread_baseline() -> usize {
    let tiny = Generator::default().generate().unwrap();
    solver_by_name("greedy", &SolveOptions::default()).unwrap().schedule(&tiny).unwrap();
    tasks().len()
}

fn checked(problem: &Problem, solution: Solution) -> Solution {
    assert_eq!(solution.schedule.verify(problem), Ok(()));
    assert!(solution.makespan() >= solution.lower_bound);
    solution
}

/// Runs `solver` on `problem` on a thread of its own, sets the cancel flag once `running`
/// says the solve is under way (checked every 10 ms, at most 60 s) and `after` more has
/// passed, and returns the solution with the time from the cancel to the return.
fn cancel_when(
    solver: Box<dyn Scheduler + Send>,
    problem: &Problem,
    flag: &Arc<AtomicBool>,
    running: impl Fn() -> bool,
    after: Duration,
) -> (Solution, Duration) {
    let solve = {
        let problem = problem.clone();
        thread::spawn(move || solver.schedule(&problem))
    };
    let waiting = Instant::now();
    while !running() {
        assert!(!solve.is_finished(), "the solve ended before it was seen running");
        assert!(waiting.elapsed() < Duration::from_secs(60), "the solve was never seen running");
        thread::sleep(Duration::from_millis(10));
    }
    thread::sleep(after);
    assert!(!solve.is_finished(), "the solve ended before the cancel: the instance is too easy");
    flag.store(true, Ordering::Relaxed);
    let cancelled = Instant::now();
    let solution = solve.join().unwrap().unwrap();
    (checked(problem, solution), cancelled.elapsed())
}

#[cfg(feature = "ilp")]
mod ilp {
    use super::*;
    use dagplan::{Ilp, Split};

    /// Whether a HiGHS thread (named `dagplan-highs`, as are the workers it starts) is running.
    fn highs_running() -> bool {
        tasks().iter().any(|t| t.name == "dagplan-highs" && t.state == 'R')
    }

    /// A 20-task RCPSP whose model (588 columns) HiGHS does not close in seconds, with LPs
    /// small enough that its interrupt points come every few milliseconds.
    fn hard_for_highs() -> Problem {
        common::instances::rcpsp(20, 3).generate().unwrap()
    }

    /// Without a time limit, a cancelled HiGHS used to run on in the background until it
    /// finished; now it is interrupted, and `ilp` returns only once its thread has ended.
    pub(super) fn a_cancelled_ilp_solve_leaves_no_thread_running() {
        let problem = hard_for_highs();
        let baseline = thread_baseline();
        let flag = Arc::new(AtomicBool::new(false));
        // No `dp` alongside and no shaving: HiGHS starts at once, and is the only worker.
        let ilp = Ilp::new(SolveOptions::default().threads(2).cancel(Arc::clone(&flag)))
            .dp_share(0.0)
            .unwrap()
            .shaving(false);
        let (solution, after_cancel) =
            cancel_when(Box::new(ilp), &problem, &flag, highs_running, Duration::from_secs(1));
        assert_eq!(solution.status, Status::Feasible, "HiGHS proved the instance before the cancel");
        // HiGHS stops at its next interrupt point: 0.2-0.4 s here on an idle 2-vCPU VM (a
        // presolve or root LP round has none); 2 s leaves room for a loaded machine, and is
        // far below the seconds an uninterrupted HiGHS would go on for.
        assert!(after_cancel < Duration::from_secs(2), "ilp returned {after_cancel:?} after the cancel");
        assert_settles("ilp after a cancel", baseline);
    }

    pub(super) fn an_ilp_solve_out_of_time_leaves_no_thread_running() {
        let problem = hard_for_highs();
        let baseline = thread_baseline();
        let options = SolveOptions::default().threads(2).time_limit(Duration::from_secs(3));
        let solution = checked(&problem, Ilp::new(options).schedule(&problem).unwrap());
        assert_eq!(solution.status, Status::Feasible, "HiGHS proved the instance within the limit");
        assert_settles("ilp after its time limit", baseline);
    }

    /// Every member of `auto` on its own thread, cancelled while HiGHS runs: the portfolio
    /// returns its best schedule and no member's thread is left.
    pub(super) fn a_cancelled_auto_solve_leaves_no_thread_running() {
        // `dp` closes `hard_for_highs` at once, and HiGHS's presolve on `hard_rcpsp` cannot be
        // interrupted for seconds: 28 tasks are hard for both, and quick to interrupt.
        let problem = common::instances::rcpsp(28, 3).generate().unwrap();
        let baseline = thread_baseline();
        let flag = Arc::new(AtomicBool::new(false));
        let auto = Auto::new(SolveOptions::default().threads(2).cancel(Arc::clone(&flag))).split(Split::Concurrent);
        let (solution, after_cancel) =
            cancel_when(Box::new(auto), &problem, &flag, highs_running, Duration::from_millis(500));
        assert_eq!(solution.status, Status::Feasible, "a member proved the instance before the cancel");
        assert!(after_cancel < Duration::from_secs(2), "auto returned {after_cancel:?} after the cancel");
        assert!(solution.stats.members.iter().any(|m| m.solver == "ilp"), "{:?}", solution.stats.members);
        assert_settles("auto after a cancel", baseline);
    }
}

fn auto_leaves_no_thread_running_after_its_time_limit() {
    let problem = hard_rcpsp();
    let baseline = thread_baseline();
    let options = SolveOptions::default().threads(2).time_limit(Duration::from_secs(3));
    let solution = checked(&problem, Auto::new(options).schedule(&problem).unwrap());
    assert_eq!(solution.status, Status::Feasible, "auto proved the instance within the limit");
    assert!(solution.stats.members.len() >= 3, "greedy, an improver and dp: {:?}", solution.stats.members);
    assert_settles("auto after its time limit", baseline);
}

/// `cp` searches on a thread of its own (Pumpkin's solver is not `Send`); cancelled, it
/// returns its best schedule and a proven bound, and that thread has ended.
#[cfg(feature = "cp")]
fn a_cancelled_cp_solve_leaves_no_thread_running() {
    let problem = hard_rcpsp();
    let baseline = thread_baseline();
    let flag = Arc::new(AtomicBool::new(false));
    let cp = dagplan::Cp::new(SolveOptions::default().cancel(Arc::clone(&flag)));
    let running = || tasks().iter().any(|t| t.name == "dagplan-cp");
    let (solution, after_cancel) = cancel_when(Box::new(cp), &problem, &flag, running, Duration::from_millis(200));
    assert_eq!(solution.status, Status::Feasible, "cp proved the instance before the cancel");
    assert!(after_cancel < Duration::from_secs(1), "cp returned {after_cancel:?} after the cancel");
    assert_settles("cp after a cancel", baseline);
    assert!(!running(), "the cp thread is still there");
}

fn a_cancelled_dp_solve_leaves_no_thread_running() {
    let problem = hard_rcpsp();
    let baseline = thread_baseline();
    let flag = Arc::new(AtomicBool::new(false));
    let dp = Dp::new(SolveOptions::default().cancel(Arc::clone(&flag)));
    let (solution, _) = cancel_when(Box::new(dp), &problem, &flag, || true, Duration::from_millis(200));
    assert_eq!(solution.status, Status::Feasible);
    assert_settles("dp after a cancel", baseline);
}

fn greedy_leaves_no_thread_running() {
    let problem = large_cluster();
    let greedy = |options: &SolveOptions| solver_by_name("greedy", options).unwrap();
    for threads in [0, 2] {
        let baseline = thread_baseline();
        let options = SolveOptions::default().threads(threads).time_limit(Duration::from_millis(300));
        checked(&problem, greedy(&options).schedule(&problem).unwrap());
        assert_settles(&format!("greedy with {threads} threads after its time limit"), baseline);

        let baseline = thread_baseline();
        let flag = Arc::new(AtomicBool::new(false));
        let options = SolveOptions::default().threads(threads).cancel(Arc::clone(&flag));
        cancel_when(greedy(&options), &problem, &flag, || true, Duration::from_millis(100));
        assert_settles(&format!("greedy with {threads} threads after a cancel"), baseline);
    }
}

#[test]
fn no_solver_leaves_work_running() {
    #[cfg(feature = "ilp")]
    {
        ilp::a_cancelled_ilp_solve_leaves_no_thread_running();
        ilp::an_ilp_solve_out_of_time_leaves_no_thread_running();
        ilp::a_cancelled_auto_solve_leaves_no_thread_running();
    }
    #[cfg(feature = "cp")]
    a_cancelled_cp_solve_leaves_no_thread_running();
    auto_leaves_no_thread_running_after_its_time_limit();
    a_cancelled_dp_solve_leaves_no_thread_running();
    greedy_leaves_no_thread_running();
}
