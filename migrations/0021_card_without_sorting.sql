-- Issue 11 (lean per message): a client card lists her open orders newest first and her open
-- tasks by due time. Neither order was an index's, so each card open built two temporary
-- b-trees to sort a handful of rows (each one a pager and a page cache set up and torn down).
-- These two indexes hand the rows over already in order. The rowid (the id) ends every index,
-- so `(client_id)` is `(client_id, id)`; the tasks' index holds only open tasks.
CREATE INDEX orders_by_client_id ON orders (client_id);
CREATE INDEX tasks_open_by_client ON tasks (client_id, due_at IS NULL, due_at) WHERE done_at IS NULL;
