-- Issue 15 (reports' speed): what a product-life reminder led to, recorded when it happens.
--
-- The Customers report counts, among the reminders sent in a period, those followed within 30
-- days (`EFFECT_DAYS` in src/store/aftercare.rs; a test keeps the two equal) by a booking or a
-- new order of the same client. Asked afterwards, that is two probes per reminder into other
-- tables' rows; kept here by triggers, it is one covering index range.
ALTER TABLE aftercare ADD COLUMN rebooked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE aftercare ADD COLUMN reordered INTEGER NOT NULL DEFAULT 0;

DROP INDEX aftercare_by_sent;
CREATE INDEX aftercare_by_sent ON aftercare (status, sent_at, rebooked, reordered);

-- A reminder marked sent looks at what already followed it (rows written out of time order:
-- imports, tests); later bookings and orders mark it through the two triggers after this one.
CREATE TRIGGER aftercare_effect_on_send AFTER UPDATE OF status, sent_at ON aftercare
WHEN NEW.status = 'sent' BEGIN
    UPDATE aftercare SET
        rebooked = EXISTS (SELECT 1 FROM orders o JOIN bookings b ON b.client_id = o.client_id
            WHERE o.id = NEW.order_id AND b.created_at >= NEW.sent_at
            AND b.created_at < strftime('%Y-%m-%dT%H:%M:%S', NEW.sent_at, '+30 days')),
        reordered = EXISTS (SELECT 1 FROM orders o JOIN orders n ON n.client_id = o.client_id AND n.id > o.id
            WHERE o.id = NEW.order_id AND n.created_at >= NEW.sent_at
            AND n.created_at < strftime('%Y-%m-%dT%H:%M:%S', NEW.sent_at, '+30 days'))
    WHERE id = NEW.id;
END;

-- The same for a reminder written as sent at once; then the rows there are already.
CREATE TRIGGER aftercare_effect_on_insert AFTER INSERT ON aftercare
WHEN NEW.status = 'sent' BEGIN
    UPDATE aftercare SET sent_at = NEW.sent_at WHERE id = NEW.id;
END;
UPDATE aftercare SET sent_at = sent_at WHERE status = 'sent';

-- A booking marks the client's reminders sent in the 30 days before it.
CREATE TRIGGER aftercare_rebooked AFTER INSERT ON bookings BEGIN
    UPDATE aftercare SET rebooked = 1
    WHERE rebooked = 0 AND status = 'sent'
      AND order_id IN (SELECT id FROM orders WHERE client_id = NEW.client_id)
      AND sent_at <= NEW.created_at
      AND NEW.created_at < strftime('%Y-%m-%dT%H:%M:%S', sent_at, '+30 days');
END;

-- A new order marks the reminders of her earlier orders sent in the 30 days before it.
CREATE TRIGGER aftercare_reordered AFTER INSERT ON orders BEGIN
    UPDATE aftercare SET reordered = 1
    WHERE reordered = 0 AND status = 'sent'
      AND order_id IN (SELECT id FROM orders WHERE client_id = NEW.client_id AND id < NEW.id)
      AND sent_at <= NEW.created_at
      AND NEW.created_at < strftime('%Y-%m-%dT%H:%M:%S', sent_at, '+30 days');
END;

-- The NPS of a period read from the index alone.
DROP INDEX nps_answers_by_time;
CREATE INDEX nps_answers_by_time ON nps_answers (created_at, score);
