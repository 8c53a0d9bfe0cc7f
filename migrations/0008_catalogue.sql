-- Issue 12 (catalogue and order editing): the studio's product list, and who made each status
-- change of an order and what kind of change it was (a step, its undo, a reopening).
-- Products are seeded from the settings (`[[products]]`) by code; the owner edits names, prices
-- and the active flag from the chat, and a later start never overwrites her edits.

CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    price_kop  INTEGER NOT NULL CHECK (price_kop >= 0),
    active     INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- `actor`: who made the change (`telegram:<id>`, `console:<user>`); NULL for rows written before.
-- `kind`: `step` (a status change, also the creation row), `undo`, `reopen`.
ALTER TABLE order_history ADD COLUMN actor TEXT;
ALTER TABLE order_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'step';
