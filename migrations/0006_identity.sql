-- Identity: who a booking was made for is never decided by a typed phone. A booking keeps the
-- name and phone as they were given; when that phone belongs to another card, an identity claim
-- waits for the owner's one tap (same person: merge and link; different person: keep apart).

-- A phone typed in the bot proves nothing: it is kept apart from `phone` (which is unique and is
-- what the owner's /new_client and /new_order match), so typing a number never claims it.
ALTER TABLE clients ADD COLUMN typed_phone TEXT;
CREATE INDEX clients_by_typed_phone ON clients (typed_phone) WHERE typed_phone IS NOT NULL;

ALTER TABLE bookings ADD COLUMN contact_name TEXT;
ALTER TABLE bookings ADD COLUMN contact_phone TEXT;
-- The booking page's form carries a one-time token: a second submit of the same form shows the
-- booking it made (and nothing about anyone else's).
ALTER TABLE bookings ADD COLUMN form_token TEXT;
CREATE UNIQUE INDEX bookings_by_form_token ON bookings (form_token) WHERE form_token IS NOT NULL;

CREATE TABLE identity_claims (
    id           INTEGER PRIMARY KEY,
    -- The card made for the person who gave the phone (a new card, or her Telegram lead).
    client_id    INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    -- The card the phone belongs to.
    existing_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    phone        TEXT NOT NULL,
    -- Set when the claim came from Telegram; `proven` when it was her own shared contact.
    telegram_id  INTEGER,
    proven       INTEGER NOT NULL DEFAULT 0,
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'merged', 'separate', 'expired')),
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX identity_claims_by_client ON identity_claims (client_id);
CREATE INDEX identity_claims_by_existing ON identity_claims (existing_id, status);
