//! The booking feature's inputs: its buttons ([`BookingCb`], pressed by visitors and by the
//! owner, each side dispatched here), and its typed steps ([`BookingDialog`]).

use super::{client, owner, owner_visits};
use crate::core::callback::{callbacks, coded_field};
use crate::core::dialog;
use crate::core::{CoreError, CoreResult, Ctx, Output};
use serde::{Deserialize, Serialize};

/// A reminder channel the owner switches on or off in `/reminders`, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderChannel {
    Sms,
    Email,
}

impl ReminderChannel {
    pub const ALL: [ReminderChannel; 2] = [ReminderChannel::Sms, ReminderChannel::Email];

    /// Its code in callback data (`rc:0`): its place in the list.
    pub fn code(self) -> &'static str {
        match self {
            ReminderChannel::Sms => "0",
            ReminderChannel::Email => "1",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        // Any spelling of the number, as when it was a bare `u8` below 2 (`rc:01`, `rc:+1`).
        let i: u8 = code.parse().ok()?;
        Self::ALL.get(usize::from(i)).copied()
    }
}

coded_field!(ReminderChannel);

callbacks! {
    /// Buttons of booking: the visitor's flow (service → day → time → confirm, then see, move or
    /// cancel) and the owner's (notices, came / no-show, `/reminders`, `/week`, moving a visit).
    pub enum BookingCb {
        Start => "bs",
        Service(service: u8) => "bv" keeps_dialog,
        Day(service: u8, day: u32) => "bd" keeps_dialog,
        Time(service: u8, minutes: i64) => "bt" keeps_dialog,
        Confirm(service: u8, minutes: i64) => "bc" keeps_dialog,
        Mine => "mb",
        Cancel(id: i64) => "bx",
        Move(id: i64) => "bm",
        MoveDay(id: i64, day: u32) => "md",
        MoveTime(id: i64, minutes: i64) => "mt",
        VisitOk(id: i64) => "vo",
        Came(id: i64) => "vc",
        NoShow(id: i64) => "vn",
        OwnerCancel(id: i64) => "ox",
        OwnerConfirm(id: i64) => "oc",
        ToggleReminder(channel: ReminderChannel) => "rc",
        Week => "wk",
        /// Remove the days off (or short days) from..=to, as `yyyymmdd`.
        RemoveDaysOff(from: u32, to: u32) => "hx",
        /// The owner moves a visit (card, `/week`, notice): its days, page `page` of them.
        OwnerMove(id: i64, page: u8) => "ovm",
        OwnerMoveDay(id: i64, day: u32) => "ovd",
        OwnerMoveTime(id: i64, minutes: i64) => "ovt",
        /// The owner's `/book` for a client: the days of a service, page `page` ("later ▶").
        OwnerDays(service: u8, page: u8) => "ovb" keeps_dialog,
    }
}

/// A visitor pressed a booking button; the owner's ones reveal nothing.
pub async fn on_visitor_button(ctx: &Ctx<'_>, cb: BookingCb) -> CoreResult {
    match cb {
        BookingCb::Start => client::choose_service(ctx).await,
        BookingCb::Service(s) => client::choose_day(ctx, s).await,
        BookingCb::Day(s, d) => client::choose_time(ctx, s, d).await,
        BookingCb::Time(s, m) => client::pick_time(ctx, s, m).await,
        BookingCb::Confirm(s, m) => client::confirm(ctx, s, m).await,
        BookingCb::Mine => client::my_bookings(ctx).await,
        BookingCb::Cancel(id) => client::cancel(ctx, id).await,
        BookingCb::Move(id) => client::move_start(ctx, id).await,
        BookingCb::MoveDay(id, d) => client::move_day(ctx, id, d).await,
        BookingCb::MoveTime(id, m) => client::move_time(ctx, id, m).await,
        BookingCb::VisitOk(id) => client::visit_ok(ctx, id).await,
        BookingCb::Came(_)
        | BookingCb::NoShow(_)
        | BookingCb::OwnerCancel(_)
        | BookingCb::OwnerConfirm(_)
        | BookingCb::ToggleReminder(_)
        | BookingCb::Week
        | BookingCb::RemoveDaysOff(..)
        | BookingCb::OwnerMove(..)
        | BookingCb::OwnerMoveDay(..)
        | BookingCb::OwnerMoveTime(..)
        | BookingCb::OwnerDays(..) => Ok(Output::default().toast(ctx.t("visitor-no-access"))),
    }
}

/// The owner pressed a booking button: her own (`/book` for a client reuses the visitor's day and
/// time buttons), or a visitor's one that reached her chat, which is out of date for her.
pub async fn on_owner_button(ctx: &Ctx<'_>, cb: BookingCb) -> CoreResult {
    match cb {
        BookingCb::Start => Err(CoreError::user("book-for-usage")),
        BookingCb::Service(s) => owner_visits::book_days(ctx, s, 0).await,
        BookingCb::OwnerDays(s, page) => owner_visits::book_days(ctx, s, page).await,
        BookingCb::Day(s, d) => owner_visits::book_times(ctx, s, d).await,
        BookingCb::Time(s, m) | BookingCb::Confirm(s, m) => owner::book_time(ctx, s, m).await,
        BookingCb::Mine
        | BookingCb::Cancel(_)
        | BookingCb::Move(_)
        | BookingCb::MoveDay(..)
        | BookingCb::MoveTime(..)
        | BookingCb::VisitOk(_) => dialog::expired(ctx),
        BookingCb::Came(id) => owner::outcome(ctx, id, true).await,
        BookingCb::NoShow(id) => owner::outcome(ctx, id, false).await,
        BookingCb::OwnerCancel(id) => owner::ask_cancel_reason(ctx, id).await,
        BookingCb::OwnerConfirm(id) => owner::confirm(ctx, id).await,
        BookingCb::ToggleReminder(c) => owner::reminders(ctx, Some(c)).await,
        BookingCb::Week => owner::week(ctx, true).await,
        BookingCb::RemoveDaysOff(from, to) => super::hours::remove_button(ctx, from, to).await,
        BookingCb::OwnerMove(id, page) => owner_visits::move_days(ctx, id, page).await,
        BookingCb::OwnerMoveDay(id, d) => owner_visits::move_times(ctx, id, d).await,
        BookingCb::OwnerMoveTime(id, m) => owner_visits::move_to(ctx, id, m).await,
    }
}

/// The booking feature's typed steps (stored as `{"step":"cancel_reason","booking":5}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum BookingDialog {
    /// A visitor picked a time and is asked for her phone.
    BookingContact {
        service: u8,
        minutes: i64,
    },
    CancelReason {
        booking: i64,
    },
    /// The owner books for this client (`/book`).
    OwnerBookFor {
        client: i64,
    },
}

impl BookingDialog {
    pub fn skip_label(&self) -> Option<&'static str> {
        matches!(self, BookingDialog::CancelReason { .. }).then_some("btn-skip")
    }
}

/// The owner typed `text` while step `d` was waiting for it.
pub async fn answer(ctx: &Ctx<'_>, d: BookingDialog, text: &str) -> CoreResult {
    match d {
        BookingDialog::BookingContact { service, minutes } => {
            client::phone_given(ctx, service, minutes, text, false).await
        }
        BookingDialog::CancelReason { booking } => owner::cancel_with_reason(ctx, booking, Some(text)).await,
        BookingDialog::OwnerBookFor { .. } => {
            dialog::clear(ctx).await?;
            crate::core::clients::free_text(ctx, text).await
        }
    }
}

/// Skip on step `d`.
pub async fn skip(ctx: &Ctx<'_>, d: BookingDialog) -> CoreResult {
    match d {
        BookingDialog::CancelReason { booking } => owner::cancel_with_reason(ctx, booking, None).await,
        _ => dialog::expired(ctx),
    }
}
