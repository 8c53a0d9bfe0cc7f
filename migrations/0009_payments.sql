-- Issue 14: payments and the cash book.
--
-- `cash_entries` is the cash book: every income, expense and refund, with how the money moved
-- (cash, card terminal, Monobank) and the order it belongs to (the client through the order, so a
-- merge of two cards carries it along). Entries are never edited: a correction is a new entry (a
-- refund), a typo is deleted whole. `day` is the business-time-zone date the owner means.
-- `external_ref` names a provider's event (a Monobank payment, one refund of it): a webhook
-- repeated or a status read twice books it once. `receipt`: none (an expense), needed (no cash
-- register connected: the owner issues it), queued, done, failed (Checkbox), manual (the owner
-- marked it issued).

CREATE TABLE invoices (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    amount_kop  INTEGER NOT NULL CHECK (amount_kop > 0),
    purpose     TEXT NOT NULL,
    provider_id TEXT UNIQUE,
    page_url    TEXT,
    status      TEXT NOT NULL,
    modified_at TEXT,
    final_kop   INTEGER,
    failure     TEXT,
    validity_s  INTEGER NOT NULL,
    expires_at  TEXT,
    created_by  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX invoices_by_order ON invoices (order_id);
CREATE INDEX invoices_by_status ON invoices (status, expires_at);

CREATE TABLE cash_entries (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('income', 'expense', 'refund')),
    method       TEXT NOT NULL CHECK (method IN ('cash', 'terminal', 'monobank')),
    amount_kop   INTEGER NOT NULL CHECK (amount_kop > 0),
    fee_kop      INTEGER NOT NULL DEFAULT 0 CHECK (fee_kop >= 0),
    category     TEXT NOT NULL DEFAULT '',
    note         TEXT,
    order_id     INTEGER REFERENCES orders (id),
    invoice_id   INTEGER REFERENCES invoices (id),
    day          TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT,
    external_ref TEXT UNIQUE,
    receipt      TEXT NOT NULL DEFAULT 'none'
);
CREATE INDEX cash_entries_by_day ON cash_entries (day, id);
CREATE INDEX cash_entries_by_order ON cash_entries (order_id);
CREATE INDEX cash_entries_by_invoice ON cash_entries (invoice_id);
CREATE INDEX cash_entries_by_receipt ON cash_entries (receipt, id);

-- The cash book summed per day, kept by the triggers below in the same transaction as each entry:
-- `/finance` for a month reads at most a few hundred rows however long the book grows.
CREATE TABLE cash_days (
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    method     TEXT NOT NULL,
    category   TEXT NOT NULL,
    amount_kop INTEGER NOT NULL,
    fee_kop    INTEGER NOT NULL,
    entries    INTEGER NOT NULL,
    PRIMARY KEY (day, kind, method, category)
) WITHOUT ROWID;

CREATE TRIGGER cash_days_on_insert AFTER INSERT ON cash_entries BEGIN
    INSERT INTO cash_days (day, kind, method, category, amount_kop, fee_kop, entries)
    VALUES (NEW.day, NEW.kind, NEW.method, NEW.category, NEW.amount_kop, NEW.fee_kop, 1)
    ON CONFLICT (day, kind, method, category) DO UPDATE SET
        amount_kop = amount_kop + excluded.amount_kop,
        fee_kop = fee_kop + excluded.fee_kop,
        entries = entries + 1;
END;

CREATE TRIGGER cash_days_on_delete AFTER DELETE ON cash_entries BEGIN
    UPDATE cash_days SET
        amount_kop = amount_kop - OLD.amount_kop,
        fee_kop = fee_kop - OLD.fee_kop,
        entries = entries - 1
    WHERE day = OLD.day AND kind = OLD.kind AND method = OLD.method AND category = OLD.category;
END;

CREATE TRIGGER cash_entries_are_not_edited BEFORE UPDATE OF kind, method, amount_kop, fee_kop, category, day
ON cash_entries BEGIN
    SELECT RAISE(ABORT, 'cash entries are not edited: delete and add');
END;

-- A refund of a Monobank payment, asked for by the owner; `ext_ref` is sent with it, so a retried
-- call is recognised in the invoice's `cancelList` instead of refunding twice.
CREATE TABLE refunds (
    id         INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_kop INTEGER NOT NULL CHECK (amount_kop > 0),
    ext_ref    TEXT NOT NULL UNIQUE,
    status     TEXT NOT NULL,
    error      TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX refunds_by_invoice ON refunds (invoice_id);

-- Fiscal receipts through Checkbox: `id` is our UUID, sent as the receipt's id (Checkbox answers a
-- repeat with the receipt it has), stored before the first call.
CREATE TABLE receipts (
    id          TEXT PRIMARY KEY,
    entry_id    INTEGER NOT NULL UNIQUE REFERENCES cash_entries (id),
    kind        TEXT NOT NULL CHECK (kind IN ('sell', 'return')),
    related_id  TEXT,
    status      TEXT NOT NULL,
    fiscal_code TEXT,
    tax_url     TEXT,
    error       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX receipts_by_status ON receipts (status);
