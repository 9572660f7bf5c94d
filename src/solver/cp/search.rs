//! The optimisation loop: two phases on one solver, so that every nogood learned in one
//! serves the other.
//!
//! * **Upper**: is there a schedule with makespan at most `target − 1` (`target`: the best
//!   makespan known, or a smaller one given as an option)? A schedule found becomes the
//!   incumbent (`target` drops to its makespan and `M ≤ target − 1` is added at the root); a
//!   refutation proves `target` a lower bound, and the incumbent optimal when it meets it.
//! * **Lower** (destructive lower bounding): is there a schedule with makespan at most
//!   `lower`, asked under the assumption `M ≤ lower`? A refutation proves `lower + 1`
//!   (added at the root as `M ≥ lower + 1`) and the next question is asked at once; a
//!   schedule found has makespan `lower` and is optimal.
//!
//! Pumpkin's own loop (`LinearSatUnsat`) is the upper phase alone, which on a timeout leaves
//! the bound where it started. The phases alternate in slices of solver iterations that double
//! each round (starting with the upper phase, which closes most instances outright; the lower
//! phase's slice is a third of the upper's, and with a time limit the upper phase's turn takes
//! at most three quarters of the time left), so both progress whatever the time limit, and the
//! run is deterministic for a given iteration budget. After every call the root lower bound of
//! `M` is read too: unit nogoods learned in either phase may have raised it.
//!
//! Every schedule found and every bound proven is offered to the solve's incumbent, and
//! before every call the incumbent's better makespan and bound (found by other members of a
//! portfolio) are taken into the model; a call is interrupted as soon as another member finds
//! a shorter schedule, so the model is tightened at once.

use std::cell::Cell;

use pumpkin_conflict_resolvers::resolvers::ResolutionResolver;
use pumpkin_core::Solver;
use pumpkin_core::predicates::PredicateConstructor;
use pumpkin_core::results::{SatisfactionResult, SatisfactionResultUnderAssumptions};
use pumpkin_core::termination::TerminationCondition;

use super::brancher::Guided;
use super::model::Model;
use crate::model::{Problem, Time};
use crate::schedule::Schedule;
use crate::solver::list::Decoder;
use crate::solver::shared::Incumbent;
use crate::solver::{Deadline, SolveError};

/// Solver iterations (decisions or conflicts) in the upper phase's first slice.
const FIRST_SLICE: u64 = 2_000;

/// The lower phase's slice is the upper phase's divided by this. The upper phase's question
/// (nothing shorter than the incumbent) is the one whose refutation proves a schedule optimal;
/// the lower phase raises the bound of the instances that stay open. With `auto` at 10 s on 2
/// threads, ft10 was proven in 1 of 9 runs before (equal slices, Pumpkin's nogood tier, no
/// justification) and in 12 of 15 with a third (with the tier of `learning()` and the double
/// justification of `cp`'s schedules; equal slices with that tier: 2 of 5), while the mean gap
/// left on the j30 instances nothing proves stays under 5 % (3.8–4.0 %); a quarter proved ft10
/// in 5 of 5 but left bounds a tick lower there (BENCHMARKS.md, `cp`, session 10).
const LOWER_SLICE_DIVISOR: u64 = 3;

/// With a time limit, the upper phase's turn ends after this share of the time left when it
/// starts (three quarters: the upper phase's share of the iterations in every round before),
/// so the round that the deadline cuts short is split as the others are. Before, that round's
/// upper slice (the largest yet) could take all the time left: in `auto` at 10 s, PSPLIB
/// j3013_2's bound was 59 or 60 depending on where the deadline fell (the lower phase got
/// 3,552 iterations of the last round in one traced run, 15,616 with the cap). Measured in
/// alternating runs (BENCHMARKS.md, `cp`, session 14): on the 60 hard j30 instances 59, 59, 59
/// proven against 59, 58, 58 and j3013_2's bound 59, 60, 60 against 59, 59, 59; on Lawrence
/// the same 33 proofs, and the bounds of the seven open ones 15 ticks higher in sum (−4 to +10
/// each). Without a time limit nothing changes (the run stays deterministic).
const UPPER_TIME_SHARE: f64 = LOWER_SLICE_DIVISOR as f64 / (LOWER_SLICE_DIVISOR + 1) as f64;

/// Stops a call at the deadline, after `budget` iterations, or when another solver sharing
/// the incumbent found a schedule shorter than `target` (the model is then tightened before
/// the next call), but never at the root (see `brancher.rs`: Pumpkin 0.5.0 cannot resume from
/// a stop there).
struct Stop<'a> {
    deadline: &'a Deadline,
    shared: &'a Incumbent,
    target: Time,
    budget: u64,
    used: u64,
    maybe_root: &'a Cell<bool>,
}

impl TerminationCondition for Stop<'_> {
    fn should_stop(&mut self) -> bool {
        self.used += 1;
        let polled = self.used.is_multiple_of(32)
            && (self.deadline.reached() || self.shared.upper().is_some_and(|u| u < self.target));
        (self.used > self.budget || polled) && !self.maybe_root.get()
    }
}

/// The state of the search: the best schedule, the proven bound, the work done.
pub(super) struct Search<'a> {
    pub problem: &'a Problem,
    pub model: &'a Model,
    /// Shared with the brancher: whether the solver may be at the root.
    pub maybe_root: &'a Cell<bool>,
    /// The solve's incumbent (a portfolio's, when shared): schedules and bounds are offered to
    /// it, and its better ones are taken.
    pub shared: &'a Incumbent,
    /// The best schedule known (none yet: `target` is then one past the horizon).
    pub best: Option<Schedule>,
    /// The model admits only makespans below `target` (at most the best makespan).
    pub target: Time,
    pub lower: Time,
    pub iterations: u64,
    pub schedules: u64,
    /// Schedules that double justification shortened.
    pub justified: u64,
    pub bound_proofs: u64,
    /// Justifies the schedules the solver finds.
    pub decoder: Decoder<'a>,
}

/// The question a call asks (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Is there a schedule shorter than the target?
    Upper,
    /// Is there a schedule of makespan at most the bound (under that assumption)?
    Lower,
}

/// What one call to the solver concluded.
enum Outcome {
    Found(Schedule),
    Refuted,
    /// Nothing shorter than the target exists (whatever the assumption).
    Closed,
    Unknown,
}

impl Search<'_> {
    /// Alternates the phases until the bound meets the makespan or the deadline; the upper
    /// phase at most `slice` iterations per round and the lower a third of that, `slice`
    /// doubling.
    pub(super) fn run(
        &mut self,
        solver: &mut Solver,
        brancher: &mut Guided,
        resolver: &mut ResolutionResolver,
        deadline: &Deadline,
    ) -> Result<(), SolveError> {
        let mut slice = FIRST_SLICE;
        while self.lower < self.target && !deadline.reached() {
            let upper_deadline = deadline.share(UPPER_TIME_SHARE);
            self.phase(Phase::Upper, solver, brancher, resolver, &upper_deadline, slice)?;
            self.phase(Phase::Lower, solver, brancher, resolver, deadline, slice / LOWER_SLICE_DIVISOR)?;
            slice = slice.saturating_mul(2);
        }
        Ok(())
    }

    /// Asks `phase`'s question until it is answered "unknown" (the slice of `slice` iterations
    /// is spent, the deadline is reached, or a shorter schedule was found elsewhere) or no work
    /// is left, then reads the root bound.
    fn phase(
        &mut self,
        phase: Phase,
        solver: &mut Solver,
        brancher: &mut Guided,
        resolver: &mut ResolutionResolver,
        deadline: &Deadline,
        slice: u64,
    ) -> Result<(), SolveError> {
        let mut stop =
            Stop { deadline, shared: self.shared, target: 0, budget: slice, used: 0, maybe_root: self.maybe_root };
        while self.adopt(solver)? && stop.used <= stop.budget && !deadline.reached() {
            stop.target = self.target;
            let before = stop.used;
            self.maybe_root.set(true);
            let outcome = self.ask(phase, solver, brancher, &mut stop, resolver)?;
            self.iterations += stop.used - before;
            match outcome {
                Outcome::Found(schedule) => self.improve(solver, brancher, schedule)?,
                // Under the assumption `M ≤ lower`: `lower + 1` is proven.
                Outcome::Refuted if phase == Phase::Lower => {
                    self.bound_proofs += 1;
                    self.raise(solver, self.lower + 1)?;
                }
                Outcome::Refuted | Outcome::Closed => self.raise(solver, self.target)?,
                Outcome::Unknown => break,
            }
        }
        self.read_root_bound(solver)
    }

    /// One call to the solver: `phase`'s question, within `stop`.
    fn ask(
        &self,
        phase: Phase,
        solver: &mut Solver,
        brancher: &mut Guided,
        stop: &mut Stop<'_>,
        resolver: &mut ResolutionResolver,
    ) -> Result<Outcome, SolveError> {
        match phase {
            Phase::Upper => match solver.satisfy(brancher, stop, resolver) {
                SatisfactionResult::Satisfiable(s) => {
                    Ok(Outcome::Found(self.model.decode(self.problem, &s.solution())?))
                }
                SatisfactionResult::Unsatisfiable(..) => Ok(Outcome::Refuted),
                SatisfactionResult::Unknown(..) => Ok(Outcome::Unknown),
            },
            Phase::Lower => {
                let k = i32::try_from(self.lower)
                    .map_err(|_| SolveError::Internal(format!("lower bound {} outside the model", self.lower)))?;
                let assumption = [self.model.makespan.upper_bound_predicate(k)];
                match solver.satisfy_under_assumptions(brancher, stop, resolver, &assumption) {
                    SatisfactionResultUnderAssumptions::Satisfiable(s) => {
                        Ok(Outcome::Found(self.model.decode(self.problem, &s.solution())?))
                    }
                    SatisfactionResultUnderAssumptions::UnsatisfiableUnderAssumptions(_) => Ok(Outcome::Refuted),
                    // Without the assumption already: nothing beats the incumbent.
                    SatisfactionResultUnderAssumptions::Unsatisfiable(_) => Ok(Outcome::Closed),
                    SatisfactionResultUnderAssumptions::Unknown(_) => Ok(Outcome::Unknown),
                }
            }
        }
    }

    /// Takes a schedule found by the solver: verified, then improved by double justification
    /// (which keeps every task on its node and never lengthens a schedule); the result becomes
    /// the incumbent if shorter, the phase of the search when justification shortened it, and
    /// the model then asks for one shorter still.
    fn improve(&mut self, solver: &mut Solver, brancher: &mut Guided, found: Schedule) -> Result<(), SolveError> {
        self.schedules += 1;
        let schedule = match self.justified(&found)? {
            Some(shorter) => {
                if let Some(values) = self.model.values_of(self.problem, &shorter) {
                    brancher.set_phase(&values);
                }
                self.justified += 1;
                shorter
            }
            None => found,
        };
        if schedule.makespan() < self.lower {
            return Err(SolveError::Internal(format!(
                "the cp solver found makespan {} below its proven bound {}",
                schedule.makespan(),
                self.lower
            )));
        }
        self.shared.offer_schedule("cp", schedule.makespan(), || schedule.clone());
        self.tighten(solver, schedule.makespan())?;
        if self.best.as_ref().is_none_or(|b| schedule.makespan() < b.makespan()) {
            self.best = Some(schedule);
        }
        Ok(())
    }

    /// The solver's schedule, verified, and its double justification when that is shorter
    /// (verified too; none under time rules, which justification does not know).
    fn justified(&mut self, found: &Schedule) -> Result<Option<Schedule>, SolveError> {
        if let Err(error) = found.verify(self.problem) {
            return Err(SolveError::Internal(format!("the cp solver's schedule violates the problem: {error}")));
        }
        if !self.decoder.justifies() {
            return Ok(None);
        }
        self.decoder.adopt(found.assignments().to_vec())?;
        if self.decoder.justify()? >= found.makespan() {
            return Ok(None);
        }
        let shorter = Schedule::new(self.decoder.take_schedule());
        if let Err(error) = shorter.verify(self.problem) {
            return Err(SolveError::Internal(format!("the justified cp schedule violates the problem: {error}")));
        }
        Ok(Some(shorter))
    }

    /// Takes the better makespan and bound another solver sharing the incumbent found, and
    /// tells whether work is left (the bound is below the target).
    fn adopt(&mut self, solver: &mut Solver) -> Result<bool, SolveError> {
        if let Some(upper) = self.shared.upper() {
            self.tighten(solver, upper)?;
        }
        self.raise(solver, self.shared.lower())?;
        Ok(self.lower < self.target)
    }

    /// Lowers the target to `makespan` (a schedule of it exists): the model then asks for
    /// shorter ones.
    fn tighten(&mut self, solver: &mut Solver, makespan: Time) -> Result<(), SolveError> {
        if makespan >= self.target {
            return Ok(());
        }
        self.target = makespan;
        if self.lower < self.target {
            let cap = i32::try_from(self.target - 1).map_err(|_| SolveError::Internal("makespan overflow".into()))?;
            let tag = solver.new_constraint_tag();
            solver.add_clause([self.model.makespan.upper_bound_predicate(cap)], tag);
        } else {
            self.offer_bound();
        }
        Ok(())
    }

    /// Raises the proven bound to `bound` (at most the target: nothing shorter than the target
    /// is left to refute), adds it to the model and offers it.
    fn raise(&mut self, solver: &mut Solver, bound: Time) -> Result<(), SolveError> {
        let bound = bound.min(self.target);
        if bound <= self.lower {
            return Ok(());
        }
        self.lower = bound;
        if self.lower < self.target {
            let k = i32::try_from(self.lower).map_err(|_| SolveError::Internal("bound overflow".into()))?;
            let tag = solver.new_constraint_tag();
            solver.add_clause([self.model.makespan.lower_bound_predicate(k)], tag);
        }
        self.offer_bound();
        Ok(())
    }

    /// Offers the proven bound to the incumbent, unless no schedule is known and the bound is
    /// the proof that none exists (that is the answer `Status::Infeasible`, not a bound).
    fn offer_bound(&self) {
        if self.best.is_some() || self.shared.upper().is_some() || self.lower < self.target {
            self.shared.offer_bound("cp", self.lower);
        }
    }

    /// Raises the bound to the root lower bound of the makespan: every schedule shorter than
    /// the target satisfies the model, so a root bound `k` proves `min(k, target)`; a root
    /// contradiction proves the target.
    fn read_root_bound(&mut self, solver: &mut Solver) -> Result<(), SolveError> {
        if solver.is_inconsistent() {
            return self.raise(solver, self.target);
        }
        match Time::try_from(solver.lower_bound(&self.model.makespan)) {
            Ok(root) => self.raise(solver, root),
            Err(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Assignment;
    use crate::solver::{Greedy, Scheduler};

    /// The tasks of `plan` one after another in topological order, on their nodes, each after
    /// the previous one's finish plus `gap`: feasible, and as slack as it gets.
    fn one_at_a_time(problem: &Problem, plan: &Schedule, gap: Time) -> Schedule {
        let mut at = 0;
        let mut assignments: Vec<Assignment> = plan.assignments().to_vec();
        for &t in problem.topological_order() {
            let a = assignments.iter_mut().find(|a| a.task == t).unwrap();
            (a.start, a.finish) = (at, at + (a.finish - a.start));
            at = a.finish + gap;
        }
        assignments.sort_by_key(|a| a.task.index());
        Schedule::new(assignments)
    }

    #[test]
    fn justification_shortens_slack_schedules_only() {
        let problem = crate::example::five_tasks().unwrap();
        let mut solver = Solver::default();
        let model = Model::build(&mut solver, &problem, 0, problem.horizon()).unwrap().unwrap();
        let (maybe_root, shared) = (Cell::new(true), Incumbent::new(None, false));
        let mut search = Search {
            problem: &problem,
            model: &model,
            maybe_root: &maybe_root,
            shared: &shared,
            best: None,
            target: problem.horizon() + 1,
            lower: 0,
            iterations: 0,
            schedules: 0,
            justified: 0,
            bound_proofs: 0,
            decoder: Decoder::new(&problem),
        };
        let greedy = Greedy::default().schedule(&problem).unwrap().schedule;
        let slack = one_at_a_time(&problem, &greedy, 10);
        slack.verify(&problem).unwrap();
        let shorter = search.justified(&slack).unwrap().expect("the slack schedule is shortened");
        shorter.verify(&problem).unwrap();
        assert!(shorter.makespan() < slack.makespan(), "{} against {}", shorter.makespan(), slack.makespan());
        for t in problem.tasks() {
            let node = |s: &Schedule| s.assignment(t).map(|a| a.node);
            assert_eq!(node(&shorter), node(&slack), "task {t:?} kept its node");
        }
        // An optimal schedule (the documented one, 70) cannot be shortened.
        let optimal = crate::example::documented_deployment(&problem).unwrap();
        assert_eq!(optimal.makespan(), 70);
        assert!(search.justified(&optimal).unwrap().is_none());
        // A schedule that violates the problem is an internal error, not a schedule.
        let mut broken = slack.assignments().to_vec();
        broken[0].finish += 1;
        let broken = Schedule::new(broken);
        assert!(matches!(search.justified(&broken), Err(SolveError::Internal(_))));
    }
}
