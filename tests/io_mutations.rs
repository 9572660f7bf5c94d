//! No reader panics on damaged input: every prefix of a valid sample, and thousands of
//! seeded random edits of it (a character deleted, duplicated or replaced by a digit, a sign,
//! a letter or whitespace, a huge number inserted), give `Ok` or a `ParseError`, and every
//! syntax error names a line inside the text. Deterministic (SplitMix64, fixed seeds).

#![allow(clippy::panic, clippy::indexing_slicing, reason = "test helpers fail loudly")]

use dagplan::SplitMix64;
use dagplan::io::{Format, ParseError, optimum, parse_problem};

const SM: &str = "jobs (incl. supersource/sink ):  4
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
****
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
****
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     4       1    1
  4      1     0       0    0
****
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    2
****
";
const RCP: &str = "4 2\n3 2\n0 0 0 2 2 3\n2 1 1 1\n4\n3 2 0 1 4\n0 0 0 0\n";
const JSS: &str = "# a comment\n2 2\n0 3 1 2\n1 4 0 1\n";
const FJS: &str = "2 2 1.5\n2 1 1 3 2 1 4 2 6\n1 1 2 5\n";
const CSV: &str = "problem,optimum\na.sm,3\nb.sm,4..6\nc.sm,..9\n";
const JSON: &str = r#"{"nodes":[{"name":"n","capacity":{"cpu":2}}],"tasks":[{"name":"a","duration":3,"demand":{"cpu":1}},{"name":"b","duration":2,"after":["a"]}]}"#;

fn check(text: &str, parse: &dyn Fn(&str) -> Result<(), ParseError>) {
    if let Err(ParseError::Syntax { line, .. }) = parse(text) {
        let lines = text.lines().count().max(1);
        assert!(line >= 1 && line <= lines, "line {line} outside 1..={lines} for {text:?}");
    }
}

fn mutate(text: &str, rng: &mut SplitMix64) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() as u64 + 1) as usize;
    let pool = ['0', '1', '9', '-', '+', '.', 'x', ' ', '\n', '\t', '#', ',', ':', '*'];
    let mut out: Vec<char> = chars.clone();
    match rng.below(4) {
        0 if at < out.len() => {
            out.remove(at);
        }
        1 if at < out.len() => {
            let c = out[at];
            out.insert(at, c);
        }
        2 => out.insert(at, pool[rng.below(pool.len() as u64) as usize]),
        _ => out.splice(at..at, "99999999999999999999".chars()).for_each(drop),
    }
    out.into_iter().collect()
}

fn run(sample: &str, parse: &dyn Fn(&str) -> Result<(), ParseError>, seed: u64) {
    parse(sample).unwrap_or_else(|e| panic!("the sample itself fails: {e}"));
    for (i, _) in sample.char_indices() {
        check(&sample[..i], parse);
    }
    let mut rng = SplitMix64::new(seed);
    for _ in 0..10_000 {
        let mut text = mutate(sample, &mut rng);
        if rng.chance(0.3) {
            text = mutate(&text, &mut rng);
        }
        check(&text, parse);
    }
}

#[test]
fn damaged_benchmark_files_never_panic() {
    for (seed, (format, sample)) in [
        (Format::Psplib, SM),
        (Format::Patterson, RCP),
        (Format::JobShop, JSS),
        (Format::FlexibleJobShop, FJS),
        (Format::Json, JSON),
    ]
    .into_iter()
    .enumerate()
    {
        run(sample, &|t| parse_problem(t, format).map(drop), seed as u64);
    }
    run(CSV, &|t| optimum::parse(t).map(drop), 99);
}
