//! Where a draft reply for a client stands: waiting for the owner, sent, or ignored.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftStatus {
    Pending,
    Sent,
    Ignored,
}

impl DraftStatus {
    pub const ALL: [DraftStatus; 3] = [DraftStatus::Pending, DraftStatus::Sent, DraftStatus::Ignored];

    pub fn code(self) -> &'static str {
        match self {
            DraftStatus::Pending => "pending",
            DraftStatus::Sent => "sent",
            DraftStatus::Ignored => "ignored",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in DraftStatus::ALL {
            assert_eq!(DraftStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(DraftStatus::from_code("lost"), None);
    }
}
