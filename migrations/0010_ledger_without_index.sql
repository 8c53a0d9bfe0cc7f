-- Issue 11 (lean per message): every Telegram update writes the ledger, and its index on
-- `seen_at` doubled what each write puts in the write-ahead log (the table's page and the
-- index's). The index served only the pruning of finished updates older than three days, which
-- runs every 200 updates and now reads the few days' rows instead.
DROP INDEX telegram_updates_by_seen;
