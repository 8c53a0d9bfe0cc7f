-- Issue 16, part 2: e-mail sequences, campaigns and one-click unsubscribe.
--
-- Consent to marketing e-mail, one row per client: when and how it was given (`source`: page,
-- owner, import). Withdrawn (`withdrawn_at`) by an unsubscribe or the owner; no row, no mail.
CREATE TABLE marketing_consent (
    client_id    INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    given_at     TEXT NOT NULL,
    source       TEXT NOT NULL,
    withdrawn_at TEXT
);

-- Every unsubscribe, kept (a later consent does not erase that she once said no).
CREATE TABLE unsubscribes (
    id        INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    via       TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX unsubscribes_by_client ON unsubscribes (client_id);

-- A client in a sequence (`config/sequences.toml`) since the event `anchor` names (a booking or an
-- order, e.g. `b42`, `o17`): one enrolment per client, sequence and event. `status`: active,
-- stopped (she replied, booked, ordered or unsubscribed: `stop_reason`), done.
CREATE TABLE sequence_enrolments (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    sequence    TEXT NOT NULL,
    anchor      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    stop_reason TEXT,
    UNIQUE (client_id, sequence, anchor)
);
CREATE INDEX sequence_enrolments_by_status ON sequence_enrolments (status, client_id);

-- One row per enrolment and step, written in the transaction that enqueues its e-mail: a step
-- run twice (a crash, a restart) finds its row and sends nothing.
CREATE TABLE sequence_sends (
    enrolment_id INTEGER NOT NULL REFERENCES sequence_enrolments (id) ON DELETE CASCADE,
    step         INTEGER NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (enrolment_id, step)
);

-- A campaign: the segment (as typed), the template, and when it was sent to how many.
CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY,
    segment    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    recipients INTEGER
);
