-- Issue 15 (reports): what the six reports read cheaply over a million orders and three million
-- messages, the owner's monthly goals, and the service's own heartbeat (its uptime).

-- Orders per UTC hour and status, kept by the triggers below in the same transaction as each
-- change: a month of sales reads ~720 rows per status, the forecast's whole history a few
-- thousand, however many orders there are. Hours (not days) so that any business-time-zone day
-- with a whole-hour offset (Kyiv) is summed exactly.
CREATE TABLE order_hours (
    hour        TEXT NOT NULL,      -- substr(created_at, 1, 13): 'YYYY-MM-DDTHH'
    status      TEXT NOT NULL,
    orders      INTEGER NOT NULL,
    revenue_kop INTEGER NOT NULL,
    PRIMARY KEY (hour, status)
) WITHOUT ROWID;

INSERT INTO order_hours (hour, status, orders, revenue_kop)
    SELECT substr(created_at, 1, 13), status, COUNT(*), SUM(price_kop) FROM orders
    GROUP BY substr(created_at, 1, 13), status;

CREATE TRIGGER order_hours_on_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_hours (hour, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 13), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (hour, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

CREATE TRIGGER order_hours_on_delete AFTER DELETE ON orders BEGIN
    UPDATE order_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE hour = substr(OLD.created_at, 1, 13) AND status = OLD.status;
END;

CREATE TRIGGER order_hours_on_update AFTER UPDATE OF status, price_kop, created_at ON orders BEGIN
    UPDATE order_hours SET orders = orders - 1, revenue_kop = revenue_kop - OLD.price_kop
    WHERE hour = substr(OLD.created_at, 1, 13) AND status = OLD.status;
    INSERT INTO order_hours (hour, status, orders, revenue_kop)
    VALUES (substr(NEW.created_at, 1, 13), NEW.status, 1, NEW.price_kop)
    ON CONFLICT (hour, status) DO UPDATE SET
        orders = orders + 1, revenue_kop = revenue_kop + excluded.revenue_kop;
END;

-- A period's orders by product and by client (covering: the table is not read).
CREATE INDEX orders_by_created ON orders (created_at, status, product, price_kop, client_id);
-- "Did she order before?" per buyer of the period.
CREATE INDEX orders_by_client_created ON orders (client_id, created_at);
-- A period's messages by direction, kind and channel (covering).
CREATE INDEX interactions_by_created ON interactions (created_at, direction, kind, channel);
CREATE INDEX clients_by_created ON clients (created_at);
CREATE INDEX clients_by_birth_month ON clients (substr(birth_date, 6, 2)) WHERE birth_date IS NOT NULL;
CREATE INDEX bookings_by_created ON bookings (created_at);
CREATE INDEX drafts_by_created ON drafts (created_at);
CREATE INDEX drafts_by_status ON drafts (status);
CREATE INDEX order_history_by_status_at ON order_history (to_status, at);

-- The owner's monthly targets (`/goal 20 orders`, `/goal 60000 грн`): one per month and metric.
CREATE TABLE goals (
    month      TEXT NOT NULL,          -- 'YYYY-MM' in the business time zone
    metric     TEXT NOT NULL CHECK (metric IN ('orders', 'revenue')),
    target     INTEGER NOT NULL CHECK (target > 0),  -- orders, or kopecks
    updated_at TEXT NOT NULL,
    PRIMARY KEY (month, metric)
) WITHOUT ROWID;

-- The scheduler's heartbeat: one row per five-minute slot the process was up (unix time / 300).
CREATE TABLE heartbeats (
    slot INTEGER PRIMARY KEY
);
