//! Where a visit stands: booked, then came or no-show after it, or cancelled. Stored as its code.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Booked,
    Came,
    NoShow,
    Cancelled,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 4] =
        [BookingStatus::Booked, BookingStatus::Came, BookingStatus::NoShow, BookingStatus::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::Came => "came",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still ahead and changeable.
    pub fn is_live(self) -> bool {
        self == BookingStatus::Booked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(BookingStatus::from_code("maybe"), None);
    }
}
