//! The JSON reader on arbitrary bytes: never panics, and whatever it accepts writes back to
//! JSON that reads as the same problem.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(problem) = dagplan::io::read_json_str(text) {
        let again = dagplan::io::read_json_str(&dagplan::io::write_json(&problem));
        assert_eq!(again.as_ref(), Ok(&problem));
    }
});
