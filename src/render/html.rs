//! The HTML report: one self-contained page (no script, no external file) with the solver
//! table, the lower bounds and which one binds, the verification verdict, the SVG Gantt
//! chart and the task table.

use std::fmt::Write;

use super::svg::{SvgOptions, svg_gantt};
use super::{RenderError, escape};
use crate::bounds::LowerBounds;
use crate::graph::Cpm;
use crate::model::Problem;
use crate::result::ResultDocument;
use crate::solver::Status;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#1a1a1a;max-width:1400px}\
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 9px;text-align:right}\
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}.ok{color:#2ca02c}.bad{color:#d62728}\
.binds{font-weight:bold}figure{margin:0;overflow-x:auto}";

/// A self-contained HTML page reporting solver results on a problem: the solver table
/// (status, makespan, proven lower bound, gap, time, options, counters; one row per result),
/// the problem's lower bounds with the one that binds, whether the drawn schedule passes
/// [`Schedule::verify`](crate::Schedule::verify) (with every violation if not), the SVG Gantt
/// chart of the best result (the shortest makespan, the first on ties; a result proving
/// that no schedule meets the deadlines is drawn as that sentence) drawn with `options`,
/// and its task table with each task's CPM slack.
///
/// ```
/// use dagplan::{Greedy, ResultDocument, Scheduler, SolveOptions};
/// use dagplan::{SvgOptions, html_report};
///
/// let problem = dagplan::io::read_json_str(dagplan::example::FIVE_TASKS_JSON)?;
/// let solution = Greedy::default().schedule(&problem)?;
/// let result = ResultDocument::new(&problem, "greedy", &solution, &SolveOptions::default());
/// let page = html_report(&problem, &[result], &SvgOptions::default())?;
/// assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn html_report(problem: &Problem, results: &[ResultDocument], options: &SvgOptions) -> Result<String, RenderError> {
    let best = results
        .iter()
        .enumerate()
        .min_by_key(|&(i, r)| (r.status == Status::Infeasible, r.makespan, i))
        .map(|(_, r)| r)
        .ok_or(RenderError::NoResults)?;
    let schedule = best.schedule(problem)?;
    let svg = if best.status == Status::Infeasible {
        format!("<p>{} proved that no schedule meets every deadline.</p>\n", escape(&best.solver))
    } else {
        svg_gantt(problem, &schedule, &options.clone().lower_bound(best.lower_bound))?
    };
    let mut out = String::new();
    write_page(&mut out, problem, results, best, &schedule, &svg)
        .map_err(|_| RenderError::Internal("formatting the HTML failed".into()))?;
    Ok(out)
}

fn write_page(
    out: &mut String,
    problem: &Problem,
    results: &[ResultDocument],
    best: &ResultDocument,
    schedule: &crate::Schedule,
    svg: &str,
) -> std::fmt::Result {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<title>dagplan: makespan {} ({})</title>", best.makespan, escape(&best.solver))?;
    writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>")?;
    writeln!(out, "<h1>Plan: makespan {}, lower bound {}</h1>", best.makespan, best.lower_bound)?;
    writeln!(
        out,
        "<p>{} tasks, {} nodes, {} dependencies; resources: {}.</p>",
        problem.task_count(),
        problem.node_count(),
        problem.dependency_count(),
        escape(&problem.resources().join(", "))
    )?;

    writeln!(out, "<h2>Solvers</h2>\n<table>")?;
    writeln!(
        out,
        "<tr><th>solver</th><th>status</th><th>makespan</th><th>lower bound</th><th>gap</th><th>time</th>\
         <th>time limit</th><th>seed</th><th>threads</th><th>counters</th></tr>"
    )?;
    for r in results {
        let counters: Vec<String> = r.stats.counters.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let status =
            serde_json::to_value(r.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        writeln!(
            out,
            "<tr><td>{}</td><td>{status}</td><td>{}</td><td>{}</td><td>{:.2}%</td><td>{:.3} s</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.solver),
            r.makespan,
            r.lower_bound,
            100.0 * r.gap,
            r.stats.elapsed_seconds,
            r.options.time_limit_seconds.map_or_else(|| "none".to_owned(), |l| format!("{l} s")),
            r.options.seed,
            if r.options.threads == 0 { "all".to_owned() } else { r.options.threads.to_string() },
            escape(&counters.join(", "))
        )?;
    }
    writeln!(out, "</table>")?;

    write_bounds(out, problem, best)?;

    writeln!(out, "<h2>Plan of {}</h2>", escape(&best.solver))?;
    match schedule.verify(problem) {
        Ok(()) => writeln!(out, "<p class=\"ok\">✓ The schedule passes every check of the independent verifier.</p>")?,
        Err(error) => {
            writeln!(out, "<p class=\"bad\">✗ The schedule breaks {} rules:</p>\n<ul>", error.violations.len())?;
            for v in &error.violations {
                writeln!(out, "<li>{}</li>", escape(&v.to_string()))?;
            }
            writeln!(out, "</ul>")?;
        }
    }
    writeln!(out, "<figure>\n{svg}</figure>")?;

    let cpm = Cpm::analyze(problem);
    writeln!(out, "<h2>Tasks</h2>\n<table>")?;
    writeln!(out, "<tr><th>task</th><th>node</th><th>start</th><th>finish</th><th>CPM slack</th></tr>")?;
    let mut rows: Vec<_> = schedule.assignments().iter().collect();
    rows.sort_by_key(|a| (a.start, a.task));
    for a in rows {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(problem.task_name(a.task)),
            escape(problem.node_name(a.node)),
            a.start,
            a.finish,
            cpm.slack(a.task)
        )?;
    }
    writeln!(out, "</table>\n</body>\n</html>")
}

/// The bounds table: each of the problem's bounds, the solver's, and which one binds.
fn write_bounds(out: &mut String, problem: &Problem, best: &ResultDocument) -> std::fmt::Result {
    let bounds = LowerBounds::compute(problem);
    let mut rows: Vec<(String, u64)> = vec![("critical path (CPM)".to_owned(), bounds.critical_path)];
    for (resource, &e) in problem.resources().iter().zip(&bounds.energy) {
        rows.push((format!("{resource} energy"), e));
    }
    rows.push(("tasks pinned to one node".to_owned(), bounds.pinned));
    rows.push((format!("proven by {}", best.solver), best.lower_bound));
    let strongest = rows.iter().map(|&(_, v)| v).max().unwrap_or(0);
    writeln!(out, "<h2>Lower bounds</h2>\n<table>\n<tr><th>bound</th><th>value</th><th></th></tr>")?;
    for (name, value) in &rows {
        let binds = *value == strongest;
        writeln!(
            out,
            "<tr{}><td>{}</td><td>{value}</td><td>{}</td></tr>",
            if binds { " class=\"binds\"" } else { "" },
            escape(name),
            if binds { "binds" } else { "" }
        )?;
    }
    writeln!(
        out,
        "</table>\n<p>No plan can finish before {strongest}; this one finishes at {}, a gap of {:.2}%{}.</p>",
        best.makespan,
        100.0 * best.gap,
        if best.makespan == strongest { " (proven optimal)" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Greedy, Scheduler, SolveOptions};

    #[test]
    fn the_report_holds_the_table_the_bounds_the_verdict_and_the_picture() {
        let problem = crate::io::read_json_str(crate::example::FIVE_TASKS_JSON).unwrap();
        let solution = Greedy::default().schedule(&problem).unwrap();
        let result = ResultDocument::new(&problem, "greedy", &solution, &SolveOptions::default());
        let page = html_report(&problem, std::slice::from_ref(&result), &SvgOptions::default()).unwrap();
        assert!(page.contains("<td>greedy</td><td>optimal</td><td>70</td><td>70</td><td>0.00%</td>"), "{page}");
        assert!(page.contains("<tr class=\"binds\"><td>critical path (CPM)</td><td>70</td><td>binds</td></tr>"));
        assert!(page.contains("passes every check") && page.contains("(proven optimal)"));
        assert_eq!(page.matches("<title>").count(), 1 + problem.task_count());

        let mut broken = result;
        broken.schedule.assignments[1].start = 0;
        let page = html_report(&problem, &[broken], &SvgOptions::default()).unwrap();
        assert!(page.contains("class=\"bad\""), "{page}");
        assert_eq!(html_report(&problem, &[], &SvgOptions::default()), Err(RenderError::NoResults));
    }
}
