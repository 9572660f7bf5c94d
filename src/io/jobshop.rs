//! Job-shop files (`.jss`: Fisher and Thompson, Lawrence, and the OR-Library layout).
//!
//! ```text
//! # comment lines start with `#` (a `#` anywhere starts a comment to the end of the line)
//! 6 6                       jobs machines
//! 2 1 0 3 1 6 3 7 5 3 4 6   per job, in order: (machine duration) for each operation
//! ```
//!
//! Machines are numbered from 0 as in the files. The problem has one node per machine,
//! `m0..m{k-1}`, each with capacity 1 in the single resource `machine`; operation `o` of
//! job `j` (both from 1) is task `j{j}.{o}`, demands 1 `machine`, is pinned to its machine,
//! and runs after operation `o - 1` of its job. The optimal makespan is the published one.
//! The file is read as a token stream (a job may wrap over lines).

use super::tokens::Tokens;
use super::{ParseError, Source};
use crate::model::{NodeSpec, Problem, ProblemSpec, TaskSpec};

/// The name of a machine node (`m0` for machine 0 of a `.jss` file).
pub(crate) fn machine_name(m: u64) -> String {
    format!("m{m}")
}

/// The name of operation `op` of job `job` (both 1-based).
pub(crate) fn operation_name(job: usize, op: usize) -> String {
    format!("j{job}.{op}")
}

/// Parses the format (the entry points are [`super::read_problem`] and [`super::parse_problem`]).
pub(crate) fn parse_from(text: &str, file: &Source) -> Result<Problem, ParseError> {
    let mut tokens = Tokens::whole(file, text, true);
    let jobs = tokens.count("an integer job count (the first number of the file)", usize::MAX)?;
    let machines = tokens.count("an integer machine count (the second number of the file)", usize::MAX)?;
    if jobs == 0 || machines == 0 {
        return Err(tokens.error_at_end(format!(
            "expected at least one job and one machine, found {jobs} jobs and {machines} machines"
        )));
    }
    // Each machine appears at least once per job, so a machine count beyond the number of
    // values in the file is malformed; checked before any node is made, so a huge count is an
    // error rather than a huge allocation.
    if machines > tokens.remaining() {
        let have = tokens.remaining();
        return Err(tokens.error_at_end(format!(
            "expected a machine count no larger than the {have} numbers that follow the header, found {machines}"
        )));
    }
    let mut spec = ProblemSpec::new().resources(["machine"]);
    for m in 0..machines as u64 {
        spec = spec.node(NodeSpec::new(machine_name(m)).capacity("machine", 1));
    }
    for j in 1..=jobs {
        for o in 1..=machines {
            let what = format!("the machine (0 to {}) of operation {o} of job {j}", machines - 1);
            let m = tokens.index(&what, 0, machines as u64 - 1)?;
            let d = tokens.u64(&format!("the integer duration of operation {o} of job {j}"))?;
            let mut task = TaskSpec::new(operation_name(j, o), d).demand("machine", 1).nodes([machine_name(m)]);
            if o > 1 {
                task = task.after(operation_name(j, o - 1));
            }
            spec = spec.task(task);
        }
    }
    tokens.finish(&format!("the end of the file after {jobs} jobs of {machines} operations"))?;
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
        let p = parse("# two jobs\n2 2\n0 3 1 2 # job 1\n1 4\n0 1\n").unwrap();
        assert_eq!((p.task_count(), p.node_count()), (4, 2));
        let t = p.task_id("j2.1").unwrap();
        assert_eq!(p.options(t).collect::<Vec<_>>(), vec![(p.node_id("m1").unwrap(), 4)]);
        assert_eq!(p.predecessors(p.task_id("j2.2").unwrap())[0].task, t);
        let s = crate::solver::Scheduler::schedule(&crate::solver::CriticalPath::default(), &p).unwrap();
        s.schedule.verify(&p).unwrap();
        assert_eq!(s.makespan(), 6);
    }

    #[test]
    fn malformed_input_names_line_and_expectation() {
        let cases = [
            ("# only a comment\n", "1:17: expected an integer job count"),
            ("2 x\n", "1:3: expected an integer machine count (the second number of the file), found `x`"),
            ("1 0\n", "expected at least one job and one machine, found 1 jobs and 0 machines"),
            ("0 9\n", "expected at least one job and one machine"),
            (
                "2 99999999999\n1 2\n",
                "2:4: expected a machine count no larger than the 2 numbers that follow the header",
            ),
            ("1 2\n0 3 2 4\n", "2:5: expected the machine (0 to 1) of operation 2 of job 1 between 0 and 1, found 2"),
            ("1 2\n0 3 1\n", "2:6: expected the integer duration of operation 2 of job 1, found the end"),
            ("1 1\n0 -3\n", "2:3: expected the integer duration of operation 1 of job 1, found `-3`"),
            ("1 1\n0 3 0\n", "2:5: expected the end of the file after 1 jobs of 1 operations, found `0`"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: want {want:?}, got {e}");
        }
    }
}
