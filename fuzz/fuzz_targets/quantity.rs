//! The Kubernetes quantity parser on arbitrary text: never panics; whatever it accepts is
//! written back exactly (format then parse gives the same amount) in both scales.
#![no_main]

use dagplan::{Scale, format_quantity, parse_quantity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for scale in [Scale::Milli, Scale::One] {
        if let Ok(amount) = parse_quantity(text, scale) {
            assert_eq!(parse_quantity(&format_quantity(amount, scale), scale), Ok(amount));
        }
    }
});
