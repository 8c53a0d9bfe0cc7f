-- Instagram contacts are known by their Instagram-scoped user id (IGSID) until they share more.
ALTER TABLE clients ADD COLUMN instagram_id TEXT;
CREATE UNIQUE INDEX clients_by_instagram_id ON clients (instagram_id) WHERE instagram_id IS NOT NULL;
