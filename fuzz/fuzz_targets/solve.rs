//! Parse JSON → solve with every fast solver → verify: any accepted problem gets a schedule
//! that passes the verifier and is never shorter than the lower bound.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dagplan_fuzz::read_and_solve(dagplan::io::Format::Json, data));
