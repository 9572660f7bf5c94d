//! The reusable decoder: activity list (and optionally a node per task) in, schedule out,
//! with every buffer allocated once. It is the hot path of the improvement search
//! (`search` decodes millions of lists) and the greedy portfolio's justification step.
//!
//! [`Decoder::decode`] runs the serial scheme over a precedence-feasible list: each task at
//! its earliest feasible start after its predecessors (plus transfer delays from other
//! nodes), on its given node or on the node the policy picks. [`Decoder::justify`] applies
//! double justification to the last schedule (see [`super::justify`]). Decoding costs
//! O(n·(p + c·log c + s·r)) time (one serial pass, see [`super::state`]) and no allocation
//! once the buffers have grown; memory O(n + m·k·r).

use super::policy::Policy;
use super::state::{State, UNPLACED};
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::schedule::Assignment;
use crate::solver::SolveError;

/// Decodes activity lists into schedules, reusing its buffers (see the [module docs](self)).
pub(crate) struct Decoder<'p> {
    pub(super) problem: &'p Problem,
    pub(super) state: State<'p>,
    /// The last schedule, indexed by task id.
    pub(super) schedule: Vec<Assignment>,
    pub(super) makespan: Time,
    /// Each task's position in the problem's topological order (ties in justification).
    pub(super) position: Vec<u32>,
    pub(super) order: Vec<TaskId>,
    pub(super) nodes: Vec<NodeId>,
    pub(super) mirrored: Vec<Assignment>,
}

impl<'p> Decoder<'p> {
    /// A decoder for `problem`.
    pub(crate) fn new(problem: &'p Problem) -> Self {
        let mut position = vec![0u32; problem.task_count()];
        for (i, t) in problem.topological_order().iter().enumerate() {
            if let Some(p) = position.get_mut(t.index()) {
                *p = i as u32;
            }
        }
        Self {
            problem,
            state: State::reusable(problem),
            schedule: vec![UNPLACED; problem.task_count()],
            makespan: 0,
            position,
            order: Vec::with_capacity(problem.task_count()),
            nodes: Vec::with_capacity(problem.task_count()),
            mirrored: Vec::with_capacity(problem.task_count()),
        }
    }

    /// Decodes `list` (every task once, each after its predecessors) by the serial scheme,
    /// each task on `nodes[task]` when given (a node it can use), else on the node `policy`
    /// picks. Returns the makespan; the schedule is [`schedule`](Self::schedule).
    pub(crate) fn decode(
        &mut self,
        list: &[TaskId],
        nodes: Option<&[NodeId]>,
        policy: Policy,
    ) -> Result<Time, SolveError> {
        if list.len() != self.problem.task_count() {
            return Err(SolveError::Internal(format!(
                "an activity list of {} tasks for a problem of {}",
                list.len(),
                self.problem.task_count()
            )));
        }
        self.state.reset(false);
        let mut makespan = 0;
        for &task in list {
            let pin = match nodes {
                Some(n) => Some(n.get(task.index()).copied().ok_or_else(|| missing_node(task))?),
                None => None,
            };
            let slot = self.state.place_earliest(task, pin, policy)?;
            makespan = makespan.max(slot.finish);
        }
        self.state.swap_placed(&mut self.schedule);
        self.makespan = makespan;
        self.check_complete()?;
        Ok(makespan)
    }

    /// Takes `schedule` (complete, indexed by task id) as the current schedule, e.g. one
    /// built by the parallel scheme, to justify it.
    pub(crate) fn adopt(&mut self, schedule: Vec<Assignment>) -> Result<Time, SolveError> {
        self.schedule = schedule;
        self.makespan = self.schedule.iter().map(|a| a.finish).max().unwrap_or(0);
        self.check_complete()?;
        Ok(self.makespan)
    }

    /// The last schedule, indexed by task id.
    pub(crate) fn schedule(&self) -> &[Assignment] {
        &self.schedule
    }

    /// Writes into `out` the tasks of the last schedule by start time (ties in topological
    /// order): a precedence-feasible list that decodes to a schedule no longer than it.
    pub(crate) fn start_order(&self, out: &mut Vec<TaskId>) {
        out.clear();
        out.extend(self.problem.tasks());
        let (schedule, position) = (&self.schedule, &self.position);
        let start = |t: TaskId| schedule.get(t.index()).map_or(0, |a| a.start);
        let pos = |t: TaskId| position.get(t.index()).copied().unwrap_or_default();
        out.sort_unstable_by_key(|&t| (start(t), pos(t)));
    }

    /// The last schedule, taken out (the decoder stays usable).
    pub(crate) fn take_schedule(&mut self) -> Vec<Assignment> {
        std::mem::replace(&mut self.schedule, vec![UNPLACED; self.problem.task_count()])
    }

    /// Every task placed exactly once, indexed by its id: an internal error otherwise.
    fn check_complete(&self) -> Result<(), SolveError> {
        if self.schedule.len() != self.problem.task_count()
            || self.schedule.iter().enumerate().any(|(i, a)| a.task.index() != i)
        {
            return Err(SolveError::Internal("list scheduling left a task unplaced".into()));
        }
        Ok(())
    }
}

fn missing_node(task: TaskId) -> SolveError {
    SolveError::Internal(format!("no node given for task {}", task.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Generator;
    use crate::rng::SplitMix64;
    use crate::schedule::Schedule;
    use crate::solver::list::{priority_list, serial, upward_rank};

    fn instance(seed: u64, nodes: usize) -> Problem {
        Generator {
            tasks: 40,
            nodes,
            resources: 3,
            dependencies: 1.5,
            window: 8,
            tightness: 0.7,
            max_duration: 9,
            eligibility: 0.3,
            heterogeneity: 0.3,
            max_delay: 4,
            seed,
        }
        .generate()
        .unwrap()
    }

    fn random_list(problem: &Problem, rng: &mut SplitMix64) -> Vec<TaskId> {
        let keys: Vec<u64> = problem.tasks().map(|_| rng.next_u64()).collect();
        priority_list(problem, &keys).unwrap()
    }

    #[test]
    fn a_reused_decoder_matches_a_fresh_pass_and_justification_never_lengthens() {
        for seed in 0..12 {
            let problem = instance(seed, 1 + (seed % 4) as usize);
            let mut rng = SplitMix64::new(seed);
            let mut decoder = Decoder::new(&problem);
            for _ in 0..5 {
                let list = random_list(&problem, &mut rng);
                let makespan = decoder.decode(&list, None, Policy::EarliestFinish).unwrap();
                let fresh = serial(&problem, &list, Policy::EarliestFinish, false, None, &[]).unwrap();
                assert_eq!(decoder.schedule, fresh, "seed {seed}");
                Schedule::new(fresh).verify(&problem).unwrap();
                let justified = decoder.justify().unwrap();
                assert!(justified <= makespan);
                let schedule = decoder.take_schedule();
                assert_eq!(schedule.iter().map(|a| a.finish).max().unwrap_or(0), justified);
                Schedule::new(schedule).verify(&problem).unwrap();
            }
        }
    }

    #[test]
    fn given_nodes_are_kept_and_bad_lists_are_internal_errors() {
        let problem = instance(3, 3);
        let list = priority_list(&problem, &upward_rank(&problem)).unwrap();
        let nodes: Vec<NodeId> = problem.tasks().map(|t| problem.options(t).last().map(|(n, _)| n).unwrap()).collect();
        let mut decoder = Decoder::new(&problem);
        decoder.decode(&list, Some(&nodes), Policy::EarliestFinish).unwrap();
        decoder.justify().unwrap();
        let schedule = decoder.take_schedule();
        assert!(schedule.iter().all(|a| nodes[a.task.index()] == a.node));
        Schedule::new(schedule).verify(&problem).unwrap();
        assert!(matches!(decoder.decode(&list[1..], None, Policy::EarliestFinish), Err(SolveError::Internal(_))));
        assert!(matches!(
            decoder.decode(&list, Some(&nodes[..nodes.len() - 1]), Policy::EarliestFinish),
            Err(SolveError::Internal(_))
        ));
    }
}
