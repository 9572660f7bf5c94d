//! PSPLIB single-mode RCPSP files (`.sm`: the j30, j60, j90 and j120 sets of Kolisch and
//! Sprecher, 1997).
//!
//! The reader uses these parts of the file and ignores the rest (base data, project
//! information):
//!
//! ```text
//! jobs (incl. supersource/sink ):  32
//!   - renewable                 :  4   R
//!   - nonrenewable              :  0   N
//!   - doubly constrained        :  0   D
//! PRECEDENCE RELATIONS:
//! jobnr.    #modes  #successors   successors
//!    1        1          3           2   3   4
//! REQUESTS/DURATIONS:
//! jobnr. mode duration  R 1  R 2  R 3  R 4
//! ------------------------------------------------------------------------
//!   1      1     0       0    0    0    0
//! RESOURCEAVAILABILITIES:
//!   R 1  R 2  R 3  R 4
//!    12   13    4   12
//! ```
//!
//! Each section's body is the lines after its title that follow the column headers, up to the
//! next line of `*`; it is read as a token stream, so a successor list may wrap. Only the
//! renewable resources become dimensions (non-renewable and doubly constrained columns are
//! read and checked, then dropped: with a single mode they do not constrain the schedule).
//! A job with more than one mode is rejected (multi-mode `.mm` files are another problem).
//! Tasks are `j1..jn` after the job numbers, the node is `project` and the resources
//! `R1..Rk`. The dummy source and sink jobs (duration 0, no demand) are kept: task `jN` is
//! job `N` of the file, and the makespan equals the published one.

use std::collections::HashSet;

use super::rcpsp::{Job, build};
use super::tokens::{Tokens, numbered_lines};
use super::{ParseError, Source};
use crate::model::Problem;

/// Parses the format (the entry points are [`super::read_problem`] and [`super::parse_problem`]).
pub(crate) fn parse_from(text: &str, file: &Source) -> Result<Problem, ParseError> {
    let lines: Vec<(usize, &str)> = numbered_lines(text).collect();
    let end = Tokens::new(file, lines.last().copied(), false);
    let n = header_value(file, &lines, "jobs", "the job count `jobs (incl. supersource/sink ): N`", &end)?;
    let renewable = header_value(file, &lines, "- renewable", "the resource line `- renewable : K R`", &end)?;
    let nonrenewable = header_value(file, &lines, "- nonrenewable", "`- nonrenewable : K N`", &end)?;
    let doubly = header_value(file, &lines, "- doubly constrained", "`- doubly constrained : K D`", &end)?;
    let others = nonrenewable.saturating_add(doubly);

    let mut prec = section(file, &lines, "PRECEDENCE RELATIONS:", &end)?;
    let mut jobs: Vec<Job> = Vec::new();
    for j in 1..=n {
        expect_job_number(&mut prec, j, "in the precedence relations")?;
        expect_one_mode(&mut prec, j)?;
        let count = prec.count(&format!("job {j}'s integer number of successors"), n)?;
        let mut successors = Vec::new();
        let mut seen = HashSet::new();
        for _ in 0..count {
            let at = prec.peek();
            let s = prec.index(&format!("a successor of job {j} (a job number)"), 1, n as u64)? as usize;
            if let Some(at) = at {
                if s == j {
                    return Err(prec.error(at, format!("job {j} lists itself as a successor")));
                }
                if !seen.insert(s) {
                    return Err(prec.error(at, format!("job {j} lists successor {s} twice")));
                }
            }
            successors.push(s);
        }
        jobs.push(Job { duration: 0, demand: Vec::new(), successors });
    }
    prec.finish(&format!("the line of `*` ending the precedence relations after job {n}"))?;

    // One line per job: a short or long line is reported on that line.
    let (req_lines, req_end) = section_lines(&lines, "REQUESTS/DURATIONS:", &end)?;
    let mut req_lines = req_lines.iter().filter(|(_, l)| !l.trim().is_empty());
    for (index, job) in jobs.iter_mut().enumerate() {
        let j = index + 1;
        let Some(&(number, line)) = req_lines.next() else {
            let message = format!("expected the requests/durations line of job {j}, found the end of the section");
            return Err(ParseError::Syntax { file: file.clone(), line: req_end, column: 0, message });
        };
        let mut req = Tokens::line(file, number, line);
        expect_job_number(&mut req, j, "in the requests/durations")?;
        let at = req.peek();
        let mode = req.u64(&format!("job {j}'s mode number"))?;
        if let (Some(at), true) = (at, mode != 1) {
            return Err(req.error(at, format!("expected mode 1 for job {j} (single-mode file), found {mode}")));
        }
        job.duration = req.u64(&format!("job {j}'s integer duration"))?;
        for r in 1..=renewable {
            job.demand.push(req.u64(&format!("job {j}'s integer request for renewable resource R {r}"))?);
        }
        for r in 1..=others {
            req.u64(&format!("job {j}'s integer request for non-renewable resource {r}"))?;
        }
        req.finish(&format!("the end of job {j}'s requests/durations line"))?;
    }
    if let Some(&(number, line)) = req_lines.next() {
        let message =
            format!("expected the line of `*` ending the requests/durations after job {n}, found `{}`", line.trim());
        return Err(ParseError::Syntax { file: file.clone(), line: number, column: 1, message });
    }

    let mut avail = section(file, &lines, "RESOURCEAVAILABILITIES:", &end)?;
    let mut capacity = Vec::new();
    for r in 1..=renewable {
        capacity.push(avail.u64(&format!("the integer availability of renewable resource R {r}"))?);
    }
    for r in 1..=others {
        avail.u64(&format!("the integer availability of non-renewable resource {r}"))?;
    }
    avail.finish("the line of `*` ending the resource availabilities")?;
    build(file, &capacity, &jobs)
}

/// The integer after the `:` on the first line starting with `prefix`.
fn header_value(
    file: &Source,
    lines: &[(usize, &str)],
    prefix: &str,
    expected: &str,
    end: &Tokens<'_>,
) -> Result<usize, ParseError> {
    let Some(&(number, line)) = lines.iter().find(|(_, l)| l.trim_start().starts_with(prefix)) else {
        return Err(end.error_at_end(format!("expected {expected} in the header, found none")));
    };
    let mut tokens = Tokens::new(file, [(number, line)], false);
    while tokens.peek().is_some_and(|t| !t.text.contains(':')) {
        tokens.token(expected)?;
    }
    tokens.token(&format!("`:` in {expected}"))?;
    tokens.count(&format!("an integer after `:` in {expected}"), usize::MAX)
}

/// The tokens of a section's body: after its title and any column-header lines (lines not
/// starting with a digit), up to the next line starting with `*`.
fn section<'a>(
    file: &'a Source,
    lines: &[(usize, &'a str)],
    title: &str,
    end: &Tokens<'_>,
) -> Result<Tokens<'a>, ParseError> {
    let (body, end_line) = section_lines(lines, title, end)?;
    Ok(Tokens::new(file, body.iter().copied(), false).end_at(end_line))
}

/// Numbered lines of a file.
type Lines<'b, 'a> = &'b [(usize, &'a str)];

/// The body lines of a section (see [`section`]) and the line that closes it (the `*` line,
/// or the last line of the file).
fn section_lines<'a, 'b>(
    lines: &'b [(usize, &'a str)],
    title: &str,
    end: &Tokens<'_>,
) -> Result<(Lines<'b, 'a>, usize), ParseError> {
    let Some(at) = lines.iter().position(|(_, l)| l.trim_start().starts_with(title)) else {
        return Err(end.error_at_end(format!("expected a section `{title}`, found none")));
    };
    let rest = lines.get(at + 1..).unwrap_or(&[]);
    let first = rest
        .iter()
        .position(|(_, l)| l.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '*'))
        .unwrap_or(rest.len());
    let stop =
        rest.iter().skip(first).position(|(_, l)| l.trim_start().starts_with('*')).map_or(rest.len(), |p| p + first);
    let end_line = rest.get(stop).or(rest.last()).map_or(lines.get(at).map_or(1, |l| l.0), |l| l.0);
    Ok((rest.get(first..stop).unwrap_or(&[]), end_line))
}

fn expect_job_number(tokens: &mut Tokens<'_>, j: usize, place: &str) -> Result<(), ParseError> {
    let at = tokens.peek();
    let found = tokens.u64(&format!("job number {j} {place}"))?;
    match at {
        Some(at) if found != j as u64 => {
            Err(tokens.error(at, format!("expected job number {j} {place} (jobs in order), found {found}")))
        }
        _ => Ok(()),
    }
}

fn expect_one_mode(tokens: &mut Tokens<'_>, j: usize) -> Result<(), ParseError> {
    let at = tokens.peek();
    let modes = tokens.u64(&format!("job {j}'s number of modes"))?;
    match at {
        Some(at) if modes != 1 => Err(tokens.error(
            at,
            format!(
                "expected 1 mode for job {j} (single-mode .sm file), found {modes}: multi-mode files are not supported"
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Problem, ParseError> {
        parse_from(text, &Source::Text)
    }

    pub(crate) const SMALL: &str = "\
************************************************************************
jobs (incl. supersource/sink ):  4
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     4       1    1
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    2
************************************************************************
";

    #[test]
    fn reads_a_small_file() {
        let p = parse(SMALL).unwrap();
        assert_eq!((p.task_count(), p.node_count(), p.resource_count()), (4, 1, 2));
        assert_eq!(p.capacity(crate::NodeId(0)), &[2, 2]);
        let j3 = p.task_id("j3").unwrap();
        assert_eq!((p.default_duration(j3), p.demand(j3)), (4, &[1u64, 1][..]));
        assert_eq!(p.predecessors(p.task_id("j4").unwrap()).len(), 2);
        // j2 and j3 cannot overlap (R1: 2 + 1 > 2), so the optimum is 7.
        let s = crate::solver::Scheduler::schedule(&crate::solver::CriticalPath::default(), &p).unwrap();
        s.schedule.verify(&p).unwrap();
        assert_eq!(s.makespan(), 7);
    }

    #[test]
    fn malformed_input_names_line_and_expectation() {
        let cases = [
            (SMALL.replace("jobs (incl", "tasks (incl"), "expected the job count `jobs (incl. supersource/sink ): N`"),
            (SMALL.replace("):  4", "):  x"), "2:34: expected an integer after `:`"),
            (SMALL.replace("PRECEDENCE", "PRECEDENTS"), "expected a section `PRECEDENCE RELATIONS:`, found none"),
            (SMALL.replace("   2        1          1", "   2        2          1"), "11:13: expected 1 mode for job 2"),
            (SMALL.replace("   3        1          1 ", "   4        1          1 "), "12:4: expected job number 3"),
            (
                SMALL.replace("2   3\n", "2   9\n"),
                "10:40: expected a successor of job 1 (a job number) between 1 and 4",
            ),
            (SMALL.replace("  3      1     4 ", "  3      1     x "), "20:16: expected job 3's integer duration"),
            (
                SMALL.replace("  3      1     4       1    1", "  3      1     4       1"),
                "20:25: expected job 3's integer request for renewable resource R 2, found the end of the line",
            ),
            (SMALL.replace("    2    2\n", "    2\n"), "expected the integer availability of renewable resource R 2"),
            (
                SMALL.replace("  4      1     0       0    0\n", "  4      1     0       0    0  7\n"),
                "21:32: expected the end of job 4's requests/durations line, found `7`",
            ),
        ];
        for (text, want) in cases {
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.contains(want), "want {want:?}, got {e}");
        }
    }
}
