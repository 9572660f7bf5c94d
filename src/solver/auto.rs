//! `auto`: the portfolio [`Auto`] (algorithm, guarantee and complexity on the type).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::shared::Incumbent;
use super::{
    Dp, Greedy, Member, Scheduler, Search, Solution, SolveError, SolveOptions, Stats, Status, registry::solver_by_name,
};
use crate::bounds::lower_bound;
use crate::model::Problem;
use crate::schedule::Schedule;

/// Share of an exact lane's time given to `dp` when other exact solvers follow it.
const DP_SHARE: f64 = 0.3;
/// Share of the time left that the exact solvers get on a lane that also improves: the single
/// lane of one thread, or lane 0 once its plan stalls.
const EXACT_SHARE: f64 = 0.5;
/// The least time `ilp` is started with: HiGHS's presolve has no interrupt point and can take
/// a couple of seconds on a model of 100,000 nonzeros on a 2-core VM, so a shorter run could
/// overshoot the time limit (and rarely proves what `dp` did not).
const ILP_MIN_TIME: Duration = Duration::from_secs(2);
/// The largest `ilp` model (in nonzeros) per second of its time: HiGHS's MIP presolve cannot
/// be interrupted and ignores HiGHS's own time limit. On a loaded 2-core VM it ran 6.0–8.2 s
/// against a 2.3 s limit on a 155,869-nonzero model of PSPLIB j6029_6 (up to 41 µs per
/// nonzero), and with the earlier 60,000 per second `auto` returned after up to 19.2 s with a
/// 10 s limit on 23 of the 480 j60 instances; models of 550,000–950,000 nonzeros of generated
/// workflows overran a 7 s limit by 1–3.5 s. At 20,000 per second (50 µs of time per nonzero)
/// the presolve fits in the time given. A larger model is refused (`SolveError::TooLarge`)
/// and the lane improves instead.
#[cfg(feature = "ilp")]
const ILP_NONZEROS_PER_SECOND: f64 = 20_000.0;

/// How [`Auto`] spreads its members over the threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Split {
    /// One thread improves, the others run the exact solvers one after another and improve
    /// when those are done (the default).
    #[default]
    Lanes,
    /// Every member on its own thread at once, whatever the thread count (the operating
    /// system shares the cores).
    Concurrent,
    /// Every thread improves; no exact solver runs (the bound is the crate's lower bound).
    ImproveOnly,
}

/// `auto`: the portfolio to call with a time budget — greedy at once, then an improving search
/// and the exact solvers side by side, sharing the best schedule and the best proven bound.
///
/// # Algorithm
///
/// 1. The crate's [`lower_bound`] and the [`Greedy`] portfolio (on all threads): a first
///    plan within milliseconds, reported through [`SolveOptions::on_progress`] at once. If it
///    meets the bound, that is the answer.
/// 2. The remaining time is split into **lanes**, one per thread ([`SolveOptions::threads`],
///    0: all available). With the default [`Split::Lanes`], each spare thread runs one exact
///    solver for the whole time (`cp` first, then `dp`, then `ilp`, as threads allow), and
///    lane 0 improves the plan with the anytime [`Search`] (one island). When exact solvers are
///    left over (two threads: `dp` and `ilp`), lane 0 hands its thread over to them once the
///    plan has stalled: it has not improved for a tenth of the time limit (at least 0.2 s),
///    nor for as long as it took to reach it. They then get half of the time left (`dp` 30 %
///    of that half, then `ilp`), and lane 0 improves again. A lane whose exact solvers finish
///    early — one refused a too-large instance, or the state cap of `dp` was reached —
///    improves for the rest of the time with its own seed, so no thread idles. `ilp` starts
///    only with at least 2 s left, and only on models of at most 20,000 nonzeros per second
///    of its time (HiGHS's presolve cannot be interrupted: a larger model is refused with
///    `TooLarge` and the lane improves). With one thread the single lane gives the exact
///    solvers half of the time (`cp` half of that, `dp` 30 % of it, then `ilp`), then
///    improves.
/// 3. Every member shares one incumbent: a better schedule found by any member tightens the
///    others' upper bound (`dp` prunes with it, `ilp` and `cp` build their models below it),
///    and a bound proven by any member is the portfolio's. When the bound meets the best
///    makespan every member is stopped and the answer is `Optimal`.
///
/// # Guarantee
///
/// Never worse than any member in the same run: the answer is the best schedule any member
/// reported, with the best bound any member proved ([`Stats::members`] lists each member's
/// own answer, [`Stats::found_by`] and [`Stats::proved_by`] who found and who proved).
/// `Optimal` exactly when proven. The time limit holds to within a few milliseconds plus the
/// slowest member's reaction time (every member polls the clock; see each solver's docs); on
/// cancellation the best schedule so far is returned. No member's thread outlives the call.
/// With a time limit the result depends on the machine's speed; without one, the exact
/// members run to their own limits (the state cap of `dp`, a proof) and the improving lane
/// stops when they are all done.
///
/// # Complexity
///
/// That of its members within the time limit; memory: the members' (a `dp` memo of up to
/// its state cap, an `ilp` model up to its size limits) plus one stored schedule.
///
/// The idea of running complementary solvers in parallel and sharing bounds is the parallel
/// portfolio of CP-SAT (Perron, Didier and Gay, "The CP-SAT-LP solver", CP 2023) and of
/// algorithm portfolios in general (Gomes and Selman, "Algorithm portfolios", AI 126, 2001).
///
/// # Options and counters
///
/// Honours every option of [`SolveOptions`]: `time_limit` (the whole run), `threads` (the
/// lanes), `seed` (lane `i` runs with `seed + i`), `cancel`, `on_progress` (every
/// member's improvements, in order) and `warm_start` (when it verifies, the incumbent every
/// member starts from: greedy returns it when its own plan is longer, the exact members search
/// below its makespan). [`Auto::split`] chooses how the threads are shared.
/// Counters: `members` (runs started), `threads`, `improved_schedules` and `improved_bounds`
/// (progress events); each member's own counters are in [`Stats::members`].
///
/// ```
/// use std::time::Duration;
/// use dagplan::{Auto, Scheduler, SolveOptions, Status};
/// let problem = dagplan::example::five_tasks()?;
/// let solution = Auto::new(SolveOptions::default().time_limit(Duration::from_secs(5))).schedule(&problem)?;
/// assert_eq!((solution.makespan(), solution.status), (70, Status::Optimal));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Auto {
    options: SolveOptions,
    split: Split,
}

impl Auto {
    /// A portfolio with these options (time limit, threads, seed, cancellation, progress).
    pub fn new(options: SolveOptions) -> Self {
        Self { options, split: Split::default() }
    }

    /// How the members share the threads (default [`Split::Lanes`]).
    pub fn split(mut self, split: Split) -> Self {
        self.split = split;
        self
    }
}

/// One step of a lane.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// An exact solver for this share of the lane's time left.
    Exact(&'static str, f64),
    /// Improve the best plan until the lane's end (seeded with the lane's number).
    Improve,
    /// Improve the best plan until it has not improved for a while (see [`stall`]).
    ImproveUntilStall,
}

/// Share of the time limit without a better plan after which the improving lane hands its
/// thread over to the exact members left over (at least [`MIN_STALL`], and at least the time
/// it took to reach the plan: see `Incumbent::stalled`).
const STALL_SHARE: f64 = 0.1;
/// The shortest stall (see [`STALL_SHARE`]).
const MIN_STALL: Duration = Duration::from_millis(200);

/// The least time the plan must not improve before the improving lane hands over (`None`:
/// without a time limit it runs to its own budget).
fn stall(time_limit: Option<Duration>) -> Option<Duration> {
    time_limit.map(|limit| limit.mul_f64(STALL_SHARE).max(MIN_STALL))
}

/// The exact members available in this build, in order: the first ones get the spare threads,
/// the rest share a lane in this order. `cp` first (it proves most, and most of it within a
/// second), then `dp` (which closes some resource-tight instances `cp` leaves open), then
/// `ilp`. Measured in alternating runs (BENCHMARKS.md, *`cp` inside `auto`*): `cp` before `dp`
/// proved 56 against 54 of the 60 hard j30 instances and the tight workflows in 2.0 s instead
/// of 4.6 s; `cp` on a lane of its own, with `dp` and `ilp` after the improving lane stalls,
/// proved 8 against 5 of 40 hard j60 instances with plans as short.
fn exact_members() -> Vec<&'static str> {
    ["cp", "dp", "ilp"].into_iter().filter(|&name| solver_by_name(name, &SolveOptions::default()).is_ok()).collect()
}

/// The lanes for `threads` threads (see [`Auto`]).
fn lanes(split: Split, threads: usize, exact: &[&'static str]) -> Vec<Vec<Step>> {
    let threads = threads.max(1);
    match split {
        Split::ImproveOnly => vec![vec![Step::Improve]; threads],
        Split::Concurrent => {
            let mut lanes: Vec<Vec<Step>> = exact.iter().map(|&name| vec![Step::Exact(name, 1.0)]).collect();
            lanes.push(vec![Step::Improve]);
            lanes
        }
        Split::Lanes if threads == 1 => vec![shared_lane(exact, EXACT_SHARE)],
        Split::Lanes => {
            // One exact member per spare thread for the whole time; the members left over
            // run on the improving lane once the plan stalls, sharing the time left as the
            // single lane of one thread does.
            let (own, left_over) = exact.split_at((threads - 1).min(exact.len()));
            let first = if left_over.is_empty() {
                vec![Step::Improve]
            } else {
                std::iter::once(Step::ImproveUntilStall).chain(shared_lane(left_over, EXACT_SHARE)).collect()
            };
            let mut lanes = vec![first];
            lanes.extend(own.iter().map(|&name| vec![Step::Exact(name, 1.0), Step::Improve]));
            lanes.resize(threads, vec![Step::Improve]);
            lanes
        }
    }
}

/// One lane running `exact` one after another within `share` of its time, then improving.
fn shared_lane(exact: &[&'static str], share: f64) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut left = share;
    for (i, &name) in exact.iter().enumerate() {
        let last = i + 1 == exact.len();
        // Each step's share is of the lane's time left when it starts.
        let of_total = if last {
            left
        } else if name == "dp" {
            (DP_SHARE * share).min(left)
        } else {
            left / 2.0
        };
        steps.push(Step::Exact(name, of_total / (left + (1.0 - share)).max(f64::MIN_POSITIVE)));
        left -= of_total;
    }
    steps.push(Step::Improve);
    steps
}

impl Scheduler for Auto {
    fn name(&self) -> &'static str {
        "auto"
    }

    fn schedule(&self, problem: &Problem) -> Result<Solution, SolveError> {
        let started = Instant::now();
        let incumbent = match &self.options.shared {
            Some(shared) => Arc::clone(shared),
            None => Arc::new(self.options.incumbent(problem, true)),
        };
        let deadline = self.options.deadline();
        let threads = match self.options.threads {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            k => k,
        };
        incumbent.offer_bound("bounds", lower_bound(problem));
        let mut members = Vec::new();
        let greedy_options = self.member_options(&incumbent, self.options.time_limit, self.options.seed, threads);
        members.push(run_member(problem, "greedy", &greedy_options, started, |o| Ok(Box::new(Greedy::new(o)))));
        check(members.last())?;
        incumbent.heuristic_ran();

        if !incumbent.done() && !deadline.reached() {
            let plan = lanes(self.split, threads, &exact_members());
            let end = self.options.time_limit.map(|limit| started + limit.saturating_sub(margin(limit)));
            let exact_lanes =
                AtomicUsize::new(plan.iter().filter(|l| l.iter().any(|s| matches!(s, Step::Exact(..)))).count());
            let results = std::thread::scope(|scope| {
                let handles: Vec<_> = plan
                    .iter()
                    .enumerate()
                    .map(|(lane, steps)| {
                        let (incumbent, exact_lanes) = (&incumbent, &exact_lanes);
                        scope.spawn(move || self.run_lane(problem, lane, steps, end, started, incumbent, exact_lanes))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().map_err(|_| SolveError::Internal("a member of auto panicked".into())))
                    .collect::<Vec<_>>()
            });
            for lane in results {
                members.extend(lane?);
            }
            members.sort_by_key(|m| m.started);
            for member in &members {
                check(Some(member))?;
            }
        }

        let (schedules, bounds) = incumbent.improvements();
        let counters = vec![
            ("members", members.len() as u64),
            ("threads", threads as u64),
            ("improved_schedules", schedules),
            ("improved_bounds", bounds),
        ];
        if let Some(prover) = members.iter().find(|m| m.status == Some(Status::Infeasible)).map(|m| m.solver) {
            let solution = Solution::infeasible(started, counters);
            return Ok(Solution { stats: Stats { members, proved_by: Some(prover), ..solution.stats }, ..solution });
        }
        let Some((best, _)) = incumbent.best() else {
            // No member found a schedule: the first one's error says why (missed deadlines).
            return Err(members
                .into_iter()
                .find_map(|m| m.error)
                .unwrap_or_else(|| SolveError::Internal("no member of auto reported a schedule".into())));
        };
        let (found_by, proved_by) = incumbent.credits();
        let solution = Solution::new(problem, Schedule::clone(&best), incumbent.lower(), started, counters)?;
        Ok(Solution { stats: Stats { members, found_by, proved_by, ..solution.stats }, ..solution })
    }
}

/// Time kept back from the members so that collecting their answers fits in the limit.
fn margin(limit: Duration) -> Duration {
    (limit / 50).min(Duration::from_millis(20))
}

/// Fails on a member's internal error (a bug must not hide behind the other members).
fn check(member: Option<&Member>) -> Result<(), SolveError> {
    match member.and_then(|m| m.error.as_ref().map(|e| (m.solver, e))) {
        Some((solver, SolveError::Internal(message))) => Err(SolveError::Internal(format!("{solver}: {message}"))),
        _ => Ok(()),
    }
}

impl Auto {
    /// The options of a member: this portfolio's cancellation, the shared incumbent (which
    /// reports progress), and the given time, seed and threads.
    fn member_options(
        &self,
        incumbent: &Arc<Incumbent>,
        time_limit: Option<Duration>,
        seed: u64,
        threads: usize,
    ) -> SolveOptions {
        SolveOptions {
            time_limit,
            seed,
            threads,
            cancel: self.options.cancel.clone(),
            progress: None,
            // The incumbent holds the warm start already.
            warm_start: None,
            prefer_nodes: self.options.prefer_nodes.clone(),
            shared: Some(Arc::clone(incumbent)),
            stall: None,
        }
    }

    /// Runs one lane's steps until its `end` (`None`: no time limit).
    #[expect(clippy::too_many_arguments, reason = "the lane's whole context; called from one place")]
    fn run_lane(
        &self,
        problem: &Problem,
        lane: usize,
        steps: &[Step],
        end: Option<Instant>,
        started: Instant,
        incumbent: &Arc<Incumbent>,
        exact_lanes: &AtomicUsize,
    ) -> Vec<Member> {
        let mut members = Vec::new();
        let seed = self.options.seed.wrapping_add(lane as u64);
        let mut exact_left = steps.iter().filter(|s| matches!(s, Step::Exact(..))).count();
        for &step in steps {
            if incumbent.done() || end.is_some_and(|e| Instant::now() >= e) {
                break;
            }
            let time_left = end.map(|e| e.saturating_duration_since(Instant::now()));
            match step {
                Step::Exact(name, share) => {
                    let time = time_left.map(|t| t.mul_f64(share));
                    if name != "ilp" || time.is_none_or(|t| t >= ILP_MIN_TIME) {
                        let options = self.member_options(incumbent, time, seed, 1);
                        members.push(run_exact(problem, name, &options, started));
                    }
                    exact_left -= 1;
                    if exact_left == 0 && exact_lanes.fetch_sub(1, Ordering::AcqRel) == 1 && end.is_none() {
                        // Without a time limit, improving lanes stop when the exact ones are done.
                        incumbent.close();
                    }
                }
                Step::Improve => {
                    let options = self.member_options(incumbent, time_left, seed, 1);
                    members.push(improve(problem, &options, started));
                }
                Step::ImproveUntilStall => {
                    let options = SolveOptions {
                        stall: stall(self.options.time_limit),
                        ..self.member_options(incumbent, time_left, seed, 1)
                    };
                    members.push(improve(problem, &options, started));
                }
            }
        }
        if exact_left > 0 && exact_lanes.fetch_sub(1, Ordering::AcqRel) == 1 && end.is_none() {
            incumbent.close();
        }
        members
    }
}

/// Runs the exact solver `name`.
fn run_exact(problem: &Problem, name: &'static str, options: &SolveOptions, started: Instant) -> Member {
    match name {
        "dp" => run_member(problem, name, options, started, |o| Ok(Box::new(Dp::new(o)))),
        // `dp` runs as a member of its own: no second copy inside `ilp`.
        #[cfg(feature = "ilp")]
        "ilp" => run_member(problem, name, options, started, |o| {
            let time = o.time_limit;
            let ilp = super::Ilp::new(o).dp_share(0.0).map_err(|e| SolveError::Internal(e.to_string()))?;
            let ilp = match time {
                Some(t) => ilp.max_nonzeros((t.as_secs_f64() * ILP_NONZEROS_PER_SECOND) as usize),
                None => ilp,
            };
            Ok(Box::new(ilp))
        }),
        _ => run_member(problem, name, options, started, |o| {
            solver_by_name(name, &o).map_err(|e| SolveError::Internal(e.to_string()))
        }),
    }
}

/// Improves the best plan with [`Search`] until the deadline of `options` (without a time
/// limit: until its default schedule budget, or until the exact members are done).
fn improve(problem: &Problem, options: &SolveOptions, started: Instant) -> Member {
    run_member(problem, "search", options, started, |o| Ok(Box::new(Search::new(o))))
}

/// Builds a member with `build` from `options`, runs it, and records what it returned.
fn run_member<S: Scheduler + ?Sized>(
    problem: &Problem,
    name: &'static str,
    options: &SolveOptions,
    started: Instant,
    build: impl FnOnce(SolveOptions) -> Result<Box<S>, SolveError>,
) -> Member {
    let offset = started.elapsed();
    let result = build(options.clone()).and_then(|solver| solver.schedule(problem));
    match result {
        Ok(solution) => {
            let feasible = solution.status != Status::Infeasible;
            Member {
                solver: name,
                started: offset,
                status: Some(solution.status),
                makespan: feasible.then(|| solution.makespan()),
                lower_bound: if feasible { solution.lower_bound } else { 0 },
                error: None,
                stats: solution.stats,
            }
        }
        Err(error) => Member {
            solver: name,
            started: offset,
            status: None,
            makespan: None,
            lower_bound: 0,
            error: Some(error),
            stats: Stats { elapsed: started.elapsed().saturating_sub(offset), ..Stats::default() },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp_runs_first_then_dp_then_ilp() {
        let members = exact_members();
        let at = |name| members.iter().position(|&m| m == name);
        assert!(at("dp").is_some(), "{members:?}");
        #[cfg(feature = "cp")]
        assert_eq!(at("cp"), Some(0), "{members:?}");
        #[cfg(feature = "ilp")]
        assert_eq!(at("ilp"), Some(members.len() - 1), "{members:?}");
    }

    #[test]
    fn two_threads_give_the_first_exact_member_a_lane_and_the_rest_to_the_stalled_improver() {
        let plan = lanes(Split::Lanes, 2, &["cp", "dp", "ilp"]);
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1], [Step::Exact("cp", 1.0), Step::Improve]);
        let [Step::ImproveUntilStall, Step::Exact("dp", dp), Step::Exact("ilp", ilp), Step::Improve] = plan[0][..]
        else {
            panic!("{plan:?}")
        };
        // As on one thread: dp 0.3 · 0.5 of the time left, ilp the other 0.35 of the 0.85 left.
        assert!((dp - 0.15).abs() < 1e-9 && (ilp - 0.35 / 0.85).abs() < 1e-9, "{plan:?}");
        assert_eq!(lanes(Split::Lanes, 2, &["dp"]), [vec![Step::Improve], vec![Step::Exact("dp", 1.0), Step::Improve]]);
    }

    #[test]
    fn more_threads_give_each_exact_member_a_lane_and_improve_on_the_rest() {
        let plan = lanes(Split::Lanes, 4, &["cp", "dp", "ilp"]);
        assert_eq!(plan.len(), 4);
        assert_eq!(plan[0], [Step::Improve]);
        for (lane, name) in plan.iter().skip(1).zip(["cp", "dp", "ilp"]) {
            assert_eq!(lane[..], [Step::Exact(name, 1.0), Step::Improve], "{plan:?}");
        }
        let three = lanes(Split::Lanes, 3, &["cp", "dp", "ilp"]);
        let [Step::ImproveUntilStall, Step::Exact("ilp", ilp), Step::Improve] = three[0][..] else {
            panic!("{three:?}")
        };
        assert!((ilp - EXACT_SHARE).abs() < 1e-9, "{three:?}");
        assert_eq!(lanes(Split::Lanes, 8, &["dp"]).iter().filter(|l| l == &&vec![Step::Improve]).count(), 7);
    }

    #[test]
    fn the_improver_hands_over_after_a_tenth_of_the_time_without_a_better_plan() {
        assert_eq!(stall(Some(Duration::from_secs(10))), Some(Duration::from_secs(1)));
        assert_eq!(stall(Some(Duration::from_millis(500))), Some(MIN_STALL));
        assert_eq!(stall(None), None);
    }

    #[test]
    fn one_thread_shares_its_time() {
        let plan = lanes(Split::Lanes, 1, &["dp", "ilp"]);
        let [Step::Exact("dp", dp), Step::Exact("ilp", ilp), Step::Improve] = plan[0][..] else { panic!("{plan:?}") };
        // dp: 0.3 · 0.5 of the total; ilp: the other 0.35 of the 0.85 left; then improve.
        assert!((dp - 0.15).abs() < 1e-9 && (ilp - 0.35 / 0.85).abs() < 1e-9, "{plan:?}");
    }
}
