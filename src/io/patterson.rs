//! Patterson's RCPSP format (`.rcp`), as used by the Patterson set and RCPSP libraries.
//!
//! ```text
//! 14  3            #jobs (with dummy source and sink)  #renewable resources
//! 2   1   2        capacity per resource
//! 0   0 0 0   3  2 3 4      per job: duration, demand per resource, #successors, successors
//! 6   1 0 0   2  9 10
//! ...
//! ```
//!
//! The file is read as a token stream, so successor lists may wrap over several lines;
//! errors still name the line and column of the offending token. Jobs are numbered from 1
//! in file order and named `j1..jn`; the node is `project` and the resources `R1..Rk`. The
//! dummy source and sink jobs (duration 0, no demand) are kept: task `jN` is job `N` of the
//! file, and the makespan equals the published one.

use std::collections::HashSet;

use super::rcpsp::{Job, build};
use super::tokens::Tokens;
use super::{ParseError, Source};
use crate::model::Problem;

/// Parses the format (the entry points are [`super::read_problem`] and [`super::parse_problem`]).
pub(crate) fn parse_from(text: &str, file: &Source) -> Result<Problem, ParseError> {
    let mut tokens = Tokens::whole(file, text, false);
    // Counts from the file never size an allocation up front: a huge count runs out of input.
    let n = tokens.count("an integer job count (the first number of the file)", usize::MAX)?;
    let k = tokens.count("an integer resource count (the second number of the file)", usize::MAX)?;
    let mut capacity = Vec::new();
    for r in 1..=k {
        capacity.push(tokens.u64(&format!("the integer capacity of resource {r}"))?);
    }
    let mut jobs = Vec::new();
    for j in 1..=n {
        let duration = tokens.u64(&format!("the integer duration of job {j} (of {n})"))?;
        let mut demand = Vec::new();
        for r in 1..=k {
            demand.push(tokens.u64(&format!("job {j}'s integer demand for resource {r}"))?);
        }
        let count = tokens.count(&format!("job {j}'s integer number of successors"), n)?;
        let mut successors = Vec::new();
        let mut seen = HashSet::new();
        for _ in 0..count {
            let at = tokens.peek();
            let s = tokens.index(&format!("a successor of job {j} (a job number)"), 1, n as u64)? as usize;
            if let Some(at) = at {
                if s == j {
                    return Err(tokens.error(at, format!("job {j} lists itself as a successor")));
                }
                if !seen.insert(s) {
                    return Err(tokens.error(at, format!("job {j} lists successor {s} twice")));
                }
            }
            successors.push(s);
        }
        jobs.push(Job { duration, demand, successors });
    }
    tokens.finish(&format!("the end of the file after the {n} jobs"))?;
    build(file, &capacity, &jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Problem, ParseError> {
        parse_from(text, &Source::Text)
    }

    const SMALL: &str = "4 2\n3 2\n0 0 0 2 2 3\n2 1 1 1\n4\n3 2 0 1 4\n0 0 0 0\n";

    #[test]
    fn reads_a_small_file_with_a_wrapped_successor_list() {
        let p = parse(SMALL).unwrap();
        assert_eq!((p.task_count(), p.node_count(), p.resource_count()), (4, 1, 2));
        let j2 = p.task_id("j2").unwrap();
        assert_eq!(p.demand(j2), &[1, 1]);
        assert_eq!(p.default_duration(j2), 2);
        assert_eq!(p.capacity(crate::NodeId(0)), &[3, 2]);
        let j4 = p.task_id("j4").unwrap();
        assert_eq!(p.predecessors(j4).len(), 2);
    }

    #[test]
    fn malformed_input_names_line_and_expectation() {
        let cases = [
            ("", "1:0: expected an integer job count"),
            ("x 2", "1:1: expected an integer job count (the first number of the file), found `x`"),
            ("2 1\n5\n0 0 1 2\n3 9", "4:4: expected job 2's integer number of successors, found the end"),
            ("2 1\n5\n0 0 1 3\n0 0 0", "3:7: expected a successor of job 1 (a job number) between 1 and 2, found 3"),
            ("2 1\n5\n0 0 1 1\n0 0 0", "3:7: job 1 lists itself as a successor"),
            ("2 1\n5\n0 0 2 2 2\n0 0 0", "3:9: job 1 lists successor 2 twice"),
            ("2 1\n5\n0 0 0\n0 0 0\n7", "5:1: expected the end of the file after the 2 jobs, found `7`"),
            ("1 1\n99999999999999999999\n", "2:1: expected the integer capacity of resource 1, found"),
        ];
        for (text, want) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: got {e}");
        }
    }

    #[test]
    fn cycles_and_overdemand_are_invalid() {
        let e = parse("2 1\n5\n1 0 1 2\n1 0 1 1\n").unwrap_err();
        assert!(matches!(e, ParseError::Invalid { .. }), "{e}");
        let e = parse("1 1\n5\n1 6 0\n").unwrap_err();
        assert!(e.to_string().contains("needs 6 R1"), "{e}");
    }
}
