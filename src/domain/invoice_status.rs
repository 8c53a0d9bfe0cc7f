//! Where a Monobank payment link stands, and which of two reports of it is the later one.
//!
//! Monobank sends webhooks in no guaranteed order and may repeat them; the one with the larger
//! `modifiedDate` is current. Within the same second (its resolution) the later state of
//! `created < processing < hold < success | failure < reversed` wins. `expired` is never sent
//! (the status call reports it); `creating` and `error` are ours: the link is still being asked
//! for, or Monobank refused to make it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    Creating,
    Error,
    Created,
    Processing,
    Hold,
    Success,
    Failure,
    Reversed,
    Expired,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 9] = [
        InvoiceStatus::Creating,
        InvoiceStatus::Error,
        InvoiceStatus::Created,
        InvoiceStatus::Processing,
        InvoiceStatus::Hold,
        InvoiceStatus::Success,
        InvoiceStatus::Failure,
        InvoiceStatus::Reversed,
        InvoiceStatus::Expired,
    ];

    /// The stored code, Monobank's own word for its statuses.
    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Creating => "creating",
            InvoiceStatus::Error => "error",
            InvoiceStatus::Created => "created",
            InvoiceStatus::Processing => "processing",
            InvoiceStatus::Hold => "hold",
            InvoiceStatus::Success => "success",
            InvoiceStatus::Failure => "failure",
            InvoiceStatus::Reversed => "reversed",
            InvoiceStatus::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The order of states within one `modifiedDate` second.
    pub fn rank(self) -> u8 {
        match self {
            InvoiceStatus::Creating | InvoiceStatus::Error => 0,
            InvoiceStatus::Created => 1,
            InvoiceStatus::Processing => 2,
            InvoiceStatus::Hold => 3,
            InvoiceStatus::Success | InvoiceStatus::Failure | InvoiceStatus::Expired => 4,
            InvoiceStatus::Reversed => 5,
        }
    }

    /// The client can still pay this link.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Creating | InvoiceStatus::Created | InvoiceStatus::Processing | InvoiceStatus::Hold
        )
    }

    /// Money came in on this link (it may have been refunded since, in part or in full).
    pub fn was_paid(self) -> bool {
        matches!(self, InvoiceStatus::Success | InvoiceStatus::Reversed)
    }
}

/// True when a report (`status` modified at `at`) supersedes the one applied (`cur` at `cur_at`).
pub fn is_newer<T: PartialOrd>(status: InvoiceStatus, at: T, cur: InvoiceStatus, cur_at: Option<T>) -> bool {
    match cur_at {
        None => true,
        Some(c) if at > c => true,
        Some(c) if at == c => status.rank() > cur.rank(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvoiceStatus::*;

    #[test]
    fn later_reports_win_and_ties_go_to_the_later_state() {
        assert!(is_newer(Success, 2, Created, Some(1)));
        assert!(!is_newer(Processing, 1, Success, Some(2)), "a late processing never overwrites success");
        assert!(is_newer(Success, 2, Processing, Some(2)));
        assert!(!is_newer(Processing, 2, Success, Some(2)));
        assert!(!is_newer(Success, 2, Success, Some(2)), "an exact repeat changes nothing");
        assert!(is_newer(Reversed, 3, Success, Some(2)));
        assert!(is_newer(Created, 1, Creating, None::<i32>));
    }

    #[test]
    fn codes_round_trip() {
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::from_code(s.code()), Some(s));
        }
    }
}
