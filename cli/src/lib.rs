//! The research tooling of [dagplan]: the benchmark harness behind the `dagplan` command
//! line (`dagplan bench`, `dagplan solve`).
//!
//! Not a stable API: it serves this repository's command line and figures (BENCHMARKS.md).
//! Embedders use the `dagplan` library, which never compiles the command line's
//! dependencies (clap, indicatif, csv).

#![forbid(unsafe_code)]

pub mod harness;
