//! Mermaid gantt output, for Markdown pages that render Mermaid (GitHub, GitLab, many wikis).

use std::fmt::Write;

use super::RenderError;
use crate::graph::Cpm;
use crate::model::{Problem, Time};
use crate::schedule::Schedule;

/// The largest time Mermaid can draw: its times are JavaScript dates, which end 8.64e15 ms
/// (8.64e12 s) after 1970.
const LARGEST: Time = 8_640_000_000_000;

/// The schedule as a Mermaid `gantt` block: a section per node (in node order, nodes without
/// tasks left out), a line per task (by start time, then task order) with its start and
/// finish, and the tasks on the critical path ([`Cpm::critical_path`]) marked `crit`. Times
/// are written as seconds (`dateFormat X`) and the axis shows them as plain numbers, so ticks
/// of any unit read as they are.
///
/// Mermaid reserves `:`, `#`, `;` and `%` in task and section names; they are written as the
/// look-alikes `∶`, `＃`, `；` and `％`, and line breaks as spaces. Task ids are `t0`, `t1`, …
/// by task order. Times beyond Mermaid's range (8.64e12) are an error.
///
/// ```
/// let problem = dagplan::io::read_json_str(dagplan::example::FIVE_TASKS_JSON)?;
/// let schedule = dagplan::example::documented_deployment(&problem)?;
/// let text = dagplan::mermaid_gantt(&problem, &schedule)?;
/// assert!(text.starts_with("gantt\n"));
/// assert!(text.contains("    section n3\n    v3 :crit, t2, 10, 40\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn mermaid_gantt(problem: &Problem, schedule: &Schedule) -> Result<String, RenderError> {
    let makespan = schedule.makespan();
    if makespan > LARGEST {
        return Err(RenderError::TooLong(format!(
            "makespan {makespan} is beyond the largest time Mermaid can draw ({LARGEST})"
        )));
    }
    let cpm = Cpm::analyze(problem);
    let mut critical = vec![false; problem.task_count()];
    for t in cpm.critical_path() {
        if let Some(flag) = critical.get_mut(t.index()) {
            *flag = true;
        }
    }
    let mut rows: Vec<_> = schedule.assignments().iter().collect();
    rows.sort_by_key(|a| (a.node, a.start, a.task));
    let mut out = String::new();
    let _ = writeln!(out, "gantt\n    title makespan {makespan}\n    dateFormat X\n    axisFormat %s");
    let mut section = None;
    for a in rows {
        if section != Some(a.node) {
            let _ = writeln!(out, "    section {}", clean(problem.node_name(a.node)));
            section = Some(a.node);
        }
        let tag = if critical.get(a.task.index()).copied().unwrap_or(false) { "crit, " } else { "" };
        let _ =
            writeln!(out, "    {} :{tag}t{}, {}, {}", clean(problem.task_name(a.task)), a.task.0, a.start, a.finish);
    }
    Ok(out)
}

/// A name with Mermaid's reserved characters replaced by look-alikes.
fn clean(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            ':' => '∶',
            '#' => '＃',
            ';' => '；',
            '%' => '％',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() { "_".to_owned() } else { trimmed.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Assignment, NodeId, NodeSpec, ProblemSpec, TaskId, TaskSpec};

    #[test]
    fn every_task_once_in_its_node_section() {
        let problem = crate::io::read_json_str(crate::example::FIVE_TASKS_JSON).unwrap();
        let schedule = crate::example::documented_deployment(&problem).unwrap();
        let text = mermaid_gantt(&problem, &schedule).unwrap();
        let expected = "gantt\n    title makespan 70\n    dateFormat X\n    axisFormat %s\n    section n1\n    \
                        v1 :crit, t0, 0, 10\n    v5 :crit, t4, 60, 70\n    section n2\n    v2 :t1, 10, 30\n    \
                        v4 :crit, t3, 40, 60\n    section n3\n    v3 :crit, t2, 10, 40\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn reserved_characters_become_look_alikes_and_huge_times_are_refused() {
        let problem =
            ProblemSpec::new().node(NodeSpec::new("node:1 #a")).task(TaskSpec::new("a:b;c%d\ne", 1)).build().unwrap();
        let schedule = Schedule::new(vec![Assignment { task: TaskId(0), node: NodeId(0), start: 0, finish: 1 }]);
        let text = mermaid_gantt(&problem, &schedule).unwrap();
        assert!(text.contains("section node∶1 ＃a\n    a∶b；c％d e :crit, t0, 0, 1\n"), "{text}");
        let late =
            Schedule::new(vec![Assignment { task: TaskId(0), node: NodeId(0), start: LARGEST, finish: LARGEST + 1 }]);
        assert!(matches!(mermaid_gantt(&problem, &late), Err(RenderError::TooLong(_))));
    }
}
