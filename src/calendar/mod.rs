//! Calendars, one feature folder: the bookings feed the owner subscribes to (`feed`, written
//! by `ics`), her Google Calendar read back as busy time (`google` fetches on a schedule, `busy`
//! parses the iCalendar file), and Cal.com bookings (`calcom_webhook` verifies and stores a
//! delivery as a job, `calcom` turns it into a booking). It sits above `core` (it uses the
//! booking use cases) and below the adapters that mount it (`channels::web`, the `worker`).

pub mod busy;
pub mod calcom;
pub mod calcom_webhook;
pub mod feed;
pub mod google;
pub mod ics;
