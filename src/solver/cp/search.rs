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
//! each round (starting with the upper phase, which closes most instances outright), so both
//! progress whatever the time limit, and the run is deterministic for a given iteration
//! budget. After every call the root lower bound of `M` is read too: unit nogoods learned in
//! either phase may have raised it.
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
use crate::solver::shared::Incumbent;
use crate::solver::{Deadline, SolveError};

/// Solver iterations (decisions or conflicts) in the first slice of each phase.
const FIRST_SLICE: u64 = 2_000;

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
    pub bound_proofs: u64,
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
    /// Alternates the phases until the bound meets the makespan or the deadline; each phase
    /// at most `slice` iterations per round, `slice` doubling.
    pub(super) fn run(
        &mut self,
        solver: &mut Solver,
        brancher: &mut Guided,
        resolver: &mut ResolutionResolver,
        deadline: &Deadline,
    ) -> Result<(), SolveError> {
        let mut slice = FIRST_SLICE;
        while self.lower < self.target && !deadline.reached() {
            for phase in [Phase::Upper, Phase::Lower] {
                self.phase(phase, solver, brancher, resolver, deadline, slice)?;
            }
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
                Outcome::Found(schedule) => self.improve(solver, schedule)?,
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

    /// Takes a schedule found by the solver: verified, it becomes the incumbent if shorter,
    /// and the model then asks for one shorter still.
    fn improve(&mut self, solver: &mut Solver, schedule: Schedule) -> Result<(), SolveError> {
        if let Err(error) = schedule.verify(self.problem) {
            return Err(SolveError::Internal(format!("the cp solver's schedule violates the problem: {error}")));
        }
        self.schedules += 1;
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
