//! The foot / medical profile: a closed list of conditions the owner ticks with buttons, plus
//! free-text fields. Conditions are stored as their stable codes so that reports can count them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    FlatFeet,
    HeelSpur,
    HalluxValgus,
    PlantarFasciitis,
    KneePain,
    BackPain,
}

impl Condition {
    pub const ALL: [Condition; 6] = [
        Condition::FlatFeet,
        Condition::HeelSpur,
        Condition::HalluxValgus,
        Condition::PlantarFasciitis,
        Condition::KneePain,
        Condition::BackPain,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Condition::FlatFeet => "flat",
            Condition::HeelSpur => "spur",
            Condition::HalluxValgus => "hallux",
            Condition::PlantarFasciitis => "fasc",
            Condition::KneePain => "knee",
            Condition::BackPain => "back",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The Fluent key of its name (the card, the conditions menu, the export).
    pub fn label_key(self) -> &'static str {
        match self {
            Condition::FlatFeet => "cond-flat",
            Condition::HeelSpur => "cond-spur",
            Condition::HalluxValgus => "cond-hallux",
            Condition::PlantarFasciitis => "cond-fasc",
            Condition::KneePain => "cond-knee",
            Condition::BackPain => "cond-back",
        }
    }
}

/// Parses the stored comma list, ignoring unknown codes (a removed condition never breaks a card).
pub fn parse_conditions(stored: &str) -> Vec<Condition> {
    stored.split(',').filter_map(|c| Condition::from_code(c.trim())).collect()
}

pub fn format_conditions(list: &[Condition]) -> String {
    list.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

/// Foot length in millimetres from `26.5`, `26,5 см`, `265 мм`, `265`.
pub fn parse_foot_length_mm(input: &str) -> Result<i64, super::ParseError> {
    let s = input.trim().to_lowercase().replace(',', ".");
    let (num, unit_mm) = if let Some(n) = s.strip_suffix("мм").or_else(|| s.strip_suffix("mm")) {
        (n.trim().to_string(), true)
    } else if let Some(n) = s.strip_suffix("см").or_else(|| s.strip_suffix("cm")) {
        (n.trim().to_string(), false)
    } else {
        (s.clone(), false)
    };
    let value: f64 = num.parse().map_err(|_| super::ParseError::Number)?;
    if !value.is_finite() {
        return Err(super::ParseError::Number);
    }
    // Without a unit, values above 100 can only be millimetres.
    let mm = if unit_mm || value > 100.0 { value } else { value * 10.0 };
    if !(100.0..=400.0).contains(&mm) {
        return Err(super::ParseError::Number);
    }
    Ok(mm.round() as i64)
}

/// EU shoe size from `39`, `39.5`, `39,5`.
pub fn parse_shoe_size(input: &str) -> Result<String, super::ParseError> {
    let s = input.trim().replace(',', ".");
    let value: f64 = s.parse().map_err(|_| super::ParseError::Number)?;
    if !(15.0..=55.0).contains(&value) || (value * 2.0).fract() != 0.0 {
        return Err(super::ParseError::Number);
    }
    Ok(if value.fract() == 0.0 { format!("{}", value as i64) } else { format!("{value:.1}") })
}

/// A loose but honest email check: one `@`, a dot in the domain, no spaces.
pub fn parse_email(input: &str) -> Result<String, super::ParseError> {
    let s = input.trim().to_lowercase();
    let (local, domain) = s.split_once('@').ok_or(super::ParseError::Email)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && s.matches('@').count() == 1
        && s.len() <= 254;
    if ok {
        Ok(s)
    } else {
        Err(super::ParseError::Email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_round_trip_and_skip_unknown() {
        let list = vec![Condition::FlatFeet, Condition::HalluxValgus];
        assert_eq!(parse_conditions(&format_conditions(&list)), list);
        assert_eq!(parse_conditions("flat,unknown,,spur"), vec![Condition::FlatFeet, Condition::HeelSpur]);
    }

    #[test]
    fn foot_length_units() {
        assert_eq!(parse_foot_length_mm("26.5"), Ok(265));
        assert_eq!(parse_foot_length_mm("26,5 см"), Ok(265));
        assert_eq!(parse_foot_length_mm("265 мм"), Ok(265));
        assert_eq!(parse_foot_length_mm("265"), Ok(265));
        assert!(parse_foot_length_mm("2 метри").is_err());
        assert!(parse_foot_length_mm("5").is_err());
        assert!(parse_foot_length_mm("NaN").is_err());
    }

    #[test]
    fn shoe_sizes_and_emails() {
        assert_eq!(parse_shoe_size("39").unwrap(), "39");
        assert_eq!(parse_shoe_size("39,5").unwrap(), "39.5");
        assert!(parse_shoe_size("39.3").is_err());
        assert_eq!(parse_email(" Olha@Example.com ").unwrap(), "olha@example.com");
        assert!(parse_email("olha@").is_err());
        assert!(parse_email("a b@c.d").is_err());
    }
}
