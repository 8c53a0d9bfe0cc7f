-- Telegram updates as they are handled: a redelivered update (webhook retry, re-fetch after a
-- restart) is handled once, and one that was started twice without finishing (the process died
-- on it) is skipped instead of killing every restart.
CREATE TABLE telegram_updates (
    update_id  INTEGER PRIMARY KEY,
    attempts   INTEGER NOT NULL DEFAULT 1,
    done       INTEGER NOT NULL DEFAULT 0,
    seen_at    TEXT NOT NULL
);
CREATE INDEX telegram_updates_by_seen ON telegram_updates (seen_at);
