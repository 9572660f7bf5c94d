//! Text output of the harness: the summary table and the per-instance CSV.

use std::fmt::Write;

use super::{Outcome, Record, Summary, deviation_percent};
use dagplan::{Solution, Stats};

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

/// A portfolio's members (`auto`): who found the plan and who proved the bound, then one row
/// per member run in the order they started: start, time, status (or the error that ended
/// it), makespan and lower bound. `None` for a solver that is not a portfolio.
pub fn members_table(stats: &Stats) -> Option<String> {
    if stats.members.is_empty() {
        return None;
    }
    let mut table = format!(
        "plan found by {}, bound proved by {}\n{:<8} {:>10} {:>10} {:>9} {:>9} {:>12}",
        stats.found_by.unwrap_or("none"),
        // `"bounds"`: the problem's lower bounds, before any member ran.
        match stats.proved_by {
            Some("bounds") => "the problem's lower bounds",
            other => other.unwrap_or("none"),
        },
        "member",
        "started",
        "time",
        "status",
        "makespan",
        "lower bound"
    );
    for member in &stats.members {
        let started = human_time(member.started.as_secs_f64());
        let time = human_time(member.stats.elapsed.as_secs_f64());
        let _ = write!(table, "\n{:<8} {started:>10} {time:>10}", member.solver);
        if let Some(error) = &member.error {
            let _ = write!(table, "     error: {error}");
        } else {
            let status = member.status.map_or_else(|| "-".to_owned(), |s| s.to_string());
            let makespan = member.makespan.map_or_else(|| "-".to_owned(), |m| m.to_string());
            let _ = write!(table, " {status:>9} {makespan:>9} {:>12}", member.lower_bound);
        }
    }
    Some(table)
}

/// The columns of the per-instance CSV ([`csv_record`]).
pub const CSV_HEADER: [&str; 16] = [
    "set",
    "instance",
    "solver",
    "tasks",
    "nodes",
    "status",
    "makespan",
    "lower_bound",
    "cp_bound",
    "optimum_lower",
    "optimum_upper",
    "dev_optimum_pct",
    "dev_cp_pct",
    "dev_upper_pct",
    "time_s",
    "error",
];

/// The CSV fields of a record, one per [`CSV_HEADER`] column; empty where a value does not
/// apply. `status` is `optimal`, `feasible`, `infeasible` or `failed`. Write them with a
/// `csv::Writer`, which quotes what needs quoting.
pub fn csv_record(r: &Record) -> [String; 16] {
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let pct = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let (status, makespan, bound, error) = match &r.outcome {
        Outcome::Solved { makespan, lower_bound, status } => {
            (status.to_string(), Some(*makespan), Some(*lower_bound), String::new())
        }
        Outcome::Failed(e) => ("failed".to_owned(), None, None, e.clone()),
    };
    let known = r.optimum.and_then(|o| o.value());
    [
        r.set.clone(),
        r.instance.clone(),
        r.solver.clone(),
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
        error,
    ]
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

    fn csv_text(records: &[Record]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CSV_HEADER).unwrap();
        for r in records {
            w.write_record(csv_record(r)).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn csv_records_have_one_field_per_column_and_are_quoted() {
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
            counters: Vec::new(),
            credits: (None, None),
        };
        let failed = Record { outcome: Outcome::Failed("time \"limit\"".into()), ..solved.clone() };
        let text = csv_text(&[solved, failed]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(lines[1], "j30,\"a,b.sm\",critical-path,32,1,feasible,55,45,40,45,50,,37.5000,10.0000,0.003000,");
        assert!(lines[2].ends_with(",failed,,,40,45,50,,,,0.003000,\"time \"\"limit\"\"\""), "{}", lines[2]);
    }

    #[test]
    fn members_table_lists_a_portfolios_members_only() {
        use dagplan::{Auto, Greedy, Scheduler, SolveOptions};
        let problem = dagplan::example::five_tasks().unwrap();
        let greedy = Greedy::default().schedule(&problem).unwrap();
        greedy.schedule.verify(&problem).unwrap();
        assert_eq!(members_table(&greedy.stats), None);
        let auto = Auto::new(SolveOptions::default().time_limit(Duration::from_secs(5)).threads(2));
        let solution = auto.schedule(&problem).unwrap();
        solution.schedule.verify(&problem).unwrap();
        let table = members_table(&solution.stats).unwrap();
        let lines: Vec<&str> = table.lines().collect();
        // Greedy's plan meets the problem's lower bound at once: no other member runs.
        assert_eq!(lines[0], "plan found by greedy, bound proved by the problem's lower bounds");
        assert!(lines[1].starts_with("member") && lines[1].ends_with("lower bound"), "{table}");
        assert_eq!(lines.len(), 2 + solution.stats.members.len(), "{table}");
        for (line, member) in lines[2..].iter().zip(&solution.stats.members) {
            assert!(line.starts_with(member.solver), "{table}");
            if let Some(makespan) = member.makespan {
                assert!(line.contains(&format!(" {makespan} ")), "{table}");
            }
        }
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
