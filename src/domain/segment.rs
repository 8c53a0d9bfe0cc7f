//! A campaign's segment as the owner types it: words separated by spaces, all of which must hold.
//! `#tag` (she has the tag), `visit<01.09.2026` / `visit>01.09.2026` (her last visit she came to
//! before / on or after that day), `age>=11` / `age<=12` (months since her last order was issued),
//! `all` (everyone with consent). Anything else is refused with the word, never guessed.

use chrono::NaiveDate;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    pub tag: Option<String>,
    pub visit_before: Option<NaiveDate>,
    pub visit_after: Option<NaiveDate>,
    pub age_min_months: Option<u32>,
    pub age_max_months: Option<u32>,
}

/// The first word that is not part of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadWord(pub String);

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%d.%m.%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d")).ok()
}

fn months(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().filter(|m| *m <= 600)
}

impl Segment {
    pub fn parse(input: &str) -> Result<Segment, BadWord> {
        let mut seg = Segment::default();
        let mut any = false;
        for word in input.split_whitespace() {
            any = true;
            let lower = word.to_lowercase();
            let bad = || BadWord(word.chars().take(40).collect());
            if lower == "all" || lower == "всі" || lower == "усі" {
                continue;
            }
            if word.starts_with('#') {
                seg.tag = Some(super::text::parse_tag(word).map_err(|_| bad())?);
            } else if let Some(d) = lower.strip_prefix("visit<") {
                seg.visit_before = Some(date(d).ok_or_else(bad)?);
            } else if let Some(d) = lower.strip_prefix("visit>") {
                seg.visit_after = Some(date(d.trim_start_matches('=')).ok_or_else(bad)?);
            } else if let Some(m) = lower.strip_prefix("age>=").or_else(|| lower.strip_prefix("age>")) {
                seg.age_min_months = Some(months(m).ok_or_else(bad)?);
            } else if let Some(m) = lower.strip_prefix("age<=").or_else(|| lower.strip_prefix("age<")) {
                seg.age_max_months = Some(months(m).ok_or_else(bad)?);
            } else {
                return Err(bad());
            }
        }
        if !any {
            return Err(BadWord(String::new()));
        }
        Ok(seg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_combine_and_unknown_ones_are_refused() {
        let s = Segment::parse("#Спорт visit<01.09.2026 age>=11 age<=13").unwrap();
        assert_eq!(s.tag.as_deref(), Some("спорт"));
        assert_eq!(s.visit_before, NaiveDate::from_ymd_opt(2026, 9, 1));
        assert_eq!((s.age_min_months, s.age_max_months), (Some(11), Some(13)));
        assert_eq!(Segment::parse("all").unwrap(), Segment::default());
        assert_eq!(Segment::parse("visit>2026-01-31").unwrap().visit_after, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(Segment::parse("all vip"), Err(BadWord("vip".into())));
        assert_eq!(Segment::parse("visit<31.02.2026"), Err(BadWord("visit<31.02.2026".into())));
        assert!(Segment::parse("  ").is_err());
    }
}
