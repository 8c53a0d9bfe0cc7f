-- Issue 16: the optional Listmonk sync of consenting clients (`core::marketing::listmonk`).
--
-- What Listmonk was last told about a client: her subscriber id there and the state pushed
-- (`subscribed` to the CRM's list, or `unsubscribed` from it). The sync compares this with her
-- consent and pushes the difference; a forgotten client's row goes once Listmonk deleted her.
-- The row names no person (an id there), so forgetting her keeps it until that delete is done.
CREATE TABLE listmonk_subscribers (
    client_id     INTEGER PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL,
    state         TEXT NOT NULL,
    synced_at     TEXT NOT NULL
);
