-- Bookings of visits, the grid cells each one occupies (the database refuses two bookings in
-- one cell, whatever races above it), and the owner's working hours and exceptions.

CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    service       TEXT NOT NULL,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    block_until   TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'booked',
    channel       TEXT NOT NULL,
    chat_id       INTEGER,
    ref_code      TEXT,
    utm           TEXT,
    external_uid  TEXT UNIQUE,
    note          TEXT,
    cancel_reason TEXT,
    confirmed_at  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX bookings_by_start ON bookings (starts_at);
CREATE INDEX bookings_by_client ON bookings (client_id, starts_at);

-- One row per 10-minute cell of a live booking (visit + buffer). The primary key is the guard.
CREATE TABLE booking_cells (
    cell       INTEGER PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE
);
CREATE INDEX booking_cells_by_booking ON booking_cells (booking_id);

-- The owner's week as set from the chat (overrides config/default.toml); weekday 0 = Monday.
CREATE TABLE working_hours (
    weekday INTEGER PRIMARY KEY,
    opens   TEXT,
    closes  TEXT
);

-- Days off, holidays, vacations (opens NULL) and short days.
CREATE TABLE day_exceptions (
    day    TEXT PRIMARY KEY,
    opens  TEXT,
    closes TEXT,
    reason TEXT
);

-- The referral or UTM code a visitor arrived with (t.me/<bot>?start=<code>), kept for her booking.
CREATE TABLE visitor_refs (
    actor      TEXT PRIMARY KEY,
    ref_code   TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Busy time imported from the owner's own calendar (Google's secret iCal address), replaced
-- whole on every refresh.
CREATE TABLE busy_events (
    source    TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL
);
CREATE INDEX busy_events_by_start ON busy_events (starts_at);

-- Switches the owner flips from the chat (e.g. SMS and e-mail reminders).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
