-- The assistant: conversations the owner paused, drafts waiting for her, and the answers she
-- saved so the same question is answered automatically next time.
ALTER TABLE clients ADD COLUMN assistant_paused INTEGER NOT NULL DEFAULT 0;

CREATE TABLE drafts (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,              -- 'instagram' | 'telegram'
    question    TEXT NOT NULL,
    suggestion  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending', -- pending | sent | ignored
    final_text  TEXT,
    saved       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);

CREATE TABLE kb_learned (
    id         INTEGER PRIMARY KEY,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- LLM calls per day, for the budget.
CREATE TABLE llm_usage (
    day   TEXT PRIMARY KEY,
    calls INTEGER NOT NULL DEFAULT 0
);
