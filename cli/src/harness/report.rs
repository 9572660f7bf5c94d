//! Text output of the harness: the summary table and the per-instance CSV.

use std::fmt::Write;

use super::{Outcome, Record, Summary, deviation_percent};
use dagplan::Solution;

/// The header of the solver table ([`solver_row`]).
pub fn solver_header() -> String {
    format!("{:<14} {:>9} {:>12} {:>9} {:>8} {:>11}", "solver", "makespan", "lower bound", "status", "gap", "time")
}

/// One row of the solver table: name, makespan, proven lower bound, status, gap, time.
pub fn solver_row(solver: &str, solution: &Solution) -> String {
    format!(
        "{:<14} {:>9} {:>12} {:>9} {:>7.2}% {:>11}",
        solver,
        solution.makespan(),
        solution.lower_bound,
        solution.status.to_string(),
        100.0 * solution.gap(),
        human_time(solution.stats.elapsed.as_secs_f64())
    )
}

/// The header of the per-instance CSV ([`csv_row`]).
pub const CSV_HEADER: &str = "set,instance,solver,tasks,nodes,status,makespan,lower_bound,cp_bound,\
optimum_lower,optimum_upper,dev_optimum_pct,dev_cp_pct,dev_upper_pct,time_s,error";

/// One CSV line (without a line break) for a record; empty fields where a value does not
/// apply. `status` is `optimal`, `feasible` or `failed`.
pub fn csv_row(r: &Record) -> String {
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let pct = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let (status, makespan, bound, error) = match &r.outcome {
        Outcome::Solved { makespan, lower_bound, status } => {
            (status.to_string(), Some(*makespan), Some(*lower_bound), String::new())
        }
        Outcome::Failed(e) => ("failed".to_owned(), None, None, e.clone()),
    };
    let known = r.optimum.and_then(|o| o.value());
    let fields = [
        csv_field(&r.set),
        csv_field(&r.instance),
        csv_field(&r.solver),
        r.tasks.to_string(),
        r.nodes.to_string(),
        status,
        opt(makespan),
        opt(bound),
        r.cp_bound.to_string(),
        opt(r.optimum.map(|o| o.lower)),
        opt(r.optimum.map(|o| o.upper)),
        pct(makespan.zip(known).and_then(|(m, o)| deviation_percent(m, o))),
        pct(makespan.and_then(|m| deviation_percent(m, r.cp_bound))),
        pct(makespan.zip(r.optimum).and_then(|(m, o)| deviation_percent(m, o.upper))),
        format!("{:.6}", r.elapsed.as_secs_f64()),
        csv_field(&error),
    ];
    fields.join(",")
}

/// Quotes a CSV field when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// The summary table as Markdown: one row per set and solver.
pub fn summary_table(summaries: &[Summary]) -> String {
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"));
    let mut out = String::from(
        "| set | solver | instances | failed | at optimum | proven optimal | dev. optimum % | dev. CP bound % \
         | dev. best UB % | mean time | total time |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for s in summaries {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {}/{} | {} | {} | {} | {} | {} | {} |",
            s.set,
            s.solver,
            s.instances,
            s.failed,
            s.at_optimum,
            s.known,
            s.proven,
            pct(s.dev_optimum),
            pct(s.dev_cp),
            pct(s.dev_upper),
            human_time(s.mean_time.as_secs_f64()),
            human_time(s.total_time.as_secs_f64()),
        );
    }
    out
}

/// Seconds as `1.23 s`, `4.56 ms` or `7.8 µs`.
pub fn human_time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use dagplan::Status;
    use dagplan::io::optimum::Optimum;

    #[test]
    fn csv_rows_have_one_field_per_header_column() {
        let solved = Record {
            set: "j30".into(),
            instance: "a,b.sm".into(),
            solver: "critical-path".into(),
            tasks: 32,
            nodes: 1,
            cp_bound: 40,
            optimum: Some(Optimum { lower: 45, upper: 50 }),
            outcome: Outcome::Solved { makespan: 55, lower_bound: 45, status: Status::Feasible },
            elapsed: Duration::from_millis(3),
        };
        let row = csv_row(&solved);
        assert_eq!(row, "j30,\"a,b.sm\",critical-path,32,1,feasible,55,45,40,45,50,,37.5000,10.0000,0.003000,");
        let failed = Record { outcome: Outcome::Failed("time \"limit\"".into()), ..solved };
        assert!(csv_row(&failed).ends_with(",failed,,,40,45,50,,,,0.003000,\"time \"\"limit\"\"\""));
        assert_eq!(CSV_HEADER.split(',').count(), 16);
    }

    #[test]
    fn table_and_times() {
        assert_eq!(human_time(2.0), "2.00 s");
        assert_eq!(human_time(0.0125), "12.50 ms");
        assert_eq!(human_time(0.0000125), "12.5 µs");
        let table = summary_table(&[]);
        assert_eq!(table.lines().count(), 2);
    }
}
