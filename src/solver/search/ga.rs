//! One island of the activity-list genetic algorithm.
//!
//! An individual is a precedence-feasible activity list. It is decoded by the serial scheme
//! of the list-scheduling engine (earliest-finish node choice), improved by double
//! justification, and replaced by the start order of the justified schedule (Lamarckian
//! learning: the list then decodes to a schedule at least as good). The population starts
//! from the seeds (the greedy plan's start order) and lists drawn by regret-based biased
//! random sampling on the latest-finish and upward-rank priorities, alternately. A generation
//! draws `size` children: parents by binary tournament, Hartmann's two-point crossover
//! (prefix of the mother, then the father's order, then the mother's: precedence-feasible by
//! construction), and an adjacent-swap mutation that never swaps a task with its direct
//! successor. Parents and children then compete for the `size` places (elitist, duplicates
//! dropped). After [`STALL`] generations without a better island best the population is
//! rebuilt: the best individual stays, the others are freshly sampled lists (a restart
//! around the best by mutation alone kept the search in the same basin and measured worse).
//!
//! **Time rules**: an individual's fitness is lexicographic, (total lateness, makespan), with
//! lateness the sum over tasks with a deadline of how long after it they finish; the decoder
//! respects release dates, `now`, fixed tasks and downtime by construction, and justification
//! does not run (its backward pass does not know these rules), so a child costs one schedule.
//! The island keeps its least late, then shortest, schedule, but reports a schedule to the
//! solve's incumbent only when it meets every deadline.
//!
//! Per child: O(n) crossover and mutation (plus O(e) successor checks), three serial passes
//! (decode, backward, forward; one under time rules), and an O(n log n) sort. Hartmann (1998), "A competitive
//! genetic algorithm for resource-constrained project scheduling", NRL 45; Valls, Ballestín
//! and Quintanilla (2005), "Justification and RCPSP: a technique that pays", EJOR 165;
//! Kolisch and Drexl (1996), "Adaptive search for solving hard project scheduling problems",
//! NRL 43 (regret-based biased random sampling).

use super::control::{Budget, Control};
use crate::model::{Problem, TaskId, Time};
use crate::rng::SplitMix64;
use crate::schedule::{Assignment, Schedule};
use crate::solver::SolveError;
use crate::solver::list::{Decoder, Policy, lateness, sampled_list};

/// How good a schedule is, smaller first: (total lateness, makespan).
pub(super) type Fitness = (Time, Time);

/// The fitness of a complete schedule.
pub(super) fn fitness(problem: &Problem, schedule: &[Assignment]) -> Fitness {
    (lateness(problem, schedule), schedule.iter().map(|a| a.finish).max().unwrap_or(0))
}

/// Generations without a better island best before the population is rebuilt.
const STALL: u32 = 40;
/// Probability of each adjacent swap.
const SWAP: f64 = 0.1;

/// A decoded activity list.
#[derive(Debug, Clone)]
pub(super) struct Individual {
    list: Vec<TaskId>,
    fitness: Fitness,
    fingerprint: u64,
}

/// One island: its population, decoder, random stream and best schedule.
pub(super) struct Island<'p> {
    problem: &'p Problem,
    /// Priority keys for sampled lists (latest finish, upward rank).
    keys: &'p [Vec<u64>; 2],
    decoder: Decoder<'p>,
    rng: SplitMix64,
    size: usize,
    population: Vec<Individual>,
    /// The island's best schedule (indexed by task id) and its fitness.
    best: Vec<Assignment>,
    best_fitness: Fitness,
    /// Schedules generated per child: decode, backward pass, forward pass (1 when the
    /// decoder does not justify).
    per_child: u64,
    /// Scratch: which tasks a child already holds.
    taken: Vec<bool>,
    stall: u32,
    budget: Budget,
    pub(super) schedules: u64,
    pub(super) generations: u64,
}

impl<'p> Island<'p> {
    /// An island whose best so far is `best` (a complete schedule indexed by task id), with
    /// `size` individuals and a budget of schedules.
    pub(super) fn new(
        problem: &'p Problem,
        keys: &'p [Vec<u64>; 2],
        best: Vec<Assignment>,
        rng: SplitMix64,
        size: usize,
        budget: Budget,
    ) -> Result<Self, SolveError> {
        let mut decoder = Decoder::new(problem);
        decoder.adopt(best.clone())?;
        let best_fitness = fitness(problem, &best);
        let per_child = if decoder.justifies() { 3 } else { 1 };
        Ok(Self {
            problem,
            keys,
            decoder,
            rng,
            size: size.max(2),
            population: Vec::new(),
            best,
            best_fitness,
            per_child,
            taken: vec![false; problem.task_count()],
            stall: 0,
            budget,
            schedules: 0,
            generations: 0,
        })
    }

    /// The island's best fitness and schedule.
    pub(super) fn best(&self) -> (Fitness, &[Assignment]) {
        (self.best_fitness, &self.best)
    }

    /// Whether the island's best meets every deadline and the lower bound `bound`: optimal.
    pub(super) fn reached(&self, bound: Time) -> bool {
        self.best_fitness.0 == 0 && self.best_fitness.1 <= bound
    }

    /// Whether the island cannot go on: its budget cannot pay for another child, or it has
    /// fewer than two distinct individuals to breed (tiny problems).
    pub(super) fn exhausted(&self) -> bool {
        !self.budget.allows(self.per_child) || self.population.len() < 2
    }

    /// The best individual of the population (for migration).
    pub(super) fn champion(&self) -> Option<&Individual> {
        self.population.first()
    }

    /// Adds `migrant` in place of the worst individual unless it is already present.
    pub(super) fn welcome(&mut self, migrant: Individual) {
        if self.population.iter().any(|i| i.fingerprint == migrant.fingerprint && i.list == migrant.list) {
            return;
        }
        self.population.pop();
        self.population.push(migrant);
        self.population.sort_by_key(|i| i.fitness);
    }

    /// Evaluates `list` (decode, justify, Lamarckian update), counting the schedules and
    /// keeping the island's best.
    fn evaluate(&mut self, mut list: Vec<TaskId>, control: &Control) -> Result<Individual, SolveError> {
        self.decoder.decode(&list, None, Policy::EarliestFinish)?;
        let makespan = self.decoder.justify()?;
        let fitness = (lateness(self.problem, self.decoder.schedule()), makespan);
        self.schedules += self.per_child;
        self.budget.spend(self.per_child);
        self.decoder.start_order(&mut list);
        if fitness < self.best_fitness {
            self.best_fitness = fitness;
            self.best.clear();
            self.best.extend_from_slice(self.decoder.schedule());
            self.stall = 0;
            if fitness.0 == 0 {
                control.improved(makespan, || Schedule::new(self.best.clone()));
            }
        }
        let fingerprint = fingerprint(&list);
        Ok(Individual { list, fitness, fingerprint })
    }

    /// Fills the population from `seeds` (precedence-feasible lists), then sampled lists,
    /// within the budget.
    pub(super) fn populate(&mut self, seeds: Vec<Vec<TaskId>>, control: &Control) -> Result<(), SolveError> {
        let mut seeds = seeds.into_iter();
        let mut drawn = 0;
        while self.population.len() < self.size && self.budget.allows(self.per_child) && !control.stopped() {
            let list = match seeds.next() {
                Some(list) => list,
                None => {
                    drawn += 1;
                    // Regret-based sampling on the two rules alternately.
                    let keys = if drawn % 2 == 0 { &self.keys[0] } else { &self.keys[1] };
                    sampled_list(self.problem, keys, &mut self.rng, 1.0)?
                }
            };
            let individual = self.evaluate(list, control)?;
            self.insert(individual);
            if drawn > 2 * self.size {
                break; // the sampling keeps drawing duplicates (tiny problems)
            }
        }
        Ok(())
    }

    fn insert(&mut self, individual: Individual) {
        let duplicate =
            self.population.iter().any(|i| i.fingerprint == individual.fingerprint && i.list == individual.list);
        if !duplicate {
            self.population.push(individual);
            self.population.sort_by_key(|i| i.fitness);
        }
    }

    /// Runs generations for at most `epoch` schedules, until the budget is spent, the control
    /// stops, or `bound` is reached.
    pub(super) fn evolve(&mut self, epoch: u64, control: &Control, bound: Time) -> Result<(), SolveError> {
        let end = self.schedules.saturating_add(epoch);
        let affordable = |island: &Self| island.schedules + island.per_child <= end && !island.exhausted();
        while affordable(self) && !control.stopped() && !self.reached(bound) {
            let before = self.best_fitness;
            let mut children = Vec::with_capacity(self.size);
            while children.len() < self.size && affordable(self) && !control.stopped() {
                let mother = self.tournament();
                let father = self.tournament();
                let mut child = self.crossover(mother, father);
                self.mutate(&mut child, SWAP);
                children.push(self.evaluate(child, control)?);
                if self.reached(bound) {
                    break;
                }
            }
            for child in children {
                self.insert(child);
            }
            self.population.truncate(self.size);
            self.generations += 1;
            if self.best_fitness == before {
                self.stall += 1;
                if self.stall >= STALL {
                    self.restart(control)?;
                }
            }
        }
        Ok(())
    }

    /// Keeps the best individual and replaces the others by freshly sampled lists.
    fn restart(&mut self, control: &Control) -> Result<(), SolveError> {
        self.stall = 0;
        self.population.truncate(1);
        self.populate(Vec::new(), control)
    }

    /// Index of the better of two random individuals (ties: the smaller index, which is no
    /// worse since the population is sorted by fitness).
    fn tournament(&mut self) -> usize {
        let n = self.population.len() as u64;
        let a = self.rng.below(n) as usize;
        let b = self.rng.below(n) as usize;
        a.min(b)
    }

    /// Hartmann's two-point crossover of the lists of individuals `m` and `f`.
    fn crossover(&mut self, m: usize, f: usize) -> Vec<TaskId> {
        let n = self.problem.task_count();
        let (Some(mother), Some(father)) = (self.population.get(m), self.population.get(f)) else {
            return self.problem.topological_order().to_vec();
        };
        let mut q1 = self.rng.below(n as u64 + 1) as usize;
        let mut q2 = self.rng.below(n as u64 + 1) as usize;
        if q1 > q2 {
            std::mem::swap(&mut q1, &mut q2);
        }
        self.taken.fill(false);
        let mut child = Vec::with_capacity(n);
        let taken = &mut self.taken;
        let mut take = |t: TaskId, child: &mut Vec<TaskId>| {
            if let Some(slot) = taken.get_mut(t.index())
                && !*slot
            {
                *slot = true;
                child.push(t);
            }
        };
        for &t in mother.list.iter().take(q1) {
            take(t, &mut child);
        }
        for &t in &father.list {
            if child.len() >= q2 {
                break;
            }
            take(t, &mut child);
        }
        for &t in &mother.list {
            take(t, &mut child);
        }
        child
    }

    /// Swaps each adjacent pair with probability `p` unless the second task directly
    /// depends on the first (in a precedence-feasible list only a direct dependency can
    /// separate neighbours), so the list stays precedence-feasible.
    fn mutate(&mut self, list: &mut [TaskId], p: f64) {
        for i in 1..list.len() {
            if !self.rng.chance(p) {
                continue;
            }
            let (Some(&a), Some(&b)) = (list.get(i - 1), list.get(i)) else { continue };
            if self.problem.successors(a).iter().all(|e| e.task != b) {
                list.swap(i - 1, i);
            }
        }
    }
}

/// A cheap hash of a list, to find duplicates before comparing lists.
fn fingerprint(list: &[TaskId]) -> u64 {
    list.iter().fold(0xCBF2_9CE4_8422_2325, |h, t| (h ^ u64::from(t.0)).wrapping_mul(0x0000_0100_0000_01B3))
}
