//! The figures reported per set and solver.
//!
//! * **at optimum**: instances whose makespan equals the known optimum (closed instances).
//! * **proven**: instances the solver itself proved optimal ([`Status::Optimal`](dagplan::Status)).
//! * **deviation from the optimum**: mean of `100 · (makespan − optimum) / optimum`, given
//!   only when every instance of the set has a known optimum (j30, Patterson, the job shops).
//! * **deviation from the critical-path bound**: mean of `100 · (makespan − CP) / CP`, where
//!   CP ignores resources: the reference the PSPLIB literature uses for j60–j120, whose optima
//!   are not all known (Kolisch and Hartmann, 2006).
//! * **deviation from the best known upper bound**: mean of `100 · (makespan − UB) / UB` over
//!   instances listed in the optimum file (equal to the deviation from the optimum where all
//!   are closed).
//! * mean and total wall time.
//!
//! Deviations are averaged over the instances the solver solved; `failed` counts the others,
//! so a row with failures says so rather than hiding them in a mean. An instance whose
//! reference value is 0 is left out of that mean (the ratio is undefined).

use std::time::Duration;

use super::Record;
use dagplan::Time;

/// `100 · (value − reference) / reference`; `None` when the reference is 0.
pub fn deviation_percent(value: Time, reference: Time) -> Option<f64> {
    (reference > 0).then(|| 100.0 * (value as f64 - reference as f64) / reference as f64)
}

/// The figures of one solver on one set (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The set's name.
    pub set: String,
    /// The solver's name.
    pub solver: String,
    /// Instances run.
    pub instances: usize,
    /// Instances without a schedule.
    pub failed: usize,
    /// Instances with a known optimum.
    pub known: usize,
    /// Instances solved to their known optimum.
    pub at_optimum: usize,
    /// Instances the solver proved optimal.
    pub proven: usize,
    /// Mean % deviation from the known optimum (only when every instance has one).
    pub dev_optimum: Option<f64>,
    /// Mean % deviation from the critical-path lower bound.
    pub dev_cp: Option<f64>,
    /// Mean % deviation from the best known upper bound.
    pub dev_upper: Option<f64>,
    /// Mean wall time per instance.
    pub mean_time: Duration,
    /// Total wall time.
    pub total_time: Duration,
}

impl Summary {
    /// Aggregates the records of one set and one solver (the first record names them).
    pub fn of(records: &[Record]) -> Self {
        let first = records.first();
        let instances = records.len();
        let solved: Vec<(&Record, Time)> = records.iter().filter_map(|r| Some((r, r.makespan()?))).collect();
        let known = records.iter().filter(|r| r.optimum.is_some_and(|o| o.is_known())).count();
        let at_optimum = solved.iter().filter(|(r, m)| r.optimum.and_then(|o| o.value()) == Some(*m)).count();
        let all_known = instances > 0 && known == instances;
        let dev_optimum = if all_known {
            mean(solved.iter().filter_map(|(r, m)| deviation_percent(*m, r.optimum?.value()?)))
        } else {
            None
        };
        let dev_cp = mean(solved.iter().filter_map(|(r, m)| deviation_percent(*m, r.cp_bound)));
        let dev_upper = mean(solved.iter().filter_map(|(r, m)| deviation_percent(*m, r.optimum?.upper)));
        let total_time: Duration = records.iter().map(|r| r.elapsed).sum();
        Self {
            set: first.map(|r| r.set.clone()).unwrap_or_default(),
            solver: first.map(|r| r.solver.clone()).unwrap_or_default(),
            instances,
            failed: instances - solved.len(),
            known,
            at_optimum,
            proven: records.iter().filter(|r| r.proven_optimal()).count(),
            dev_optimum,
            dev_cp,
            dev_upper,
            mean_time: if instances == 0 { Duration::ZERO } else { total_time / instances as u32 },
            total_time,
        }
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Outcome;
    use dagplan::Status;
    use dagplan::io::optimum::Optimum;

    fn record(makespan: Option<Time>, cp: Time, optimum: Option<Optimum>, status: Status, ms: u64) -> Record {
        Record {
            set: "tiny".into(),
            instance: "i".into(),
            solver: "s".into(),
            tasks: 3,
            nodes: 1,
            cp_bound: cp,
            optimum,
            outcome: match makespan {
                Some(makespan) => Outcome::Solved { makespan, lower_bound: cp, status },
                None => Outcome::Failed("limit".into()),
            },
            elapsed: Duration::from_millis(ms),
            counters: Vec::new(),
            credits: (None, None),
        }
    }

    #[test]
    fn deviation_is_relative_to_the_reference() {
        assert_eq!(deviation_percent(110, 100), Some(10.0));
        assert_eq!(deviation_percent(100, 100), Some(0.0));
        assert_eq!(deviation_percent(5, 0), None);
    }

    #[test]
    fn all_closed_set() {
        let records = [
            record(Some(10), 10, Some(Optimum::exact(10)), Status::Optimal, 1),
            record(Some(12), 8, Some(Optimum::exact(10)), Status::Feasible, 2),
            record(Some(30), 20, Some(Optimum::exact(25)), Status::Feasible, 3),
        ];
        let s = Summary::of(&records);
        assert_eq!((s.set.as_str(), s.solver.as_str()), ("tiny", "s"));
        assert_eq!((s.instances, s.failed, s.known, s.at_optimum, s.proven), (3, 0, 3, 1, 1));
        let close = |a: Option<f64>, b: f64| assert!((a.unwrap() - b).abs() < 1e-9, "{a:?} vs {b}");
        close(s.dev_optimum, (0.0 + 20.0 + 20.0) / 3.0);
        close(s.dev_cp, (0.0 + 50.0 + 50.0) / 3.0);
        close(s.dev_upper, (0.0 + 20.0 + 20.0) / 3.0);
        assert_eq!(s.total_time, Duration::from_millis(6));
        assert_eq!(s.mean_time, Duration::from_millis(2));
    }

    #[test]
    fn open_instances_and_failures() {
        let records = [
            record(Some(10), 5, Some(Optimum::exact(10)), Status::Feasible, 1),
            record(Some(44), 40, Some(Optimum { lower: 38, upper: 40 }), Status::Feasible, 1),
            record(None, 7, Some(Optimum::exact(9)), Status::Feasible, 4),
            record(Some(3), 0, None, Status::Optimal, 2),
        ];
        let s = Summary::of(&records);
        assert_eq!((s.instances, s.failed, s.known, s.at_optimum, s.proven), (4, 1, 2, 1, 1));
        assert_eq!(s.dev_optimum, None, "not every optimum is known");
        // CP: 100% and 10% (the CP bound of 0 is left out); upper bound: 0% and 10%.
        assert!((s.dev_cp.unwrap() - 55.0).abs() < 1e-9);
        assert!((s.dev_upper.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(Summary::of(&[]).instances, 0);
        assert_eq!(Summary::of(&[]).dev_cp, None);
    }
}
