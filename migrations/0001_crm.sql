-- Clients, their foot profile, tags, orders with history, the interaction timeline, tasks,
-- and the per-user chat state (language, guided-flow step).
-- Timestamps are UTC. Money is integer kopecks. Phones are E.164.

CREATE TABLE clients (
    id                INTEGER PRIMARY KEY,
    full_name         TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    phone             TEXT UNIQUE,
    email             TEXT,
    instagram         TEXT,
    telegram_id       INTEGER,
    birth_date        TEXT,
    conditions        TEXT NOT NULL DEFAULT '',
    diabetes          INTEGER NOT NULL DEFAULT 0,
    foot_length_mm    INTEGER,
    shoe_size         TEXT,
    allergies         TEXT,
    contraindications TEXT,
    profile_notes     TEXT,
    source            TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE INDEX clients_by_name_key ON clients (name_key);

-- Substring search over normalised names and phone digits (SQLite FTS5 trigram index).
CREATE VIRTUAL TABLE client_search USING fts5(name_key, phone_digits, tokenize = 'trigram');

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE client_tags (
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, tag_id)
);
CREATE INDEX client_tags_by_tag ON client_tags (tag_id, client_id);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    product     TEXT NOT NULL,
    price_kop   INTEGER NOT NULL CHECK (price_kop >= 0),
    prepaid_kop INTEGER NOT NULL DEFAULT 0 CHECK (prepaid_kop >= 0),
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX orders_by_client ON orders (client_id, status);
CREATE INDEX orders_by_status ON orders (status, created_at);

CREATE TABLE order_history (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX order_history_by_order ON order_history (order_id, at);

CREATE TABLE interactions (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (id),
    channel    TEXT NOT NULL,
    direction  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX interactions_by_client ON interactions (client_id, created_at);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER REFERENCES clients (id),
    body       TEXT NOT NULL,
    due_at     TEXT,
    done_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_by_client ON tasks (client_id, done_at);
CREATE INDEX tasks_open_by_due ON tasks (done_at, due_at);

CREATE TABLE user_prefs (
    actor TEXT PRIMARY KEY,
    lang  TEXT NOT NULL
);

CREATE TABLE dialogs (
    actor      TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
