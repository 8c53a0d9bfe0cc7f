-- Durable jobs: reminders, outgoing messages (the outbox) and scheduled work, one table.
-- A job is claimed by flipping it to 'running' with a lease; a crash leaves it 'running', and the
-- next start reclaims it (counting the reclaim: a send that was in flight is "in doubt").

CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    reclaims        INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT NOT NULL UNIQUE,
    lease_until     TEXT,
    last_error      TEXT,
    result          TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX jobs_by_state_due ON jobs (state, due_at);

-- Tasks learn where they came from (a follow-up of an issued order) and keep their order.
ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'task';
ALTER TABLE tasks ADD COLUMN order_id INTEGER REFERENCES orders (id);


-- A parsed spreadsheet waiting for the owner's "Import" tap (the preview's valid rows as JSON).
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    rows       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    done_at    TEXT
);
