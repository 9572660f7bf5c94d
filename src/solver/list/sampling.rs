//! Regret-based biased random sampling (Kolisch and Drexl 1996, "Adaptive search for solving
//! hard project scheduling problems"): build an activity list by drawing each next task among
//! the ready ones with probability proportional to `(regret + 1)^α`, where regret is how much
//! better its priority is than the worst ready one's. O(n·E) per list for E ready tasks: for
//! small and medium instances.

use crate::model::{Problem, TaskId};
use crate::rng::SplitMix64;
use crate::solver::SolveError;

/// A precedence-feasible activity list drawn by regret-based biased random sampling on
/// `keys` (larger is better, one per task) with bias exponent `alpha`.
pub(crate) fn sampled_list(
    problem: &Problem,
    keys: &[u64],
    rng: &mut SplitMix64,
    alpha: f64,
) -> Result<Vec<TaskId>, SolveError> {
    if keys.len() != problem.task_count() {
        return Err(SolveError::Internal(format!("{} priority keys for {} tasks", keys.len(), problem.task_count())));
    }
    let mut waiting: Vec<u32> = problem.tasks().map(|t| problem.predecessors(t).len() as u32).collect();
    let mut ready: Vec<TaskId> = problem.tasks().filter(|&t| problem.predecessors(t).is_empty()).collect();
    // One key per task (checked above), so the default never applies.
    let key = |t: TaskId| keys.get(t.index()).copied().unwrap_or_default();
    let mut list = Vec::with_capacity(problem.task_count());
    let mut weights: Vec<f64> = Vec::new();
    while !ready.is_empty() {
        let worst = ready.iter().map(|&t| key(t)).min().unwrap_or_default();
        weights.clear();
        weights.extend(ready.iter().map(|&t| ((key(t) - worst) as f64 + 1.0).powf(alpha)));
        let total: f64 = weights.iter().sum();
        let mut draw = rng.unit() * total;
        let mut pick = ready.len() - 1;
        for (i, w) in weights.iter().enumerate() {
            if draw < *w {
                pick = i;
                break;
            }
            draw -= w;
        }
        let t = ready.swap_remove(pick);
        list.push(t);
        for e in problem.successors(t) {
            if let Some(w) = waiting.get_mut(e.task.index()) {
                *w -= 1;
                if *w == 0 {
                    ready.push(e.task);
                }
            }
        }
    }
    Ok(list)
}
