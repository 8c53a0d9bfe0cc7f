//! Phone numbers, stored as E.164 (`+380671234567`).
//!
//! Ukrainians write the same number many ways: `0671234567`, `+38 (067) 123-45-67`,
//! `380671234567`, `067 123 45 67`, `8 067 123 45 67`. All of them normalise to one E.164 string
//! so that a phone is a reliable key for "this client already exists". Foreign numbers (the
//! studio is near the Polish border) are accepted when written with a leading `+`.
//!
//! A bare 9-digit number (`671234567`) is the national number whose leading zero was lost: Excel
//! drops it from a phone typed as a number, and people copy such cells into the chat. This is the
//! one parser for every way in (chat, importer, booking page), so they all accept the same forms.

use super::ParseError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

/// Characters people put between digits.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '-' | '(' | ')' | '.' | '/' | '\t' | '–')
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ParseError::Empty);
        }
        if trimmed.chars().count() > 32 {
            return Err(ParseError::Phone);
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(16);
        for c in rest.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !is_separator(c) {
                return Err(ParseError::Phone);
            }
        }
        let national = match (plus, digits.len()) {
            (_, 12) if digits.starts_with("380") => &digits[3..],
            (false, 10) if digits.starts_with('0') => &digits[1..],
            (false, 11) if digits.starts_with("80") => &digits[2..],
            // The leading zero went missing (Excel, a copied cell): `671234567`.
            (false, 9) => &digits[..],
            (true, 8..=15) if !digits.starts_with("380") && !digits.starts_with('0') => {
                return Ok(Phone(format!("+{digits}")));
            }
            _ => return Err(ParseError::Phone),
        };
        // A Ukrainian national significant number has 9 digits and never starts with 0.
        if national.len() != 9 || national.starts_with('0') {
            return Err(ParseError::Phone);
        }
        Ok(Phone(format!("+380{national}")))
    }

    /// The E.164 form, e.g. `+380671234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the digits, e.g. `380671234567`; what phone-fragment search matches against.
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// Human form for Ukrainian numbers: `+380 67 123 45 67`.
    pub fn display(&self) -> String {
        let d = self.digits();
        if d.len() == 12 && d.starts_with("380") {
            format!("+380 {} {} {} {}", &d[3..5], &d[5..8], &d[8..10], &d[10..12])
        } else {
            self.0.clone()
        }
    }

    /// Rebuild from a value already stored (trusted, E.164).
    pub fn from_stored(s: String) -> Self {
        Phone(s)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_ukrainian_way_of_writing_normalises() {
        for s in [
            "0671234567",
            "+38 (067) 123-45-67",
            "380671234567",
            "067 123 45 67",
            "+380671234567",
            "8 067 123 45 67",
            "(067)1234567",
            "067-123-45-67",
            " +38 067 123 4567 ",
            "671234567",
            "67 123 45 67",
        ] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), "+380671234567", "{s}");
        }
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for s in [
            "12345",
            "06712345678",
            "abc",
            "067123456a",
            "+380 0671234567",
            "0000000000",
            "'; DROP TABLE clients; --",
            "+0123456789",
            "067 123 45 6",
        ] {
            assert!(Phone::parse(s).is_err(), "{s}");
        }
        assert_eq!(Phone::parse("  "), Err(ParseError::Empty));
    }

    #[test]
    fn foreign_numbers_with_plus() {
        assert_eq!(Phone::parse("+48 601 234 567").unwrap().as_str(), "+48601234567");
    }

    #[test]
    fn display_groups_digits() {
        assert_eq!(Phone::parse("0671234567").unwrap().display(), "+380 67 123 45 67");
    }

    proptest! {
        #[test]
        fn any_format_of_a_valid_number_gives_the_same_e164(
            nsn in "[1-9][0-9]{8}",
            style in 0usize..6,
        ) {
            let (a, b, c, d) = (&nsn[0..2], &nsn[2..5], &nsn[5..7], &nsn[7..9]);
            let written = match style {
                0 => format!("0{nsn}"),
                1 => format!("+38 (0{a}) {b}-{c}-{d}"),
                2 => format!("380{nsn}"),
                3 => format!("0{a} {b} {c} {d}"),
                4 => nsn.clone(),
                _ => format!("+380{nsn}"),
            };
            let phone = Phone::parse(&written).unwrap();
            prop_assert_eq!(phone.as_str(), format!("+380{nsn}"));
            // Parsing the normalised form again is the identity.
            prop_assert_eq!(Phone::parse(phone.as_str()).unwrap(), phone);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Phone::parse(&s);
        }
    }
}
