//! Plain domain types with parsing constructors.
//!
//! Everything that enters from a chat is text; these types are the only way that text becomes a
//! phone, an amount of money, a name or a point in time. Each `parse` returns a [`ParseError`]
//! that the core renders as a localized explanation of what was expected, so no adapter has to
//! know the rules.

pub mod booking_status;
pub mod cash;
pub mod draft_status;
pub mod forecast;
pub mod invoice_status;
pub mod money;
pub mod name;
pub mod order_status;
pub mod period;
pub mod phone;
pub mod profile;
pub mod schedule;
pub mod segment;
pub mod text;
pub mod when;

pub use booking_status::BookingStatus;
pub use draft_status::DraftStatus;
pub use money::Money;
pub use name::ClientName;
pub use order_status::OrderStatus;
pub use phone::Phone;
pub use when::DueTime;

/// Why a piece of user text was refused. Each variant maps to one Fluent message
/// (`err-<kind>`), filled with the arguments carried here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty value")]
    Empty,
    #[error("too long: {len} > {max}")]
    TooLong { len: usize, max: usize },
    #[error("malformed phone")]
    Phone,
    #[error("malformed amount")]
    Money,
    #[error("malformed name")]
    Name,
    #[error("malformed date or time")]
    When,
    #[error("a period or a time with more than one reading")]
    WhenAmbiguous,
    #[error("a date or time that does not exist")]
    WhenImpossible,
    #[error("time in the past")]
    InPast,
    #[error("malformed number")]
    Number,
    #[error("malformed email")]
    Email,
}
