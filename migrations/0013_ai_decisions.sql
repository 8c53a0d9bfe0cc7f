-- Issue 15, the AI report: the assistant's decision on each client message it analysed (its
-- intent, sentiment, whether it went to the owner and why). Messages it did not see (a paused
-- chat, no engine) have no row. Read by the report over a period's rows of the one index, which
-- covers every column it counts.
CREATE TABLE ai_decisions (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    intent     TEXT NOT NULL,
    sentiment  TEXT NOT NULL,
    escalated  INTEGER NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX ai_decisions_by_time ON ai_decisions (created_at, escalated, intent, sentiment, reason);
