//! The time-indexed model of [`super::Ilp`], built as plain rows and columns (the solver
//! hands it to HiGHS through good_lp; [`super::lp_file`] writes it as an LP file).
//!
//! Columns: one binary `z[j,n,t]` per task `j`, node `n` it can run on and time `t` in its
//! start window `[first, last]`, meaning "`j` has started on `n` by `t`" (0 before the window,
//! `z[j,n,last]` after it: 1 exactly when `j` runs on `n`), then one integer makespan column
//! `C`. The start binaries of the classic formulation are `x[j,n,t] = z(t) − z(t − 1)`, so the
//! LP bound is the same; every row below is theirs rewritten, with far fewer nonzeros. Rows:
//!
//! * assignment: `Σ_n z[j,n,last] = 1` for each task, and `z(t − 1) ≤ z(t)`;
//! * makespan: `C − Σ_n ((last + d) z[j,n,last] − Σ_{t < last} z[j,n,t]) ≥ q[j]` (the finish
//!   time plus `q[j]`, the shortest chain after `j`);
//! * precedence, disaggregated (Pritsker, Watters and Wolfe 1969; Christofides, Alvarez-
//!   Valdes and Tamarit 1987), for each edge `i → j` with delay `e` (dependencies and the
//!   orders inferred by the presolve) and each time `τ`: `z[j,n,τ] ≤ z[i,n,τ − d[i,n]] +
//!   Σ_{m ≠ n} z[i,m,τ − d[i,m] − e]` per node `n` of `j` ("if `j` has started on `n` by `τ`,
//!   `i` has finished on `n` by `τ`, or elsewhere by `τ − e`"); without a delay the rows of
//!   all nodes of `j` are summed into one;
//! * capacity, for each node, dimension and time `τ` at which some task may start there:
//!   `Σ_j q[j,r] (z[j,n,τ] − z[j,n,τ − d[j,n]]) ≤ cap[n,r]`. Usage only drops between two
//!   starts, so rows at start times suffice; rows that cannot bind are left out;
//! * clique cuts, added by the next stage ([`super::cuts`]).
//!
//! Windows: those of [`Windows`] for the horizon `H` (at most the CPM window: `s ≥` the CPM
//! head of `j` and `s + d[j,n] + q[j] ≤ H`). All are valid for every schedule of makespan ≤ `H`, so the
//! model's optimum is the problem's optimum when one exists, and its dual bound is valid.

use super::windows::Windows;
use crate::model::{Edge, NodeId, PerTask, Problem, TaskId, Time};
use crate::solver::SolveError;

/// One task on one node: the columns `col..=col + (last - first)` are its step variables
/// `z(first..=last)`.
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
    /// The column of `z` at time `t`, "started here by `t`": `None` before the window (where
    /// `z` is 0), the last column from the end of the window on (where `z` stays constant).
    pub fn started_by(&self, t: Time) -> Option<usize> {
        (t >= self.first).then(|| self.col + (t.min(self.last) - self.first) as usize)
    }

    /// The column of `z` at `t − lag` (`None` when that is before the window or below 0).
    pub fn started_by_before(&self, t: Time, lag: Time) -> Option<usize> {
        t.checked_sub(lag).and_then(|u| self.started_by(u))
    }

    /// Start times and their columns.
    pub fn starts(&self) -> impl Iterator<Item = (Time, usize)> + '_ {
        (self.first..=self.last).map(move |s| (s, self.col + (s - self.first) as usize))
    }

    /// The column of `z` at the end of the window: 1 when the task runs on this node.
    pub fn chosen(&self) -> usize {
        self.col + (self.last - self.first) as usize
    }

    /// The terms of "running here at `tau`": `z(tau) − z(tau − duration)`.
    pub fn running_at(&self, tau: Time, coefficient: f64) -> impl Iterator<Item = (usize, f64)> {
        let on = self.started_by(tau).map(|c| (c, coefficient));
        let off = self.started_by_before(tau, self.duration).map(|c| (c, -coefficient));
        on.into_iter().chain(off)
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
    /// Per task, its blocks (never none), their columns in task then node order.
    blocks: PerTask<Vec<Block>>,
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

    /// Every block, in column order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.values().iter().flatten()
    }

    /// The blocks of a task (at least one).
    pub fn blocks_of(&self, task: TaskId) -> &[Block] {
        &self.blocks[task]
    }

    /// Builds the model for makespans up to `horizon` (at least `lower`).
    pub fn build(
        problem: &Problem,
        windows: &Windows,
        horizon: Time,
        lower: Time,
        limits: Limits,
    ) -> Result<Self, SolveError> {
        // Windows and the size check, before allocating anything large.
        let mut cols: u128 = 0;
        let mut capacity_nz: u128 = 0;
        let dims = problem.resource_count() as u128;
        let blocks = PerTask::try_tasks(problem, |t| {
            let mut here = Vec::new();
            for (node, d) in problem.options(t) {
                let first = windows.earliest_start(t);
                let Some(last) = windows.latest_finish(t).checked_sub(d).filter(|&last| last >= first) else {
                    continue; // no start on this node within the window
                };
                let width = u128::from(last - first) + 1;
                here.push(Block { task: t, node, duration: d, first, last, col: cols as usize });
                cols += width;
                capacity_nz += 2 * (width + u128::from(d).min(u128::from(horizon) + 1)) * dims;
                if cols > limits.columns as u128 || capacity_nz > limits.nonzeros as u128 {
                    return Err(too_large(problem, horizon, cols, capacity_nz, limits));
                }
            }
            if here.is_empty() {
                // Propagation never empties a window, and the horizon is at least the CPM length.
                return Err(SolveError::Internal(format!(
                    "task `{}` has no start time within the horizon {horizon}",
                    problem.task_name(t)
                )));
            }
            Ok(here)
        })?;
        let mut model = Self { horizon, lower, blocks, makespan_col: cols as usize, rows: Vec::new() };
        model.assignment_rows(problem);
        model.monotone_rows();
        model.downtime_rows(problem);
        model.makespan_rows(problem, windows);
        model.precedence_rows(problem, windows)?;
        if model.nonzeros() > limits.nonzeros {
            return Err(too_large(problem, horizon, cols, model.nonzeros() as u128, limits));
        }
        model.capacity_rows(problem);
        model.check_size(problem, limits)?;
        Ok(model)
    }

    /// Refuses a model beyond the size caps (after the cuts are added, too).
    pub fn check_size(&self, problem: &Problem, limits: Limits) -> Result<(), SolveError> {
        if self.makespan_col > limits.columns || self.nonzeros() > limits.nonzeros {
            let (cols, nonzeros) = (self.makespan_col as u128, self.nonzeros() as u128);
            return Err(too_large(problem, self.horizon, cols, nonzeros, limits));
        }
        Ok(())
    }

    fn assignment_rows(&mut self, problem: &Problem) {
        for t in problem.tasks() {
            let terms = self.blocks_of(t).iter().map(|b| (b.chosen(), 1.0)).collect();
            self.rows.push(Row { terms, lower: 1.0, upper: 1.0 });
        }
    }

    /// No start at `s` where the task would run during its node's downtime:
    /// `z(s) − z(s − 1) ≤ 0` (with the monotone rows, `z` does not step up at `s`).
    fn downtime_rows(&mut self, problem: &Problem) {
        if !problem.has_downtime() {
            return;
        }
        let mut rows = Vec::new();
        for b in self.blocks() {
            if problem.unavailable(b.node).is_empty() {
                continue;
            }
            for (s, c) in b.starts() {
                if problem.is_available(b.node, s, b.duration) {
                    continue;
                }
                let mut terms = vec![(c, 1.0)];
                if s > b.first {
                    terms.push((c - 1, -1.0));
                }
                rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: 0.0 });
            }
        }
        self.rows.append(&mut rows);
    }

    /// `z(s − 1) ≤ z(s)`: once started, a task stays started.
    fn monotone_rows(&mut self) {
        let mut rows = Vec::new();
        for b in self.blocks() {
            for (_, c) in b.starts().skip(1) {
                rows.push(Row { terms: vec![(c - 1, 1.0), (c, -1.0)], lower: f64::NEG_INFINITY, upper: 0.0 });
            }
        }
        self.rows.append(&mut rows);
    }

    /// `C ≥ finish + q`, with the finish `Σ (s + d)(z(s) − z(s − 1)) = (last + d) z(last) −
    /// Σ_{s < last} z(s)` summed over the task's blocks.
    fn makespan_rows(&mut self, problem: &Problem, windows: &Windows) {
        for t in problem.tasks() {
            let mut terms = vec![(self.makespan_col, 1.0)];
            for b in self.blocks_of(t) {
                terms.push((b.chosen(), -((b.last + b.duration) as f64)));
                terms.extend(b.starts().filter(|&(s, _)| s < b.last).map(|(_, c)| (c, 1.0)));
            }
            self.rows.push(Row { terms, lower: windows.after(t) as f64, upper: f64::INFINITY });
        }
    }

    fn precedence_rows(&mut self, problem: &Problem, windows: &Windows) -> Result<(), SolveError> {
        let mut rows = Vec::new();
        let dependencies = problem.tasks().flat_map(|j| problem.predecessors(j).iter().map(move |&e| (e, j)));
        let orders = windows.orders.iter().map(|o| (Edge { task: o.before, delay: 0 }, o.after));
        for (e, j) in dependencies.chain(orders) {
            let succ = self.blocks_of(j);
            let pred = self.blocks_of(e.task);
            // When `i` has finished for sure (on any node, delay included), rows are void.
            let done = pred.iter().map(|b| b.last + b.duration + e.delay).max();
            let Some(done) = done else { return Err(no_blocks(problem, e.task)) };
            let groups: Vec<Vec<&Block>> =
                if e.delay == 0 { vec![succ.iter().collect()] } else { succ.iter().map(|b| vec![b]).collect() };
            for group in groups {
                let first = group.iter().map(|b| b.first).min();
                let last = group.iter().map(|b| b.last).max();
                let (Some(from), Some(last)) = (first, last) else { return Err(no_blocks(problem, j)) };
                for tau in from..=last.min(done.saturating_sub(1)) {
                    let mut terms: Vec<(usize, f64)> =
                        group.iter().filter_map(|b| b.started_by(tau)).map(|c| (c, 1.0)).collect();
                    for b in pred {
                        let lag = if e.delay > 0 && group.iter().all(|g| g.node != b.node) { e.delay } else { 0 };
                        terms.extend(b.started_by_before(tau, b.duration + lag).map(|c| (c, -1.0)));
                    }
                    rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: 0.0 });
                }
            }
        }
        self.rows.append(&mut rows);
        Ok(())
    }

    fn capacity_rows(&mut self, problem: &Problem) {
        let mut rows = Vec::new();
        for node in problem.nodes() {
            let here: Vec<&Block> = self.blocks().filter(|b| b.node == node && b.duration > 0).collect();
            let mut times: Vec<Time> = here.iter().flat_map(|b| b.first..=b.last).collect();
            times.sort_unstable();
            times.dedup();
            for (r, &cap) in problem.capacity(node).iter().enumerate() {
                let demand = |b: &Block| problem.demand_in(b.task, r);
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
                    let terms = active.iter().flat_map(|b| b.running_at(tau, demand(b) as f64)).collect();
                    rows.push(Row { terms, lower: f64::NEG_INFINITY, upper: cap as f64 });
                }
            }
        }
        self.rows.append(&mut rows);
    }

    /// The schedule in column values (`None` when some task has no chosen start).
    pub fn decode(&self, values: &[f64]) -> Option<crate::schedule::Schedule> {
        let on = |c: usize| values.get(c).is_some_and(|&v| v > 0.5); // a missing value is 0
        let mut out = Vec::with_capacity(self.blocks.values().len());
        for blocks in self.blocks.values() {
            let b = blocks.iter().find(|b| on(b.chosen()))?;
            let (s, _) = b.starts().find(|&(_, c)| on(c))?;
            out.push(crate::schedule::Assignment { task: b.task, node: b.node, start: s, finish: s + b.duration });
        }
        Some(crate::schedule::Schedule::new(out))
    }
}

/// The internal error of a task without blocks, which [`TimeIndexed::build`] rules out.
fn no_blocks(problem: &Problem, task: TaskId) -> SolveError {
    SolveError::Internal(format!("time-indexed model: task `{}` has no block", problem.task_name(task)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounds::lower_bound;
    use crate::schedule::Schedule;
    use crate::solver::Deadline;
    use crate::solver::ilp::windows::tests::{instance, schedules};

    /// The column values of a schedule, which must fit the model's windows.
    fn encode(model: &TimeIndexed, schedule: &Schedule) -> Vec<f64> {
        let mut values = vec![0.0; model.columns()];
        for a in schedule.assignments() {
            let b = model.blocks_of(a.task).iter().find(|b| b.node == a.node).unwrap();
            assert!(b.first <= a.start && a.start <= b.last, "{a:?} outside {b:?}");
            for (s, c) in b.starts() {
                values[c] = f64::from(u8::from(s >= a.start));
            }
        }
        values[model.makespan_col] = schedule.makespan() as f64;
        values
    }

    #[test]
    fn every_schedule_within_the_horizon_satisfies_every_row() {
        let limits = Limits { columns: 1_000_000, nonzeros: 10_000_000 };
        for seed in 0..150 {
            let problem = instance(seed);
            for schedule in schedules(&problem, seed) {
                let horizon = schedule.makespan();
                let windows = Windows::propagate(&problem, horizon, usize::MAX, Some(&Deadline::none()));
                let lower = lower_bound(&problem).min(horizon);
                let model = TimeIndexed::build(&problem, &windows, horizon, lower, limits).unwrap();
                let values = encode(&model, &schedule);
                for (i, row) in model.rows.iter().enumerate() {
                    let sum: f64 = row.terms.iter().map(|&(c, a)| a * values[c]).sum();
                    assert!(row.lower - 1e-9 <= sum && sum <= row.upper + 1e-9, "seed {seed}: row {i} {row:?} = {sum}");
                }
                let decoded = model.decode(&values).unwrap();
                for t in problem.tasks() {
                    assert_eq!(decoded.assignment(t), schedule.assignment(t), "seed {seed}");
                }
            }
        }
    }
}
