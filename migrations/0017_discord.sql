-- Discord users who write to the bot in DMs are known by their Discord user id (issue 17), the
-- identity the platform vouches for, until they share more. Kept as text (a snowflake).
ALTER TABLE clients ADD COLUMN discord_id TEXT;
CREATE UNIQUE INDEX clients_by_discord_id ON clients (discord_id) WHERE discord_id IS NOT NULL;
