//! The time-indexed model of [`super::Ilp`], built as plain rows and columns (the solver
//! hands it to HiGHS through good_lp; [`super::lp_file`] writes it as an LP file).
//!
//! Columns: one binary `x[j,n,s]` per task `j`, node `n` it can run on and start time `s`
//! in its window, then one integer makespan column `C`. Rows:
//!
//! * assignment: `Σ_{n,s} x[j,n,s] = 1` for each task;
//! * makespan: `C − Σ (s + d[j,n]) x[j,n,s] ≥ q[j]` for each task, `q[j]` the shortest
//!   chain after `j` (its CPM tail without itself);
//! * precedence, disaggregated (Pritsker, Watters and Wolfe 1969; Christofides, Alvarez-
//!   Valdes and Tamarit 1987), for each edge `i → j` with delay `e` and each time `τ`:
//!   `Σ_{s ≤ τ} x[j,n,s] ≤ Σ_{s + d[i,n] ≤ τ} x[i,n,s] + Σ_{m ≠ n} Σ_{s + d[i,m] + e ≤ τ}
//!   x[i,m,s]` per node `n` of `j` ("if `j` has started on `n` by `τ`, `i` has finished on
//!   `n` by `τ`, or elsewhere by `τ − e`"); without a delay the rows of all nodes of `j` are
//!   summed into one;
//! * clique cuts: at each time at most one task of a set of pairwise incompatible tasks
//!   (no two fit together on the node) runs on the node, for greedy maximal such sets;
//! * capacity, for each node, dimension and time `τ` at which some task may start there:
//!   `Σ_{j, s ≤ τ < s + d[j,n]} q[j,r] x[j,n,s] ≤ cap[n,r]`. Usage only drops between two
//!   starts, so rows at start times suffice; rows that cannot bind are left out.
//!
//! Windows: `s ≥` the CPM head of `j` and `s + d[j,n] + q[j] ≤ H`, the horizon `H` being the
//! makespan of the heuristic schedule. Both are valid for every schedule of makespan ≤ H, so
//! the model's optimum is the problem's optimum, and its dual bound a valid lower bound.

use crate::graph::{Cpm, longest_path_to_end, unavoidable_delay};
use crate::model::{NodeId, Problem, TaskId, Time};
use crate::solver::SolveError;

/// One task on one node: the columns `col..=col + (last - first)` are its start times
/// `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    pub task: TaskId,
    pub node: NodeId,
    pub duration: Time,
    pub first: Time,
    pub last: Time,
    pub col: usize,
}

impl Block {
    /// The column of start time `s` (which must lie in the window).
    pub fn column(&self, s: Time) -> usize {
        self.col + (s - self.first) as usize
    }

    /// Start times and their columns.
    pub fn starts(&self) -> impl Iterator<Item = (Time, usize)> + '_ {
        (self.first..=self.last).map(move |s| (s, self.column(s)))
    }
}

/// A row `lower ≤ Σ coef·x ≤ upper` (infinite sides are open).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub terms: Vec<(usize, f64)>,
    pub lower: f64,
    pub upper: f64,
}

/// Size caps: beyond them the model is refused with [`SolveError::TooLarge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub columns: usize,
    pub nonzeros: usize,
}

/// The whole model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeIndexed {
    pub horizon: Time,
    pub lower: Time,
    pub blocks: Vec<Block>,
    /// Per task, the range of its blocks in `blocks`.
    pub task_blocks: Vec<std::ops::Range<usize>>,
    pub makespan_col: usize,
    pub rows: Vec<Row>,
}

impl TimeIndexed {
    /// Number of columns.
    pub fn columns(&self) -> usize {
        self.makespan_col + 1
    }

    /// Number of nonzeros.
    pub fn nonzeros(&self) -> usize {
        self.rows.iter().map(|r| r.terms.len()).sum()
    }

    /// The blocks of a task.
    pub fn blocks_of(&self, task: TaskId) -> &[Block] {
        self.task_blocks.get(task.index()).and_then(|r| self.blocks.get(r.clone())).unwrap_or(&[])
    }

    /// Builds the model for makespans up to `horizon` (at least `lower`).
    pub fn build(problem: &Problem, horizon: Time, lower: Time, limits: Limits) -> Result<Self, SolveError> {
        let cpm = Cpm::analyze(problem);
        let tail = longest_path_to_end(problem, |t| cpm.duration(t), |from, e| unavoidable_delay(problem, from, e));
        let after = |t: TaskId| tail.get(t.index()).copied().unwrap_or(0).saturating_sub(cpm.duration(t));

        // Windows and the size check, before allocating anything large.
        let mut blocks = Vec::new();
        let mut task_blocks = Vec::with_capacity(problem.task_count());
        let mut cols: u128 = 0;
        let mut capacity_nz: u128 = 0;
        let dims = problem.resource_count() as u128;
        for t in problem.tasks() {
            let begin = blocks.len();
            for (node, d) in problem.options(t) {
                let first = cpm.earliest_start(t);
                let Some(last) = horizon.checked_sub(d).and_then(|x| x.checked_sub(after(t))) else { continue };
                if last < first {
                    continue;
                }
                let width = u128::from(last - first) + 1;
                blocks.push(Block { task: t, node, duration: d, first, last, col: cols as usize });
                cols += width;
                capacity_nz += width * u128::from(d).min(u128::from(horizon) + 1) * dims;
                if cols > limits.columns as u128 || capacity_nz > limits.nonzeros as u128 {
                    return Err(too_large(problem, horizon, cols, capacity_nz, limits));
                }
            }
            if blocks.len() == begin {
                return Err(SolveError::Internal(format!(
                    "task `{}` has no start time within the horizon {horizon}",
                    problem.task_name(t)
                )));
            }
            task_blocks.push(begin..blocks.len());
        }
        let mut model = Self { horizon, lower, blocks, task_blocks, makespan_col: cols as usize, rows: Vec::new() };
        model.assignment_rows(problem);
        model.makespan_rows(problem, &after);
        model.precedence_rows(problem);
        if model.nonzeros() > limits.nonzeros {
            return Err(too_large(problem, horizon, cols, model.nonzeros() as u128, limits));
        }
        model.capacity_rows(problem);
        model.clique_rows(problem);
        if model.nonzeros() > limits.nonzeros {
            return Err(too_large(problem, horizon, cols, model.nonzeros() as u128, limits));
        }
        Ok(model)
    }

    fn assignment_rows(&mut self, problem: &Problem) {
        for t in problem.tasks() {
            let terms = self.blocks_of(t).iter().flat_map(|b| b.starts().map(|(_, c)| (c, 1.0))).collect();
            self.rows.push(Row { terms, lower: 1.0, upper: 1.0 });
        }
    }

    fn makespan_rows(&mut self, problem: &Problem, after: &impl Fn(TaskId) -> Time) {
        for t in problem.tasks() {
            let mut terms = vec![(self.makespan_col, 1.0)];
            for b in self.blocks_of(t) {
                terms.extend(b.starts().map(|(s, c)| (c, -((s + b.duration) as f64))));
            }
            self.rows.push(Row { terms, lower: after(t) as f64, upper: f64::INFINITY });
        }
    }

    fn precedence_rows(&mut self, problem: &Problem) {
        let mut rows = Vec::new();
        for j in problem.tasks() {
            let succ = self.blocks_of(j);
            for e in problem.predecessors(j) {
                let pred = self.blocks_of(e.task);
                // When `i` has finished for sure (on any node, delay included), rows are void.
                let done = pred.iter().map(|b| b.last + b.duration + e.delay).max().unwrap_or(0);
                let groups: Vec<Vec<&Block>> =
                    if e.delay == 0 { vec![succ.iter().collect()] } else { succ.iter().map(|b| vec![b]).collect() };
                for group in groups {
                    let Some(from) = group.iter().map(|b| b.first).min() else { continue };
                    let to = group.iter().map(|b| b.last).max().unwrap_or(from).min(done.saturating_sub(1));
                    for tau in from..=to {
                        let mut terms = Vec::new();
                        for b in &group {
                            terms.extend(b.starts().take_while(|&(s, _)| s <= tau).map(|(_, c)| (c, 1.0)));
                        }
                        for b in pred {
                            let lag = if e.delay > 0 && group.iter().all(|g| g.node != b.node) { e.delay } else { 0 };
                            let end = b.duration + lag;
                            terms.extend(b.starts().take_while(|&(s, _)| s + end <= tau).map(|(_, c)| (c, -1.0)));
                        }
                        rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: 0.0 });
                    }
                }
            }
        }
        self.rows.append(&mut rows);
    }

    fn capacity_rows(&mut self, problem: &Problem) {
        let mut rows = Vec::new();
        for node in problem.nodes() {
            let here: Vec<&Block> = self.blocks.iter().filter(|b| b.node == node && b.duration > 0).collect();
            let mut times: Vec<Time> = here.iter().flat_map(|b| b.first..=b.last).collect();
            times.sort_unstable();
            times.dedup();
            for (r, &cap) in problem.capacity(node).iter().enumerate() {
                let demand = |b: &Block| problem.demand(b.task).get(r).copied().unwrap_or(0);
                let users: Vec<&Block> = here.iter().copied().filter(|b| demand(b) > 0).collect();
                let total: u64 = users.iter().map(|b| demand(b)).fold(0, u64::saturating_add);
                if total <= cap {
                    continue;
                }
                for &tau in &times {
                    let active: Vec<&Block> =
                        users.iter().copied().filter(|b| b.first <= tau && tau < b.last + b.duration).collect();
                    let load: u64 = active.iter().map(|b| demand(b)).fold(0, u64::saturating_add);
                    if load <= cap {
                        continue;
                    }
                    let mut terms = Vec::new();
                    for b in active {
                        let q = demand(b) as f64;
                        let lo = (tau + 1).saturating_sub(b.duration).max(b.first);
                        terms.extend((lo..=b.last.min(tau)).map(|s| (b.column(s), q)));
                    }
                    rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: cap as f64 });
                }
            }
        }
        self.rows.append(&mut rows);
    }

    /// Clique cuts: per node, greedy maximal sets of tasks no two of which fit together on
    /// it (in some dimension their demands exceed the capacity); at each time at most one of
    /// a set runs there. Valid, and much tighter in the LP than the capacity rows alone.
    fn clique_rows(&mut self, problem: &Problem) {
        let mut rows = Vec::new();
        for node in problem.nodes() {
            let cap = problem.capacity(node);
            let here: Vec<&Block> = self.blocks.iter().filter(|b| b.node == node && b.duration > 0).collect();
            let clash = |a: &Block, b: &Block| {
                problem
                    .demand(a.task)
                    .iter()
                    .zip(problem.demand(b.task))
                    .zip(cap)
                    .any(|((&x, &y), &c)| x.saturating_add(y) > c)
            };
            // Larger demands first (relative to capacity), ties by task id.
            let weight = |b: &Block| -> u64 {
                problem
                    .demand(b.task)
                    .iter()
                    .zip(cap)
                    .map(|(&q, &c)| q.saturating_mul(1000).checked_div(c).unwrap_or(0))
                    .sum()
            };
            let mut order = here.clone();
            order.sort_by_key(|b| (std::cmp::Reverse(weight(b)), b.task));
            let mut cliques: std::collections::BTreeSet<Vec<usize>> = std::collections::BTreeSet::new();
            for i in 0..here.len() {
                let mut members = vec![i];
                for other in &order {
                    let Some(j) = here.iter().position(|b| std::ptr::eq(*b, *other)) else { continue };
                    if j != i && members.iter().all(|&m| here.get(m).is_some_and(|b| clash(b, other))) {
                        members.push(j);
                    }
                }
                if members.len() >= 2 {
                    members.sort_unstable();
                    cliques.insert(members);
                }
            }
            for members in cliques {
                let blocks: Vec<&Block> = members.iter().filter_map(|&m| here.get(m).copied()).collect();
                let mut times: Vec<Time> = blocks.iter().flat_map(|b| b.first..=b.last).collect();
                times.sort_unstable();
                times.dedup();
                for tau in times {
                    let active: Vec<&&Block> =
                        blocks.iter().filter(|b| b.first <= tau && tau < b.last + b.duration).collect();
                    if active.len() < 2 {
                        continue;
                    }
                    let mut terms = Vec::new();
                    for b in active {
                        let lo = (tau + 1).saturating_sub(b.duration).max(b.first);
                        terms.extend((lo..=b.last.min(tau)).map(|s| (b.column(s), 1.0)));
                    }
                    rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: 1.0 });
                }
            }
        }
        self.rows.append(&mut rows);
    }

    /// The column values of a schedule (`None` when a start lies outside the model's windows).
    pub fn encode(&self, schedule: &crate::schedule::Schedule) -> Option<Vec<f64>> {
        let mut values = vec![0.0; self.columns()];
        for a in schedule.assignments() {
            let b = self.blocks_of(a.task).iter().find(|b| b.node == a.node)?;
            if a.start < b.first || a.start > b.last {
                return None;
            }
            *values.get_mut(b.column(a.start))? = 1.0;
        }
        *values.get_mut(self.makespan_col)? = schedule.makespan() as f64;
        Some(values)
    }

    /// The schedule in column values (`None` when some task has no chosen start).
    pub fn decode(&self, values: &[f64]) -> Option<crate::schedule::Schedule> {
        let mut out = Vec::with_capacity(self.task_blocks.len());
        for blocks in self.task_blocks.iter().filter_map(|r| self.blocks.get(r.clone())) {
            let chosen = blocks.iter().find_map(|b| {
                b.starts().find(|&(_, c)| values.get(c).is_some_and(|&v| v > 0.5)).map(|(s, _)| (b, s))
            })?;
            let (b, s) = chosen;
            out.push(crate::schedule::Assignment { task: b.task, node: b.node, start: s, finish: s + b.duration });
        }
        Some(crate::schedule::Schedule::new(out))
    }
}

fn too_large(problem: &Problem, horizon: Time, cols: u128, nonzeros: u128, limits: Limits) -> SolveError {
    SolveError::TooLarge(format!(
        "the time-indexed model of {} tasks over a horizon of {horizon} ticks needs more than {} columns or {} \
         nonzeros (reached {cols} columns, {nonzeros} nonzeros); raise `Ilp::max_columns`/`Ilp::max_nonzeros`, \
         coarsen the time unit, or use `dp` or a heuristic",
        problem.task_count(),
        limits.columns,
        limits.nonzeros
    ))
}
