-- Issue 11 (lean per message): client search lists the newest clients first, and SQLite's
-- trigram index keeps each trigram's rows in ascending rowid order. Read backwards (`ORDER BY
-- rowid DESC`), FTS5 walks each list's pages forward first and builds an array of the rows'
-- offsets on each page, grown eight entries at a time: about a third of every search's cost.
-- The index's rowid is now minus the client's id (`store/search.rs`, `index_row`), so the
-- index's own forward order is newest first.
CREATE VIRTUAL TABLE client_search_newest_first USING fts5(name_key, phone_digits, tokenize = 'trigram');
INSERT INTO client_search_newest_first (rowid, name_key, phone_digits)
    SELECT -rowid, name_key, phone_digits FROM client_search;
DROP TABLE client_search;
ALTER TABLE client_search_newest_first RENAME TO client_search;
INSERT INTO client_search (client_search) VALUES ('optimize');
