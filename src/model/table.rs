//! Tables with one value per task or per node of a problem, indexed by id, and sets of tasks.
//!
//! A [`PerTask`] is built from a [`Problem`] with exactly one entry per task (a [`PerNode`]
//! one per node, a [`TaskSet`] one bit per task), so looking up an id of that same problem
//! cannot miss: the lookup is infallible by construction, and the solvers need no fallback
//! value that would turn a broken invariant into a plausible zero. An id from another problem
//! is a bug in the caller and panics, like an out-of-range slice index.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use super::{NodeId, Problem, TaskId};

/// A dense id: an index into a table of its problem.
pub(crate) trait Id: Copy {
    /// The id as an index.
    fn at(self) -> usize;
}

impl Id for TaskId {
    fn at(self) -> usize {
        self.index()
    }
}

impl Id for NodeId {
    fn at(self) -> usize {
        self.index()
    }
}

/// One value per id (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Table<I, T> {
    values: Box<[T]>,
    id: PhantomData<fn(I)>,
}

/// One value per task of a problem.
pub(crate) type PerTask<T> = Table<TaskId, T>;
/// One value per node of a problem.
pub(crate) type PerNode<T> = Table<NodeId, T>;

impl<T> PerTask<T> {
    /// The table of `value(t)` for every task `t` of the problem.
    pub(crate) fn tasks(problem: &Problem, value: impl FnMut(TaskId) -> T) -> Self {
        Self { values: problem.tasks().map(value).collect(), id: PhantomData }
    }

    /// The table of `value(t)` for every task `t`, or the first error.
    #[cfg(feature = "ilp")]
    pub(crate) fn try_tasks<E>(problem: &Problem, value: impl FnMut(TaskId) -> Result<T, E>) -> Result<Self, E> {
        Ok(Self { values: problem.tasks().map(value).collect::<Result<_, E>>()?, id: PhantomData })
    }
}

impl<T> PerNode<T> {
    /// The table of `value(n)` for every node `n` of the problem.
    pub(crate) fn nodes(problem: &Problem, value: impl FnMut(NodeId) -> T) -> Self {
        Self { values: problem.nodes().map(value).collect(), id: PhantomData }
    }
}

impl<I, T> Table<I, T> {
    /// The values, in id order.
    pub(crate) fn values(&self) -> &[T] {
        &self.values
    }

    /// The values, in id order, to change in place.
    pub(crate) fn values_mut(&mut self) -> &mut [T] {
        &mut self.values
    }
}

impl<I, T> Default for Table<I, T> {
    fn default() -> Self {
        Self { values: Box::default(), id: PhantomData }
    }
}

impl<I: Id, T> Index<I> for Table<I, T> {
    type Output = T;

    #[expect(
        clippy::indexing_slicing,
        reason = "built with one entry per id of its problem; an id of another problem is a caller bug"
    )]
    fn index(&self, id: I) -> &T {
        &self.values[id.at()]
    }
}

impl<I: Id, T> IndexMut<I> for Table<I, T> {
    #[expect(
        clippy::indexing_slicing,
        reason = "built with one entry per id of its problem; an id of another problem is a caller bug"
    )]
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.values[id.at()]
    }
}

/// A set of tasks of a problem, as bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct TaskSet {
    words: Box<[u64]>,
}

impl TaskSet {
    /// The empty set over the problem's tasks.
    pub(crate) fn new(problem: &Problem) -> Self {
        Self { words: vec![0; problem.task_count().div_ceil(64)].into_boxed_slice() }
    }

    /// Adds a task.
    pub(crate) fn insert(&mut self, task: TaskId) {
        *self.word_mut(task) |= 1 << (task.index() % 64);
    }

    /// Whether the task is in the set.
    pub(crate) fn contains(&self, task: TaskId) -> bool {
        self.word(task) >> (task.index() % 64) & 1 == 1
    }

    /// Adds every task of `other` (a set over the same problem).
    #[cfg(feature = "ilp")]
    pub(crate) fn union_with(&mut self, other: &TaskSet) {
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine |= theirs;
        }
    }

    /// The bits, 64 tasks a word, task `i` at bit `i % 64` of word `i / 64`.
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "built with a bit for every task of its problem; an id of another problem is a caller bug"
    )]
    fn word(&self, task: TaskId) -> u64 {
        self.words[task.index() / 64]
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "built with a bit for every task of its problem; an id of another problem is a caller bug"
    )]
    fn word_mut(&mut self, task: TaskId) -> &mut u64 {
        &mut self.words[task.index() / 64]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeSpec, ProblemSpec, TaskSpec};

    #[test]
    fn a_table_has_one_entry_per_id_and_panics_on_a_foreign_one() {
        let problem = ProblemSpec::new()
            .node(NodeSpec::new("n"))
            .task(TaskSpec::new("a", 1))
            .task(TaskSpec::new("b", 2))
            .build()
            .unwrap();
        let mut durations = PerTask::tasks(&problem, |t| problem.default_duration(t));
        assert_eq!(durations.values(), [1, 2]);
        durations[TaskId(1)] += 1;
        assert_eq!(durations[TaskId(1)], 3);
        assert_eq!(PerNode::nodes(&problem, NodeId::index).values(), [0]);
        let foreign = std::panic::catch_unwind(|| durations[TaskId(2)]);
        assert!(foreign.is_err(), "an id of another problem must not read a value");
    }

    #[test]
    fn a_task_set_holds_what_was_inserted() {
        let mut spec = ProblemSpec::new().node(NodeSpec::new("n"));
        for i in 0..130 {
            spec = spec.task(TaskSpec::new(format!("t{i}"), 1));
        }
        let problem = spec.build().unwrap();
        let mut a = TaskSet::new(&problem);
        a.insert(TaskId(3));
        a.insert(TaskId(129));
        assert!(a.contains(TaskId(3)) && a.contains(TaskId(129)) && !a.contains(TaskId(64)));
        assert_eq!(a.words(), [1 << 3, 0, 1 << 1]);
    }
}
