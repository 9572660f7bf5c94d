//! The patterson reader on arbitrary bytes, then every fast solver on what it accepts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dagplan_fuzz::read_and_solve(dagplan::io::Format::Patterson, data));
