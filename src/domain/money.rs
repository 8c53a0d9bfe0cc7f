//! Money as integer kopecks, end to end.
//!
//! Floats never touch an amount: `1 800,50 грн` is parsed digit by digit into 180050 kopecks and
//! shown back the Ukrainian way (`1 800,50 грн`: space for thousands, comma for the decimals).

use super::ParseError;
use std::fmt;

/// An amount in kopecks (1/100 of a hryvnia). Never negative in this domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Largest amount accepted from a chat: ten million hryvnias, far beyond any pair of insoles.
const MAX_KOPECKS: i64 = 1_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_kopecks(k: i64) -> Self {
        Money(k)
    }

    pub fn kopecks(self) -> i64 {
        self.0
    }

    /// Parses `1800`, `1 800`, `1800.5`, `1800,50`, `1 800,00 грн`, `1800uah`, `₴1800`.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let mut s = input.trim().to_lowercase();
        for suffix in ["грн.", "грн", "uah", "₴", "гривень", "гривні", "hrn"] {
            s = s.replace(suffix, "");
        }
        let s: String = s.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_' | '\'')).collect();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        let (int_part, frac_part) = match s.find([',', '.']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s.as_str(), ""),
        };
        let all_digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
        if int_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) || frac_part.len() > 2 {
            return Err(ParseError::Money);
        }
        if int_part.len() > 10 {
            return Err(ParseError::Money);
        }
        let hryvnias: i64 = int_part.parse().map_err(|_| ParseError::Money)?;
        let kop: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| ParseError::Money)? * 10,
            _ => frac_part.parse().map_err(|_| ParseError::Money)?,
        };
        let total = hryvnias.checked_mul(100).and_then(|v| v.checked_add(kop)).ok_or(ParseError::Money)?;
        if total > MAX_KOPECKS {
            return Err(ParseError::Money);
        }
        Ok(Money(total))
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).filter(|v| *v >= 0).map(Money)
    }
}

impl fmt::Display for Money {
    /// `1 800,00 грн`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(' ');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped},{:02} грн", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_forms() {
        let cases = [
            ("1800", 180_000),
            ("1 800", 180_000),
            ("1800.5", 180_050),
            ("1800,50", 180_050),
            ("1 800,00 грн", 180_000),
            ("1800грн", 180_000),
            ("0", 0),
            ("₴ 950", 95_000),
        ];
        for (s, k) in cases {
            assert_eq!(Money::parse(s).unwrap().kopecks(), k, "{s}");
        }
    }

    #[test]
    fn refuses_garbage() {
        for s in ["-5", "1,2,3", "abc", "1800.505", "1e5", "99999999999", ".5", "1.2.3"] {
            assert!(Money::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn formats_ukrainian_style() {
        assert_eq!(Money::from_kopecks(180_000).to_string(), "1 800,00 грн");
        assert_eq!(Money::from_kopecks(5).to_string(), "0,05 грн");
        assert_eq!(Money::from_kopecks(123_456_789).to_string(), "1 234 567,89 грн");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(k in 0i64..MAX_KOPECKS) {
            let m = Money::from_kopecks(k);
            prop_assert_eq!(Money::parse(&m.to_string()).unwrap(), m);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Money::parse(&s);
        }
    }
}
