//! Flexible job-shop files (`.fjs`: Brandimarte's Mk01–Mk10 and the same layout elsewhere).
//!
//! ```text
//! 10 6 2                     jobs machines [average machines per operation, ignored]
//! 6 2 1 5 3 4 3 5 3 3 5 2 ...  per job: #operations, then per operation
//!                              #alternatives followed by (machine duration) pairs
//! ```
//!
//! Machines are numbered from 1 as in the files: nodes `m1..mk`, each with capacity 1 in the
//! resource `machine`. Operation `o` of job `j` is task `j{j}.{o}`: it demands 1 `machine`,
//! is eligible exactly on its listed machines with the listed duration on each, and runs after
//! operation `o - 1` of its job. A machine listed twice for one operation is an error. The
//! file is read as a token stream (an operation list may wrap over lines).

use super::jobshop::operation_name;
use super::tokens::Tokens;
use super::{ParseError, Source};
use crate::model::{NodeSpec, Problem, ProblemSpec, TaskSpec};

/// Parses the format (the entry points are [`super::read_problem`] and [`super::parse_problem`]).
pub(crate) fn parse_from(text: &str, file: &Source) -> Result<Problem, ParseError> {
    let mut tokens = Tokens::whole(file, text, false);
    let jobs = tokens.count("an integer job count (the first number of the file)", usize::MAX)?;
    let first_line = tokens.peek().map(|t| t.line);
    let machines = tokens.count("an integer machine count (the second number of the file)", usize::MAX)?;
    // The optional third number of the first line is the average flexibility (may be a decimal).
    if let Some(avg) = tokens.peek().filter(|t| Some(t.line) == first_line) {
        let is_number = avg.text.parse::<f64>().is_ok_and(|v| v.is_finite() && v >= 0.0);
        let avg = tokens.token("the average number of machines per operation")?;
        if !is_number {
            return Err(tokens.error(
                avg,
                format!("expected the average number of machines per operation (a number), found `{}`", avg.text),
            ));
        }
    }
    // A machine count beyond the number of values in the file is malformed (and checked
    // before any node is made, so it is an error rather than a huge allocation).
    if machines > tokens.remaining() {
        let have = tokens.remaining();
        return Err(tokens.error_at_end(format!(
            "expected a machine count no larger than the {have} numbers that follow the header, found {machines}"
        )));
    }
    let mut spec = ProblemSpec::new().resources(["machine"]);
    for m in 1..=machines {
        spec = spec.node(NodeSpec::new(format!("m{m}")).capacity("machine", 1));
    }
    for j in 1..=jobs {
        let ops = tokens.count(&format!("job {j}'s integer number of operations"), usize::MAX)?;
        for o in 1..=ops {
            let at = tokens.peek();
            let alternatives =
                tokens.count(&format!("the integer number of machines of operation {o} of job {j}"), machines)?;
            if let (Some(at), 0) = (at, alternatives) {
                return Err(tokens.error(at, format!("expected at least one machine for operation {o} of job {j}")));
            }
            let mut task = TaskSpec::new(operation_name(j, o), 0).demand("machine", 1);
            let mut eligible: Vec<String> = Vec::new();
            let mut shortest = u64::MAX;
            for _ in 0..alternatives {
                let at = tokens.peek();
                let what = format!("a machine (1 to {machines}) of operation {o} of job {j}");
                let m = tokens.index(&what, 1, machines as u64)?;
                let name = format!("m{m}");
                if let (Some(at), true) = (at, task.durations.contains_key(&name)) {
                    return Err(tokens.error(at, format!("machine {m} is listed twice for operation {o} of job {j}")));
                }
                let d = tokens.u64(&format!("the integer duration of operation {o} of job {j} on machine {m}"))?;
                shortest = shortest.min(d);
                task = task.duration_on(name.clone(), d);
                eligible.push(name);
            }
            task.duration = shortest;
            task = task.nodes(eligible);
            if o > 1 {
                task = task.after(operation_name(j, o - 1));
            }
            spec = spec.task(task);
        }
    }
    tokens.finish(&format!("the end of the file after {jobs} jobs"))?;
    Problem::try_from(spec).map_err(|source| ParseError::Invalid { file: file.clone(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Problem, ParseError> {
        parse_from(text, &Source::Text)
    }

    #[test]
    fn reads_a_small_file() {
        let p = parse("2 2 1.5\n2 1 1 3 2 1 4 2 6\n1 1 2 5\n").unwrap();
        assert_eq!((p.task_count(), p.node_count()), (3, 2));
        let t = p.task_id("j1.2").unwrap();
        let (m1, m2) = (p.node_id("m1").unwrap(), p.node_id("m2").unwrap());
        assert_eq!(p.options(t).collect::<Vec<_>>(), vec![(m1, 4), (m2, 6)]);
        assert_eq!(p.min_duration(t), 4);
        let s = crate::solver::Scheduler::schedule(&crate::solver::CriticalPath::default(), &p).unwrap();
        s.schedule.verify(&p).unwrap();
        assert_eq!(s.makespan(), 7);
    }

    #[test]
    fn malformed_input_names_line_and_expectation() {
        let cases = [
            ("", "1:0: expected an integer job count"),
            ("1 2 x\n", "1:5: expected the average number of machines per operation (a number), found `x`"),
            ("1 99999999999\n1 1 1 1\n", "2:8: expected a machine count no larger than the 4 numbers"),
            ("1 2\n1 0\n", "2:3: expected at least one machine for operation 1 of job 1"),
            (
                "1 2\n1 3 1 1 2 1 1 1\n",
                "2:3: expected the integer number of machines of operation 1 of job 1 of at most 2",
            ),
            ("1 2\n1 1 3 1\n", "2:5: expected a machine (1 to 2) of operation 1 of job 1 between 1 and 2, found 3"),
            ("1 2\n1 2 1 1 1 2\n", "2:9: machine 1 is listed twice for operation 1 of job 1"),
            ("1 2\n2 1 1 1\n", "2:8: expected the integer number of machines of operation 2 of job 1, found the end"),
            ("1 2\n1 1 1 1\n1\n", "3:1: expected the end of the file after 1 jobs, found `1`"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: want {want:?}, got {e}");
        }
    }
}
