//! The order status machine: new → in production → ready → issued, or cancelled.
//!
//! Only forward steps are allowed; issued and cancelled are final. The machine lives here so that
//! the core, the store and (later) payments all refuse the same invalid transitions. Going back is
//! not a transition of this machine: an undo or a reopening returns to a status the order's
//! history shows it had (`store::order_edits`), and is recorded as such.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    New,
    InProduction,
    Ready,
    Issued,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 5] =
        [OrderStatus::New, OrderStatus::InProduction, OrderStatus::Ready, OrderStatus::Issued, OrderStatus::Cancelled];

    /// Stable code used in the database and in callback data.
    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::InProduction => "prod",
            OrderStatus::Ready => "ready",
            OrderStatus::Issued => "issued",
            OrderStatus::Cancelled => "cancel",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, OrderStatus::Issued | OrderStatus::Cancelled)
    }

    /// The statuses reachable in one tap from this one.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            New => &[InProduction, Cancelled],
            InProduction => &[Ready, Cancelled],
            Ready => &[Issued, Cancelled],
            Issued | Cancelled => &[],
        }
    }

    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn happy_path_and_refusals() {
        use OrderStatus::*;
        assert!(New.can_become(InProduction));
        assert!(InProduction.can_become(Ready));
        assert!(Ready.can_become(Issued));
        assert!(!New.can_become(Issued));
        assert!(!Issued.can_become(Cancelled));
        assert!(!Cancelled.can_become(New));
        assert!(!Ready.can_become(New));
    }

    #[test]
    fn codes_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
    }

    proptest! {
        /// From any status, any sequence of taps reaches a status with no way on within three
        /// taps, and that status is a final one (not open): no cycles, no open dead ends.
        #[test]
        fn any_walk_ends_in_a_final_state_within_three_steps(
            start in 0usize..OrderStatus::ALL.len(),
            choices in proptest::collection::vec(0usize..4, 3),
        ) {
            let mut s = OrderStatus::ALL[start];
            let mut taps = choices.into_iter();
            let mut steps = 0;
            while !s.next().is_empty() {
                prop_assert!(steps < 3, "still at {s} with ways on after three taps");
                let next = s.next();
                s = next[taps.next().unwrap_or(0) % next.len()];
                steps += 1;
            }
            prop_assert!(!s.is_open(), "the walk stopped at {s}, which has no way on but counts as open");
            prop_assert!(matches!(s, OrderStatus::Issued | OrderStatus::Cancelled), "stopped at {s}");
        }
    }
}
