//! Kubernetes quantities (`"500m"`, `"2"`, `"1.5"`, `"512Mi"`, `"2Gi"`, `"1G"`, `"1e3"`) read
//! exactly into integer amounts, and written back.
//!
//! The grammar, the units and the errors are on [`parse_quantity`].
//!
//! ```
//! use dagplan::{Scale, format_quantity, parse_quantity};
//!
//! assert_eq!(parse_quantity("500m", Scale::Milli)?, 500);
//! assert_eq!(parse_quantity("1.5", Scale::Milli)?, 1500);
//! assert_eq!(parse_quantity("2Gi", Scale::One)?, 2 << 30);
//! assert_eq!(parse_quantity("1e3", Scale::One)?, 1000);
//! assert!(parse_quantity("0.5m", Scale::Milli).is_err()); // not a whole millicore
//! assert_eq!(format_quantity(1536 << 20, Scale::One), "1536Mi");
//! # Ok::<(), dagplan::QuantityError>(())
//! ```

/// The integer unit a dimension's quantities are converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// Thousandths: `"1"` is 1000, `"250m"` is 250. The unit of `cpu` (millicores).
    Milli,
    /// Whole base units: `"1Ki"` is 1024. Memory and storage in bytes, devices in units.
    One,
}

impl Scale {
    /// The scale Kubernetes quantities of a resource are read in: [`Scale::Milli`] for `cpu`,
    /// [`Scale::One`] for every other resource.
    pub fn of(resource: &str) -> Self {
        if resource == "cpu" { Self::Milli } else { Self::One }
    }

    /// The unit's name in messages.
    pub fn unit(self) -> &'static str {
        match self {
            Self::Milli => "millicores",
            Self::One => "units (bytes for memory and storage)",
        }
    }

    /// log10 of the number of integer units in one quantity unit.
    fn exponent(self) -> i32 {
        match self {
            Self::Milli => 3,
            Self::One => 0,
        }
    }
}

/// Why a text is not a quantity of a scale (see [`parse_quantity`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantityError {
    /// The text is empty (or only spaces).
    #[error("an empty quantity")]
    Empty,
    /// The text does not follow the quantity grammar.
    #[error("`{text}` is not a quantity: {reason} (expected a number such as 2, 1.5 or 500m, 512Mi, 2Gi, 1e3)")]
    Malformed {
        /// The text.
        text: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The quantity is negative.
    #[error("`{text}` is negative; amounts are at least 0")]
    Negative {
        /// The text.
        text: String,
    },
    /// The quantity is not a whole number of the scale's unit.
    #[error("`{text}` is not a whole number of {}", .scale.unit())]
    NotWhole {
        /// The text.
        text: String,
        /// The scale it was read in.
        scale: Scale,
    },
    /// The amount exceeds `u64::MAX` units.
    #[error("`{text}` is too large: more than {} {}", u64::MAX, .scale.unit())]
    Overflow {
        /// The text.
        text: String,
        /// The scale it was read in.
        scale: Scale,
    },
}

/// Significant digits kept exactly (the value fits in a `u128` with room to multiply).
const MAX_DIGITS: usize = 36;

/// Reads a Kubernetes quantity as an exact number of the scale's units.
///
/// The grammar is Kubernetes' (`k8s.io/apimachinery` `resource.Quantity`): an optional `+`,
/// a decimal number (`12`, `1.5`, `.5`, `5.`), then at most one suffix: a decimal SI suffix
/// (`m` = 10⁻³, `k` = 10³, `M`, `G`, `T`, `P`, `E` = 10¹⁸), a binary one (`Ki` = 2¹⁰, `Mi`,
/// `Gi`, `Ti`, `Pi`, `Ei` = 2⁶⁰) or a decimal exponent (`e3`, `E-2`, `e+6`; `E` followed by
/// digits is an exponent, a trailing `E` alone is exa).
///
/// Every amount of the model is a `u64` in one fixed unit per dimension ([`Scale`]): `cpu` in
/// millicores (`"2"` = 2000, `"500m"` = 500), every other dimension in whole base units
/// (memory and storage in bytes: `"1Ki"` = 1024; GPUs and other extended resources in
/// devices). The conversion is exact, with checked arithmetic throughout: a quantity that is
/// not a whole number of that unit (`"0.5m"` cpu, `"1.5"` bytes), negative, malformed, or
/// larger than `u64::MAX` is a [`QuantityError`]; nothing is rounded.
pub fn parse_quantity(text: &str, scale: Scale) -> Result<u64, QuantityError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(QuantityError::Empty);
    }
    let malformed = |reason| QuantityError::Malformed { text: text.to_owned(), reason };
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, trimmed.get(1..).unwrap_or("")),
        Some(b'+') => (false, trimmed.get(1..).unwrap_or("")),
        _ => (false, trimmed),
    };
    let number_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_end);
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(malformed("no digits"));
    }
    if fraction.contains('.') {
        return Err(malformed("more than one decimal point"));
    }
    let (decimal, binary) = suffix_exponents(suffix).ok_or_else(|| malformed("unknown suffix"))?;

    // The digits without leading zeros or trailing fraction zeros: value = digits · 10^-shift.
    let mut digits: String = whole.trim_start_matches('0').to_owned();
    let fraction = fraction.trim_end_matches('0');
    digits.push_str(fraction);
    let digits = if whole.trim_start_matches('0').is_empty() { digits.trim_start_matches('0') } else { &digits };
    if digits.is_empty() {
        return Ok(0); // zero, whatever its sign and suffix
    }
    if negative {
        return Err(QuantityError::Negative { text: text.to_owned() });
    }
    let significant = digits.trim_end_matches('0');
    if significant.len() > MAX_DIGITS {
        return Err(malformed("more than 36 significant digits"));
    }
    let mantissa: u128 = significant.parse().map_err(|_| malformed("not a number"))?;
    let count = |s: &str| i64::try_from(s.len()).map_err(|_| malformed("too many digits"));
    let zeros = count(digits)? - count(significant)?;
    // value in units = mantissa · 10^power · 2^binary
    let power = decimal + i64::from(scale.exponent()) + zeros - count(fraction)?;
    let overflow = || QuantityError::Overflow { text: text.to_owned(), scale };
    let not_whole = || QuantityError::NotWhole { text: text.to_owned(), scale };
    let scaled = mantissa.checked_mul(1u128.checked_shl(binary).ok_or_else(overflow)?).ok_or_else(overflow)?;
    let exact = if power >= 0 {
        let factor = u32::try_from(power).ok().and_then(|p| 10u128.checked_pow(p)).ok_or_else(overflow)?;
        scaled.checked_mul(factor).ok_or_else(overflow)?
    } else {
        // A divisor beyond u128 exceeds any non-zero `scaled`: a fraction of a unit.
        let divisor = u32::try_from(-power).ok().and_then(|p| 10u128.checked_pow(p)).ok_or_else(not_whole)?;
        if scaled % divisor != 0 {
            return Err(not_whole());
        }
        scaled / divisor
    };
    u64::try_from(exact).map_err(|_| overflow())
}

/// The decimal and binary exponents of a suffix, `None` when it is not one.
fn suffix_exponents(suffix: &str) -> Option<(i64, u32)> {
    let decimal = |e: i64| Some((e, 0));
    let binary = |b: u32| Some((0, b));
    match suffix {
        "" => decimal(0),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 6 {
                return None;
            }
            decimal(exponent.parse().ok()?)
        }
    }
}

/// Writes an amount as the shortest exact quantity of its scale: `"2"` or `"500m"` in
/// [`Scale::Milli`]; in [`Scale::One`], the largest binary suffix that divides it (`"1536Mi"`),
/// else the plain number. [`parse_quantity`] reads it back to the same amount.
pub fn format_quantity(amount: u64, scale: Scale) -> String {
    match scale {
        Scale::Milli if amount.is_multiple_of(1000) => (amount / 1000).to_string(),
        Scale::Milli => format!("{amount}m"),
        Scale::One => {
            const SUFFIXES: [(&str, u32); 6] = [("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)];
            for (suffix, bits) in SUFFIXES {
                if amount != 0 && amount.trailing_zeros() >= bits {
                    return format!("{}{suffix}", amount >> bits);
                }
            }
            amount.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn milli(text: &str) -> Result<u64, QuantityError> {
        parse_quantity(text, Scale::Milli)
    }

    fn one(text: &str) -> Result<u64, QuantityError> {
        parse_quantity(text, Scale::One)
    }

    #[test]
    fn every_decimal_suffix() {
        let cases = [
            ("1m", 1),
            ("1", 1_000),
            ("1k", 1_000_000),
            ("1M", 1_000_000_000),
            ("1G", 1_000_000_000_000),
            ("1T", 1_000_000_000_000_000),
            ("1P", 1_000_000_000_000_000_000),
        ];
        for (text, expected) in cases {
            assert_eq!(milli(text), Ok(expected), "{text}");
        }
        assert_eq!(one("1E"), Ok(1_000_000_000_000_000_000));
        assert_eq!(one("18E"), Ok(18_000_000_000_000_000_000));
        assert!(matches!(milli("1E"), Err(QuantityError::Overflow { .. })));
        assert_eq!(one("1k"), Ok(1000));
        assert_eq!(one("3M"), Ok(3_000_000));
        assert_eq!(one("2G"), Ok(2_000_000_000));
        assert_eq!(one("1T"), Ok(1_000_000_000_000));
        assert_eq!(one("1P"), Ok(1_000_000_000_000_000));
    }

    #[test]
    fn every_binary_suffix() {
        for (i, suffix) in ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].into_iter().enumerate() {
            let bits = 10 * (i as u32 + 1);
            assert_eq!(one(&format!("3{suffix}")), Ok(3u64 << bits), "{suffix}");
            assert_eq!(one(&format!("0.5{suffix}")), Ok(1u64 << (bits - 1)), "{suffix}");
        }
        assert_eq!(one("15Ei"), Ok(15 << 60));
        assert!(matches!(one("16Ei"), Err(QuantityError::Overflow { .. })));
        assert_eq!(milli("1Ki"), Ok(1_024_000));
        assert_eq!(one("1.5Gi"), Ok(3 << 29));
    }

    #[test]
    fn every_number_form_and_exponent() {
        for (text, expected) in [
            ("2", 2000),
            ("1.5", 1500),
            (".5", 500),
            ("5.", 5000),
            ("+3", 3000),
            ("007", 7000),
            ("0.250", 250),
            ("  4  ", 4000),
            ("500m", 500),
            ("7910m", 7910),
            ("1e3", 1_000_000),
            ("1E3", 1_000_000),
            ("1e+3", 1_000_000),
            ("25e-1", 2500),
            ("1e-3", 1),
            ("0", 0),
            ("0m", 0),
            ("-0", 0),
            ("0.000", 0),
            ("0Ei", 0),
        ] {
            assert_eq!(milli(text), Ok(expected), "{text}");
        }
        assert_eq!(one("129e6"), Ok(129_000_000));
        assert_eq!(one("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(milli("18446744073709551615m"), Ok(u64::MAX));
    }

    #[test]
    fn bad_quantities_are_named_errors() {
        let malformed = |text: &str| matches!(milli(text), Err(QuantityError::Malformed { .. }));
        for text in ["abc", "1.2.3", ".", "m", "1mm", "1 m", "1KiB", "1ki", "1e", "1e+", "1e1.5", "1e9999999", "0x10"] {
            assert!(malformed(text), "{text}: {:?}", milli(text));
        }
        assert!(malformed(&format!("1.{}1", "0".repeat(40))));
        assert!(matches!(one(&format!("1{}", "0".repeat(40))), Err(QuantityError::Overflow { .. })));
        assert_eq!(milli(""), Err(QuantityError::Empty));
        assert_eq!(milli(" "), Err(QuantityError::Empty));
        assert!(matches!(milli("-1"), Err(QuantityError::Negative { .. })));
        assert!(matches!(milli("0.5m"), Err(QuantityError::NotWhole { scale: Scale::Milli, .. })));
        assert!(matches!(one("1.5"), Err(QuantityError::NotWhole { scale: Scale::One, .. })));
        assert!(matches!(one("1m"), Err(QuantityError::NotWhole { .. })));
        assert!(matches!(one("1e-40"), Err(QuantityError::NotWhole { .. })));
        assert!(matches!(one("18446744073709551616"), Err(QuantityError::Overflow { .. })));
        assert!(matches!(one("1e20"), Err(QuantityError::Overflow { .. })));
        assert!(matches!(one("1e400"), Err(QuantityError::Overflow { .. })));
        let message = one("1.5").unwrap_err().to_string();
        assert!(message.contains("`1.5`") && message.contains("bytes"), "{message}");
        let message = milli("0.5m").unwrap_err().to_string();
        assert!(message.contains("millicores"), "{message}");
        assert_eq!(one(&format!("{}Ki", "0".repeat(50))), Ok(0));
        assert_eq!(one(&format!("1{}e-30", "0".repeat(30))), Ok(1));
    }

    #[test]
    fn an_amount_stays_small() {
        // A million tasks hold a few amounts each: a quantity's text is boxed behind a thin pointer.
        assert_eq!(std::mem::size_of::<crate::Amount>(), 16);
    }

    #[test]
    fn formats_are_short_and_exact() {
        assert_eq!(format_quantity(2000, Scale::Milli), "2");
        assert_eq!(format_quantity(500, Scale::Milli), "500m");
        assert_eq!(format_quantity(0, Scale::Milli), "0");
        assert_eq!(format_quantity(0, Scale::One), "0");
        assert_eq!(format_quantity(1 << 30, Scale::One), "1Gi");
        assert_eq!(format_quantity(3 << 29, Scale::One), "1536Mi");
        assert_eq!(format_quantity(1000, Scale::One), "1000");
        assert_eq!(format_quantity(u64::MAX, Scale::One), u64::MAX.to_string());
    }

    proptest! {
        #[test]
        fn format_then_parse_gives_the_amount(amount: u64, shift in 0u32..64, milli_scale: bool) {
            let scale = if milli_scale { Scale::Milli } else { Scale::One };
            for value in [amount, amount >> shift << shift, amount >> shift] {
                prop_assert_eq!(parse_quantity(&format_quantity(value, scale), scale), Ok(value));
            }
        }

        #[test]
        fn decimal_forms_agree(units in 0u64..1_000_000_000, e in 0u32..6) {
            // units · 10^e written as digits, with an exponent and as a fraction of a larger suffix.
            let value = units * 10u64.pow(e);
            prop_assert_eq!(one(&format!("{units}e{e}")), Ok(value));
            prop_assert_eq!(one(&value.to_string()), Ok(value));
            let k = value as f64 / 1000.0;
            if value % 1000 == 0 || format!("{k}").parse::<f64>().ok() == Some(k) {
                let text = format!("{}.{:03}k", value / 1000, value % 1000);
                prop_assert_eq!(one(&text), Ok(value));
            }
        }

        #[test]
        fn any_text_is_a_value_or_an_error(text in "[-+]?[0-9.]{0,25}(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e-?[0-9]{1,3}|[a-zA-Z]{0,3})") {
            let _ = milli(&text);
            let _ = one(&text);
        }
    }
}
