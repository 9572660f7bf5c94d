//! The research tooling of [dagplan]: the benchmark harness behind the `dagplan`
//! command line and the research examples (`benchmark`, `solve`, `exact_psplib`,
//! `psplib_quality`).
//!
//! Not a stable API: it serves this repository's command line, examples and figures
//! (BENCHMARKS.md). Embedders use the `dagplan` library.

#![forbid(unsafe_code)]

pub mod harness;
