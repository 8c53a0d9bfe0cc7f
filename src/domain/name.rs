//! A client's full name as typed by the owner.
//!
//! Whitespace is collapsed, the length is bounded (a 5,000-character paste is refused with a
//! clear message rather than stored), and control characters never reach the database.

use super::ParseError;
use std::fmt;

pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientName(String);

impl ClientName {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let collapsed = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(ParseError::Empty);
        }
        let len = collapsed.chars().count();
        if len > MAX_NAME_CHARS {
            return Err(ParseError::TooLong { len, max: MAX_NAME_CHARS });
        }
        if collapsed.chars().any(char::is_control) || !collapsed.chars().any(char::is_alphabetic) {
            return Err(ParseError::Name);
        }
        if collapsed.starts_with('/') {
            return Err(ParseError::Name);
        }
        Ok(ClientName(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapses_whitespace_and_keeps_apostrophes() {
        let n = ClientName::parse("  Ольга   Мар'янчук ").unwrap();
        assert_eq!(n.as_str(), "Ольга Мар'янчук");
    }

    #[test]
    fn refuses_empty_long_and_symbol_only() {
        assert_eq!(ClientName::parse("   "), Err(ParseError::Empty));
        assert!(matches!(ClientName::parse(&"я".repeat(5000)), Err(ParseError::TooLong { .. })));
        assert_eq!(ClientName::parse("12345"), Err(ParseError::Name));
        assert_eq!(ClientName::parse("/start"), Err(ParseError::Name));
    }

    #[test]
    fn emoji_and_sql_looking_text_are_just_text() {
        assert!(ClientName::parse("Олена 🌸").is_ok());
        assert!(ClientName::parse("Robert'); DROP TABLE clients;--").is_ok());
    }

    proptest! {
        #[test]
        fn parsed_names_are_bounded_and_trimmed(s in "\\PC{0,200}") {
            if let Ok(n) = ClientName::parse(&s) {
                prop_assert!(n.as_str().chars().count() <= MAX_NAME_CHARS);
                prop_assert_eq!(n.as_str().trim(), n.as_str());
                prop_assert!(!n.as_str().contains("  "));
            }
        }
    }
}
