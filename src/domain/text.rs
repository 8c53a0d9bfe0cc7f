//! Text normalisation for search: the key a name is matched by.
//!
//! The owner types `марянчук` and expects to find `Мар'янчук`; she types `олена` and expects
//! `ОЛЕНА`. So both the stored name and the query go through [`search_key`]: lower case (Unicode,
//! not ASCII-only as SQLite's `lower`), every apostrophe form removed, `ё` folded to `е`.

/// Apostrophe look-alikes Ukrainians type: ASCII, modifier letter, right/left quotes, backtick.
pub const APOSTROPHES: [char; 6] = ['\'', 'ʼ', '’', '‘', '`', 'ʹ'];

pub fn search_key(input: &str) -> String {
    input
        .chars()
        .filter(|c| !APOSTROPHES.contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Only the ASCII digits of a string (phone fragment search).
pub fn digits(input: &str) -> String {
    input.chars().filter(char::is_ascii_digit).collect()
}

/// Truncates to at most `max` characters, adding an ellipsis when cut.
pub fn ellipsize(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_and_case_fold() {
        for s in ["Мар'янчук", "МАРʼЯНЧУК", "мар’янчук", "Марянчук"] {
            assert_eq!(search_key(s), "марянчук");
        }
        assert_eq!(search_key("Семён"), "семен");
    }

    #[test]
    fn ellipsize_counts_chars() {
        assert_eq!(ellipsize("Привіт", 10), "Привіт");
        assert_eq!(ellipsize("Привіт світ", 6), "Приві…");
    }
}

/// A tag as stored: lower case, no `#`, letters, digits, `_` and `-` only, at most 32 characters.
pub fn parse_tag(input: &str) -> Result<String, super::ParseError> {
    let t = input.trim().trim_start_matches('#').to_lowercase();
    if t.is_empty() {
        return Err(super::ParseError::Empty);
    }
    let len = t.chars().count();
    if len > 32 {
        return Err(super::ParseError::TooLong { len, max: 32 });
    }
    if !t.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return Err(super::ParseError::Name);
    }
    Ok(t)
}

/// Free text for notes and profile fields: trimmed, non-empty, bounded.
pub fn parse_free_text(input: &str, max: usize) -> Result<String, super::ParseError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(super::ParseError::Empty);
    }
    let len = t.chars().count();
    if len > max {
        return Err(super::ParseError::TooLong { len, max });
    }
    Ok(t.chars().filter(|c| !c.is_control() || *c == '\n').collect())
}

#[cfg(test)]
mod tag_tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(parse_tag("#VIP").unwrap(), "vip");
        assert_eq!(parse_tag("діабет_2").unwrap(), "діабет_2");
        assert!(parse_tag("two words").is_err());
        assert!(parse_tag("#").is_err());
        assert!(parse_free_text("  ", 10).is_err());
        assert!(parse_free_text(&"a".repeat(11), 10).is_err());
    }
}
