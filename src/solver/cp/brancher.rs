//! The search strategy: VSIDS over the predicates met in conflicts, with solution-guided
//! phases seeded by the warm-start schedule; when VSIDS has nothing to offer, tasks in order
//! of earliest possible start, each placed on its phase's node at its phase's start when
//! still possible (else the first node, the earliest start).
//!
//! Pumpkin's own brancher ([`AutonomousSearch`]) saves phases only from solutions it finds
//! itself; here the phase of every variable starts at its value in the incumbent schedule (the
//! greedy one, whose makespan is the model's horizon plus one), so the first descents search
//! around it (Demirović, Chu and Stuckey, "Solution-based phase saving for CP", CP 2018;
//! Beck, "Solution-guided multi-point constructive search", JAIR 2007).
//!
//! The first decision of every descent is a *marker* literal that no constraint mentions, so
//! it is unassigned exactly when the search is back at the root (or at the assumptions). The
//! brancher shares "maybe at the root" with the termination condition, which never stops the
//! solver there: Pumpkin 0.5.0 leaves a solver stopped at the root in a state from which the
//! next call panics.

use pumpkin_core::branching::branchers::autonomous_search::AutonomousSearch;
use pumpkin_core::branching::{Brancher, BrancherEvent, SelectionContext};
use pumpkin_core::predicates::{Predicate, PredicateConstructor, PredicateType};
use pumpkin_core::results::{ProblemSolution, SolutionReference};
use pumpkin_core::variables::{DomainId, Literal};

use std::cell::Cell;
use std::rc::Rc;

/// A backup that never decides: the guided brancher decides itself when VSIDS has nothing.
#[derive(Debug)]
pub(super) struct Nothing;

impl Brancher for Nothing {
    fn next_decision(&mut self, _context: &mut SelectionContext) -> Option<Predicate> {
        None
    }

    fn subscribe_to_events(&self) -> Vec<BrancherEvent> {
        Vec::new()
    }
}

/// The brancher (see the [module docs](self)).
#[derive(Debug)]
pub(super) struct Guided {
    vsids: AutonomousSearch<Nothing>,
    /// Per domain id, the value in the best schedule known (none: no preference).
    phase: Vec<Option<i32>>,
    /// Per task: its start and its node variable (if it has a choice).
    tasks: Vec<(DomainId, Option<DomainId>)>,
    /// Decided first in every descent (see the [module docs](self)).
    marker: Literal,
    /// Whether the search may be at the root: set on every backtrack, cleared by a decision.
    maybe_root: Rc<Cell<bool>>,
}

impl Guided {
    /// A brancher over these tasks (start, node variable), deciding `marker` first and
    /// keeping `maybe_root` up to date.
    pub(super) fn new(tasks: Vec<(DomainId, Option<DomainId>)>, marker: Literal, maybe_root: Rc<Cell<bool>>) -> Self {
        Self { vsids: AutonomousSearch::new(Nothing), phase: Vec::new(), tasks, marker, maybe_root }
    }

    /// Sets the phase of each listed variable.
    pub(super) fn set_phase(&mut self, values: &[(DomainId, i32)]) {
        for &(var, value) in values {
            let i = var.id() as usize;
            if self.phase.len() <= i {
                self.phase.resize(i + 1, None);
            }
            if let Some(slot) = self.phase.get_mut(i) {
                *slot = Some(value);
            }
        }
    }

    fn phase_of(&self, var: DomainId) -> Option<i32> {
        self.phase.get(var.id() as usize).copied().flatten()
    }

    /// `predicate` or its negation, whichever the phase satisfies.
    fn orient(&self, predicate: Predicate) -> Predicate {
        let Some(v) = self.phase_of(predicate.get_domain()) else { return predicate };
        let k = predicate.get_right_hand_side();
        let holds = match predicate.get_predicate_type() {
            PredicateType::LowerBound => v >= k,
            PredicateType::UpperBound => v <= k,
            PredicateType::Equal => v == k,
            PredicateType::NotEqual => v != k,
        };
        if holds { predicate } else { !predicate }
    }

    /// `var = phase` when the phase is still in the domain, else `var = lower bound`.
    fn assign(&self, context: &SelectionContext, var: DomainId) -> Predicate {
        let value = match self.phase_of(var) {
            Some(v) if context.contains(var, v) => v,
            _ => context.lower_bound(var),
        };
        var.equality_predicate(value)
    }

    /// The next task decision: the unfixed task with the earliest possible start (ties: the
    /// first), its node first.
    fn next_task(&self, context: &SelectionContext) -> Option<Predicate> {
        let mut best: Option<(i32, DomainId, Option<DomainId>)> = None;
        for &(start, node) in &self.tasks {
            let open_node = node.filter(|&n| !context.is_integer_fixed(n));
            if open_node.is_none() && context.is_integer_fixed(start) {
                continue;
            }
            let lb = context.lower_bound(start);
            if best.is_none_or(|(b, _, _)| lb < b) {
                best = Some((lb, start, open_node));
            }
        }
        let (_, start, node) = best?;
        Some(match node {
            Some(n) => self.assign(context, n),
            None => self.assign(context, start),
        })
    }
}

impl Brancher for Guided {
    fn next_decision(&mut self, context: &mut SelectionContext) -> Option<Predicate> {
        // Every decision opens a level above the root.
        self.maybe_root.set(false);
        let mark = self.marker.get_true_predicate();
        if !context.is_predicate_assigned(mark) {
            return Some(mark);
        }
        if let Some(p) = self.vsids.next_decision(context) {
            return Some(self.orient(p));
        }
        if let Some(p) = self.next_task(context) {
            return Some(p);
        }
        // Whatever is left (finishes, parked starts, the makespan): its lower bound.
        let open = context.get_domains().find(|&d| !context.is_integer_fixed(d))?;
        Some(open.upper_bound_predicate(context.lower_bound(open)))
    }

    fn on_conflict(&mut self) {
        self.vsids.on_conflict();
    }

    fn on_backtrack(&mut self) {
        self.maybe_root.set(true);
        self.vsids.on_backtrack();
    }

    fn on_solution(&mut self, solution: SolutionReference) {
        let values: Vec<(DomainId, i32)> = solution.get_domains().map(|d| (d, solution.get_integer_value(d))).collect();
        self.set_phase(&values);
        self.vsids.on_solution(solution);
    }

    fn on_appearance_in_conflict_predicate(&mut self, predicate: Predicate) {
        self.vsids.on_appearance_in_conflict_predicate(predicate);
    }

    fn on_restart(&mut self) {
        self.vsids.on_restart();
    }

    fn synchronise(&mut self, context: &mut SelectionContext) {
        self.vsids.synchronise(context);
    }

    fn is_restart_pointless(&mut self) -> bool {
        false
    }

    fn subscribe_to_events(&self) -> Vec<BrancherEvent> {
        let mut events = self.vsids.subscribe_to_events();
        for e in [BrancherEvent::Solution, BrancherEvent::Conflict, BrancherEvent::Backtrack] {
            if !events.contains(&e) {
                events.push(e);
            }
        }
        events
    }
}
