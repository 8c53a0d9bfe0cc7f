-- Issue 15, part P: the daily summary, reminders tied to the product's life, and NPS.
--
-- Indexes for the summary's counts over a large history (orders created today, open drafts).
CREATE INDEX IF NOT EXISTS orders_by_created ON orders (created_at);
CREATE INDEX IF NOT EXISTS drafts_by_status ON drafts (status, created_at);
-- Whether a client ordered since a visit: one probe, not a walk over her orders.
CREATE INDEX IF NOT EXISTS orders_by_client_created ON orders (client_id, created_at);

-- Reminders tied to the product's life, scheduled when an order is issued (`kind`: check_in
-- before the 30-day free correction ends, warranty end, child_recheck every 6 months,
-- replacement after a year). `mode`: message (to the client) or task (for the owner).
-- `status`: pending, sent (a message went or a task was made), skipped (opted out, no channel),
-- cancelled (order cancelled or reopened, client forgotten; a replacement offer also when the
-- client orders again). The client is the order's (a merge of
-- two cards moves orders, so these follow). `sent_at` lets a later booking or
-- order be attributed to it (`lifecycle_effect`).
CREATE TABLE aftercare (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    kind      TEXT NOT NULL,
    mode      TEXT NOT NULL,
    due_at    TEXT NOT NULL,
    status    TEXT NOT NULL DEFAULT 'pending',
    sent_at   TEXT,
    UNIQUE (order_id, kind, due_at)
);
CREATE INDEX aftercare_by_order ON aftercare (order_id, status);
CREATE INDEX aftercare_by_sent ON aftercare (status, sent_at);
-- Replacements due soon (the recommendation), read as one index range.
CREATE INDEX aftercare_by_due ON aftercare (kind, status, due_at);

-- A client who said STOP (or pressed the button) gets no more of these reminders.
ALTER TABLE clients ADD COLUMN aftercare_opt_out INTEGER NOT NULL DEFAULT 0;

-- One answer per order: 0..10, then an optional comment ("what could be better?"): `awaiting` is
-- set while the client's next message in the bot is taken as the comment; `task_id` is the
-- owner's task a low score made (the comment is added to it).
CREATE TABLE nps_answers (
    order_id   INTEGER PRIMARY KEY REFERENCES orders (id),
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment    TEXT,
    awaiting   INTEGER NOT NULL DEFAULT 0,
    task_id    INTEGER,
    channel    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX nps_answers_by_time ON nps_answers (created_at);
